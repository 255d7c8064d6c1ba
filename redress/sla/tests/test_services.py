"""Each case's clocks, kept by the calendar: first response, pause, reopen, agreed
deadlines, warnings and escalations, and the acknowledgement sent on intake."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from redress.accounts.models import Role, User
from redress.cases.models import Case, CaseEvent, Channel, EventKind, Priority, Status
from redress.cases.services import CustomerDetails, case_add_message, case_transition
from redress.common.errors import Invalid
from redress.intake.services import public_complaint_submit, staff_case_record
from redress.notify.models import StaffNotification
from redress.sla.models import CaseClock, SlaAlarm, SlaPolicy, Target, TargetUnit
from redress.sla.selectors import case_clocks, cases_at_risk, cases_breached
from redress.sla.services import (
    case_agree_deadline,
    case_clock_check,
    case_clock_repolicy,
    clocks_sweep,
    policy_for,
    policy_validate,
    sla_alarm_ring,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def _record(agent: User, *, priority: str, received: datetime, **extra: object) -> Case:
    return staff_case_record(
        user=agent, channel=extra.pop("channel", Channel.PHONE),  # type: ignore[arg-type]
        description=str(extra.pop("description", "空调坏了，一晚上没睡")),
        customer=CustomerDetails(name="陈先生", phone="13912345678",
                                 email=str(extra.pop("email", "chen@example.com"))),
        received_at=received, priority=priority,
    )


def _clock(case: Case) -> CaseClock:
    return CaseClock.objects.get(case=case)


@contextmanager
def override_settings_batch(size: int) -> Iterator[None]:
    """Smaller batches, so a handful of cases spans several."""
    from redress.sla import services

    before = services.ALARM_BATCH
    services.ALARM_BATCH = size
    try:
        yield
    finally:
        services.ALARM_BATCH = before


@pytest.fixture
def moment(django_capture_on_commit_callbacks):
    """Do something at a given time and let it commit, as a request would: what reacts to
    the commit (the case's clocks following its timeline) runs before the block ends."""

    @contextmanager
    def at_moment(when: datetime) -> Iterator[None]:
        with time_machine.travel(when, tick=False), \
                django_capture_on_commit_callbacks(execute=True):
            yield

    return at_moment


@pytest.fixture
def deferred_tasks(settings):
    """Tasks wait for their moment, as in production; the test reads what was armed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    return default_task_backend


class TestDeadlinesOnIntake:
    def test_p1_is_answered_within_15_minutes_around_the_clock(self, agent, moment):
        with moment(at(2026, 10, 1, 23, 50)):
            case = _record(agent, priority=Priority.P1, received=at(2026, 10, 1, 23, 50))
        clock_row = _clock(case)
        assert clock_row.policy.name == "P1 · critical"
        assert clock_row.first_response_due == at(2026, 10, 2, 0, 5)
        assert clock_row.resolution_due == at(2026, 10, 2, 23, 50)

    def test_p3_counts_business_hours_across_national_day(self, agent, moment):
        with moment(at(2026, 9, 30, 17, 0)):
            case = _record(agent, priority=Priority.P3, received=at(2026, 9, 30, 17, 0))
        clock_row = _clock(case)
        assert clock_row.first_response_due == at(2026, 10, 8, 10, 0)
        # 3 business days: 8, 9 and the make-up Saturday 10 October.
        assert clock_row.resolution_due == at(2026, 10, 10, 17, 0)

    def test_a_call_recorded_late_counts_from_when_it_came_in(self, agent, moment):
        with moment(at(2026, 11, 24, 10, 30)):
            case = _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
        assert _clock(case).first_response_due == at(2026, 11, 24, 10, 15)

    def test_acknowledgement_in_chinese_tells_reference_and_first_response_time(
        self, department, moment
    ):
        with moment(at(2026, 11, 24, 17, 0)):
            case = public_complaint_submit(
                description="房间里有蟑螂，太恶心了", name="周女士", email="zhou@example.com"
            )
        ack = CaseEvent.objects.get(case=case, kind=EventKind.AUTO_ACK)
        assert ack.visible_to_customer and ack.actor is None
        assert case.reference in ack.message
        # "太恶心了" reads as angry: P2, an answer within 15 minutes around the clock (a
        # calm P3 complaint would have had 2 business hours, next morning 10:00).
        case.refresh_from_db()
        assert case.priority == Priority.P2 and case.emotion == "angry"
        assert "2026-11-24 17:15" in ack.message
        assert "我们已收到您的投诉" in ack.message
        assert [m.to for m in mail.outbox] == [["zhou@example.com"]]
        assert case.tracking_code in mail.outbox[0].body
        # An automatic acknowledgement is not a person's first response.
        assert _clock(case).first_responded_at is None

    def test_acknowledgement_in_english_for_an_english_complaint(
        self, department, moment
    ):
        with moment(at(2026, 11, 24, 10, 0)):
            case = public_complaint_submit(
                description="The room smelled of smoke and nobody came to help.",
                name="Ann Lee", email="ann@example.com",
            )
        ack = CaseEvent.objects.get(case=case, kind=EventKind.AUTO_ACK)
        assert "We have received your complaint" in ack.message
        # The deadline told is the case's own first-response deadline, in Shanghai time.
        due = _clock(case).first_response_due.astimezone(ZoneInfo("Asia/Shanghai"))
        assert f"{due:%Y-%m-%d %H:%M}" in ack.message
        assert "We have received your complaint" in mail.outbox[0].body


class TestFirstResponseAndReplies:
    def test_a_person_writing_to_the_customer_meets_the_first_response(self, agent, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            case = _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
        with moment(at(2026, 11, 24, 10, 9)):
            case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)
        clock_row = _clock(case)
        assert clock_row.first_responded_at == at(2026, 11, 24, 10, 9)
        assert clock_row.breached == []
        # First response and next reply are separate targets: answering sets the next one
        # (P2: 4 hours) and leaves the first-response deadline as it was.
        assert clock_row.first_response_due == at(2026, 11, 24, 10, 15)
        assert clock_row.next_reply_due == at(2026, 11, 24, 14, 9)

    def test_a_late_first_response_is_recorded_as_breached(self, agent, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            case = _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
        with moment(at(2026, 11, 24, 10, 40)):
            case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)
        assert _clock(case).breached == [Target.FIRST_RESPONSE]

    def test_each_reply_moves_the_next_reply_deadline(self, agent, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            case = _record(agent, priority=Priority.P3, received=at(2026, 11, 24, 10, 0))
            case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)
        with moment(at(2026, 11, 25, 11, 0)):
            case_add_message(case=case, actor=agent, body="维修师傅明天上午到")
        # P3 next reply: one business day after the latest reply.
        assert _clock(case).next_reply_due == at(2026, 11, 26, 11, 0)


class TestPause:
    def test_waiting_on_the_customer_stops_the_resolution_clock_across_a_holiday(
        self, agent, moment
    ):
        with moment(at(2026, 9, 29, 10, 0)):
            case = _record(agent, priority=Priority.P3, received=at(2026, 9, 29, 10, 0))
            case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)
        # 3 business days from Tuesday 29 September: 30 September, 8 and 9 October.
        assert _clock(case).resolution_due == at(2026, 10, 9, 10, 0)
        with moment(at(2026, 9, 30, 10, 0)):
            case_transition(case=case, actor=agent, to=Status.WAITING_ON_CUSTOMER)
        assert case_clocks(case=case).paused  # type: ignore[union-attr]
        # The customer answers after the holiday, on the make-up Saturday.
        with moment(at(2026, 10, 10, 10, 0)):
            case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)
        with time_machine.travel(at(2026, 10, 10, 10, 0), tick=False):
            view = case_clocks(case=case)
        clock_row = _clock(case)
        # 18 working hours were left at the pause (the rest of 30 September, all of
        # 8 October, an hour of 9 October); they count again from 10 October 10:00: eight
        # hours that make-up Saturday, nine on Monday 12th, one on Tuesday 13th.
        assert clock_row.resolution_due == at(2026, 10, 13, 10, 0)
        assert clock_row.paused_at is None
        assert clock_row.paused_seconds == 10 * 24 * 3600
        assert view is not None and view.as_json()["paused_seconds"] == 10 * 24 * 3600

    def test_paused_cases_are_not_breached_on_resolution(self, agent, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            case = _record(agent, priority=Priority.P1, received=at(2026, 11, 24, 10, 0))
            case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)
            case_transition(case=case, actor=agent, to=Status.WAITING_ON_CUSTOMER)
        with moment(at(2026, 11, 26, 10, 0)):
            view = case_clocks(case=case)
            assert view is not None and Target.RESOLUTION not in view.breached
            assert list(cases_breached(Case.objects.all())) == []


class TestPolicies:
    def test_first_match_by_rank_and_a_default_always_exists(self, moment):
        assert policy_for(priority="P1", channel="web").name == "P1 · critical"
        assert policy_for(priority="", channel="web").name == "Default"

    def test_a_channel_specific_policy_wins_when_ranked_first(self, moment):
        office = SlaPolicy.objects.get(name="P3 · normal").calendar
        SlaPolicy.objects.create(
            name="Comment book", rank=5, channel=Channel.COMMENT_BOOK, calendar=office,
            first_response=1, first_response_unit=TargetUnit.DAYS, next_reply=2,
            next_reply_unit=TargetUnit.DAYS, resolution=5, resolution_unit=TargetUnit.DAYS,
        )
        assert policy_for(priority="P3", channel="comment_book").name == "Comment book"
        assert policy_for(priority="P3", channel="phone").name == "P3 · normal"

    @pytest.mark.parametrize("first, resolution, field", [
        ((0, "minutes"), (3, "days"), "first_response"),
        ((2, "days"), (3, "hours"), "resolution"),
    ])
    def test_contradictory_targets_are_refused(self, first, resolution, field, moment):
        office = SlaPolicy.objects.get(name="P3 · normal").calendar
        policy = SlaPolicy(
            name="Bad", calendar=office, first_response=first[0], first_response_unit=first[1],
            next_reply=1, next_reply_unit="hours", resolution=resolution[0],
            resolution_unit=resolution[1],
        )
        with pytest.raises(Invalid) as refused:
            policy_validate(policy)
        assert refused.value.field == field

    def test_a_policy_change_on_an_open_case_recounts_what_is_not_met(self, agent, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            case = _record(agent, priority=Priority.P3, received=at(2026, 11, 24, 10, 0))
            case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)
        Case.objects.filter(pk=case.pk).update(priority=Priority.P1)
        case.refresh_from_db()
        case_clock_repolicy(case=case)
        clock_row = _clock(case)
        assert clock_row.policy.name == "P1 · critical"
        assert clock_row.resolution_due == at(2026, 11, 25, 10, 0)
        # Already met: the first response keeps its original deadline.
        assert clock_row.first_response_due == at(2026, 11, 24, 12, 0)


class TestAgreedDeadline:
    @pytest.mark.parametrize("promised, breached", [
        (at(2026, 11, 24, 11, 0), False),  # earlier than the policy's next reply
        (at(2026, 11, 26, 17, 0), True),  # later than the policy: tracked all the same
    ])
    def test_a_promised_time_is_shown_and_tracked(self, agent, client, promised, breached, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            case = _record(agent, priority=Priority.P3, received=at(2026, 11, 24, 10, 0))
            case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)
            case_agree_deadline(case=case, actor=agent, due=promised, promise="电话回复")
        page = client.get(f"/track/{case.tracking_code}/").content.decode()
        assert promised.strftime("%Y-%m-%d %H:%M") in page
        reply_at = promised + (timedelta(minutes=5) if breached else -timedelta(minutes=5))
        with moment(reply_at):
            case_add_message(case=case, actor=agent, body="已联系维修部门")
        clock_row = _clock(case)
        assert clock_row.agreed_due is None  # met (late or not) by the reply
        assert (Target.AGREED in clock_row.breached) is breached

    def test_a_promise_in_the_past_is_refused(self, agent, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            case = _record(agent, priority=Priority.P3, received=at(2026, 11, 24, 10, 0))
            with pytest.raises(Invalid):
                case_agree_deadline(case=case, actor=agent, due=at(2026, 11, 24, 9, 0))


class TestWarningsAndEscalations:
    def test_the_next_moment_is_armed_as_a_deferred_task(self, agent, deferred_tasks, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            case = _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
            _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
        alarms = [r for r in deferred_tasks.results if r.task.name == "sla_alarm"]
        # 80% of 15 minutes: the owner is warned at 10:12. Both cases share one alarm.
        assert len(alarms) == 1
        assert alarms[0].task.run_after == at(2026, 11, 24, 10, 12)
        assert _clock(case).next_check_at == at(2026, 11, 24, 10, 12)
        assert SlaAlarm.objects.count() == 1

    def test_warning_then_breach_then_manager_each_happen_once(
        self, agent, supervisor, department, admin_user, moment
    ):
        department.manager = admin_user
        department.save()
        with moment(at(2026, 11, 24, 10, 0)):
            case = _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
        with moment(at(2026, 11, 24, 10, 12)):
            done = case_clock_check(case_id=case.pk)
            assert [(s.target, s.kind) for s in done] == [(Target.FIRST_RESPONSE, "warn")]
            assert case_clock_check(case_id=case.pk) == []  # twice: nothing more
        # Nobody owns it yet, so the department's supervisors are warned.
        assert StaffNotification.objects.filter(recipient=supervisor).count() == 1
        with moment(at(2026, 11, 24, 10, 16)):
            done = case_clock_check(case_id=case.pk)
            assert [(s.target, s.kind) for s in done] == [(Target.FIRST_RESPONSE, "breach")]
            case_clock_check(case_id=case.pk)
            assert list(cases_breached(Case.objects.all())) == [case]
        case.refresh_from_db()
        assert case.escalated
        escalations = CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATION)
        assert [e.after["level"] for e in escalations] == [1]
        assert StaffNotification.objects.filter(recipient=supervisor).count() == 2
        # Still unanswered an hour after the breach: the department's manager is told.
        with moment(at(2026, 11, 24, 11, 16)):
            done = case_clock_check(case_id=case.pk)
            case_clock_check(case_id=case.pk)
        assert [(s.target, s.kind) for s in done] == [(Target.FIRST_RESPONSE, "escalate")]
        assert [e.after["level"] for e in escalations.all()] == [1, 2]
        assert StaffNotification.objects.filter(recipient=admin_user).count() == 1
        assert CaseEvent.objects.filter(case=case, kind=EventKind.SLA_WARNING).count() == 1

    def test_a_task_after_the_target_was_met_does_nothing(self, agent, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            case = _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
            case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)
        with moment(at(2026, 11, 24, 10, 20)):
            done = case_clock_check(case_id=case.pk)
        assert all(s.target != Target.FIRST_RESPONSE for s in done)
        case.refresh_from_db()
        assert not case.escalated

    def test_an_alarm_with_nothing_due_does_nothing(self, agent, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            case = _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
        with moment(at(2026, 11, 24, 10, 5)):
            assert sla_alarm_ring(at=at(2026, 11, 24, 10, 5).isoformat()) == 0
        case.refresh_from_db()
        assert not case.escalated
        assert not CaseEvent.objects.filter(case=case, kind=EventKind.SLA_WARNING).exists()

    def test_one_alarm_handles_every_clock_due_in_batches(self, agent, supervisor, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            cases = [
                _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
                for _ in range(7)
            ]
            case_transition(case=cases[0], actor=agent, to=Status.ACKNOWLEDGED)
        with moment(at(2026, 11, 24, 10, 16)), \
                override_settings_batch(3):
            # The one answered in time is not due at all: its next stage is hours away.
            assert sla_alarm_ring(at=at(2026, 11, 24, 10, 12).isoformat()) == 6
        escalated = set(Case.objects.filter(escalated=True).values_list("pk", flat=True))
        assert escalated == {c.pk for c in cases[1:]}
        assert StaffNotification.objects.filter(recipient=supervisor).count() == 12

    def test_rearming_after_a_lost_worker_catches_up(self, agent, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            case = _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
        # No worker ran at 10:12 or 10:15; the sweep at start-up finds the case.
        with moment(at(2026, 11, 24, 10, 30)):
            assert clocks_sweep() == 1
        case.refresh_from_db()
        assert case.escalated

    def test_at_risk_queue_shows_cases_due_within_the_hour(self, agent, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            soon = _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
            later = _record(agent, priority=Priority.P4, received=at(2026, 11, 24, 10, 0))
            assert list(cases_at_risk(Case.objects.all())) == [soon]
            assert later not in cases_breached(Case.objects.all())


def test_quality_managers_are_the_fallback_for_a_department_without_manager(
    agent, supervisor, quality, moment
):
    with moment(at(2026, 11, 24, 10, 0)):
        case = _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
    with moment(at(2026, 11, 24, 11, 30)):
        case_clock_check(case_id=case.pk)
    assert StaffNotification.objects.filter(recipient=quality).exists()
    assert User.objects.filter(role=Role.QUALITY).count() == 1


def test_sweep_command_handles_what_a_killed_worker_left(agent, moment):
    import io

    from django.core.management import call_command

    with moment(at(2026, 11, 24, 10, 0)):
        case = _record(agent, priority=Priority.P2, received=at(2026, 11, 24, 10, 0))
    out = io.StringIO()
    with moment(at(2026, 11, 24, 10, 30)):
        call_command("sla", "sweep", stdout=out)
    assert "已处理 1 个超时计时" in out.getvalue()
    case.refresh_from_db()
    assert case.escalated


def test_an_administrator_recounts_open_cases_after_changing_a_policy(agent, moment):
    from redress.sla.services import policy_reapply

    with moment(at(2026, 11, 24, 10, 0)):
        open_case = _record(agent, priority=Priority.P3, received=at(2026, 11, 24, 10, 0))
        closed = _record(agent, priority=Priority.P3, received=at(2026, 11, 24, 10, 0))
        case_transition(case=closed, actor=agent, to=Status.CLOSED, close_reason="duplicate")
    policy = SlaPolicy.objects.get(name="P3 · normal")
    policy.resolution = 1
    policy.save()
    before = _clock(closed).resolution_due
    assert policy_reapply(policy_ids=[policy.pk]) == 1
    assert _clock(open_case).resolution_due == at(2026, 11, 25, 10, 0)
    assert _clock(closed).resolution_due == before
