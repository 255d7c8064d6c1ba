"""API endpoints of the lessons app: a case's root cause (needed before a resolved case
is closed) and the problems with their actions and effectiveness checks."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from redress.api.auth import StaffToken, staff
from redress.api.schemas import ErrorOut
from redress.cases.selectors import case_get_for
from redress.common.errors import NotAllowed
from redress.lessons import selectors
from redress.lessons.models import Accepted, RootCause
from redress.lessons.services import (
    RootCauseInput,
    case_root_cause_record,
    effectiveness_summary,
)

router = Router(tags=["lessons"], auth=StaffToken())

ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut
}


class RootCauseIn(Schema):
    category: str = Field("", description="human, communication, process, equipment or "
                                          "external (the five causes).")
    detail: str = ""
    department: str = Field("", description="Name of the responsible department.")
    step: str = Field("", description="The problem step (责任界定表).")
    customer_accepted: str = Field(Accepted.UNKNOWN, description="yes, no or unknown.")
    customer_words: str = Field("", description="Required when customer_accepted is no.")
    remedy_given: str | None = Field(None, description="Empty: taken from the case's remedy.")


class RootCauseOut(Schema):
    case: str
    category: str
    detail: str
    department: str | None
    step: str
    customer_accepted: str
    customer_words: str
    remedy_given: str
    recorded_by: str | None
    recorded_at: Any
    missing_for_closing: list[str]


def _root_cause_out(reference: str, record: RootCause | None, missing: list[str]
                    ) -> dict[str, Any]:
    return {
        "case": reference,
        "category": record.category if record else "",
        "detail": record.detail if record else "",
        "department": record.department.name if record and record.department else None,
        "step": record.step if record else "",
        "customer_accepted": record.customer_accepted if record else Accepted.UNKNOWN,
        "customer_words": record.customer_words if record else "",
        "remedy_given": record.remedy_given if record else "",
        "recorded_by": record.recorded_by.username if record else None,
        "recorded_at": record.recorded_at if record else None,
        "missing_for_closing": missing,
    }


@router.get("/cases/{reference}/root-cause", response={200: RootCauseOut, **ERRORS})
def get_root_cause(request: HttpRequest, reference: str) -> dict[str, Any]:
    case = case_get_for(user=staff(request), reference=reference)
    record = selectors.root_cause_for(case)
    return _root_cause_out(reference, record, selectors.root_cause_missing_for(case, record))


@router.post("/cases/{reference}/root-cause", response={200: RootCauseOut, **ERRORS})
def record_root_cause(request: HttpRequest, reference: str, payload: RootCauseIn
                      ) -> dict[str, Any]:
    user = staff(request)
    case = case_get_for(user=user, reference=reference)
    case_root_cause_record(case=case, actor=user, values=RootCauseInput(
        category=payload.category, detail=payload.detail, department_name=payload.department,
        step=payload.step, customer_accepted=payload.customer_accepted,
        customer_words=payload.customer_words, remedy_given=payload.remedy_given,
    ))
    record = selectors.root_cause_for(case)
    return _root_cause_out(reference, record, selectors.root_cause_missing_for(case, record))


class ProblemOut(Schema):
    id: int
    title: str
    description: str
    status: str
    cases: list[str]
    actions: list[dict[str, Any]]
    checks: list[dict[str, Any]]


@router.get("/problems/{problem_id}", response={200: ProblemOut, **ERRORS})
def get_problem(request: HttpRequest, problem_id: int) -> dict[str, Any]:
    user = staff(request)
    if not user.is_supervisor_or_above:
        raise NotAllowed(_("Only quality managers, supervisors and administrators may do "
                           "this."))
    problem = selectors.problem_get(problem_id=problem_id)
    return {
        "id": problem.pk, "title": problem.title, "description": problem.description,
        "status": problem.status,
        "cases": [c.reference for c in selectors.problem_cases_list(problem)],
        "actions": [
            {"id": a.pk, "kind": a.kind, "description": a.description,
             "owner": a.owner.username, "due": a.due.isoformat(), "status": a.status,
             "done_at": a.done_at.isoformat() if a.done_at else None}
            for a in problem.actions.all()
        ],
        "checks": [
            {"checked_at": c.checked_at.isoformat(), "too_early": c.too_early,
             "days_left": c.days_left, "weeks": c.weeks, "before": c.before,
             "after": c.after, "before_per_week": str(c.before_per_week),
             "after_per_week": str(c.after_per_week),
             "change_percent": str(c.change_percent) if c.change_percent is not None
             else None, "p_value": c.p_value, "fell": c.fell,
             "summary": effectiveness_summary(c)}
            for c in problem.checks.all()
        ],
    }
