"""Every write about service levels: policies, each case's clocks, warnings and escalations.

A case's clock starts when the case is stored (intake calls `case_clock_start` in the same
transaction, so the sender is told the first-response deadline), then follows the case's
timeline: a member of staff's first message to the customer meets the first response; each
later one sets the next-reply deadline; waiting on the customer pauses the resolution
clock; resolving stops it; reopening restarts it. One background task per case waits for
the next moment something is due (`next_check_at`) instead of a loop polling every case.
"""

import copy
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import default_task_backend

from redress.accounts.models import Role, User
from redress.cases.models import Case, CaseEvent, EventKind, Status
from redress.cases.services import TimelineEntry, case_events_record, case_log
from redress.common import clock
from redress.common.errors import Invalid, NotAllowed
from redress.common.settings_cache import cached
from redress.common.tasks import task_enqueue
from redress.notify.services import StaffNote, staff_notify_many
from redress.sla.calendar import WorkingTime
from redress.sla.defaults import install_defaults
from redress.sla.models import (
    BusinessCalendar,
    CaseClock,
    SlaAlarm,
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


def _policies_load() -> list[SlaPolicy]:
    return list(SlaPolicy.objects.select_related("calendar").order_by("rank", "id"))


def _policies() -> list[SlaPolicy]:
    policies = cached("sla_policies", _policies_load)
    if not policies:
        # A default always exists: an emptied table (a restore, a flushed test database)
        # gets the starting set again rather than refusing every complaint. Creating them
        # changes the settings' token, so the next read loads them.
        install_defaults(BusinessCalendar, WorkingHours, SlaPolicy)
        policies = cached("sla_policies", _policies_load)
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


def case_clock_start(*, case: Case, scenario: str = "", just_stored: bool = False) -> CaseClock:
    """Start a new case's clocks from the moment it was received. Safe to call twice,
    except with `just_stored`: the caller stored the case in the transaction under way
    (intake), so it has no clock yet and none is looked for."""
    if not just_stored:
        existing = (CaseClock.objects.filter(case=case).select_related("policy__calendar")
                    .first())
        if existing is not None:
            return existing
    policy = policy_for(priority=case.priority, channel=case.channel, scenario=scenario)
    clock_row = CaseClock(case=case, policy=policy, started_at=case.received_at)
    _fresh_deadlines(clock_row, case.received_at)
    clock_row.next_check_at = _next_check(clock_row, case)
    # The primary key is the case's: a plain save() would try an UPDATE first.
    clock_row.save(force_insert=True)
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


def policy_reapply(*, policy_ids: list[int]) -> int:
    """Recount the open cases of these policies after an administrator changed them (or
    their calendars): each case is matched again and its unmet targets recounted from
    when it was received. Returns how many cases were recounted."""
    case_ids = list(
        CaseClock.objects.filter(policy_id__in=policy_ids)
        .exclude(case__status=Status.CLOSED).values_list("case_id", flat=True)
    )
    for case in Case.objects.filter(pk__in=case_ids).iterator(chunk_size=500):
        case_clock_repolicy(case=case)
    return len(case_ids)


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
        before = _material(clock_row)
        if _catch_up([clock_row]):
            next_check_at = _next_check(clock_row, clock_row.case)
            if next_check_at == clock_row.next_check_at and _material(clock_row) == before:
                # Only entries that move no deadline (intake's own, a note): remember they
                # were read, and leave the clock and its alarm as they are.
                CaseClock.objects.filter(pk=clock_row.pk).update(
                    followed_event_id=clock_row.followed_event_id)
                return
            clock_row.next_check_at = next_check_at
            clock_row.save()
            _arm(clock_row)


def _material(clock_row: CaseClock) -> dict[str, Any]:
    """The clock's state apart from how far it has read the timeline (JSON lists copied,
    since applying an entry changes them in place)."""
    return {
        field.attname: copy.deepcopy(getattr(clock_row, field.attname))
        for field in CaseClock._meta.concrete_fields if field.attname != "followed_event_id"
    }


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
        with translation.override(case.language_code):
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
    """A moment as people in `zone` read it: 2026-11-25 10:00."""
    return formats.date_format(moment.astimezone(ZoneInfo(zone)), "Y-m-d H:i")


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


ALARM_BATCH = 500  # clocks handled per transaction by one alarm


def _arm(clock_row: CaseClock) -> None:
    """Make sure a worker wakes when the clock's next stage falls due.

    Alarms are shared per second: one task wakes for every clock due in that second and
    handles them in batches, so a burst of deadlines is a few tasks, not one per case.
    """
    at = clock_row.next_check_at
    if at is None or not default_task_backend.supports_defer:
        return
    _alarm_set(_ceil_second(at))


def _alarm_set(second: datetime) -> None:
    alarm, created = SlaAlarm.objects.get_or_create(at=second)
    if created:
        from redress.sla.tasks import sla_alarm

        task_enqueue(sla_alarm, run_after=second, at=second.isoformat())


def sla_alarm_ring(*, at: str) -> int:
    """What a woken worker does: retire the alarm first (a clock armed for this second
    from now on gets a new one), then handle every clock that is due, batch by batch.
    Returns how many clocks it handled."""
    SlaAlarm.objects.filter(at=datetime.fromisoformat(at)).delete()
    return clocks_sweep()


def case_clock_check(*, case_id: int) -> list[Stage]:
    """Carry out whatever has fallen due on one case's clocks (see `clocks_check`)."""
    done: list[tuple[int, Stage]] = []
    clocks_check(case_ids=[case_id], done=done)
    return [stage for _case_id, stage in done]


def clocks_check(
    *, case_ids: list[int] | None = None, limit: int = ALARM_BATCH,
    done: list[tuple[int, Stage]] | None = None,
) -> int:
    """Carry out what has fallen due on the clocks of `case_ids`, or else on up to `limit`
    clocks that are due: warn the owner at 80%, flag the case escalated and tell its
    supervisors at a breach, tell the department's manager when a breach stays unmet.

    Each clock first catches up with its case's timeline, so a target met a moment ago is
    not escalated. Each stage happens once however often this runs. The writes are made
    in bulk, so a burst of deadlines costs a few statements per batch, not per case.
    Returns how many clocks it looked at.
    """
    now = clock.now()
    done = done if done is not None else []
    with transaction.atomic():
        clocks = CaseClock.objects.select_related(
            "policy__calendar", "case__owner", "case__department__manager"
        )
        if case_ids is not None:
            # Lock the clocks only: the owner and department are joined as nullable outer
            # joins, which PostgreSQL refuses to lock.
            rows = list(clocks.select_for_update(of=("self",)).filter(case_id__in=case_ids))
        else:
            due = (
                CaseClock.objects.filter(next_check_at__lte=now).order_by("next_check_at")
                .values("case_id")[:limit]
            )
            locking = clocks.select_for_update(skip_locked=True, of=("self",)) if (
                transaction.get_connection().features.has_select_for_update_skip_locked
            ) else clocks
            rows = list(locking.filter(case_id__in=due))
        if not rows:
            return 0
        _catch_up(rows)
        entries: list[TimelineEntry] = []
        escalate: set[int] = set()
        notes: list[StaffNote] = []
        people = _People()
        for clock_row in rows:
            case = clock_row.case
            for stage in _stages(clock_row, case):
                if stage.at > now:
                    continue
                clock_row.stages_done.append(stage.key)
                done.append((case.pk, stage))
                entries.append(_stage_entry(clock_row, stage, escalate))
                notes.extend(_stage_notes(clock_row, case, stage, people))
            clock_row.next_check_at = _next_check(clock_row, case)
        case_events_record(entries=entries, escalate=escalate)
        _save_clocks(rows)
        staff_notify_many(notes)
        for second in {_ceil_second(r.next_check_at) for r in rows if r.next_check_at}:
            if default_task_backend.supports_defer:
                _alarm_set(second)
    return len(rows)


_CHECKED_FIELDS = (
    "followed_event_id", "first_responded_at", "last_reply_at", "next_reply_due",
    "resolution_due", "resolved_at", "paused_at", "paused_seconds", "agreed_due", "breached",
    "stages_done", "next_check_at",
)


def _save_clocks(rows: list[CaseClock], names: tuple[str, ...] = _CHECKED_FIELDS) -> None:
    """Save a batch of checked clocks with one prepared UPDATE run for every row.

    `bulk_update` would build one CASE expression per field and row, which costs seconds
    for a batch of 500; the prepared statement costs milliseconds.
    """
    connection = transaction.get_connection()
    fields = [CaseClock._meta.get_field(name) for name in names]
    table = connection.ops.quote_name(CaseClock._meta.db_table)
    assignments = ", ".join(
        f"{connection.ops.quote_name(field.column)} = %s" for field in fields  # type: ignore[union-attr]
    )
    key = connection.ops.quote_name("case_id")
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection)  # type: ignore[union-attr]
         for field in fields] + [row.case_id]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {key} = %s",  # noqa: S608 - names only
            params,
        )


def _ceil_second(moment: datetime) -> datetime:
    whole = moment.replace(microsecond=0)
    return whole + timedelta(seconds=1) if moment.microsecond else whole


def _catch_up(rows: list[CaseClock]) -> bool:
    """Apply to each clock the timeline entries written since it last looked (one query
    for the batch); True if there were any. Reading the timeline, rather than trusting a
    notification, means a change whose announcement was lost (a process killed right
    after its commit) still counts before any escalation."""
    by_case = {row.case_id: row for row in rows}
    since = min(row.followed_event_id for row in rows)
    events = (
        CaseEvent.objects.filter(case_id__in=list(by_case), pk__gt=since).order_by("id")
    )
    applied = False
    for event in events:
        row = by_case[event.case_id]
        if event.pk <= row.followed_event_id:
            continue
        _apply(row, row.case, event, working_time_of(row.policy.calendar), row.policy)
        row.followed_event_id = event.pk
        applied = True
    return applied


def _stage_entry(clock_row: CaseClock, stage: Stage, escalate: set[int]) -> TimelineEntry:
    after = {"target": stage.target, "due": stage.due.isoformat()}
    if stage.kind == "warn":
        return TimelineEntry(case_id=clock_row.case_id, kind=EventKind.SLA_WARNING, after=after)
    if stage.kind == "breach":
        _mark(clock_row.breached, stage.target)
    escalate.add(clock_row.case_id)
    level = 1 if stage.kind == "breach" else 2
    return TimelineEntry(case_id=clock_row.case_id, kind=EventKind.ESCALATION,
                         after={**after, "level": level})


class _People:
    """Supervisors and managers, each looked up once per batch."""

    def __init__(self) -> None:
        self._supervisors: dict[int | None, list[User]] = {}
        self._quality: list[User] | None = None

    def quality(self) -> list[User]:
        if self._quality is None:
            self._quality = list(User.objects.filter(role=Role.QUALITY, is_active=True))
        return self._quality

    def supervisors(self, case: Case) -> list[User]:
        if case.department_id is None:
            return self.quality()
        if case.department_id not in self._supervisors:
            self._supervisors[case.department_id] = list(User.objects.filter(
                department_id=case.department_id, role=Role.SUPERVISOR, is_active=True
            ))
        return self._supervisors[case.department_id]

    def managers(self, case: Case) -> list[User]:
        manager = case.department.manager if case.department is not None else None
        if manager is not None and manager.is_active:
            return [manager]
        return self.quality() or self.supervisors(case)


def _stage_notes(
    clock_row: CaseClock, case: Case, stage: Stage, people: _People
) -> list[StaffNote]:
    owner = [case.owner] if case.owner is not None else []
    if stage.kind == "warn":
        text = _("%(reference)s: %(target)s is due at %(due)s.")
        recipients = owner or people.supervisors(case)
    elif stage.kind == "breach":
        text = _("%(reference)s: %(target)s was due at %(due)s and is overdue; escalated.")
        recipients = people.supervisors(case) + owner
    else:
        text = _("%(reference)s: %(target)s is still overdue since %(due)s; escalated to "
                 "the department's manager.")
        recipients = people.managers(case)
    with translation.override(settings.LANGUAGE_CODE):
        body = str(text) % {
            "reference": case.reference, "target": Target(stage.target).label,
            "due": timezone_local(stage.due, clock_row.policy.calendar.time_zone),
        }
    link = f"/console/cases/{case.reference}/"
    return [
        StaffNote(recipient_id=user.pk, email=user.email, text=body, link=link)
        for user in {u.pk: u for u in recipients}.values()
    ]


def clocks_sweep() -> int:
    """Handle every clock whose moment has passed, batch by batch: what an alarm does, and
    what `redress sla sweep` (run by `redress serve` at start-up) does after a worker was
    killed mid-task or the task queue was lost, so nothing due is forgotten. Reads only
    the clocks that are due (an indexed range), not every case."""
    handled = 0
    while True:
        batch = clocks_check(limit=ALARM_BATCH)
        handled += batch
        if batch < ALARM_BATCH:
            return handled
