"""Forms parse what a person typed; the services decide whether it is acceptable."""

from django import forms
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import User
from redress.cases.models import STAFF_RECORDED_CHANNELS, Channel, CloseReason, Priority, Status
from redress.cases.validation import DESCRIPTION_MAX
from redress.web.form_base import WebForm


class ComplaintForm(WebForm):
    description = forms.CharField(
        label=_("What went wrong?"), widget=forms.Textarea(attrs={"rows": 6}),
        strip=False, max_length=DESCRIPTION_MAX,
        help_text=_("Tell us what happened, when and where. We read every word."),
    )
    name = forms.CharField(label=_("Your name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    location = forms.CharField(label=_("Branch or address"), max_length=200, required=False)
    order_ref = forms.CharField(label=_("Order or booking number"), max_length=100,
                                required=False)


class StaffCaseForm(WebForm):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c.value, c.label) for c in STAFF_RECORDED_CHANNELS],
    )
    received_at = forms.DateTimeField(
        label=_("Received at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("When the customer really called, came in or wrote. Empty: now."),
    )
    description = forms.CharField(
        label=_("The customer's words"), widget=forms.Textarea(attrs={"rows": 6}),
        strip=False, max_length=DESCRIPTION_MAX,
    )
    name = forms.CharField(label=_("Customer name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    location = forms.CharField(label=_("Branch or address"), max_length=200, required=False)
    order_ref = forms.CharField(label=_("Order or booking number"), max_length=100,
                                required=False)
    amount_at_stake = forms.CharField(label=_("Amount at stake (yuan)"), required=False)
    # Empty: triage sets it from the reading by the organisation's priority rule.
    priority = forms.ChoiceField(label=_("Priority"), required=False, initial="",
                                 choices=[("", _("By the reading (triage)")), *Priority.choices])


class TransitionForm(WebForm):
    to = forms.ChoiceField(choices=Status.choices)
    version = forms.IntegerField()
    message = forms.CharField(label=_("Message to the customer"), required=False, strip=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    needs = forms.CharField(label=_("What the customer needs"), required=False, strip=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    facts = forms.CharField(label=_("Facts found"), required=False, strip=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    remedy = forms.CharField(label=_("Remedy offered"), required=False, strip=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.CharField(label=_("Amount (yuan)"), required=False)
    reason = forms.ChoiceField(label=_("Why close it"), required=False,
                               choices=[("", "—"), *CloseReason.choices])
    outcome = forms.CharField(label=_("Outcome"), required=False, strip=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def optional(self, name: str) -> str | None:
        """A field the person left empty means 'no change', not 'erase'."""
        value = self.cleaned_data.get(name)
        return value if value else None


class HandoverForm(WebForm):
    to_user = forms.ModelChoiceField(label=_("Hand over to"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: object, colleagues: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if colleagues is not None:
            self.fields["to_user"].queryset = colleagues  # type: ignore[attr-defined]
        self.fields["to_user"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: f"{user.display_name} ({user.get_role_display()})"
        )


class MessageForm(WebForm):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}),
                           strip=False)
    to_customer = forms.BooleanField(label=_("Send to the customer"), required=False,
                                     initial=True)


class QueueFilterForm(WebForm):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Status.choices])
    priority = forms.ChoiceField(label=_("Priority"), required=False,
                                 choices=[("", _("All priorities")), *Priority.choices])
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("All channels")), *Channel.choices])
    owner = forms.CharField(label=_("Owner"), required=False)
    department = forms.IntegerField(label=_("Department"), required=False)
    sla = forms.ChoiceField(label=_("Deadlines"), required=False, choices=[
        ("", _("Any deadline")), ("breached", _("Breached")), ("at_risk", _("At risk")),
        ("escalated", _("Escalated")),
    ])


class AgreedDeadlineForm(WebForm):
    due = forms.DateTimeField(
        label=_("Promised reply by"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    promise = forms.CharField(
        label=_("What was promised"), required=False, max_length=500,
        help_text=_("e.g. “We will call you back with the engineer's answer.”"),
    )
