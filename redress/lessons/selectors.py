"""Reads of the lessons app: a case's root cause and what closing still needs, the
recurring-problem page, problems with their actions and checks."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import Department, User
from redress.cases.models import Case
from redress.common import clock
from redress.common.errors import NotFound
from redress.lessons import spikes
from redress.lessons.models import (
    CorrectiveAction,
    EffectivenessCheck,
    Problem,
    RecurringGroup,
    ResponsibilityRule,
    RootCause,
    SpikeAlert,
)
from redress.lessons.services import (
    close_requirements,
    group_weekly_counts,
    remedy_summary,
    root_cause_missing,
    week_start,
    zone_of,
)


def root_cause_for(case: Case) -> RootCause | None:
    return RootCause.objects.select_related("department", "recorded_by").filter(
        case_id=case.pk).first()


def root_cause_missing_for(case: Case, root_cause: RootCause | None) -> list[str]:
    """The required root-cause fields closing `case` still needs (names of CLOSE_FIELDS)."""
    return root_cause_missing(root_cause, close_requirements())


def responsibility_table(case: Case) -> QuerySet[ResponsibilityRule]:
    """The responsibility table of the case's organisation, for the step list."""
    if case.department is None:
        return ResponsibilityRule.objects.none()
    return ResponsibilityRule.objects.filter(
        organisation_id=case.department.organisation_id).select_related("department")


def departments_for(case: Case) -> QuerySet[Department]:
    departments = Department.objects.select_related("organisation")
    if case.department:
        return departments.filter(organisation_id=case.department.organisation_id)
    return departments


def root_cause_initial(case: Case, root_cause: RootCause | None) -> dict[str, object]:
    """What the root-cause form starts with: the record, else the case's remedy and the
    department that handled the case."""
    if root_cause is not None:
        return {
            "category": root_cause.category, "detail": root_cause.detail,
            "department": root_cause.department_id, "step": root_cause.step,
            "customer_accepted": root_cause.customer_accepted,
            "customer_words": root_cause.customer_words,
            "remedy_given": root_cause.remedy_given,
        }
    return {"remedy_given": remedy_summary(case), "customer_accepted": "unknown"}


@dataclass(frozen=True)
class GroupRow:
    group: RecurringGroup
    weeks: list[int]  # the last weeks' counts, oldest first, the current week last
    total: int


def recurring_groups(*, weeks: int = spikes.BASELINE_WEEKS + 1, limit: int = 30
                     ) -> list[GroupRow]:
    """The groups with the most complaints over the last `weeks` complete weeks and this
    one, with their weekly counts (for the recurring-problems page)."""
    now = clock.now()
    groups = list(
        RecurringGroup.objects.select_related("organisation")
        .filter(groupings__received_at__gte=now - timedelta(weeks=weeks))
        .annotate(recent=Count("groupings")).filter(recent__gte=2)
        .order_by("-recent", "-id")[:limit]
    )
    rows: list[GroupRow] = []
    by_zone: dict[str, list[RecurringGroup]] = {}
    for group in groups:
        by_zone.setdefault(zone_of(group.organisation), []).append(group)
    for zone, members in by_zone.items():
        first: date = week_start(now, zone) - timedelta(weeks=weeks - 1)
        counts = group_weekly_counts(group_ids=[g.pk for g in members], first=first,
                                     weeks=weeks, zone=zone)
        rows.extend(GroupRow(group=g, weeks=counts[g.pk], total=sum(counts[g.pk]))
                    for g in members)
    return sorted(rows, key=lambda row: (-row.total, -row.group.pk))


def spike_alerts(*, limit: int = 50) -> QuerySet[SpikeAlert]:
    return SpikeAlert.objects.select_related("group", "problem").order_by(
        "-week_start", "-count")[:limit]


def problems_list(*, status: str = "") -> QuerySet[Problem]:
    problems = Problem.objects.select_related("opened_by").annotate(
        n_cases=Count("cases", distinct=True), n_actions=Count("actions", distinct=True))
    if status:
        problems = problems.filter(status=status)
    return problems.order_by("-opened_at", "-id")


def problem_get(*, problem_id: int) -> Problem:
    problem = (
        Problem.objects.select_related("opened_by", "group")
        .prefetch_related(
            Prefetch("actions", CorrectiveAction.objects.select_related("owner")),
            Prefetch("checks", EffectivenessCheck.objects.order_by("-checked_at", "-id")),
        ).filter(pk=problem_id).first()
    )
    if problem is None:
        raise NotFound(_("No such problem."))
    return problem


def problem_cases_list(problem: Problem, *, limit: int = 100) -> QuerySet[Case]:
    return problem.cases.select_related("department").order_by("-received_at")[:limit]


def action_owners() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("username")
