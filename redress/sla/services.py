"""Every write about service levels: policies, each case's clocks, warnings and escalations.

A case's clock starts when the case is stored (intake calls `case_clock_start` in the same
transaction, so the sender is told the first-response deadline), then follows the case's
timeline: a member of staff's first message to the customer meets the first response; each
later one sets the next-reply deadline; waiting on the customer pauses the resolution
clock; resolving stops it; reopening restarts it. One background task per case waits for
the next moment something is due (`next_check_at`) instead of a loop polling every case.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import default_task_backend

from redress.accounts.models import Role, User
from redress.cases.models import Case, CaseEvent, EventKind, Status
from redress.cases.services import case_escalate, case_log
from redress.common import clock
from redress.common.errors import Invalid, NotAllowed
from redress.notify.services import staff_notify
from redress.sla.calendar import WorkingTime
from redress.sla.defaults import install_defaults
from redress.sla.models import (
    BusinessCalendar,
    CaseClock,
    SlaPolicy,
    Target,
    TargetUnit,
    WorkingHours,
    unit_length,
)

logger = logging.getLogger(__name__)

WARN_AT = 0.8  # the owner is warned when 80% of a target's working time is used


# -- calendars and policies ---------------------------------------------------------------


@lru_cache(maxsize=256)
def _working_time(calendar_id: int, revision: int) -> WorkingTime:
    return BusinessCalendar.objects.get(pk=calendar_id).working_time()


def working_time_of(calendar: BusinessCalendar) -> WorkingTime:
    """The calendar as plain data, read once per process and per revision: every edit of
    the calendar, its hours or its closures gives it a new revision."""
    return _working_time(calendar.pk, calendar.revision)


def deadline(working_time: WorkingTime, start: datetime, amount: int, unit: str) -> datetime:
    """`amount` `unit`s of working time after `start`."""
    if unit == TargetUnit.DAYS:
        return working_time.add_working_days(start, amount)
    minutes = amount * (60 if unit == TargetUnit.HOURS else 1)
    return working_time.add(start, timedelta(minutes=minutes))


def policy_validate(policy: SlaPolicy) -> None:
    """Refuse targets that cannot all be kept: zero, or a resolution sooner than the
    first response or the next reply."""
    for field in ("first_response", "next_reply", "resolution"):
        if not getattr(policy, field) or getattr(policy, field) <= 0:
            raise Invalid(_("Every target must be longer than zero."), field=field)
    working_day = _working_day_length(policy.calendar)
    first = unit_length(policy.first_response, policy.first_response_unit, working_day)
    resolution = unit_length(policy.resolution, policy.resolution_unit, working_day)
    if resolution < first:
        raise Invalid(
            _("The resolution target cannot be shorter than the first-response target."),
            field="resolution",
        )


def _working_day_length(calendar: BusinessCalendar) -> timedelta:
    if calendar.around_the_clock:
        return timedelta(days=1)
    periods = working_time_of(calendar)._make_up_periods()
    length = sum(
        ((datetime.combine(datetime.min, close) if close.hour or close.minute
          else datetime.combine(datetime.min, close) + timedelta(days=1))
         - datetime.combine(datetime.min, opens) for opens, close in periods),
        timedelta(0),
    )
    return length or timedelta(hours=8)


def policy_for(*, priority: str, channel: str, scenario: str = "") -> SlaPolicy:
    """The first policy, by rank, whose priority, channel and scenario match (empty
    matches any)."""
    for policy in _policies():
        if (
            (not policy.priority or policy.priority == priority)
            and (not policy.channel or policy.channel == channel)
            and (not policy.scenario or policy.scenario == scenario)
        ):
            return policy
    raise Invalid(_("No SLA policy applies and no default policy exists."), field="policy")


def _policies() -> list[SlaPolicy]:
    policies = list(SlaPolicy.objects.select_related("calendar").order_by("rank", "id"))
    if not policies:
        # A default always exists: an emptied table (a restore, a flushed test database)
        # gets the starting set again rather than refusing every complaint.
        install_defaults(BusinessCalendar, WorkingHours, SlaPolicy)
        policies = list(SlaPolicy.objects.select_related("calendar").order_by("rank", "id"))
    return policies


# -- a case's clock -----------------------------------------------------------------------


def _fresh_deadlines(clock_row: CaseClock, start: datetime) -> None:
    policy = clock_row.policy
    working_time = working_time_of(policy.calendar)
    clock_row.first_response_due = deadline(
        working_time, start, policy.first_response, policy.first_response_unit
    )
    clock_row.resolution_due = deadline(
        working_time, start, policy.resolution, policy.resolution_unit
    )


def case_clock_start(*, case: Case, scenario: str = "") -> CaseClock:
    """Start a new case's clocks from the moment it was received. Safe to call twice."""
    existing = CaseClock.objects.filter(case=case).select_related("policy__calendar").first()
    if existing is not None:
        return existing
    policy = policy_for(priority=case.priority, channel=case.channel, scenario=scenario)
    clock_row = CaseClock(case=case, policy=policy, started_at=case.received_at)
    _fresh_deadlines(clock_row, case.received_at)
    clock_row.next_check_at = _next_check(clock_row, case)
    clock_row.save()
    _arm(clock_row)
    return clock_row


def case_clock_repolicy(*, case: Case, scenario: str = "") -> CaseClock:
    """Choose the policy again (the case's priority or scenario changed, or the policies
    were edited) and recount the targets not met yet from when the case was received."""
    with transaction.atomic():
        clock_row = CaseClock.objects.select_for_update().get(case=case)
        policy = policy_for(priority=case.priority, channel=case.channel, scenario=scenario)
        clock_row.policy = policy
        working_time = working_time_of(policy.calendar)
        if clock_row.first_responded_at is None:
            clock_row.first_response_due = deadline(
                working_time, clock_row.started_at, policy.first_response,
                policy.first_response_unit,
            )
        if clock_row.resolved_at is None:
            due = deadline(working_time, clock_row.started_at, policy.resolution,
                           policy.resolution_unit)
            # Time spent waiting on the customer does not count against the new target.
            clock_row.resolution_due = due + timedelta(seconds=clock_row.paused_seconds)
        clock_row.next_check_at = _next_check(clock_row, case)
        clock_row.save()
        _arm(clock_row)
    return clock_row


def case_clock_follow(*, case_id: int) -> None:
    """Bring a case's clocks up to date with its timeline (after each change commits)."""
    with transaction.atomic():
        clock_row = (
            CaseClock.objects.select_for_update().select_related("policy__calendar", "case")
            .filter(case_id=case_id).first()
        )
        if clock_row is None:
            # A case stored without intake (an import, the demo): start its clocks now.
            case_clock_start(case=Case.objects.get(pk=case_id))
            return
        if _catch_up(clock_row, clock_row.case):
            clock_row.next_check_at = _next_check(clock_row, clock_row.case)
            clock_row.save()
            _arm(clock_row)


def _catch_up(clock_row: CaseClock, case: Case) -> bool:
    """Apply the timeline entries written since the clock last looked. Reading the
    timeline, rather than trusting a notification, means a change whose announcement was
    lost (a process killed right after its commit) still counts before any escalation."""
    events = list(
        CaseEvent.objects.filter(case_id=case.pk, pk__gt=clock_row.followed_event_id)
        .order_by("id")
    )
    if not events:
        return False
    working_time = working_time_of(clock_row.policy.calendar)
    for event in events:
        _apply(clock_row, case, event, working_time, clock_row.policy)
    clock_row.followed_event_id = events[-1].pk
    return True


def _staff_reply(event: CaseEvent) -> bool:
    # An automatic acknowledgement (no actor) is not a response from a person.
    return (
        event.kind == EventKind.MESSAGE and event.visible_to_customer
        and event.actor_id is not None
    )


def _apply(
    clock_row: CaseClock, case: Case, event: CaseEvent, working_time: WorkingTime,
    policy: SlaPolicy,
) -> None:
    if _staff_reply(event):
        if clock_row.first_responded_at is None:
            clock_row.first_responded_at = event.at
            if event.at > clock_row.first_response_due:
                _mark(clock_row.breached, Target.FIRST_RESPONSE)
        elif clock_row.next_reply_due is not None and event.at > clock_row.next_reply_due:
            _mark(clock_row.breached, Target.NEXT_REPLY)
        # Each reply sets when the customer should next hear from us; a new warning may
        # follow for the new deadline.
        clock_row.last_reply_at = event.at
        clock_row.next_reply_due = deadline(
            working_time, event.at, policy.next_reply, policy.next_reply_unit
        )
        if (clock_row.agreed_due is not None and clock_row.agreed_event_id is not None
                and event.pk > clock_row.agreed_event_id):
            if event.at > clock_row.agreed_due:
                _mark(clock_row.breached, Target.AGREED)
            clock_row.agreed_due = None
    if event.kind != EventKind.TRANSITION:
        return
    if event.to_status == Status.WAITING_ON_CUSTOMER and clock_row.paused_at is None:
        clock_row.paused_at = event.at
    elif event.from_status == Status.WAITING_ON_CUSTOMER and clock_row.paused_at is not None:
        _resume(clock_row, event.at, working_time)
    if event.to_status == Status.RESOLVED:
        clock_row.resolved_at = event.at
        clock_row.next_reply_due = None
        if event.at > clock_row.resolution_due:
            _mark(clock_row.breached, Target.RESOLUTION)
    elif event.to_status == Status.INVESTIGATING and event.from_status in (
        Status.RESOLVED, Status.FOLLOW_UP
    ):
        # Reopened: the customer was not satisfied, so a second resolution is owed in full.
        clock_row.resolved_at = None
        clock_row.resolution_due = deadline(
            working_time, event.at, policy.resolution, policy.resolution_unit
        )
    elif event.to_status == Status.CLOSED:
        clock_row.next_reply_due = None
        if clock_row.paused_at is not None:
            _resume(clock_row, event.at, working_time)


def _resume(clock_row: CaseClock, at: datetime, working_time: WorkingTime) -> None:
    """Restart the resolution clock with the working time it had left when paused."""
    paused_at = clock_row.paused_at
    assert paused_at is not None
    left = working_time.working_between(paused_at, clock_row.resolution_due)
    if clock_row.resolved_at is None and clock_row.resolution_due > paused_at:
        clock_row.resolution_due = working_time.add(at, left)
    clock_row.paused_seconds += int((at - paused_at).total_seconds())
    clock_row.paused_at = None


def _mark(marks: list[str], target: str) -> None:
    if target not in marks:
        marks.append(target)


def case_agree_deadline(
    *, case: Case, actor: User, due: datetime, promise: str = ""
) -> CaseClock:
    """Record a time promised to the customer (约定回复时限: "we will call you back by
    17:00 tomorrow"). It is shown on their tracking page and tracked like any target: met
    by the next message to the customer, breached if that comes too late."""
    if due <= clock.now():
        raise Invalid(_("The promised time must be in the future."), field="due")
    with transaction.atomic():
        clock_row = CaseClock.objects.select_for_update().select_related(
            "policy__calendar"
        ).get(case=case)
        if not case.is_open:
            raise NotAllowed(_("This case is closed."))
        local = timezone_local(due, clock_row.policy.calendar.time_zone)
        with translation.override(_customer_language(case)):
            text = gettext("We promised to get back to you by %(when)s.") % {"when": local}
            if promise:
                text = f"{text} {promise}"
        promise_event = case_log(
            case=case, actor=actor, kind=EventKind.AGREED_DEADLINE, message=text,
            visible_to_customer=True, after={"agreed_due": due.isoformat()},
        )
        clock_row.agreed_event_id = promise_event.pk
        clock_row.agreed_at = clock.now()
        clock_row.agreed_due = due
        clock_row.agreed_promise = promise
        clock_row.next_check_at = _next_check(clock_row, case)
        clock_row.save()
        _arm(clock_row)
    return clock_row


def timezone_local(moment: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return formats.date_format(moment.astimezone(ZoneInfo(zone)), "Y-m-d H:i")


def _customer_language(case: Case) -> str:
    return "en" if case.language == "en" else "zh-hans"


# -- warnings and escalations ------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """One thing that falls due on a target: a warning, a breach, an escalation."""

    target: str
    kind: str  # "warn" | "breach" | "escalate"
    at: datetime
    due: datetime

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.target}:{int(self.due.timestamp())}"


def pending_targets(clock_row: CaseClock, case: Case) -> list[tuple[str, datetime, datetime]]:
    """(target, counted from, due) for every target still running."""
    if case.status == Status.CLOSED:
        return []
    running: list[tuple[str, datetime, datetime]] = []
    if clock_row.first_responded_at is None:
        running.append((Target.FIRST_RESPONSE, clock_row.started_at,
                        clock_row.first_response_due))
    if clock_row.paused_at is None:
        if (clock_row.next_reply_due is not None and clock_row.last_reply_at is not None
                and clock_row.resolved_at is None):
            running.append((Target.NEXT_REPLY, clock_row.last_reply_at,
                            clock_row.next_reply_due))
        if clock_row.resolved_at is None:
            running.append((Target.RESOLUTION, clock_row.started_at, clock_row.resolution_due))
    if clock_row.agreed_due is not None and clock_row.agreed_at is not None:
        running.append((Target.AGREED, clock_row.agreed_at, clock_row.agreed_due))
    return running


def _stages(clock_row: CaseClock, case: Case) -> list[Stage]:
    working_time = working_time_of(clock_row.policy.calendar)
    escalate_after = timedelta(minutes=settings.REDRESS_SLA_MANAGER_AFTER_MINUTES)
    stages = []
    for target, start, due in pending_targets(clock_row, case):
        used = working_time.working_between(start, due) * WARN_AT
        for kind, moment in (
            ("warn", min(working_time.add(start, used), due)),
            ("breach", due),
            ("escalate", due + escalate_after),
        ):
            stage = Stage(target, kind, moment, due)
            if stage.key not in clock_row.stages_done:
                stages.append(stage)
    return stages


def _next_check(clock_row: CaseClock, case: Case) -> datetime | None:
    stages = _stages(clock_row, case)
    return min((s.at for s in stages), default=None)


def _arm(clock_row: CaseClock) -> None:
    """Wake a worker when the next stage falls due. A later re-arm makes an earlier task
    stale: it finds `next_check_at` moved and does nothing."""
    if clock_row.next_check_at is None or not default_task_backend.supports_defer:
        return
    from redress.sla.tasks import sla_alarm

    at = clock_row.next_check_at
    case_id = clock_row.case_id
    transaction.on_commit(
        lambda: sla_alarm.using(run_after=at).enqueue(case_id=case_id, check_at=at.isoformat())
    )


def case_clock_check(*, case_id: int, check_at: str | None = None) -> list[Stage]:
    """Carry out whatever has fallen due on a case's clocks: warn the owner at 80%, flag
    the case escalated and tell the supervisors at a breach, tell the department's manager
    when a breach stays unmet. Returns what it did. Safe to run any number of times: each
    stage happens once, and a task whose moment has been superseded does nothing."""
    now = clock.now()
    done: list[Stage] = []
    with transaction.atomic():
        clock_row = (
            CaseClock.objects.select_for_update()
            .select_related("policy__calendar", "case__owner", "case__department",
                            "case__customer")
            .filter(case_id=case_id).first()
        )
        if clock_row is None:
            return done
        if check_at is not None and (
            clock_row.next_check_at is None
            or clock_row.next_check_at != datetime.fromisoformat(check_at)
        ):
            return done
        case = clock_row.case
        _catch_up(clock_row, case)
        for stage in _stages(clock_row, case):
            if stage.at > now:
                continue
            _carry_out(clock_row, case, stage)
            done.append(stage)
        clock_row.next_check_at = _next_check(clock_row, case)
        clock_row.save()
        _arm(clock_row)
    return done


def _carry_out(clock_row: CaseClock, case: Case, stage: Stage) -> None:
    label = Target(stage.target).label
    clock_row.stages_done.append(stage.key)
    if stage.kind == "warn":
        text = _("%(reference)s: %(target)s is due at %(due)s.")
        case_log(case=case, actor=None, kind=EventKind.SLA_WARNING,
                 message="", after={"target": stage.target})
        recipients = [case.owner] if case.owner is not None else _supervisors(case)
    elif stage.kind == "breach":
        _mark(clock_row.breached, stage.target)
        text = _("%(reference)s: %(target)s was due at %(due)s and is overdue; escalated.")
        case_escalate(case=case, target=stage.target, level=1)
        recipients = _supervisors(case) + ([case.owner] if case.owner is not None else [])
    else:
        text = _("%(reference)s: %(target)s is still overdue since %(due)s; escalated to "
                 "the department's manager.")
        case_escalate(case=case, target=stage.target, level=2)
        recipients = _managers(case)
    for user in {u.pk: u for u in recipients}.values():
        with translation.override(settings.LANGUAGE_CODE):
            staff_notify(
                recipient_id=user.pk, email=user.email,
                text=str(text) % {
                    "reference": case.reference, "target": label,
                    "due": timezone_local(stage.due, clock_row.policy.calendar.time_zone),
                },
                link=f"/console/cases/{case.reference}/",
            )


def _supervisors(case: Case) -> list[User]:
    if case.department_id is None:
        return list(User.objects.filter(role=Role.QUALITY, is_active=True))
    return list(User.objects.filter(
        department_id=case.department_id, role=Role.SUPERVISOR, is_active=True
    ))


def _managers(case: Case) -> list[User]:
    manager = case.department.manager if case.department is not None else None
    if manager is not None and manager.is_active:
        return [manager]
    return list(User.objects.filter(role=Role.QUALITY, is_active=True)) or _supervisors(case)


def clocks_rearm() -> int:
    """Enqueue a check for every clock whose moment has passed: after a worker was killed
    mid-task or the task queue was lost, nothing due is forgotten. Reads only the clocks
    that are due (an indexed range), not every case."""
    now = clock.now()
    due = list(
        CaseClock.objects.filter(next_check_at__lte=now)
        .values_list("case_id", "next_check_at")
    )
    if not default_task_backend.supports_defer:
        for case_id, _at in due:
            case_clock_check(case_id=case_id)
        return len(due)
    from redress.sla.tasks import sla_alarm

    for case_id, at in due:
        if at is not None:
            sla_alarm.enqueue(case_id=case_id, check_at=at.isoformat())
    return len(due)
