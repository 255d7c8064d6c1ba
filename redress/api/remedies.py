"""Remedies over the API: the same limits and the same refusals as the console."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from redress.api.auth import StaffToken, staff
from redress.api.schemas import ErrorOut
from redress.cases.selectors import case_get_for
from redress.common.errors import NotFound
from redress.remedies.models import Remedy
from redress.remedies.selectors import case_remedies
from redress.remedies.services import (
    remedy_answer,
    remedy_approve,
    remedy_counter,
    remedy_execute,
    remedy_propose,
    remedy_reject,
)

router = Router(tags=["remedies"], auth=StaffToken())

ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut
}


class RemedyIn(Schema):
    type: str = Field(description="A code of the remedy catalogue, e.g. `coupon`.")
    amount: str | Decimal | None = Field(
        None, description="In the remedy's unit: yuan, percent, or points."
    )
    note: str = ""
    message: str | None = Field(None, description="Sent to the customer with the offer.")


class ReasonIn(Schema):
    reason: str


class CounterIn(Schema):
    reason: str
    amount: str | Decimal
    type: str | None = None


class AnswerIn(Schema):
    accepted: bool
    note: str = ""


class ExecuteIn(Schema):
    proof: str
    reference: str = ""


class RemedyOut(Schema):
    id: int
    case: str
    type: str
    amount: Decimal
    value: Decimal
    cost: Decimal
    status: str
    note: str
    proposed_by: str | None
    authorised_by: str | None
    decided_by: str | None
    decision_reason: str
    approval_due_at: Any
    executed_at: Any
    proof: str
    proof_reference: str
    counter_of: int | None
    guarantee: int | None


def remedy_out(remedy: Remedy) -> dict[str, Any]:
    return {
        "id": remedy.pk, "case": remedy.case.reference, "type": remedy.option.code,
        "amount": remedy.amount, "value": remedy.value, "cost": remedy.cost,
        "status": remedy.status, "note": remedy.note,
        "proposed_by": remedy.proposed_by.username if remedy.proposed_by else None,
        "authorised_by": remedy.authorised_by.username if remedy.authorised_by else None,
        "decided_by": remedy.decided_by.username if remedy.decided_by else None,
        "decision_reason": remedy.decision_reason, "approval_due_at": remedy.approval_due_at,
        "executed_at": remedy.executed_at, "proof": remedy.proof,
        "proof_reference": remedy.proof_reference, "counter_of": remedy.counter_of_id,
        "guarantee": remedy.guarantee_id,
    }


def case_remedies_out(case: Any) -> list[dict[str, Any]]:
    return [remedy_out(r) for r in case_remedies(case=case)]


def _remedy(request: HttpRequest, remedy_id: int) -> Remedy:
    remedy = Remedy.objects.select_related("case", "option").filter(pk=remedy_id).first()
    if remedy is None:
        raise NotFound(_("No such remedy."))
    case_get_for(user=staff(request), reference=remedy.case.reference)  # 404 if not visible
    return remedy


def _fresh(remedy: Remedy) -> dict[str, Any]:
    return remedy_out(Remedy.objects.select_related(
        "case", "option", "proposed_by", "authorised_by", "decided_by").get(pk=remedy.pk))


@router.post("/cases/{reference}/remedies", response={201: RemedyOut, **ERRORS})
def propose(request: HttpRequest, reference: str, payload: RemedyIn) -> tuple[int, dict]:
    """Offer a remedy. `status` is `proposed` (or `accepted` for words alone) within the
    caller's authority, `pending_approval` over it."""
    case = case_get_for(user=staff(request), reference=reference)
    remedy = remedy_propose(case=case, actor=staff(request), code=payload.type,
                            amount=payload.amount, note=payload.note, message=payload.message)
    return 201, _fresh(remedy)


@router.post("/remedies/{remedy_id}/approve", response={200: RemedyOut, **ERRORS})
def approve(request: HttpRequest, remedy_id: int, payload: ReasonIn) -> dict[str, Any]:
    """403 for one's own request or without the authority; 409 once decided."""
    return _fresh(remedy_approve(remedy=_remedy(request, remedy_id), actor=staff(request),
                                 reason=payload.reason))


@router.post("/remedies/{remedy_id}/reject", response={200: RemedyOut, **ERRORS})
def reject(request: HttpRequest, remedy_id: int, payload: ReasonIn) -> dict[str, Any]:
    return _fresh(remedy_reject(remedy=_remedy(request, remedy_id), actor=staff(request),
                                reason=payload.reason))


@router.post("/remedies/{remedy_id}/counter", response={201: RemedyOut, **ERRORS})
def counter(request: HttpRequest, remedy_id: int, payload: CounterIn) -> tuple[int, dict]:
    """Replace a remedy waiting for approval by another under the approver's authority."""
    remedy = remedy_counter(remedy=_remedy(request, remedy_id), actor=staff(request),
                            reason=payload.reason, amount=payload.amount, code=payload.type)
    return 201, _fresh(remedy)


@router.post("/remedies/{remedy_id}/answer", response={200: RemedyOut, **ERRORS})
def answer(request: HttpRequest, remedy_id: int, payload: AnswerIn) -> dict[str, Any]:
    """Record the customer's answer to an offer."""
    return _fresh(remedy_answer(remedy=_remedy(request, remedy_id), actor=staff(request),
                                accepted=payload.accepted, note=payload.note))


@router.post("/remedies/{remedy_id}/execute", response={200: RemedyOut, **ERRORS})
def execute(request: HttpRequest, remedy_id: int, payload: ExecuteIn) -> dict[str, Any]:
    """Carry out an accepted remedy with proof; 409 if it is not accepted or already done."""
    return _fresh(remedy_execute(remedy=_remedy(request, remedy_id), actor=staff(request),
                                 proof=payload.proof, reference=payload.reference))
