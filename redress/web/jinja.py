"""The Jinja2 environment of the pages' busiest parts.

Most pages are Django templates. The parts repeated on every row of a long page (the
queue's fifty rows) are Jinja2 templates, included with `{% jinja %}`
(`templatetags/jinja_partial.py`): Jinja2 compiles a template to Python, and the queue's
rows rendered with the Django template language were about half the page's time.

They read like Django templates with Jinja2 syntax, with the same filters: `date` and
`timeuntil` (in the active time zone, as Django's), `label` (`choice_labels`),
`truncatechars`, and `iso` (`date('c')`, faster). `url(name, *args)` reverses a URL;
`_()` translates, and `makemessages` finds its strings as in a Django template's
`{{ _("…") }}`.
"""

from datetime import datetime
from typing import Any

from django.template import defaultfilters
from django.urls import reverse
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext, ngettext
from jinja2 import Environment

from redress.web.templatetags.choice_labels import label


def _date(value: datetime | None, format_string: str | None = None) -> str:
    # Django's template language puts a moment in the active time zone before its filter.
    if isinstance(value, datetime) and is_aware(value):
        value = localtime(value)
    return defaultfilters.date(value, format_string)


def _iso(value: datetime) -> str:
    """The moment in the active time zone, in ISO 8601: what `date('c')` writes, without
    parsing a format (a third of the queue rows' time went to formatting dates)."""
    return localtime(value).isoformat()


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def environment(**options: Any) -> Environment:
    options = {k: v for k, v in options.items() if k not in ("autoescape", "extensions")}
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    # Plain gettext: `_()` only translates, so `makemessages` finds its one literal, and a
    # value goes in with `|format`, as `{{ _("%(left)s left")|format(left=…) }}`.
    env.install_gettext_callables(gettext, ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.globals["url"] = _url
    env.filters.update({
        "date": _date,
        "iso": _iso,
        "label": label,
        "timeuntil": defaultfilters.timeuntil_filter,
        "truncatechars": defaultfilters.truncatechars,
    })
    return env
