"""The dashboard's panels, read from the rollups (`models`), for what a user may see.

Every panel takes the same `InsightFilters` (a period of local days, and optionally one
department, location, channel and scenario) and returns plain data: numbers, lists and
labels the page charts, the exports tabulate and the monthly report prints. A figure whose
source has no data in the period is `None` ("no data yet"), never a made-up zero.

Periods longer than a month read whole months from `MonthlyRollup` and only the days at
either end from `DailyRollup`, so a two-year panel at a million cases sums a few thousand
rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from redress.accounts.models import Department, User
from redress.cases.models import Channel, Emotion, Priority, Scenario
from redress.common import clock
from redress.common.errors import Invalid
from redress.insights.models import (
    CASE_MONEY,
    EMOTIONS,
    FIRST_RESPONSE_BANDS_MINUTES,
    PERSON_COUNTS,
    PERSON_MONEY,
    PRIORITIES,
    RESOLUTION_BANDS_HOURS,
    SPEEDS,
    CauseDaily,
    CauseMonthly,
    DailyRollup,
    FeedbackDaily,
    MonthlyRollup,
    PersonDaily,
)
from redress.insights.services import assumptions_get, local_day
from redress.lessons.models import (
    ActionStatus,
    CauseCategory,
    CorrectiveAction,
    Problem,
    ProblemStatus,
)
from redress.remedies.models import AuthorityLimit

CENT = Decimal("0.01")
# The longest period a panel is asked for: five years of days.
LONGEST_PERIOD_DAYS = 5 * 366
# Up to this many days the trend is drawn per day; longer periods per month.
DAILY_TREND_DAYS = 62


@dataclass(frozen=True)
class InsightFilters:
    start: date
    end: date  # inclusive
    department: int | None = None
    location: str = ""
    channel: str = ""
    scenario: str = ""
    # The departments the viewer may see; None means all of them.
    departments: tuple[int, ...] | None = field(default=None)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def insight_filters(*, user: User, start: date | None = None, end: date | None = None,
                    department: int | None = None, location: str = "", channel: str = "",
                    scenario: str = "", today: date | None = None) -> InsightFilters:
    """Check a request's filters and limit them to what the user may see. The default
    period is the last 30 days up to today."""
    today = today or local_day_today()
    end = end or today
    start = start or end - timedelta(days=29)
    if start > end:
        raise Invalid(_("The period starts after it ends."), field="from")
    if (end - start).days + 1 > LONGEST_PERIOD_DAYS:
        raise Invalid(_("Choose a period of at most five years."), field="from")
    if channel and channel not in Channel.values:
        raise Invalid(_("Unknown channel."), field="channel")
    if scenario and scenario not in Scenario.values:
        raise Invalid(_("Unknown scenario."), field="scenario")
    departments: tuple[int, ...] | None = None
    if not user.sees_all_departments:
        departments = (user.department_id,) if user.department_id else ()
        if department is not None and department not in departments:
            raise Invalid(_("You can only see your own department's figures."),
                          field="department")
    elif department is not None and not Department.objects.filter(pk=department).exists():
        raise Invalid(_("Unknown department."), field="department")
    return InsightFilters(start=start, end=end, department=department, location=location,
                          channel=channel, scenario=scenario, departments=departments)


def local_day_today() -> date:
    return local_day(clock.now())


# --- reading the rollups ----------------------------------------------------------------


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first day of the first and of the last calendar month lying wholly inside."""
    first = start if start.day == 1 else _next_month(start)
    after_end = end + timedelta(days=1)
    last_excl = after_end if after_end.day == 1 else _month_start(after_end)
    if first >= last_excl:
        return None
    return first, _month_start(last_excl - timedelta(days=1))


def _scoped(rows: QuerySet[Any], filters: InsightFilters, *,
            dims: Iterable[str] = ("location", "channel", "scenario")) -> QuerySet[Any]:
    if filters.departments is not None:
        rows = rows.filter(department_id__in=filters.departments)
    if filters.department is not None:
        rows = rows.filter(department_id=filters.department)
    for dim in dims:
        value = getattr(filters, dim)
        if value:
            rows = rows.filter(**{dim: value})
    return rows


def _case_sources(filters: InsightFilters, daily: Any = DailyRollup,
                  monthly: Any = MonthlyRollup, *, by_day: bool = False
                  ) -> list[QuerySet[Any]]:
    """The rollup rows covering the period: whole months from the monthly table, the rest
    from the daily one; only daily rows when the sums are wanted `by_day` (a monthly row
    carries its month's first day)."""
    months = None if by_day else _whole_months(filters.start, filters.end)
    if months is None:
        return [_scoped(daily.objects.filter(day__gte=filters.start, day__lte=filters.end),
                        filters)]
    first, last = months
    sources = [_scoped(monthly.objects.filter(day__gte=first, day__lte=last), filters)]
    edges = Q(day__gte=filters.start, day__lt=first) | Q(day__gte=_next_month(last),
                                                          day__lte=filters.end)
    sources.append(_scoped(daily.objects.filter(edges), filters))
    return sources


def _sums(filters: InsightFilters, names: Iterable[str]) -> dict[str, Any]:
    names = list(names)
    totals: dict[str, Any] = {n: (Decimal(0) if n in CASE_MONEY else 0) for n in names}
    for rows in _case_sources(filters):
        found = rows.aggregate(**{n: Sum(n) for n in names})
        for name in names:
            if found[name] is not None:
                totals[name] += found[name]
    return totals


def _sums_by(filters: InsightFilters, names: Iterable[str], *,
             by: str) -> dict[Any, dict[str, Any]]:
    """Sums grouped by one dimension ("day" for the trend, "channel", "department_id" …);
    monthly rows group by their month."""
    names = list(names)
    grouped: dict[Any, dict[str, Any]] = defaultdict(
        lambda: {n: (Decimal(0) if n in CASE_MONEY else 0) for n in names})
    for rows in _case_sources(filters):
        for row in rows.values(by).annotate(**{n: Sum(n) for n in names}).order_by():
            totals = grouped[row[by]]
            for name in names:
                totals[name] += row[name] or 0
    return dict(grouped)


def _ratio(part: int | Decimal, whole: int | Decimal) -> float | None:
    return round(float(part) / float(whole), 4) if whole else None


def _mean(total: int | Decimal, count: int) -> float | None:
    return round(float(total) / count, 2) if count else None


def band_median(counts: list[int], bounds: tuple[int, ...]) -> float | None:
    """The median of values counted in bands (`bounds` are the bands' upper ends; the
    last band is open), interpolated within the band where the middle value falls."""
    total = sum(counts)
    if not total:
        return None
    half = total / 2
    below = 0
    for index, count in enumerate(counts):
        if count and below + count >= half:
            lower = bounds[index - 1] if index else 0
            if index == len(bounds):  # the open band: its lower end is all we know
                return float(lower)
            upper = bounds[index]
            return round(lower + (upper - lower) * (half - below) / count, 2)
        below += count
    return float(bounds[-1])


def _bands(totals: dict[str, Any], prefix: str, bounds: tuple[int, ...]) -> list[int]:
    return [int(totals[f"{prefix}{i:02d}"]) for i in range(len(bounds) + 1)]


FR_BANDS = [f"fr_b{i:02d}" for i in range(len(FIRST_RESPONSE_BANDS_MINUTES) + 1)]
RES_BANDS = [f"res_b{i:02d}" for i in range(len(RESOLUTION_BANDS_HOURS) + 1)]


def _handling_cost(staff_actions: int) -> Decimal:
    minutes = staff_actions * settings.REDRESS_MINUTES_PER_STAFF_ACTION
    return (Decimal(settings.REDRESS_HANDLING_COST_PER_HOUR) * minutes / 60).quantize(CENT)


def _cost_per_case(totals: dict[str, Any]) -> Decimal | None:
    if not totals["cases"]:
        return None
    cost = totals["remedy_cost"] + _handling_cost(totals["staff_actions"])
    return (Decimal(cost) / totals["cases"]).quantize(CENT)


# --- the panels -------------------------------------------------------------------------


def summary(filters: InsightFilters) -> dict[str, Any]:
    """The headline figures (the contract of `GET /api/v1/insights/summary`)."""
    t = _sums(filters, ["cases", "complaints", "fr_counted", "fr_in_target", "resolved",
                        "ever_resolved", "reopened", "second_recovery", "surveyed", "csat_sum",
                        "compensation", "remedy_cost", "staff_actions", "compensated",
                        *FR_BANDS, *RES_BANDS])
    compensation = Decimal(t["compensation"]).quantize(CENT)
    return {
        "from": filters.start.isoformat(),
        "to": filters.end.isoformat(),
        "cases": t["cases"],
        "complaints": t["complaints"],
        "first_response_attainment": _ratio(t["fr_in_target"], t["fr_counted"]),
        "first_response_target_minutes": assumptions_get().first_response_target_minutes,
        "median_first_response_minutes": band_median(
            _bands(t, "fr_b", FIRST_RESPONSE_BANDS_MINUTES), FIRST_RESPONSE_BANDS_MINUTES),
        "median_resolution_hours": band_median(
            _bands(t, "res_b", RESOLUTION_BANDS_HOURS), RESOLUTION_BANDS_HOURS),
        "resolved": t["resolved"],
        "reopen_rate": _ratio(t["reopened"], t["ever_resolved"]),
        "second_recovery_rate": _ratio(t["second_recovery"], t["surveyed"]),
        "csat_avg": _mean(t["csat_sum"], t["surveyed"]),
        "surveyed": t["surveyed"],
        "compensation_total": str(compensation),
        "cost_per_case": (str(c) if (c := _cost_per_case(t)) is not None else None),
    }


def volume_trend(filters: InsightFilters) -> dict[str, Any]:
    """Cases per day (per month beyond DAILY_TREND_DAYS) by channel and by scenario."""
    daily = filters.days <= DAILY_TREND_DAYS
    channels: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    scenarios: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for rows in _case_sources(filters, by_day=daily):
        for row in (rows.values("day", "channel", "scenario").annotate(n=Sum("cases"))
                    .order_by()):
            bucket = row["day"] if daily else _month_start(row["day"])
            channels[row["channel"]][bucket] += row["n"]
            scenarios[row["scenario"] or "unread"][bucket] += row["n"]
    if daily:
        buckets = [filters.start + timedelta(days=i) for i in range(filters.days)]
    else:
        buckets, month = [], _month_start(filters.start)
        while month <= filters.end:
            buckets.append(month)
            month = _next_month(month)
    channel_labels = dict(Channel.choices)
    scenario_labels = {**dict(Scenario.choices), "unread": _("Not read yet")}
    return {
        "granularity": "day" if daily else "month",
        "buckets": [b.isoformat() if daily else b.strftime("%Y-%m") for b in buckets],
        "by_channel": [{"key": k, "label": str(channel_labels.get(k, k)),
                        "counts": [v.get(b, 0) for b in buckets]}
                       for k, v in sorted(channels.items())],
        "by_scenario": [{"key": k, "label": str(scenario_labels.get(k, k)),
                         "counts": [v.get(b, 0) for b in buckets]}
                        for k, v in sorted(scenarios.items())],
        "total": sum(sum(v.values()) for v in channels.values()),
    }


def emotion_mix(filters: InsightFilters) -> dict[str, Any]:
    t = _sums(filters, [f"emotion_{e}" for e in EMOTIONS])
    labels = {**dict(Emotion.choices), "unread": _("Not read yet")}
    items = [{"key": e, "label": str(labels[e]), "cases": t[f"emotion_{e}"]}
             for e in EMOTIONS if t[f"emotion_{e}"]]
    return {"items": items, "total": sum(i["cases"] for i in items)}


def _band_labels(bounds: tuple[int, ...], unit: str) -> list[str]:
    labels, lower = [], 0
    for bound in bounds:
        labels.append(f"{lower}–{bound} {unit}")
        lower = bound
    labels.append(f"> {lower} {unit}")
    return labels


def first_response(filters: InsightFilters) -> dict[str, Any]:
    """How fast the first response came, against the target (15 minutes by default), and
    SLA attainment per priority for first response and resolution."""
    names = ["fr_counted", "fr_in_target", "fr_responded", "fr_seconds_sum", *FR_BANDS,
             *(f"sla_{t}_{k}_{p}" for p in PRIORITIES for t in ("fr", "res")
               for k in ("due", "met"))]
    t = _sums(filters, names)
    counts = _bands(t, "fr_b", FIRST_RESPONSE_BANDS_MINUTES)
    labels = dict(Priority.choices)
    return {
        "target_minutes": assumptions_get().first_response_target_minutes,
        "attainment": _ratio(t["fr_in_target"], t["fr_counted"]),
        "due": t["fr_counted"],
        "within_target": t["fr_in_target"],
        "responded": t["fr_responded"],
        "median_minutes": band_median(counts, FIRST_RESPONSE_BANDS_MINUTES),
        "mean_minutes": _mean(Decimal(t["fr_seconds_sum"]) / 60, t["fr_responded"]),
        "bands": [{"label": label, "upper_minutes": upper, "cases": n}
                  for label, upper, n in zip(
                      _band_labels(FIRST_RESPONSE_BANDS_MINUTES, _("min")),
                      [*FIRST_RESPONSE_BANDS_MINUTES, None], counts, strict=True)],
        "sla": [{"priority": p.upper(), "label": str(labels[p.upper()]),
                 "first_response_due": t[f"sla_fr_due_{p}"],
                 "first_response_met": t[f"sla_fr_met_{p}"],
                 "first_response_attainment": _ratio(t[f"sla_fr_met_{p}"],
                                                     t[f"sla_fr_due_{p}"]),
                 "resolution_due": t[f"sla_res_due_{p}"],
                 "resolution_met": t[f"sla_res_met_{p}"],
                 "resolution_attainment": _ratio(t[f"sla_res_met_{p}"],
                                                 t[f"sla_res_due_{p}"])}
                for p in PRIORITIES],
    }


def resolution(filters: InsightFilters) -> dict[str, Any]:
    t = _sums(filters, ["cases", "resolved", "ever_resolved", "res_seconds_sum", "reopened",
                        "second_recovery", "surveyed", *RES_BANDS])
    counts = _bands(t, "res_b", RESOLUTION_BANDS_HOURS)
    return {
        "resolved": t["resolved"],
        "median_hours": band_median(counts, RESOLUTION_BANDS_HOURS),
        "mean_hours": _mean(Decimal(t["res_seconds_sum"]) / 3600, t["resolved"]),
        "bands": [{"label": label, "upper_hours": upper, "cases": n}
                  for label, upper, n in zip(_band_labels(RESOLUTION_BANDS_HOURS, _("h")),
                                             [*RESOLUTION_BANDS_HOURS, None], counts,
                                             strict=True)],
        "reopened": t["reopened"],
        "reopen_rate": _ratio(t["reopened"], t["ever_resolved"]),
        "second_recovery": t["second_recovery"],
        "second_recovery_rate": _ratio(t["second_recovery"], t["surveyed"]),
    }


def satisfaction(filters: InsightFilters) -> dict[str, Any]:
    """Satisfaction after recovery (the customer's latest survey answer on each case),
    overall and the three fairness items (outcome, process, interaction)."""
    t = _sums(filters, ["surveyed", "csat_sum", "outcome_fair_n", "outcome_fair_sum",
                        "process_fair_n", "process_fair_sum", "interaction_fair_n",
                        "interaction_fair_sum", "recommend_n", "recommend_sum", "promoters",
                        "detractors", "solved_yes", "solved_partly", "solved_no"])
    return {
        "surveyed": t["surveyed"],
        "csat_avg": _mean(t["csat_sum"], t["surveyed"]),
        "fairness": [
            {"key": key, "label": label, "answers": t[f"{key}_n"],
             "avg": _mean(t[f"{key}_sum"], t[f"{key}_n"])}
            for key, label in (("outcome_fair", _("Fair outcome")),
                               ("process_fair", _("Fair process")),
                               ("interaction_fair", _("Fair treatment")))],
        "recommend_avg": _mean(t["recommend_sum"], t["recommend_n"]),
        "nps": (round(100 * (t["promoters"] - t["detractors"]) / t["recommend_n"], 1)
                if t["recommend_n"] else None),
        "solved": {"yes": t["solved_yes"], "partly": t["solved_partly"], "no": t["solved_no"]},
    }


def compensation(filters: InsightFilters) -> dict[str, Any]:
    """Compensation given (remedies carried out), what it cost, and the cost per case
    (remedy cost plus handling time) month by month."""
    t = _sums(filters, COST_MEASURES)
    handling = _handling_cost(t["staff_actions"])
    cost = _cost_per_case(t)
    return {
        "compensation_total": str(Decimal(t["compensation"]).quantize(CENT)),
        "remedy_cost": str(Decimal(t["remedy_cost"]).quantize(CENT)),
        "handling_cost": str(handling),
        "remedies": t["remedies_n"],
        "cases_compensated": t["compensated"],
        "cases": t["cases"],
        "cost_per_case": str(cost) if cost is not None else None,
        "cost_per_case_by_month": cost_per_case_by_month(filters),
    }


COST_MEASURES = ["cases", "remedies_n", "compensated", "compensation", "remedy_cost",
                 "staff_actions"]


def cost_per_case_by_month(filters: InsightFilters) -> list[dict[str, Any]]:
    months: dict[date, dict[str, Any]] = defaultdict(lambda: dict.fromkeys(COST_MEASURES, 0))
    for day, row in _sums_by(filters, COST_MEASURES, by="day").items():
        for name in COST_MEASURES:
            months[_month_start(day)][name] += row[name]
    return [{"month": m.strftime("%Y-%m"),
             "cost_per_case": str(c) if (c := _cost_per_case(row)) is not None else None,
             "compensation": str(Decimal(row["compensation"]).quantize(CENT))}
            for m, row in sorted(months.items())]


def root_causes(filters: InsightFilters) -> dict[str, Any]:
    """Root causes in Pareto order (with the running share), and the departments found
    responsible."""
    labels = dict(CauseCategory.choices)
    counts: dict[str, int] = defaultdict(int)
    responsible: dict[int | None, int] = defaultdict(int)
    for rows in _case_sources(filters, CauseDaily, CauseMonthly):
        for row in (rows.values("category", "responsible_id").annotate(n=Sum("cases"))
                    .order_by()):
            counts[row["category"]] += row["n"]
            responsible[row["responsible_id"]] += row["n"]
    total = sum(counts.values())
    pareto, running = [], 0
    for category, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        running += n
        pareto.append({"key": category, "label": str(labels.get(category, category)),
                       "cases": n, "cumulative_share": _ratio(running, total)})
    names = dict(Department.objects.filter(pk__in=[k for k in responsible if k])
                 .values_list("pk", "name"))
    return {
        "total": total,
        "pareto": pareto,
        "responsible": [{"department_id": k, "label": names.get(k or 0, _("Not assigned")),
                         "cases": n}
                        for k, n in sorted(responsible.items(),
                                           key=lambda item: (-item[1], item[0] or 0))],
    }


def problems(filters: InsightFilters) -> dict[str, Any]:
    """Problems under way and their corrective actions (CAPA) as they stand today."""
    found = Problem.objects.all()
    if filters.departments is not None:
        found = found.filter(Q(cases__department_id__in=filters.departments)
                             | Q(opened_by__department_id__in=filters.departments)).distinct()
    by_status = dict(found.values("status").annotate(n=Count("id", distinct=True))
                     .values_list("status", "n").order_by())
    actions = CorrectiveAction.objects.filter(problem__in=found.values("pk"))
    action_status = dict(actions.values("status").annotate(n=Count("id"))
                         .values_list("status", "n").order_by())
    today = local_day_today()
    overdue = actions.exclude(status=ActionStatus.DONE).filter(due__lt=today).count()
    return {
        "problems": [{"key": s.value, "label": str(s.label), "count": by_status.get(s, 0)}
                     for s in ProblemStatus],
        "open": sum(n for s, n in by_status.items() if s != ProblemStatus.CLOSED),
        "actions": [{"key": s.value, "label": str(s.label), "count": action_status.get(s, 0)}
                    for s in ActionStatus],
        "actions_overdue": overdue,
    }


def outcomes(filters: InsightFilters) -> dict[str, Any]:
    """Would recovered customers come back, and recommend us: resolved within the
    deadline, resolved late, or not resolved in their words."""
    names = [f"{s}_{m}" for s in SPEEDS for m in ("n", "csat_sum", "recommend_n",
                                                  "recommend_sum", "return_n", "return_yes")]
    t = _sums(filters, names)
    labels = {"quick": _("Resolved quickly"), "slow": _("Resolved slowly"),
              "unresolved": _("Not resolved")}
    return {"groups": [
        {"key": s, "label": labels[s], "answers": t[f"{s}_n"],
         "csat_avg": _mean(t[f"{s}_csat_sum"], t[f"{s}_n"]),
         "recommend_avg": _mean(t[f"{s}_recommend_sum"], t[f"{s}_recommend_n"]),
         "return_rate": _ratio(t[f"{s}_return_yes"], t[f"{s}_return_n"]),
         "return_answers": t[f"{s}_return_n"]}
        for s in SPEEDS]}


def paradox(filters: InsightFilters) -> dict[str, Any]:
    """The recovery paradox: satisfaction of customers put right after one failure and
    after two, beside customers who never had one (general survey answers)."""
    t = _sums(filters, ["r1_n", "r1_csat_sum", "r1_return_n", "r1_return_yes", "r2_n",
                        "r2_csat_sum", "r2_return_n", "r2_return_yes"])
    baseline = FeedbackDaily.objects.filter(day__gte=filters.start, day__lte=filters.end)
    b = baseline.aggregate(answers=Sum("answers"), csat_n=Sum("csat_n"),
                           csat_sum=Sum("csat_sum"), nps_n=Sum("nps_n"), nps_sum=Sum("nps_sum"))
    return {"groups": [
        {"key": "no_failure", "label": _("No failure"), "answers": b["csat_n"] or 0,
         "csat_avg": _mean(b["csat_sum"] or 0, b["csat_n"] or 0), "return_rate": None},
        {"key": "one_failure", "label": _("Recovered after one failure"),
         "answers": t["r1_n"], "csat_avg": _mean(t["r1_csat_sum"], t["r1_n"]),
         "return_rate": _ratio(t["r1_return_yes"], t["r1_return_n"])},
        {"key": "two_failures", "label": _("Recovered after a second failure"),
         "answers": t["r2_n"], "csat_avg": _mean(t["r2_csat_sum"], t["r2_n"]),
         "return_rate": _ratio(t["r2_return_yes"], t["r2_return_n"])},
    ]}


def roi(filters: InsightFilters) -> dict[str, Any]:
    """Recovery's return: customers kept (complaints resolved × the share of surveyed,
    resolved customers who say they will come back) × the value of a customer, against
    what recovery cost; and the silent customers the complaints stand for (an estimate)."""
    names = ["cases", "complaints", "resolved", "remedy_cost", "staff_actions",
             "quick_return_n", "quick_return_yes", "slow_return_n", "slow_return_yes"]
    t = _sums(filters, names)
    assumptions = assumptions_get()
    answers = t["quick_return_n"] + t["slow_return_n"]
    return_rate = _ratio(t["quick_return_yes"] + t["slow_return_yes"], answers)
    cost = (Decimal(t["remedy_cost"]) + _handling_cost(t["staff_actions"])).quantize(CENT)
    retained = (round(t["resolved"] * return_rate, 1) if return_rate is not None else None)
    revenue = ((Decimal(str(retained)) * assumptions.lifetime_value).quantize(CENT)
               if retained is not None else None)
    return {
        "resolved": t["resolved"],
        "return_rate": return_rate,
        "return_answers": answers,
        "customers_retained": retained,
        "lifetime_value": str(assumptions.lifetime_value),
        "retained_revenue": str(revenue) if revenue is not None else None,
        "recovery_cost": str(cost),
        "return_on_cost": (round(float((revenue - cost) / cost), 2)
                           if revenue is not None and cost else None),
        "complaints": t["complaints"],
        "silent_multiplier": assumptions.silent_multiplier,
        "silent_customers": t["complaints"] * assumptions.silent_multiplier,
        "silent_source": assumptions.silent_source or _(
            "Service-recovery guide: research shows one customer's complaint speaks for 25 "
            "others who did not say so."),
        "cost_per_case_by_month": cost_per_case_by_month(filters),
    }


def people(filters: InsightFilters) -> dict[str, Any]:
    """Per agent and per department: cases owned, first-response attainment, resolution
    time, reopen rate, satisfaction, and compensation against authority. Callers check the
    viewer may see it (`people_visible_to`)."""
    rows = _scoped(PersonDaily.objects.filter(day__gte=filters.start, day__lte=filters.end),
                   filters, dims=())
    names = [*PERSON_COUNTS, *PERSON_MONEY]
    per_owner = {row["owner_id"]: row for row in rows.values("owner_id")
                 .annotate(**{n: Sum(n) for n in names}).order_by()}
    per_department = {row["department_id"]: row for row in rows.values("department_id")
                      .annotate(**{n: Sum(n) for n in names}).order_by()}
    users = {u.pk: u for u in User.objects.filter(pk__in=per_owner)}
    limits = dict(AuthorityLimit.objects.values_list("role", "per_case"))
    departments = dict(Department.objects.filter(pk__in=[k for k in per_department if k])
                       .values_list("pk", "name"))

    def figures(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "cases": row["cases"],
            "first_response_attainment": _ratio(row["fr_in_target"], row["fr_counted"]),
            "mean_resolution_hours": _mean(Decimal(row["res_seconds_sum"]) / 3600,
                                           row["resolved"]),
            "reopen_rate": _ratio(row["reopened"], row["ever_resolved"]),
            "csat_avg": _mean(row["csat_sum"], row["surveyed"]),
            "compensation": str(Decimal(row["compensation"]).quantize(CENT)),
            "remedies": row["remedies_n"],
            "over_authority": row["approvals_n"],
        }

    agents = []
    for owner_id, row in per_owner.items():
        user = users.get(owner_id)
        limit = limits.get(user.role) if user is not None else None
        agents.append({"user_id": owner_id,
                       "name": user.display_name if user else str(owner_id),
                       "role": str(user.get_role_display()) if user else "",
                       "authority_per_case": str(limit) if limit is not None else None,
                       **figures(row)})
    agents.sort(key=lambda a: (-a["cases"], a["name"]))
    return {
        "agents": agents,
        "departments": sorted(
            ({"department_id": k, "name": departments.get(k, _("No department")),
              **figures(row)} for k, row in per_department.items()),
            key=lambda d: (-d["cases"], d["name"])),
    }


def people_visible_to(user: User) -> bool:
    """The people view names individuals: supervisors and quality managers (and those
    above them) only."""
    return user.is_active and user.is_supervisor_or_above


def insights_visible_to(user: User) -> bool:
    return user.is_active and user.is_supervisor_or_above


def filter_choices(filters: InsightFilters) -> dict[str, Any]:
    """What the filter lists offer: departments the viewer sees, and the locations that
    occur in the figures."""
    departments = Department.objects.select_related("organisation").order_by(
        "organisation__name", "name")
    if filters.departments is not None:
        departments = departments.filter(pk__in=filters.departments)
    locations = _scoped(MonthlyRollup.objects.all(), replace(filters, location=""),
                        dims=()).exclude(location="").values_list("location", flat=True)
    return {
        "departments": [(d.pk, str(d)) for d in departments],
        "locations": sorted(set(locations.distinct().order_by())),
        "channels": Channel.choices,
        "scenarios": Scenario.choices,
    }


PANELS = {
    "summary": summary,
    "volume": volume_trend,
    "emotions": emotion_mix,
    "first_response": first_response,
    "resolution": resolution,
    "satisfaction": satisfaction,
    "compensation": compensation,
    "root_causes": root_causes,
    "problems": problems,
    "outcomes": outcomes,
    "paradox": paradox,
    "roi": roi,
    "people": people,
}


def dashboard(filters: InsightFilters, *, with_people: bool) -> dict[str, Any]:
    return {name: panel(filters) for name, panel in PANELS.items()
            if with_people or name != "people"}

