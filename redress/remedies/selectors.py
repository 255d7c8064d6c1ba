"""Reads about remedies: suggestions for a case, the approvals waiting for someone, what a
case cost, and spend per department and month."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from redress.accounts.models import Department, User
from redress.cases.models import Case, CaseEvent, CustomerTier, Risk, Status
from redress.cases.selectors import cases_visible_to
from redress.common.money import CENT
from redress.remedies.models import Remedy, RemedyOption, RemedyStatus, Unit
from redress.remedies.services import (
    POLICY_CAP_RATIO,
    catalogue_ensure,
    may_approve,
)


@dataclass(frozen=True)
class Suggestion:
    option: RemedyOption
    low: Decimal | None  # in the option's unit; None for remedies with no amount
    high: Decimal | None
    asked_for: bool  # the customer asked for what this remedy gives
    reason: str


# How much of the loss to start from, before risks and tier: a small failure is put right
# with a gesture, a serious one with most of what was lost (Smith, Bolton & Wagner 1999:
# compensation matched to the failure's size).
BASE_SHARE = Decimal("0.3")
TIER_FACTOR = {CustomerTier.REGULAR: Decimal(1), CustomerTier.MEMBER: Decimal("1.2"),
               CustomerTier.VIP: Decimal("1.5")}
# With no amount at stake recorded: a yuan band by tier.
NO_STAKE_BAND = {CustomerTier.REGULAR: (Decimal(20), Decimal(100)),
                 CustomerTier.MEMBER: (Decimal(30), Decimal(150)),
                 CustomerTier.VIP: (Decimal(50), Decimal(300))}


def _share(case: Case) -> Decimal:
    share = BASE_SHARE
    if Risk.SAFETY in case.risks or Risk.LEGAL_MEDIA in case.risks:
        share = Decimal(1)
    elif Risk.REPEAT in case.risks or Risk.CHURN in case.risks or case.recovery_round > 1:
        # A second failure needs a stronger recovery (Maxham & Netemeyer 2002).
        share = Decimal("0.6")
    return share


def remedy_suggestions(*, case: Case) -> list[Suggestion]:
    """Remedies from the catalogue that fit the case's scenario, with a value band:
    proportionate to the loss, up to 1.5 times the amount at stake; what the customer
    asked for comes first. Agents may still choose anything in the catalogue."""
    catalogue_ensure()
    tier = case.customer.tier
    wants = set(case.wants)
    rows: list[Suggestion] = []
    for option in RemedyOption.objects.filter(active=True):
        if case.scenario and option.scenarios and case.scenario not in option.scenarios:
            continue
        asked = bool(wants & set(option.answers_wants))
        low, high = _band(option, case, tier)
        rows.append(Suggestion(option, low, high, asked, _reason(option, case, asked)))
    rows.sort(key=lambda s: (not s.asked_for, s.option.rank))
    return rows[:8]


def _band(option: RemedyOption, case: Case, tier: str) -> tuple[Decimal | None,
                                                                  Decimal | None]:
    if option.unit == Unit.NONE:
        return None, None
    stake = case.amount_at_stake
    factor = TIER_FACTOR.get(CustomerTier(tier), Decimal(1))
    if option.unit == Unit.PERCENT:
        if stake is None:
            return None, None
        low = min(Decimal(100), (Decimal(10) * factor).quantize(Decimal(1)))
        return low, min(Decimal(100), (_share(case) * 100).quantize(Decimal(1)).max(low))
    if stake is not None and stake > 0:
        cap = (stake * POLICY_CAP_RATIO).quantize(CENT)
        low_yuan = min(cap, (stake * _share(case) * factor).quantize(CENT))
        high_yuan = cap
    else:
        low_yuan, high_yuan = NO_STAKE_BAND[CustomerTier(tier)]
    per_unit = option.yuan_per_unit or Decimal(1)
    return ((low_yuan / per_unit).quantize(CENT), (high_yuan / per_unit).quantize(CENT))


def _reason(option: RemedyOption, case: Case, asked: bool) -> str:
    from django.utils.translation import gettext

    if asked:
        return gettext("The customer asked for this.")
    if case.scenario and case.scenario in option.scenarios:
        return gettext("Fits this kind of failure.")
    return gettext("Fits any case.")


def case_remedies(*, case: Case) -> QuerySet[Remedy]:
    return Remedy.objects.filter(case=case).select_related(
        "option", "proposed_by", "authorised_by", "decided_by", "executed_by", "guarantee"
    ).order_by("proposed_at", "id")


def approvals_waiting_for(*, user: User) -> list[Remedy]:
    """Remedies over someone else's authority that this user may decide, oldest first."""
    if not user.is_supervisor_or_above:
        return []
    pending = Remedy.objects.filter(status=RemedyStatus.PENDING_APPROVAL).filter(
        case__in=cases_visible_to(user)
    ).exclude(proposed_by=user).select_related(
        "case", "case__customer", "case__department__organisation", "option", "proposed_by"
    ).order_by("approval_due_at", "id")
    # Checked for this one user: asking who all the approvers are would read every
    # supervisor's limits and totals for every remedy in the queue.
    return [r for r in pending if may_approve(user, r)]


def may_decide(user: User, remedy: Remedy) -> bool:
    return remedy.status == RemedyStatus.PENDING_APPROVAL and may_approve(user, remedy)


@dataclass(frozen=True)
class CaseCost:
    """Compensation plus handling time: the service-recovery cost per case of the seeds
    (004). Handling time is estimated from the staff actions on the timeline."""

    compensation_value: Decimal
    compensation_cost: Decimal
    staff_actions: int
    handling_minutes: int
    handling_cost: Decimal

    @property
    def total(self) -> Decimal:
        return self.compensation_cost + self.handling_cost


def _handling(actions: int) -> tuple[int, Decimal]:
    minutes = actions * settings.REDRESS_MINUTES_PER_STAFF_ACTION
    per_hour = Decimal(settings.REDRESS_HANDLING_COST_PER_HOUR)
    return minutes, (per_hour * minutes / 60).quantize(CENT)


def case_cost(*, case: Case) -> CaseCost:
    given = Remedy.objects.filter(case=case, status=RemedyStatus.EXECUTED).aggregate(
        value=Coalesce(Sum("value"), Decimal(0)), cost=Coalesce(Sum("cost"), Decimal(0)))
    actions = CaseEvent.objects.filter(case=case, actor__isnull=False).count()
    minutes, handling = _handling(actions)
    return CaseCost(Decimal(given["value"]).quantize(CENT), Decimal(given["cost"]).quantize(CENT),
                    actions, minutes, handling)


@dataclass(frozen=True)
class SpendRow:
    department: Department | None
    cases: int
    remedies: int
    compensation_value: Decimal
    compensation_cost: Decimal
    handling_cost: Decimal

    @property
    def cost_per_case(self) -> Decimal | None:
        if not self.cases:
            return None
        return ((self.compensation_cost + self.handling_cost) / self.cases).quantize(CENT)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(month.replace(day=1), time(0), zone)
    end = datetime.combine((month.replace(day=28) + timedelta(days=4)).replace(day=1),
                           time(0), zone)
    return start, end


def spend_by_department(*, user: User, month: date) -> list[SpendRow]:
    """Remedies carried out in a month (local time), and the cost of the cases resolved in
    it, per department the user may see."""
    start, end = month_bounds(month)
    visible = cases_visible_to(user)
    given = (
        Remedy.objects.filter(status=RemedyStatus.EXECUTED, executed_at__gte=start,
                              executed_at__lt=end, case__in=visible)
        .values("case__department")
        .annotate(n=Count("id"), value=Sum("value"), cost=Sum("cost"))
    )
    resolved = (
        visible.filter(resolved_at__gte=start, resolved_at__lt=end)
        .values("department")
        .annotate(n=Count("id", distinct=True),
                  actions=Count("events", filter=Q(events__actor__isnull=False)))
    )
    by_department: dict[int | None, dict[str, object]] = {}
    for row in given:
        by_department.setdefault(row["case__department"], {}).update(
            remedies=row["n"], value=row["value"], cost=row["cost"])
    for row in resolved:
        by_department.setdefault(row["department"], {}).update(
            cases=row["n"], actions=row["actions"])
    departments = Department.objects.in_bulk([k for k in by_department if k is not None])
    rows = []
    for key, data in by_department.items():
        _minutes, handling = _handling(int(data.get("actions", 0)))  # type: ignore[call-overload]
        rows.append(SpendRow(
            department=departments.get(key) if key is not None else None,
            cases=int(data.get("cases", 0)),  # type: ignore[call-overload]
            remedies=int(data.get("remedies", 0)),  # type: ignore[call-overload]
            compensation_value=Decimal(data.get("value") or 0).quantize(CENT),  # type: ignore[arg-type]
            compensation_cost=Decimal(data.get("cost") or 0).quantize(CENT),  # type: ignore[arg-type]
            handling_cost=handling,
        ))
    rows.sort(key=lambda r: str(r.department or ""))
    return rows


# States in which a case takes a new remedy (after acknowledging, before resolving).
TAKES_REMEDIES = (Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.REMEDY_PROPOSED,
                  Status.REMEDY_ACCEPTED, Status.REMEDY_REJECTED, Status.EXECUTING)

