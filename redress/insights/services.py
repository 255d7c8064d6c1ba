"""Keeping the insight rollups current.

A case's figures are summed on the day it was received (in the installation's time zone,
`TIME_ZONE`, Asia/Shanghai by default). When a case changes, its day is marked stale and a
task recomputes that whole day from the source tables a little later, so a burst of changes
to the same day's cases costs one refresh. Recomputing a day instead of adding and
subtracting deltas keeps one way of counting: the rebuild of a million cases and the
refresh after one answer run the same code (`_day_figures`).
"""

from __future__ import annotations

import re
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef

from redress.cases.models import Case, CaseEvent, Kind
from redress.common import clock
from redress.common.tasks import task_enqueue
from redress.followup.models import FeedbackAnswer, Solved, SurveyAnswer
from redress.insights.models import (
    CASE_COUNTS,
    CASE_MONEY,
    FIRST_RESPONSE_BANDS_MINUTES,
    PERSON_COUNTS,
    PERSON_MONEY,
    RESOLUTION_BANDS_HOURS,
    Assumptions,
    CauseDaily,
    CauseMonthly,
    DailyRollup,
    FeedbackDaily,
    MonthlyRollup,
    PersonDaily,
    StaleDay,
)
from redress.lessons.models import RootCause
from redress.remedies.models import Remedy, RemedyStatus
from redress.sla.models import CaseClock

# Changes to one day's cases within this long are refreshed together.
REFRESH_DELAY = timedelta(seconds=30)


def zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime) -> date:
    return moment.astimezone(zone()).date()


def day_start(day: date) -> datetime:
    """Local midnight at the start of `day`, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=zone())


# A site is a location's name before its first number: rooms, buildings, units and gates
# belong to the hotel, estate or store they are in.
_SITE = re.compile(r"^[^0-9０-９]*")


def site_of(location: str) -> str:
    """The site a case's location belongs to: "悦来酒店 912房" → "悦来酒店",
    "南湖小区4栋2单元1202" → "南湖小区", "春熙路店" → "春熙路店". A location that
    starts with a number is its own site."""
    match = _SITE.match(location)
    site = (match.group(0) if match else "").strip(" \t,，-#·.")
    return site or location.strip()


def assumptions_get() -> Assumptions:
    found = Assumptions.objects.order_by("pk").first()
    return found if found is not None else Assumptions.objects.create()


def assumptions_save(assumptions: Assumptions) -> Assumptions:
    """Save the dashboard's assumptions. A new first-response target changes which cases
    met it, which the daily sums hold: every day with cases is marked for a refresh."""
    before = Assumptions.objects.filter(pk=assumptions.pk).values_list(
        "first_response_target_minutes", flat=True).first()
    assumptions.updated_at = clock.now()
    assumptions.save()
    if before is not None and before != assumptions.first_response_target_minutes:
        rollup_mark_days(DailyRollup.objects.values_list("day", flat=True).distinct())
    return assumptions


def rollup_mark_case(*, case_id: int) -> None:
    received = Case.objects.filter(pk=case_id).values_list("received_at", flat=True).first()
    if received is not None:
        rollup_mark_days([local_day(received)])


def rollup_mark_days(days: Iterable[date]) -> None:
    """Mark days stale; the first mark of a day queues the task that refreshes it. A day
    already marked gets a new mark time, which tells a refresh under way to look again."""
    for day in sorted(set(days)):
        if StaleDay.objects.filter(day=day).update(marked_at=clock.now()):
            continue
        _stale, created = StaleDay.objects.get_or_create(day=day)
        if created:
            _refresh_queue()


def _refresh_queue() -> None:
    from django_tasks import default_task_backend

    from redress.insights.tasks import rollups_refresh

    if default_task_backend.supports_defer:
        task_enqueue(rollups_refresh, run_after=clock.now() + REFRESH_DELAY)
    else:
        task_enqueue(rollups_refresh)


def rollups_refresh_stale() -> list[date]:
    """Refresh every day marked stale, then take away the marks it has dealt with.

    A mark is taken away only after its day and month are recomputed, and only if it was
    not marked again meanwhile: a worker killed half-way leaves the marks for the task
    to be run again (the worker re-queues it), and a day changed during the refresh is
    refreshed once more by a task queued here."""
    marks = list(StaleDay.objects.values_list("day", "marked_at"))
    rollup_refresh_days([day for day, _at in marks])
    for day, marked_at in marks:
        StaleDay.objects.filter(day=day, marked_at=marked_at).delete()
    if StaleDay.objects.exists():
        _refresh_queue()
    return [day for day, _at in marks]


def rollup_refresh_days(days: Iterable[date]) -> None:
    """Recompute the rollups of these days and of the months they fall in."""
    months: set[date] = set()
    for day in sorted(set(days)):
        with transaction.atomic():
            _day_replace(day, _day_figures(day))
        months.add(day.replace(day=1))
    for month in sorted(months):
        rollup_month_refresh(month)


def rollup_month_refresh(month: date) -> None:
    """A month's rows are the sums of its days' rows."""
    following = (month + timedelta(days=32)).replace(day=1)
    dims = ("department_id", "location", "channel", "scenario")
    _month_sum(DailyRollup, MonthlyRollup, month, following, dims, (*CASE_COUNTS, *CASE_MONEY))
    _month_sum(CauseDaily, CauseMonthly, month, following,
               (*dims, "category", "responsible_id"), ("cases",))


def _month_sum(daily: Any, monthly: Any, month: date, following: date,
               dims: tuple[str, ...], measures: tuple[str, ...]) -> None:
    totals: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in daily.objects.filter(day__gte=month, day__lt=following).values(
            *dims, *measures).iterator(chunk_size=5000):
        key = tuple(row[d] for d in dims)
        found = totals.get(key)
        if found is None:
            totals[key] = row
        else:
            for name in measures:
                found[name] += row[name]
    with transaction.atomic():
        monthly.objects.filter(day=month).delete()
        monthly.objects.bulk_create([monthly(day=month, **row) for row in totals.values()],
                                    batch_size=500)


def rollups_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute every rollup from the source tables; returns the number of days."""
    first = Case.objects.order_by("received_at").values_list("received_at", flat=True).first()
    feedback_first = (FeedbackAnswer.objects.order_by("answered_at")
                      .values_list("answered_at", flat=True).first())
    starts = [moment for moment in (first, feedback_first) if moment is not None]
    with transaction.atomic():
        StaleDay.objects.all().delete()
        for model in (DailyRollup, MonthlyRollup, PersonDaily, CauseDaily, CauseMonthly,
                      FeedbackDaily):
            model.objects.all().delete()
    if not starts:
        return 0
    day, last = local_day(min(starts)), local_day(clock.now())
    total = (last - day).days + 1
    months: set[date] = set()
    for done in range(1, total + 1):
        with transaction.atomic():
            _day_replace(day, _day_figures(day))
        months.add(day.replace(day=1))
        day += timedelta(days=1)
        if progress is not None:
            progress(done, total)
    for month in sorted(months):
        rollup_month_refresh(month)
    return total


@dataclass
class DayFigures:
    cases: list[dict[str, Any]]
    people: list[dict[str, Any]]
    causes: list[dict[str, Any]]
    feedback: dict[str, int]


def _day_replace(day: date, figures: DayFigures) -> None:
    for model in (DailyRollup, PersonDaily, CauseDaily, FeedbackDaily):
        model.objects.filter(day=day).delete()
    DailyRollup.objects.bulk_create([DailyRollup(day=day, **row) for row in figures.cases],
                                    batch_size=500)
    PersonDaily.objects.bulk_create([PersonDaily(day=day, **row) for row in figures.people],
                                    batch_size=500)
    CauseDaily.objects.bulk_create([CauseDaily(day=day, **row) for row in figures.causes],
                                   batch_size=500)
    if figures.feedback["answers"]:
        FeedbackDaily.objects.create(day=day, **figures.feedback)


def _band(value: float, bounds: tuple[int, ...]) -> int:
    for index, bound in enumerate(bounds):
        if value <= bound:
            return index
    return len(bounds)


def _chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _day_figures(day: date) -> DayFigures:
    """Everything the panels sum, for the cases received on `day`."""
    start = day_start(day)
    end = day_start(day + timedelta(days=1))
    now = clock.now()
    target = timedelta(minutes=assumptions_get().first_response_target_minutes)
    cases: list[dict[str, Any]] = [dict(c) for c in Case.objects.filter(
        received_at__gte=start, received_at__lt=end).values(
        "id", "department_id", "location", "channel", "scenario", "kind", "emotion",
        "priority", "owner_id", "received_at", "resolved_at", "recovery_round")]
    ids = [c["id"] for c in cases]
    clocks: dict[int, dict[str, Any]] = {}
    remedies: dict[int, list[dict[str, Any]]] = defaultdict(list)
    answers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    causes: dict[int, dict[str, Any]] = {}
    actions: dict[int, int] = {}
    for chunk in _chunks(ids):
        for clock_row in CaseClock.objects.filter(case_id__in=chunk).values(
                "case_id", "first_responded_at", "first_response_due", "resolution_due",
                "resolved_at"):
            clocks[clock_row["case_id"]] = dict(clock_row)
        for remedy in Remedy.objects.filter(case_id__in=chunk).values(
                "case_id", "status", "value", "cost", "decided_by_id"):
            remedies[remedy["case_id"]].append(dict(remedy))
        for answer in SurveyAnswer.objects.filter(followup__case_id__in=chunk).values(
                "followup__case_id", "followup__recovery_round", "solved", "satisfaction",
                "outcome_fair", "process_fair", "interaction_fair", "recommend",
                "would_return", "reopened", "answered_at").order_by("answered_at", "id"):
            answers[answer["followup__case_id"]].append(dict(answer))
        for cause in RootCause.objects.filter(case_id__in=chunk).values(
                "case_id", "category", "department_id"):
            causes[cause["case_id"]] = dict(cause)
        actions.update(CaseEvent.objects.filter(case_id__in=chunk, actor__isnull=False)
                       .values("case_id").annotate(n=Count("id")).values_list("case_id", "n"))

    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    people: dict[tuple[Any, ...], dict[str, Any]] = {}
    cause_counts: dict[tuple[Any, ...], int] = defaultdict(int)
    for case in cases:
        key = (case["department_id"], site_of(case["location"]), case["channel"],
               case["scenario"])
        row = groups.get(key)
        if row is None:
            row = groups[key] = {**dict.fromkeys(CASE_COUNTS, 0),
                                 **dict.fromkeys(CASE_MONEY, Decimal("0.00")),
                                 "department_id": key[0], "location": key[1],
                                 "channel": key[2], "scenario": key[3]}
        person = None
        if case["owner_id"] is not None:
            person_key = (case["owner_id"], case["department_id"])
            person = people.get(person_key)
            if person is None:
                person = people[person_key] = {
                    **dict.fromkeys(PERSON_COUNTS, 0),
                    **dict.fromkeys(PERSON_MONEY, Decimal("0.00")),
                    "owner_id": person_key[0], "department_id": person_key[1]}
        row["staff_actions"] += actions.get(case["id"], 0)
        _count_case(row, person, case, clocks.get(case["id"]), remedies.get(case["id"], []),
                    answers.get(case["id"], []), now=now, target=target)
        found = causes.get(case["id"])
        if found is not None:
            cause_counts[(*key, found["category"], found["department_id"])] += 1

    return DayFigures(
        cases=list(groups.values()),
        people=list(people.values()),
        causes=[{"department_id": k[0], "location": k[1], "channel": k[2], "scenario": k[3],
                 "category": k[4], "responsible_id": k[5], "cases": n}
                for k, n in cause_counts.items()],
        feedback=_feedback_figures(start, end),
    )


def _count_case(row: dict[str, Any], person: dict[str, Any] | None, case: dict[str, Any],
                clock_row: dict[str, Any] | None, remedies: list[dict[str, Any]],
                answers: list[dict[str, Any]], *, now: datetime, target: timedelta) -> None:
    received: datetime = case["received_at"]
    priority = (case["priority"] or "P3").lower()
    row["cases"] += 1
    row["complaints"] += case["kind"] == Kind.COMPLAINT
    row[f"emotion_{case['emotion'] or 'unread'}"] += 1
    row[f"priority_{priority}"] += 1
    if person is not None:
        person["cases"] += 1

    # The first response: the clock's first reply to the customer.
    responded = clock_row["first_responded_at"] if clock_row else None
    if responded is not None or now - received > target:
        row["fr_counted"] += 1
        in_target = responded is not None and responded - received <= target
        row["fr_in_target"] += in_target
        if person is not None:
            person["fr_counted"] += 1
            person["fr_in_target"] += in_target
    if responded is not None:
        seconds = max(0, int((responded - received).total_seconds()))
        row["fr_responded"] += 1
        row["fr_seconds_sum"] += seconds
        row[f"fr_b{_band(seconds / 60, FIRST_RESPONSE_BANDS_MINUTES):02d}"] += 1
    if clock_row is not None:
        if responded is not None or now > clock_row["first_response_due"]:
            row[f"sla_fr_due_{priority}"] += 1
            row[f"sla_fr_met_{priority}"] += (
                responded is not None and responded <= clock_row["first_response_due"])
        finished = clock_row["resolved_at"]
        if finished is not None or now > clock_row["resolution_due"]:
            row[f"sla_res_due_{priority}"] += 1
            row[f"sla_res_met_{priority}"] += (
                finished is not None and finished <= clock_row["resolution_due"])

    resolved: datetime | None = case["resolved_at"]
    if resolved is not None:
        seconds = max(0, int((resolved - received).total_seconds()))
        row["resolved"] += 1
        row["res_seconds_sum"] += seconds
        row[f"res_b{_band(seconds / 3600, RESOLUTION_BANDS_HOURS):02d}"] += 1
        if person is not None:
            person["resolved"] += 1
            person["res_seconds_sum"] += seconds
    if resolved is not None or case["recovery_round"] > 1:
        row["ever_resolved"] += 1
        if person is not None:
            person["ever_resolved"] += 1
    if case["recovery_round"] > 1:
        row["reopened"] += 1
        if person is not None:
            person["reopened"] += 1
    if any(a["reopened"] for a in answers):
        row["second_recovery"] += 1

    # Remedies carried out are the compensation spent; their cost is what it cost us.
    executed = [r for r in remedies if r["status"] == RemedyStatus.EXECUTED]
    if executed:
        row["compensated"] += 1
    for remedy in executed:
        row["remedies_n"] += 1
        row["compensation"] += remedy["value"]
        row["remedy_cost"] += remedy["cost"]
        if person is not None:
            person["remedies_n"] += 1
            person["compensation"] += remedy["value"]
    if person is not None:
        # Remedies that needed someone else's approval: over the owner's authority.
        person["approvals_n"] += sum(
            1 for r in remedies
            if r["decided_by_id"] is not None or r["status"] == RemedyStatus.PENDING_APPROVAL)

    if answers:
        _count_answers(row, person, answers, clock_row)


def _count_answers(row: dict[str, Any], person: dict[str, Any] | None,
                   answers: list[dict[str, Any]], clock_row: dict[str, Any] | None) -> None:
    # Satisfaction after recovery is the customer's latest word on the case.
    last = answers[-1]
    row["surveyed"] += 1
    row["csat_sum"] += last["satisfaction"]
    if person is not None:
        person["surveyed"] += 1
        person["csat_sum"] += last["satisfaction"]
    for item in ("outcome_fair", "process_fair", "interaction_fair", "recommend"):
        if last[item] is not None:
            row[f"{item}_n"] += 1
            row[f"{item}_sum"] += last[item]
    if last["recommend"] is not None:
        row["promoters"] += last["recommend"] >= 9
        row["detractors"] += last["recommend"] <= 6
    row[f"solved_{last['solved']}"] += 1

    if last["solved"] == Solved.NO:
        speed = "unresolved"
    elif (clock_row is not None and clock_row["resolved_at"] is not None
          and clock_row["resolved_at"] <= clock_row["resolution_due"]):
        speed = "quick"
    else:
        speed = "slow"
    row[f"{speed}_n"] += 1
    row[f"{speed}_csat_sum"] += last["satisfaction"]
    if last["recommend"] is not None:
        row[f"{speed}_recommend_n"] += 1
        row[f"{speed}_recommend_sum"] += last["recommend"]
    if last["would_return"] is not None:
        row[f"{speed}_return_n"] += 1
        row[f"{speed}_return_yes"] += bool(last["would_return"])

    # The recovery paradox: customers who were put right, after one failure or two.
    for answer in answers:
        if answer["solved"] == Solved.NO:
            continue
        round_key = "r1" if answer["followup__recovery_round"] <= 1 else "r2"
        row[f"{round_key}_n"] += 1
        row[f"{round_key}_csat_sum"] += answer["satisfaction"]
        if answer["would_return"] is not None:
            row[f"{round_key}_return_n"] += 1
            row[f"{round_key}_return_yes"] += bool(answer["would_return"])


def _feedback_figures(start: datetime, end: datetime) -> dict[str, int]:
    """General survey answers of the day from customers with no complaint on record."""
    figures = {"answers": 0, "csat_n": 0, "csat_sum": 0, "nps_n": 0, "nps_sum": 0}
    rows = (FeedbackAnswer.objects
            .filter(answered_at__gte=start, answered_at__lt=end, case__isnull=True)
            .filter(~Exists(Case.objects.filter(customer_id=OuterRef("customer_id"))))
            .values_list("csat", "nps"))
    for csat, nps in rows:
        figures["answers"] += 1
        if csat is not None:
            figures["csat_n"] += 1
            figures["csat_sum"] += csat
        if nps is not None:
            figures["nps_n"] += 1
            figures["nps_sum"] += nps
    return figures
