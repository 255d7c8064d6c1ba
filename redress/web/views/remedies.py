"""Remedies in the console: suggestions and the offer form on the case page, approvals,
the customer's answer, execution with proof, the approvers' queue and the spend page."""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from redress.accounts.models import User
from redress.cases.models import Case
from redress.cases.selectors import case_actionable_by, case_get_for
from redress.common.errors import DomainError, NotFound
from redress.playbook.services import WordingFlagged, wording_guard
from redress.remedies.models import Remedy, RemedyOption
from redress.remedies.selectors import (
    TAKES_REMEDIES,
    approvals_waiting_for,
    case_cost,
    case_remedies,
    may_decide,
    remedy_suggestions,
    spend_by_department,
    )
from redress.remedies.services import (
    limits_for,
    remedy_answer,
    remedy_approve,
    remedy_counter,
    remedy_execute,
    remedy_propose,
    remedy_reject,
)


class ProposeForm(forms.Form):
    type = forms.SlugField(label=_("Remedy"))
    amount = forms.CharField(label=_("Amount"), required=False, max_length=30)
    note = forms.CharField(label=_("Note for colleagues"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    message = forms.CharField(label=_("Message to the customer"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject")),
                                          ("counter", _("Counter-propose"))])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.CharField(label=_("Counter amount"), required=False, max_length=30)


class AnswerForm(forms.Form):
    accepted = forms.ChoiceField(choices=[("yes", _("Accepted")), ("no", _("Declined"))])
    note = forms.CharField(label=_("What the customer said"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ExecuteForm(forms.Form):
    proof = forms.CharField(label=_("Proof"), widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("What was done: coupon issued, refund sent, parts "
                                        "shipped, photo taken …"))
    reference = forms.CharField(label=_("Reference"), required=False, max_length=100,
                                help_text=_("Coupon code, refund reference, shipment number."))


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def case_page_context(request: HttpRequest, case: Case, user: User) -> dict[str, Any]:
    """What the case page's remedy section needs."""
    remedies = list(case_remedies(case=case))
    can_act = case_actionable_by(user, case)
    return {
        "remedies": [(r, may_decide(user, r)) for r in remedies],
        "remedy_catalogue": RemedyOption.objects.filter(active=True),
        "remedy_suggestions": remedy_suggestions(case=case)
        if can_act and case.status in TAKES_REMEDIES else [],
        "remedy_can_offer": can_act and case.status in TAKES_REMEDIES,
        "remedy_limits": limits_for(user),
        "case_cost": case_cost(case=case),
        "propose_form": ProposeForm(),
        "execute_form": ExecuteForm(),
    }


def _first_error(form: forms.Form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return ""


def _panel(request: HttpRequest, reference: str, *, error: str = "",
           status: int = 200) -> HttpResponse:
    from redress.web.views import console

    try:
        case = case_get_for(user=_staff(request), reference=reference)
    except NotFound:
        return render(request, "web/console/not_found.html", {"reference": reference},
                      status=404)
    if not error and not request.htmx:  # type: ignore[attr-defined]
        return redirect(reverse("web:case", args=[reference]))
    return console._panel(request, case, error=error, status=status)


def _remedy(request: HttpRequest, remedy_id: int) -> Remedy | None:
    remedy = Remedy.objects.select_related("case", "option").filter(pk=remedy_id).first()
    if remedy is None:
        return None
    try:
        case_get_for(user=_staff(request), reference=remedy.case.reference)
    except NotFound:
        return None
    return remedy


@login_required
@require_POST
def propose(request: HttpRequest, reference: str) -> HttpResponse:
    form = ProposeForm(request.POST)
    if not form.is_valid():
        return _panel(request, reference, error=_first_error(form), status=422)
    try:
        case = case_get_for(user=_staff(request), reference=reference)
        wording_guard(case=case, text=form.cleaned_data["message"])
        remedy_propose(case=case, actor=_staff(request), code=form.cleaned_data["type"],
                       amount=form.cleaned_data["amount"] or None,
                       note=form.cleaned_data["note"], message=form.cleaned_data["message"])
    except WordingFlagged as flagged:
        return _panel(request, reference, error=flagged.with_suggestions(), status=422)
    except DomainError as error:
        return _panel(request, reference, error=str(error.message), status=error.status)
    return _panel(request, reference)


def _act(request: HttpRequest, remedy_id: int, form_class: type[forms.Form],
         action: Any) -> HttpResponse:
    remedy = _remedy(request, remedy_id)
    if remedy is None:
        return render(request, "web/console/not_found.html", {"reference": remedy_id},
                      status=404)
    reference = remedy.case.reference
    form = form_class(request.POST)
    if not form.is_valid():
        return _panel(request, reference, error=_first_error(form), status=422)
    try:
        action(remedy, form.cleaned_data)
    except DomainError as error:
        return _panel(request, reference, error=str(error.message), status=error.status)
    if request.POST.get("back") == "approvals":
        return redirect(reverse("web:approvals"))
    return _panel(request, reference)


@login_required
@require_POST
def decide(request: HttpRequest, remedy_id: int) -> HttpResponse:
    user = _staff(request)

    def run(remedy: Remedy, data: dict[str, Any]) -> None:
        if data["decision"] == "approve":
            remedy_approve(remedy=remedy, actor=user, reason=data["reason"])
        elif data["decision"] == "reject":
            remedy_reject(remedy=remedy, actor=user, reason=data["reason"])
        else:
            remedy_counter(remedy=remedy, actor=user, reason=data["reason"],
                           amount=data["amount"] or None)

    return _act(request, remedy_id, DecideForm, run)


@login_required
@require_POST
def answer(request: HttpRequest, remedy_id: int) -> HttpResponse:
    user = _staff(request)
    return _act(request, remedy_id, AnswerForm, lambda remedy, data: remedy_answer(
        remedy=remedy, actor=user, accepted=data["accepted"] == "yes", note=data["note"]))


@login_required
@require_POST
def execute(request: HttpRequest, remedy_id: int) -> HttpResponse:
    user = _staff(request)
    return _act(request, remedy_id, ExecuteForm, lambda remedy, data: remedy_execute(
        remedy=remedy, actor=user, proof=data["proof"], reference=data["reference"]))


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    return render(request, "web/console/approvals.html", {
        "waiting": approvals_waiting_for(user=user), "now": timezone.now(),
        "decide_form": DecideForm(),
    })


@login_required
def spend(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if not user.is_supervisor_or_above:
        return render(request, "web/console/forbidden.html", status=403)
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        chosen = date(year, month, 1)
    except ValueError:
        chosen = today.replace(day=1)
    rows = spend_by_department(user=user, month=chosen)
    return render(request, "web/console/spend.html", {
        "rows": rows, "month": chosen,
        "total_value": sum((r.compensation_value for r in rows), 0),
        "total_cost": sum((r.compensation_cost + r.handling_cost for r in rows), 0),
    })


urlpatterns: list[URLPattern] = [
    path("console/cases/<str:reference>/remedies/", propose, name="remedy_propose"),
    path("console/remedies/<int:remedy_id>/decide/", decide, name="remedy_decide"),
    path("console/remedies/<int:remedy_id>/answer/", answer, name="remedy_answer"),
    path("console/remedies/<int:remedy_id>/execute/", execute, name="remedy_execute"),
    path("console/approvals/", approvals, name="approvals"),
    path("console/spend/", spend, name="spend"),
]
