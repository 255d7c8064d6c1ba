"""Endpoints for customers: no account, rate-limited, and only ever their own case."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from redress.api.schemas import ErrorOut, PublicCaseOut, PublicComplaintIn, PublicReceiptOut
from redress.cases.models import Case, Status
from redress.cases.selectors import case_by_tracking_code, case_timeline
from redress.intake.services import public_complaint_submit
from redress.intake.throttle import PublicIntakeThrottle

router = Router(tags=["public"])


def public_case_out(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "received_at": case.received_at,
        "timeline": [
            {
                "at": e.at, "kind": e.kind, "status": e.to_status,
                "status_label": str(Status(e.to_status).label) if e.to_status else "",
                "message": e.message,
            }
            for e in case_timeline(case=case, for_customer=True)
        ],
    }


@router.post(
    "/complaints", response={201: PublicReceiptOut, 422: ErrorOut, 429: ErrorOut},
    throttle=PublicIntakeThrottle(),
)
def submit_complaint(request: HttpRequest, payload: PublicComplaintIn) -> tuple[int, dict]:
    case = public_complaint_submit(
        description=payload.description, name=payload.name, phone=payload.phone or "",
        email=payload.email or "", location=payload.location or "",
        order_ref=payload.order_ref or "",
    )
    return 201, {"reference": case.reference, "tracking_code": case.tracking_code}


@router.get(
    "/complaints/{tracking_code}", response={200: PublicCaseOut, 404: ErrorOut, 429: ErrorOut},
    throttle=PublicIntakeThrottle(),
)
def track_complaint(request: HttpRequest, tracking_code: str) -> dict[str, Any]:
    return public_case_out(case_by_tracking_code(tracking_code=tracking_code))
