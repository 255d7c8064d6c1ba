"""Reads of service levels: a case's clocks as people see them, the at-risk queue."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from redress.cases.models import Case, Status
from redress.common import clock
from redress.sla.models import CaseClock, Target
from redress.sla.services import pending_targets

# A case is "at risk" when a running target falls due within this long.
AT_RISK_WITHIN = timedelta(hours=1)


@dataclass(frozen=True)
class ClockView:
    """A case's clocks, as the console and the API show them."""

    policy: str
    zone: str
    first_response_due: datetime
    first_responded_at: datetime | None
    next_reply_due: datetime | None
    resolution_due: datetime
    resolved_at: datetime | None
    agreed_due: datetime | None
    paused_at: datetime | None
    # Time already spent waiting on the customer, not counting a wait still going on.
    paused_before: int
    breached: list[str]
    # The running target that falls due first, and when.
    next_target: str | None
    next_due: datetime | None

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    @property
    def paused_seconds(self) -> int:
        """All the time spent waiting on the customer, up to now."""
        ongoing = int((clock.now() - self.paused_at).total_seconds()) if self.paused_at else 0
        return self.paused_before + ongoing

    @property
    def paused_text(self) -> str:
        minutes = self.paused_seconds // 60
        return gettext("%(hours)d h %(minutes)02d min") % {
            "hours": minutes // 60, "minutes": minutes % 60,
        }

    @property
    def breached_labels(self) -> list[str]:
        return [str(Target(target).label) for target in self.breached]

    @property
    def time_left(self) -> timedelta | None:
        return self.next_due - clock.now() if self.next_due else None

    @property
    def at_risk(self) -> bool:
        left = self.time_left
        return left is not None and timedelta(0) < left <= AT_RISK_WITHIN

    def as_json(self) -> dict[str, Any]:
        zone = ZoneInfo(self.zone)

        def iso(moment: datetime | None) -> str | None:
            return moment.astimezone(zone).isoformat() if moment else None

        return {
            "policy": self.policy,
            "first_response_due": iso(self.first_response_due),
            "first_responded_at": iso(self.first_responded_at),
            "next_reply_due": iso(self.next_reply_due),
            "resolution_due": iso(self.resolution_due),
            "resolved_at": iso(self.resolved_at),
            "agreed_due": iso(self.agreed_due),
            "paused": self.paused,
            "paused_seconds": self.paused_seconds,
            "breached": self.breached,
            "next_target": self.next_target,
            "next_due": iso(self.next_due),
        }


def clock_view(clock_row: CaseClock, case: Case) -> ClockView:
    now = clock.now()
    running = pending_targets(clock_row, case)
    # A deadline that has passed is breached now, whether or not its task has run yet.
    breached = list(clock_row.breached) + [
        target for target, _start, due in running
        if due <= now and target not in clock_row.breached
    ]
    upcoming = min(running, key=lambda item: item[2], default=None)
    return ClockView(
        policy=clock_row.policy.name,
        zone=clock_row.policy.calendar.time_zone,
        first_response_due=clock_row.first_response_due,
        first_responded_at=clock_row.first_responded_at,
        next_reply_due=clock_row.next_reply_due,
        resolution_due=clock_row.resolution_due,
        resolved_at=clock_row.resolved_at,
        agreed_due=clock_row.agreed_due,
        paused_at=clock_row.paused_at,
        paused_before=clock_row.paused_seconds,
        breached=breached,
        next_target=upcoming[0] if upcoming else None,
        next_due=upcoming[2] if upcoming else None,
    )


def case_clocks(*, case: Case) -> ClockView | None:
    clock_row = (
        CaseClock.objects.select_related("policy__calendar").filter(case=case).first()
    )
    return clock_view(clock_row, case) if clock_row else None


def cases_breached(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Open cases with a target past due and not met (or already marked breached)."""
    now = clock.now()
    return cases.exclude(status=Status.CLOSED).filter(
        Q(clock__first_responded_at__isnull=True, clock__first_response_due__lte=now)
        | Q(clock__resolved_at__isnull=True, clock__paused_at__isnull=True,
            clock__resolution_due__lte=now)
        | Q(clock__next_reply_due__lte=now, clock__paused_at__isnull=True)
        | Q(clock__agreed_due__lte=now)
    )


def cases_at_risk(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Open cases with a running target due within the next hour, not yet breached."""
    now = clock.now()
    soon = now + AT_RISK_WITHIN
    window = {"gt": now, "lte": soon}
    return cases.exclude(status=Status.CLOSED).filter(
        Q(clock__first_responded_at__isnull=True,
          **{f"clock__first_response_due__{k}": v for k, v in window.items()})
        | Q(clock__resolved_at__isnull=True, clock__paused_at__isnull=True,
            **{f"clock__resolution_due__{k}": v for k, v in window.items()})
        | Q(clock__paused_at__isnull=True,
            **{f"clock__next_reply_due__{k}": v for k, v in window.items()})
        | Q(**{f"clock__agreed_due__{k}": v for k, v in window.items()})
    ).exclude(pk__in=cases_breached(cases).values("pk"))


def cases_escalated(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.exclude(status=Status.CLOSED).filter(escalated=True)



class QueueView:
    """The service-level views of the queue."""

    BREACHED = "breached"
    AT_RISK = "at_risk"
    ESCALATED = "escalated"
    ALL = (BREACHED, AT_RISK, ESCALATED)


def cases_in_view(cases: QuerySet[Case], view: str) -> QuerySet[Case]:
    """Narrow a queue to the breached, at-risk or escalated cases (any other view: all)."""
    narrowed = {
        QueueView.BREACHED: cases_breached,
        QueueView.AT_RISK: cases_at_risk,
        QueueView.ESCALATED: cases_escalated,
    }.get(view)
    cases = cases.select_related("clock__policy__calendar")
    return narrowed(cases) if narrowed else cases


def with_clocks(cases: list[Case]) -> list[tuple[Case, ClockView | None]]:
    """Each case beside its clocks, for a page of the queue (clocks already joined)."""
    rows = []
    for case in cases:
        clock_row = getattr(case, "clock", None)
        rows.append((case, clock_view(clock_row, case) if clock_row else None))
    return rows
