"""Forms of the insights pages: they parse the filters typed or picked; the insights
selectors decide whether the period, the department and the rest are acceptable."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from redress.web.form_base import WebForm

# The GET parameters of every insights page and export: those of the API's insights
# endpoints.
FILTER_NAMES = ("from", "to", "department", "location", "channel", "scenario")


class InsightFilterForm(WebForm):
    """The dashboard's filters (FILTER_NAMES) as typed or picked.

    Department, channel and scenario are offered as lists but parsed as plain values, so
    a value that is not on the list (an old link, a department the viewer may not see)
    reaches `insight_filters`, which explains what is wrong with it."""

    department = forms.IntegerField(label=_("Department"), required=False,
                                    widget=forms.Select)
    location = forms.CharField(label=_("Location"), required=False, max_length=200,
                               widget=forms.Select)
    channel = forms.CharField(label=_("Channel"), required=False, max_length=20,
                              widget=forms.Select)
    scenario = forms.CharField(label=_("Scenario"), required=False, max_length=20,
                               widget=forms.Select)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: these two fields are added by name.
        period = {
            "from": forms.DateField(label=_("From"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"})),
            "to": forms.DateField(label=_("To"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"})),
        }
        self.fields = {**period, **self.fields}

    def offer(self, choices: dict[str, Any]) -> None:
        """Fill the lists with what `filter_choices` offers this viewer."""
        options = {
            "department": [("", _("All departments")), *choices["departments"]],
            "location": [("", _("All locations")), *((x, x) for x in choices["locations"])],
            "channel": [("", _("All channels")), *choices["channels"]],
            "scenario": [("", _("All scenarios")), *choices["scenarios"]],
        }
        for name, listed in options.items():
            self.fields[name].widget.choices = listed  # type: ignore[attr-defined]


class ReportForm(WebForm):
    month = forms.DateField(
        label=_("Month"), input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"required": _("Choose a month (YYYY-MM)."),
                        "invalid": _("Choose a month (YYYY-MM).")},
    )

    def clean_month(self) -> date:
        month: date = self.cleaned_data["month"]
        return month.replace(day=1)
