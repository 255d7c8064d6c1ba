"""Forms of the triage section of the case page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from redress.web.form_base import WebForm


class MergeForm(WebForm):
    into = forms.CharField(label=_("Merge into case"), max_length=20)
