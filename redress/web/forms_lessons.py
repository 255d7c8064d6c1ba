"""Forms of the lessons pages: they parse what was typed; the lessons services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import User
from redress.lessons.models import Accepted, ActionKind, ActionStatus, CauseCategory
from redress.web.form_base import WebForm


class RootCauseForm(WebForm):
    category = forms.ChoiceField(label=_("Cause"), required=False,
                                 choices=[("", "—"), *CauseCategory.choices])
    detail = forms.CharField(label=_("What went wrong"), required=False, strip=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    step = forms.CharField(label=_("Problem step"), required=False, max_length=100,
                           help_text=_("Pick from the responsibility table or write one."))
    department = forms.TypedChoiceField(label=_("Responsible department"), required=False,
                                        coerce=int, empty_value=None)
    customer_accepted = forms.ChoiceField(label=_("Did the customer accept the outcome?"),
                                          choices=Accepted.choices, initial=Accepted.UNKNOWN)
    customer_words = forms.CharField(
        label=_("The customer's words"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when they did not accept: their rejection is kept, not hidden."),
    )
    remedy_given = forms.CharField(label=_("Remedy given"), required=False, strip=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, departments: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [  # type: ignore[attr-defined]
            ("", "—"), *((d.pk, d.name) for d in departments)
        ]


class ProblemForm(WebForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, strip=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(WebForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    description = forms.CharField(label=_("What will be done"), strip=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    owner: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none()
    )
    due = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class ActionStatusForm(WebForm):
    status = forms.ChoiceField(choices=ActionStatus.choices)
