"""The base of the staff and customer pages' forms."""

from django import forms
from django.forms.renderers import Jinja2

# One renderer for every form of the pages: each renderer instance builds its own
# template environment.
_WIDGETS = Jinja2()


class WebForm(forms.Form):
    """A form whose widgets render through Django's own Jinja2 templates of them (the same
    markup). The case page renders about ninety widget and option templates, and with the
    Django template language they were about a third of its template time. Only these
    forms: the admin's widgets have no Jinja2 templates, so FORM_RENDERER stays Django's."""

    default_renderer = _WIDGETS
