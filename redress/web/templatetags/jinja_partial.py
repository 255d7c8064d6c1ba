"""`{% jinja "web/console/_queue_rows.html" rows=rows %}`: a Jinja2 template
(`redress/web/jinja.py`) rendered in place, with the values named and the request."""

from typing import Any

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context: template.Context, template_name: str, **values: Any) -> SafeString:
    partial = engines["jinja2"].get_template(template_name)
    # Jinja2 escaped every value it wrote (the environment autoescapes).
    return mark_safe(partial.render(values, request=context.get("request")))  # noqa: S308
