"""Staff endpoints for cases: create, read, list, move, hand over, message."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Header, Query, Router

from redress.accounts.models import User
from redress.api.answers import CheckedMessageIn, WordingErrorOut, flags_out
from redress.api.auth import StaffToken, staff
from redress.api.remedies import case_remedies_out
from redress.api.schemas import (
    CaseCreateIn,
    CaseListItemOut,
    CaseOut,
    CaseReceiptOut,
    ErrorOut,
    HandoverIn,
    TransitionIn,
)
from redress.cases import lifecycle
from redress.cases.models import Case
from redress.cases.selectors import QueueFilters, case_get_for, case_queue, case_timeline
from redress.cases.services import case_handover, case_transition
from redress.common.errors import Invalid
from redress.followup.selectors import case_followup_json
from redress.intake.services import api_case_create
from redress.playbook.services import WordingFlagged, customer_message_send, wording_guard
from redress.sla.selectors import case_clocks
from redress.triage.selectors import case_labels_extra

router = Router(tags=["cases"], auth=StaffToken())

ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut
}


def case_out(case: Case) -> dict[str, Any]:
    customer = case.customer
    return {
        **{f: getattr(case, f) for f in (
            "reference", "tracking_code", "status", "priority", "channel", "received_at",
            "created_at", "updated_at", "description", "language", "location", "order_ref",
            "amount_at_stake", "escalated", "needs", "facts", "remedy", "remedy_amount",
            "outcome", "close_reason", "version",
        )},
        "customer": {
            "name": customer.name, "phone": customer.phone, "email": customer.email,
            "external_id": customer.external_id, "tier": customer.tier,
        },
        "owner": case.owner.username if case.owner else None,
        "department": case.department.name if case.department else None,
        "allowed_transitions": sorted(
            lifecycle.allowed_targets(case.status, case.status_before_wait)
        ),
        "labels": {**{f: getattr(case, f) for f in ("kind", "scenario", "emotion", "risks",
                                                      "wants")},
                   **case_labels_extra(case=case)},
        "clocks": clocks.as_json() if (clocks := case_clocks(case=case)) else {},
        "remedies": case_remedies_out(case),
        "followup": case_followup_json(case=case),
        "timeline": [
            {
                "at": e.at, "kind": e.kind, "actor": e.actor.username if e.actor else None,
                "from_status": e.from_status, "to_status": e.to_status, "message": e.message,
                "visible_to_customer": e.visible_to_customer, "before": e.before,
                "after": e.after,
            }
            for e in case_timeline(case=case)
        ],
    }


@router.post("/cases", response={201: CaseReceiptOut, 200: CaseReceiptOut, **ERRORS})
def create_case(
    request: HttpRequest,
    payload: CaseCreateIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> tuple[int, dict[str, Any]]:
    receipt, created = api_case_create(
        user=staff(request), payload=payload.dict(), idempotency_key=idempotency_key
    )
    # A replay answers exactly as the first call did.
    return 201, receipt


@router.get("/cases", response={200: list[CaseListItemOut], **ERRORS})
def list_cases(
    request: HttpRequest,
    status: str = "",
    priority: str = "",
    channel: str = "",
    owner: str = "",
    department: int | None = None,
    q: str = "",
    limit: int = Query(50, ge=1, le=200),
) -> list[dict[str, Any]]:
    filters = QueueFilters(
        status=status, priority=priority, channel=channel, owner=owner,
        department=department, q=q,
    )
    return [
        {
            "reference": c.reference, "status": c.status, "priority": c.priority,
            "channel": c.channel, "received_at": c.received_at,
            "customer": str(c.customer), "owner": c.owner.username if c.owner else None,
            "department": c.department.name if c.department else None,
            "summary": c.description[:140],
        }
        for c in case_queue(user=staff(request), filters=filters)[:limit]
    ]


@router.get("/cases/{reference}", response={200: CaseOut, **ERRORS})
def get_case(request: HttpRequest, reference: str) -> dict[str, Any]:
    return case_out(case_get_for(user=staff(request), reference=reference))


@router.post("/cases/{reference}/transitions",
             response={200: CaseOut, **ERRORS, 422: WordingErrorOut})
def transition_case(
    request: HttpRequest, reference: str, payload: TransitionIn
) -> dict[str, Any] | tuple[int, dict[str, Any]]:
    """Move a case. A `message` that shifts the blame or over-promises is refused with 422
    and the flags listed, unless `confirm_wording: true`."""
    user = staff(request)
    current = case_get_for(user=user, reference=reference)
    try:
        wording_guard(case=current, text=payload.message, confirmed=payload.confirm_wording)
    except WordingFlagged as flagged:
        return 422, {"detail": str(flagged.message), "code": "WordingFlagged",
                     "field": "message", "flags": flags_out(flagged.flags)}
    case = case_transition(
        case=current, actor=user, to=payload.to,
        message=payload.message, expected_version=payload.version, needs=payload.needs,
        facts=payload.facts, remedy=payload.remedy, remedy_amount=payload.amount,
        close_reason=payload.reason, outcome=payload.outcome,
    )
    return case_out(case_get_for(user=user, reference=case.reference))


@router.post("/cases/{reference}/handover", response={200: CaseOut, **ERRORS})
def handover_case(request: HttpRequest, reference: str, payload: HandoverIn) -> dict[str, Any]:
    user = staff(request)
    colleague = User.objects.filter(username=payload.to, is_active=True).first()
    if colleague is None:
        raise Invalid(
            _("No active staff member is called %(name)s.") % {"name": payload.to}, field="to"
        )
    case_handover(
        case=case_get_for(user=user, reference=reference), actor=user, to_user=colleague,
        reason=payload.reason, expected_version=payload.version,
    )
    return case_out(case_get_for(user=user, reference=reference))


@router.post(
    "/cases/{reference}/messages", response={201: CaseOut, **ERRORS, 422: WordingErrorOut}
)
def message_case(
    request: HttpRequest, reference: str, payload: CheckedMessageIn
) -> tuple[int, dict[str, Any]]:
    """Write to the customer (or an internal note with `to_customer: false`). Wording that
    shifts the blame or promises beyond authority is refused with 422 and the flags listed,
    unless `confirm_wording: true`."""
    user = staff(request)
    case = case_get_for(user=user, reference=reference)
    try:
        customer_message_send(
            case=case, actor=user, body=payload.body, to_customer=payload.to_customer,
            confirm_wording=payload.confirm_wording,
        )
    except WordingFlagged as flagged:
        return 422, {"detail": str(flagged.message), "code": "WordingFlagged",
                     "field": "body", "flags": flags_out(flagged.flags)}
    return 201, case_out(case_get_for(user=user, reference=reference))
