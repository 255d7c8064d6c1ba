"""Reads about follow-up: a case's follow-up, the calls due, and counts for insights."""

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from redress.accounts.models import User
from redress.cases.models import Case, CloseReason, Status
from redress.cases.selectors import cases_visible_to
from redress.common import clock
from redress.followup.models import FeedbackAnswer, FollowUp, FollowUpStatus, Method
from redress.followup.services import survey_url


def case_followup(*, case: Case) -> FollowUp | None:
    """The case's latest follow-up (one per resolution), with its answer if any."""
    return (
        FollowUp.objects.filter(case=case).select_related("answer", "answer__recorded_by")
        .order_by("-resolved_at", "-id").first()
    )


def _answer_json(followup: FollowUp) -> dict[str, Any] | None:
    answer = getattr(followup, "answer", None)
    if answer is None:
        return None
    return {
        field: getattr(answer, field) for field in (
            "solved", "satisfaction", "outcome_fair", "process_fair", "interaction_fair",
            "recommend", "would_return", "comment", "by_phone", "reopened", "answered_at",
        )
    }


def case_followup_json(*, case: Case) -> dict[str, Any] | None:
    """The `followup` of the staff case JSON: null until a follow-up is scheduled."""
    followup = case_followup(case=case)
    if followup is None:
        return None
    return {
        "status": followup.status,
        "method": followup.method,
        "scheduled_for": followup.scheduled_for,
        "sent_at": followup.sent_at,
        "expires_at": followup.expires_at,
        "answered_at": followup.answered_at,
        "survey_url": survey_url(followup),
        "recovery_round": followup.recovery_round,
        "answer": _answer_json(followup),
    }


def followup_calls_due(*, user: User) -> QuerySet[FollowUp]:
    """Follow-up calls waiting to be made: an agent's own; a supervisor's department's."""
    cases = cases_visible_to(user)
    if not user.is_supervisor_or_above:
        cases = cases.filter(owner_id=user.pk)
    return (
        FollowUp.objects.filter(
            method=Method.CALL, status=FollowUpStatus.SENT, case__in=cases,
            case__status=Status.FOLLOW_UP,
        )
        .select_related("case__customer", "case__owner", "case__department__organisation")
        .order_by("sent_at", "id")
    )


def followup_outcomes(*, since: datetime, until: datetime | None = None) -> dict[str, int]:
    """How follow-ups sent in a period ended: answered, reopened for a second recovery,
    closed with no response (counted apart from cases closed as resolved), still open."""
    until = until or clock.now()
    rows = FollowUp.objects.filter(sent_at__gte=since, sent_at__lt=until).aggregate(
        sent=Count("id"),
        answered=Count("id", filter=Q(status=FollowUpStatus.ANSWERED)),
        reopened=Count("id", filter=Q(answer__reopened=True)),
        no_response=Count("id", filter=Q(status=FollowUpStatus.NO_RESPONSE)),
        waiting=Count("id", filter=Q(status=FollowUpStatus.SENT)),
    )
    rows["closed_no_response"] = Case.objects.filter(
        close_reason=CloseReason.NO_RESPONSE, closed_at__gte=since, closed_at__lt=until
    ).count()
    return rows


def feedback_detractors(*, survey: str = "") -> QuerySet[FeedbackAnswer]:
    answers = FeedbackAnswer.objects.filter(detractor=True).select_related("customer", "case")
    return answers.filter(survey=survey) if survey else answers
