"""The case services: every move of DESIGN.md's lifecycle, who may make it, what the timeline
keeps of it, and what a customer's complaint must look like to be stored at all."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from redress.accounts.models import User
from redress.cases import lifecycle
from redress.cases.models import (
    Case,
    CaseEvent,
    Channel,
    CloseReason,
    Customer,
    EventKind,
    ReferenceCounter,
    Status,
)
from redress.cases.services import (
    CustomerDetails,
    case_add_message,
    case_create,
    case_handover,
    case_record_details,
    case_transition,
)
from redress.cases.tests.concurrency import at_once, shared_database
from redress.common import clock
from redress.common.errors import Conflict, Invalid, NotAllowed, NotFound
from redress.notify.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    # Nobody signs in here: spare every persona the production password hasher's cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _closing_needs_no_root_cause(settings: Any) -> None:
    # Closing a resolved case needs a root cause (the lessons app guards the move); that
    # guard is tested in lessons, which cases may not import. Here the lifecycle alone is.
    settings.REDRESS_CLOSE_REQUIRES = []


S = Status

# DESIGN.md "The case lifecycle", written out by hand so that a change to
# `lifecycle.TRANSITIONS` that the design does not make fails here.
FORWARD = {
    (S.NEW, S.ACKNOWLEDGED),
    (S.ACKNOWLEDGED, S.INVESTIGATING),
    (S.INVESTIGATING, S.REMEDY_PROPOSED),
    (S.REMEDY_PROPOSED, S.REMEDY_ACCEPTED),
    (S.REMEDY_PROPOSED, S.REMEDY_REJECTED),
    (S.REMEDY_REJECTED, S.INVESTIGATING),
    (S.REMEDY_ACCEPTED, S.EXECUTING),
    (S.EXECUTING, S.RESOLVED),
    (S.RESOLVED, S.FOLLOW_UP),
    (S.RESOLVED, S.CLOSED),
    (S.RESOLVED, S.INVESTIGATING),  # the customer says it is not fixed after all
    (S.FOLLOW_UP, S.CLOSED),
    (S.FOLLOW_UP, S.INVESTIGATING),  # unsatisfied at follow-up: reopen
}
# Open states in which an owner may be waiting for the customer's answer.
WAITABLE = [
    S.ACKNOWLEDGED, S.INVESTIGATING, S.REMEDY_PROPOSED, S.REMEDY_ACCEPTED,
    S.REMEDY_REJECTED, S.EXECUTING,
]
NOT_CLOSED = [s for s in S if s != S.CLOSED]
# Closing these is closing a finished case; any other needs "duplicate" or "invalid".
FINISHED = {S.RESOLVED, S.FOLLOW_UP}
# How a case gets to each state, one legal move at a time (waiting from `acknowledged`).
PATH = {
    S.NEW: [],
    S.ACKNOWLEDGED: [S.ACKNOWLEDGED],
    S.INVESTIGATING: [S.ACKNOWLEDGED, S.INVESTIGATING],
    S.REMEDY_PROPOSED: [S.ACKNOWLEDGED, S.INVESTIGATING, S.REMEDY_PROPOSED],
    S.REMEDY_REJECTED: [S.ACKNOWLEDGED, S.INVESTIGATING, S.REMEDY_PROPOSED, S.REMEDY_REJECTED],
    S.REMEDY_ACCEPTED: [S.ACKNOWLEDGED, S.INVESTIGATING, S.REMEDY_PROPOSED, S.REMEDY_ACCEPTED],
    S.EXECUTING: [S.ACKNOWLEDGED, S.INVESTIGATING, S.REMEDY_PROPOSED, S.REMEDY_ACCEPTED,
                  S.EXECUTING],
    S.RESOLVED: [S.ACKNOWLEDGED, S.INVESTIGATING, S.REMEDY_PROPOSED, S.REMEDY_ACCEPTED,
                 S.EXECUTING, S.RESOLVED],
    S.FOLLOW_UP: [S.ACKNOWLEDGED, S.INVESTIGATING, S.REMEDY_PROPOSED, S.REMEDY_ACCEPTED,
                  S.EXECUTING, S.RESOLVED, S.FOLLOW_UP],
    S.WAITING_ON_CUSTOMER: [S.ACKNOWLEDGED, S.WAITING_ON_CUSTOMER],
    S.CLOSED: [S.ACKNOWLEDGED, S.INVESTIGATING, S.REMEDY_PROPOSED, S.REMEDY_ACCEPTED,
               S.EXECUTING, S.RESOLVED, S.CLOSED],
}


def _allowed(status: str) -> set[str]:
    targets = {to for frm, to in FORWARD if frm == status}
    if status in WAITABLE:
        targets.add(S.WAITING_ON_CUSTOMER)
    if status == S.WAITING_ON_CUSTOMER:
        targets.add(S.ACKNOWLEDGED)  # back to where PATH parked it
    if status != S.CLOSED:
        targets.add(S.CLOSED)
    return targets


ALLOWED = sorted((frm, to) for frm in S for to in _allowed(frm))
REFUSED = sorted((frm, to) for frm in S for to in S if to not in _allowed(frm))


def _case(**overrides: Any) -> Case:
    values: dict[str, Any] = {
        "channel": Channel.PHONE,
        "description": "房间的空调坏了，前台说马上修，等了两个小时也没人来。",
        "customer": CustomerDetails(name="王女士", phone="13912345678", email="wang@example.com"),
    }
    values.update(overrides)
    return case_create(**values)


def _move(case: Case, actor: User, to: str, **extra: Any) -> Case:
    """One move, with the details the lifecycle asks for on the way."""
    if to == S.REMEDY_PROPOSED:
        extra.setdefault("remedy", "免收当晚房费")
    if to == S.CLOSED and case.status not in FINISHED:
        extra.setdefault("close_reason", CloseReason.DUPLICATE)
    return case_transition(case=case, actor=actor, to=to, **extra)


def _case_in(status: str, owner: User, **overrides: Any) -> Case:
    case = _case(**overrides)
    for step in PATH[status]:
        case = _move(case, owner, step)
    assert case.status == status
    return case


def _snapshot(case: Case) -> tuple[Any, ...]:
    """What a refused call must leave exactly as it was."""
    fresh = Case.objects.get(pk=case.pk)
    return (fresh.status, fresh.version, fresh.owner_id, fresh.updated_at, fresh.close_reason,
            fresh.status_before_wait, fresh.events.count(), OutboundEmail.objects.count())


class TestLifecycleTable:
    def test_the_code_allows_exactly_the_moves_of_the_design(self):
        in_code = {
            (frm, to)
            for frm in S
            for to in lifecycle.allowed_targets(
                frm, S.ACKNOWLEDGED if frm == S.WAITING_ON_CUSTOMER else ""
            )
        }
        assert in_code == set(ALLOWED)

    @pytest.mark.parametrize(("frm", "to"), ALLOWED)
    def test_every_allowed_move_is_made_and_recorded(self, agent, frm, to):
        case = _case_in(frm, agent)
        version, events = case.version, case.events.count()
        moved = _move(case, agent, to)
        stored = Case.objects.get(pk=case.pk)
        assert stored.status == to
        assert stored.version == version + 1
        assert moved.version == stored.version
        move = stored.events.filter(kind=EventKind.TRANSITION).last()
        assert move is not None
        assert (move.from_status, move.to_status, move.actor) == (frm, to, agent)
        assert (move.before["status"], move.after["status"]) == (frm, to)
        assert move.visible_to_customer
        # The move, plus the apology sent when the customer is first answered.
        assert stored.events.count() == events + (2 if (frm, to) == (S.NEW, S.ACKNOWLEDGED) else 1)

    @pytest.mark.parametrize(("frm", "to"), REFUSED)
    def test_every_other_move_is_refused_and_changes_nothing(self, agent, frm, to):
        case = _case_in(frm, agent)
        before = _snapshot(case)
        with pytest.raises(Conflict) as refused:
            _move(case, agent, to, close_reason=CloseReason.INVALID)
        assert refused.value.field == "to"
        assert _snapshot(case) == before

    def test_the_refusal_names_both_states_in_the_users_language(self, agent):
        case = _case()
        with pytest.raises(Conflict) as refused:
            case_transition(case=case, actor=agent, to=S.RESOLVED)
        assert str(refused.value.message) == "处于“新建”状态的补救单不能转为“已解决”。"

    def test_an_unknown_state_is_invalid(self, agent):
        case = _case()
        with pytest.raises(Invalid) as refused:
            case_transition(case=case, actor=agent, to="deleted")
        assert refused.value.field == "to"
        assert Case.objects.get(pk=case.pk).status == S.NEW


class TestWaitingOnCustomer:
    @pytest.mark.parametrize("status", WAITABLE)
    def test_a_case_waits_and_comes_back_to_where_it_was(self, agent, status):
        case = _case_in(status, agent)
        case = _move(case, agent, S.WAITING_ON_CUSTOMER)
        assert Case.objects.get(pk=case.pk).status_before_wait == status
        others = [s for s in WAITABLE if s != status]
        for other in others:
            with pytest.raises(Conflict):
                _move(case, agent, other)
        case = _move(case, agent, status)
        stored = Case.objects.get(pk=case.pk)
        assert (stored.status, stored.status_before_wait) == (status, "")
        moves = stored.events.filter(kind=EventKind.TRANSITION).order_by("-id")[:2]
        assert [(e.from_status, e.to_status) for e in reversed(moves)] == [
            (status, S.WAITING_ON_CUSTOMER), (S.WAITING_ON_CUSTOMER, status),
        ]

    @pytest.mark.parametrize("status", [S.NEW, S.RESOLVED, S.FOLLOW_UP, S.CLOSED])
    def test_only_open_worked_on_cases_can_wait(self, agent, status):
        case = _case_in(status, agent)
        before = _snapshot(case)
        with pytest.raises(Conflict):
            _move(case, agent, S.WAITING_ON_CUSTOMER)
        assert _snapshot(case) == before


class TestClosing:
    @pytest.mark.parametrize("reason", [CloseReason.DUPLICATE, CloseReason.INVALID])
    @pytest.mark.parametrize("status", NOT_CLOSED)
    def test_any_state_closes_as_duplicate_or_invalid_and_the_case_is_kept(
        self, agent, status, reason
    ):
        case = _case_in(status, agent)
        case = case_transition(case=case, actor=agent, to=S.CLOSED, close_reason=reason)
        stored = Case.objects.get(pk=case.pk)
        assert (stored.status, stored.close_reason) == (S.CLOSED, reason)
        assert stored.closed_at is not None
        assert stored.status_before_wait == ""
        assert stored.description == "房间的空调坏了，前台说马上修，等了两个小时也没人来。"
        closing = stored.events.get(to_status=S.CLOSED)
        assert closing.after["close_reason"] == reason

    @pytest.mark.parametrize("reason", [None, "", CloseReason.RESOLVED, "spam"])
    @pytest.mark.parametrize("status", [s for s in NOT_CLOSED if s not in FINISHED])
    def test_an_unfinished_case_needs_a_reason_to_close(self, agent, status, reason):
        case = _case_in(status, agent)
        before = _snapshot(case)
        with pytest.raises(Invalid) as refused:
            case_transition(case=case, actor=agent, to=S.CLOSED, close_reason=reason)
        assert refused.value.field == "close_reason"
        assert _snapshot(case) == before

    @pytest.mark.parametrize("status", sorted(FINISHED))
    def test_a_finished_case_closes_as_resolved(self, agent, status):
        case = _case_in(status, agent)
        case = case_transition(case=case, actor=agent, to=S.CLOSED)
        assert Case.objects.get(pk=case.pk).close_reason == CloseReason.RESOLVED

    def test_reopening_forgets_the_resolution_that_did_not_hold(self, agent):
        case = _case_in(S.FOLLOW_UP, agent)
        assert case.resolved_at is not None
        case = _move(case, agent, S.INVESTIGATING, message="很抱歉问题还没有解决，我们重新处理")
        stored = Case.objects.get(pk=case.pk)
        assert (stored.status, stored.resolved_at) == (S.INVESTIGATING, None)

    def test_a_remedy_is_proposed_only_with_a_remedy(self, agent):
        case = _case_in(S.INVESTIGATING, agent)
        before = _snapshot(case)
        with pytest.raises(Invalid) as refused:
            case_transition(case=case, actor=agent, to=S.REMEDY_PROPOSED)
        assert refused.value.field == "remedy"
        assert _snapshot(case) == before


class TestFirstContactOwnership:
    def test_whoever_acknowledges_owns_the_case(self, agent):
        case = _case()
        assert case.owner is None
        with clock.travel_to(datetime(2026, 3, 2, 1, 30, tzinfo=UTC)):
            case = case_transition(case=case, actor=agent, to=S.ACKNOWLEDGED)
        stored = Case.objects.get(pk=case.pk)
        assert stored.owner == agent
        assert stored.acknowledged_at == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
        move = stored.events.get(kind=EventKind.TRANSITION)
        assert (move.before["owner_id"], move.after["owner_id"]) == (None, agent.pk)

    def test_a_supervisor_who_answers_first_owns_it_too(self, supervisor):
        case = case_transition(case=_case(), actor=supervisor, to=S.ACKNOWLEDGED)
        assert Case.objects.get(pk=case.pk).owner == supervisor

    def test_acknowledging_apologises_to_the_customer_in_their_language(self, agent):
        chinese = case_transition(case=_case(), actor=agent, to=S.ACKNOWLEDGED)
        english = case_transition(
            case=_case(description="The room was dirty and nobody came to clean it."),
            actor=agent, to=S.ACKNOWLEDGED,
        )
        zh = chinese.events.get(kind=EventKind.MESSAGE)
        en = english.events.get(kind=EventKind.MESSAGE)
        assert zh.visible_to_customer and en.visible_to_customer
        assert "抱歉" in zh.message and chinese.reference in zh.message
        assert "sorry" in en.message and english.reference in en.message

    @pytest.mark.parametrize("status", [s for s in S if s not in (S.NEW, S.CLOSED)])
    def test_after_first_contact_a_case_always_has_one_owner(self, agent, status):
        case = _case_in(status, agent)
        assert Case.objects.get(pk=case.pk).owner == agent
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.filter(pk=case.pk).update(owner=None)
        assert Case.objects.get(pk=case.pk).owner == agent

    def test_coming_back_from_waiting_keeps_the_first_response(
        self, agent, django_capture_on_commit_callbacks
    ):
        answered = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
        with clock.travel_to(answered):
            case = _case_in(S.WAITING_ON_CUSTOMER, agent)
        with django_capture_on_commit_callbacks(execute=True), clock.travel_to(
            answered + timedelta(days=1)
        ):
            case = case_transition(case=case, actor=agent, to=S.ACKNOWLEDGED)
        stored = Case.objects.get(pk=case.pk)
        assert (stored.status, stored.owner) == (S.ACKNOWLEDGED, agent)
        # The first response was the day before: the clock and the apology are not redone.
        assert stored.acknowledged_at == answered
        assert stored.events.filter(kind=EventKind.MESSAGE).count() == 1
        assert OutboundEmail.objects.count() == 1
        assert mail.outbox == []

    def test_a_colleague_cannot_move_a_case_someone_else_owns(self, agent, agent2):
        case = _case_in(S.ACKNOWLEDGED, agent)
        before = _snapshot(case)
        with pytest.raises(NotAllowed) as refused:
            case_transition(case=case, actor=agent2, to=S.INVESTIGATING)
        assert "小张" in str(refused.value.message)
        with pytest.raises(NotAllowed):
            case_add_message(case=case, actor=agent2, body="我来跟进")
        with pytest.raises(NotAllowed):
            case_record_details(case=case, actor=agent2, needs="退款")
        assert _snapshot(case) == before

    def test_a_colleague_cannot_take_over_by_acknowledging_again(self, agent, agent2):
        case = _case_in(S.WAITING_ON_CUSTOMER, agent)
        with pytest.raises(NotAllowed):
            case_transition(case=case, actor=agent2, to=S.ACKNOWLEDGED)
        assert Case.objects.get(pk=case.pk).owner == agent

    def test_a_supervisor_can_move_it_and_the_owner_stays(self, agent, supervisor):
        case = _case_in(S.ACKNOWLEDGED, agent)
        case = case_transition(case=case, actor=supervisor, to=S.INVESTIGATING)
        stored = Case.objects.get(pk=case.pk)
        assert (stored.status, stored.owner) == (S.INVESTIGATING, agent)
        assert stored.events.last().actor == supervisor

    def test_a_quality_manager_of_another_department_can_step_in(self, agent, quality):
        case = _case_in(S.ACKNOWLEDGED, agent)
        case = case_transition(case=case, actor=quality, to=S.INVESTIGATING)
        assert Case.objects.get(pk=case.pk).status == S.INVESTIGATING

    def test_someone_from_another_department_is_told_the_case_does_not_exist(
        self, agent, outsider
    ):
        fresh, owned = _case(), _case_in(S.ACKNOWLEDGED, agent)
        for case in (fresh, owned):
            before = _snapshot(case)
            with pytest.raises(NotFound):
                case_transition(case=case, actor=outsider, to=S.ACKNOWLEDGED)
            with pytest.raises(NotFound):
                case_add_message(case=case, actor=outsider, body="你好")
            assert _snapshot(case) == before

    def test_a_deactivated_owner_can_no_longer_act(self, agent):
        case = _case_in(S.ACKNOWLEDGED, agent)
        agent.is_active = False
        agent.save()
        with pytest.raises(NotFound):
            case_transition(case=case, actor=agent, to=S.INVESTIGATING)

    @pytest.mark.django_db(transaction=True)
    def test_two_agents_answering_at_once_leave_one_owner(self, agent, agent2, tmp_path):
        with shared_database(tmp_path):
            case = _case()
            outcomes = at_once(
                lambda: case_transition(case=case, actor=agent, to=S.ACKNOWLEDGED),
                lambda: case_transition(case=case, actor=agent2, to=S.ACKNOWLEDGED),
            )
            winners = [o for o in outcomes if isinstance(o, Case)]
            losers = [o for o in outcomes if not isinstance(o, Case)]
            assert len(winners) == 1, outcomes
            assert len(losers) == 1 and isinstance(losers[0], NotAllowed), outcomes
            stored = Case.objects.get(pk=case.pk)
            assert stored.owner == winners[0].owner
            assert stored.version == 2
            assert stored.events.filter(kind=EventKind.TRANSITION).count() == 1


class TestHandover:
    def test_the_case_changes_hands_with_the_reason_on_the_timeline(self, agent, agent2):
        case = _case_in(S.INVESTIGATING, agent)
        version = case.version
        with clock.travel_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)):
            case = case_handover(case=case, actor=agent, to_user=agent2, reason="我明天开始休假")
        stored = Case.objects.get(pk=case.pk)
        assert (stored.owner, stored.status, stored.version) == (agent2, S.INVESTIGATING,
                                                                 version + 1)
        event = stored.events.get(kind=EventKind.HANDOVER)
        assert (event.actor, event.message, event.at) == (
            agent, "我明天开始休假", datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        assert (event.before, event.after) == ({"owner": "agent1"}, {"owner": "agent2"})
        assert not event.visible_to_customer

    def test_the_new_owner_carries_on_and_the_old_one_cannot(self, agent, agent2):
        case = _case_in(S.INVESTIGATING, agent)
        case = case_handover(case=case, actor=agent, to_user=agent2, reason="换班")
        with pytest.raises(NotAllowed):
            _move(case, agent, S.REMEDY_PROPOSED)
        case = _move(case, agent2, S.REMEDY_PROPOSED)
        assert Case.objects.get(pk=case.pk).status == S.REMEDY_PROPOSED

    @pytest.mark.parametrize("reason", ["", "   \n", None])
    def test_a_handover_needs_a_reason(self, agent, agent2, reason):
        case = _case_in(S.ACKNOWLEDGED, agent)
        before = _snapshot(case)
        with pytest.raises(Invalid) as refused:
            case_handover(case=case, actor=agent, to_user=agent2, reason=reason)
        assert refused.value.field == "reason"
        assert _snapshot(case) == before

    def test_only_to_a_colleague_who_can_see_the_case(self, agent, agent2, outsider):
        case = _case_in(S.ACKNOWLEDGED, agent)
        agent2.is_active = False
        agent2.save()
        before = _snapshot(case)
        for colleague in (outsider, agent2, agent):
            with pytest.raises(Invalid) as refused:
                case_handover(case=case, actor=agent, to_user=colleague, reason="换人")
            assert refused.value.field == "to_user"
        assert _snapshot(case) == before

    def test_a_quality_manager_of_another_department_can_take_it(self, agent, quality):
        case = _case_in(S.ACKNOWLEDGED, agent)
        case = case_handover(case=case, actor=agent, to_user=quality, reason="需要质量经理介入")
        assert Case.objects.get(pk=case.pk).owner == quality

    def test_not_before_someone_answered_the_customer(self, agent, agent2):
        case = _case()
        before = _snapshot(case)
        with pytest.raises(Conflict):
            case_handover(case=case, actor=agent, to_user=agent2, reason="你来处理")
        assert _snapshot(case) == before

    def test_not_by_a_colleague_but_by_a_supervisor(self, agent, agent2, supervisor):
        case = _case_in(S.ACKNOWLEDGED, agent)
        before = _snapshot(case)
        with pytest.raises(NotAllowed):
            case_handover(case=case, actor=agent2, to_user=agent2, reason="我来")
        assert _snapshot(case) == before
        case_handover(case=case, actor=supervisor, to_user=agent2, reason="小张请假")
        assert Case.objects.get(pk=case.pk).owner == agent2

    def test_not_once_the_case_is_closed(self, agent, agent2):
        case = _case_in(S.CLOSED, agent)
        with pytest.raises(Conflict):
            case_handover(case=case, actor=agent, to_user=agent2, reason="补充")
        assert Case.objects.get(pk=case.pk).owner == agent


class TestOptimisticLocking:
    def test_a_stale_version_is_refused_and_changes_nothing(self, agent):
        case = _case_in(S.ACKNOWLEDGED, agent)
        stale = case.version - 1
        before = _snapshot(case)
        with pytest.raises(Conflict) as refused:
            case_transition(case=case, actor=agent, to=S.INVESTIGATING, expected_version=stale,
                            needs="退房费")
        assert refused.value.field == "version"
        assert _snapshot(case) == before
        assert Case.objects.get(pk=case.pk).needs == ""

    def test_every_write_checks_the_version(self, agent, agent2):
        case = _case_in(S.ACKNOWLEDGED, agent)
        before = _snapshot(case)
        with pytest.raises(Conflict):
            case_handover(case=case, actor=agent, to_user=agent2, reason="换班",
                          expected_version=1)
        with pytest.raises(Conflict):
            case_record_details(case=case, actor=agent, needs="退款", expected_version=1)
        assert _snapshot(case) == before

    def test_the_current_version_is_accepted(self, agent):
        case = _case_in(S.ACKNOWLEDGED, agent)
        case = case_transition(case=case, actor=agent, to=S.INVESTIGATING,
                               expected_version=case.version)
        assert Case.objects.get(pk=case.pk).status == S.INVESTIGATING

    @pytest.mark.django_db(transaction=True)
    def test_of_two_writers_with_the_same_version_exactly_one_wins(self, agent, tmp_path):
        with shared_database(tmp_path):
            case = _case_in(S.ACKNOWLEDGED, agent)
            version = case.version

            def investigate() -> Case:
                return case_transition(case=case, actor=agent, to=S.INVESTIGATING,
                                       expected_version=version)

            def wait() -> Case:
                return case_transition(case=case, actor=agent, to=S.WAITING_ON_CUSTOMER,
                                       expected_version=version)

            outcomes = at_once(investigate, wait)
            winners = [o for o in outcomes if isinstance(o, Case)]
            losers = [o for o in outcomes if not isinstance(o, Case)]
            assert len(winners) == 1, outcomes
            assert len(losers) == 1 and isinstance(losers[0], Conflict), outcomes
            assert losers[0].field == "version"
            stored = Case.objects.get(pk=case.pk)
            assert stored.status == winners[0].status
            assert stored.version == version + 1
            moves = stored.events.filter(kind=EventKind.TRANSITION, from_status=S.ACKNOWLEDGED)
            assert [m.to_status for m in moves] == [winners[0].status]


class TestTimeline:
    def test_receipt_is_the_first_entry_with_channel_and_time(self, agent):
        received = clock.now() - timedelta(hours=2)
        case = _case(received_at=received, created_by=agent, priority="P2")
        created = case.events.get()
        assert (created.kind, created.actor, created.to_status) == (
            EventKind.CREATED, agent, S.NEW)
        assert created.visible_to_customer
        assert created.after == {"channel": "phone", "received_at": received.isoformat(),
                                 "priority": "P2"}

    def test_a_move_records_every_detail_before_and_after(self, agent):
        case = _case_in(S.ACKNOWLEDGED, agent)
        moment = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
        with clock.travel_to(moment):
            case = case_transition(
                case=case, actor=agent, to=S.INVESTIGATING, needs="希望退一晚房费",
                facts="维修工单被漏派",
            )
            case = case_transition(
                case=case, actor=agent, to=S.REMEDY_PROPOSED, remedy="退一晚房费",
                remedy_amount="468.5",
            )
        first, second = case.events.filter(kind=EventKind.TRANSITION).order_by("id")[1:]
        assert (first.at, first.actor) == (moment, agent)
        assert first.before == {"status": "acknowledged", "needs": "", "facts": ""}
        assert first.after == {"status": "investigating", "needs": "希望退一晚房费",
                               "facts": "维修工单被漏派"}
        assert second.before == {"status": "investigating", "remedy": "",
                                 "remedy_amount": None}
        assert second.after == {"status": "remedy_proposed", "remedy": "退一晚房费",
                                "remedy_amount": "468.50"}
        stored = Case.objects.get(pk=case.pk)
        assert stored.remedy_amount == Decimal("468.50")
        assert stored.updated_at == moment

    def test_details_are_recorded_for_staff_only(self, agent):
        case = _case_in(S.INVESTIGATING, agent)
        version = case.version
        case = case_record_details(case=case, actor=agent, needs="想要一个道歉", facts="")
        stored = Case.objects.get(pk=case.pk)
        assert (stored.needs, stored.version) == ("想要一个道歉", version + 1)
        event = stored.events.get(kind=EventKind.DETAILS)
        assert (event.actor, event.before, event.after) == (
            agent, {"needs": ""}, {"needs": "想要一个道歉"})
        assert not event.visible_to_customer

    def test_recording_the_same_details_again_writes_nothing(self, agent):
        case = _case_in(S.INVESTIGATING, agent)
        case = case_record_details(case=case, actor=agent, needs="道歉")
        before = _snapshot(case)
        case_record_details(case=case, actor=agent, needs="道歉")
        assert _snapshot(case) == before

    def test_messages_are_shown_to_the_customer_and_notes_are_not(self, agent):
        case = _case_in(S.ACKNOWLEDGED, agent)
        message = case_add_message(case=case, actor=agent, body="维修师傅十分钟内到")
        note = case_add_message(case=case, actor=agent, body="工程部说配件缺货",
                                to_customer=False)
        assert (message.kind, message.visible_to_customer, message.actor) == (
            EventKind.MESSAGE, True, agent)
        assert (note.kind, note.visible_to_customer, note.actor) == (
            EventKind.NOTE, False, agent)
        shown = CaseEvent.objects.filter(case=case, visible_to_customer=True)
        assert "维修师傅十分钟内到" in [e.message for e in shown]
        assert "工程部说配件缺货" not in [e.message for e in shown]

    def test_what_the_customer_sees_and_what_stays_inside(self, agent, agent2):
        case = _case_in(S.INVESTIGATING, agent)
        case_record_details(case=case, actor=agent, facts="前台忘了派单")
        case_add_message(case=case, actor=agent, body="内部：扣绩效", to_customer=False)
        case_handover(case=case, actor=agent, to_user=agent2, reason="换班")
        visible = set(CaseEvent.objects.filter(case=case, visible_to_customer=True)
                      .values_list("kind", flat=True))
        hidden = set(CaseEvent.objects.filter(case=case, visible_to_customer=False)
                     .values_list("kind", flat=True))
        assert visible == {EventKind.CREATED, EventKind.TRANSITION, EventKind.MESSAGE}
        assert hidden == {EventKind.DETAILS, EventKind.NOTE, EventKind.HANDOVER}


class TestMessages:
    def test_the_customer_is_emailed_when_they_left_an_address(
        self, agent, django_capture_on_commit_callbacks
    ):
        case = _case_in(S.ACKNOWLEDGED, agent)
        with django_capture_on_commit_callbacks(execute=True):
            case_add_message(case=case, actor=agent, body="师傅下午两点上门维修")
        queued = OutboundEmail.objects.filter(body__contains="师傅下午两点上门维修").get()
        assert queued.to == "wang@example.com"
        assert case.reference in queued.subject
        assert [m.to for m in mail.outbox] == [["wang@example.com"]]
        sent = mail.outbox[0]
        assert sent.subject == f"【{case.reference}】关于您的投诉"
        assert "师傅下午两点上门维修" in sent.body
        assert f"/track/{case.tracking_code}/" in sent.body

    def test_no_email_without_an_address(self, agent, django_capture_on_commit_callbacks):
        case = _case_in(
            S.ACKNOWLEDGED, agent, customer=CustomerDetails(name="李先生", phone="13800138000")
        )
        with django_capture_on_commit_callbacks(execute=True):
            event = case_add_message(case=case, actor=agent, body="已为您安排换房")
        assert event.visible_to_customer
        assert OutboundEmail.objects.count() == 0
        assert mail.outbox == []

    def test_internal_notes_are_not_emailed(self, agent, django_capture_on_commit_callbacks):
        case = _case_in(S.ACKNOWLEDGED, agent)
        emails = OutboundEmail.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            case_add_message(case=case, actor=agent, body="客人比较激动", to_customer=False)
        assert OutboundEmail.objects.count() == emails
        assert not any("客人比较激动" in m.body for m in mail.outbox)

    def test_a_closed_case_takes_no_more_messages_to_the_customer(self, agent):
        case = _case_in(S.CLOSED, agent)
        before = _snapshot(case)
        with pytest.raises(Conflict):
            case_add_message(case=case, actor=agent, body="还有什么可以帮您？")
        assert _snapshot(case) == before

    @pytest.mark.parametrize("body", ["", "  \n ", "长" * 5_001])
    def test_an_empty_or_overlong_message_is_refused(self, agent, body):
        case = _case_in(S.ACKNOWLEDGED, agent)
        before = _snapshot(case)
        with pytest.raises(Invalid) as refused:
            case_add_message(case=case, actor=agent, body=body)
        assert refused.value.field == "body"
        assert _snapshot(case) == before


class TestIntakeRecord:
    @pytest.mark.parametrize("words", [
        "  前后有空格，\n\n还有空行\t和制表符  ",
        "服务员翻白眼 🙄😡👎🏻 家庭套餐 👨‍👩‍👧",
        '<script>alert("x")</script> <b>粗体</b> &amp; {{ template }} %s \\n',
        "Windows 的换行\r\n第二行",
    ])
    def test_the_description_is_stored_verbatim(self, words):
        case = _case(description=words)
        assert Case.objects.get(pk=case.pk).description == words

    @pytest.mark.parametrize(("field", "overrides"), [
        ("description", {"description": ""}),
        ("description", {"description": " \n\t "}),
        ("description", {"description": "太" * 20_000}),
        ("phone", {"customer": CustomerDetails(name="王", phone="12345")}),
        ("phone", {"customer": CustomerDetails(name="王", phone="call me maybe")}),
        ("email", {"customer": CustomerDetails(name="王", email="wang@")}),
        ("name", {"customer": CustomerDetails(name="<b>王</b>")}),
        ("channel", {"channel": "carrier_pigeon"}),
        ("received_at", {"received_at": clock.now() + timedelta(days=1)}),
        ("received_at", {"received_at": datetime(2026, 1, 1, 12, 0)}),  # no time zone
        ("amount_at_stake", {"amount_at_stake": "-0.01"}),
        ("amount_at_stake", {"amount_at_stake": "一百元"}),
        ("priority", {"priority": "P0"}),
    ])
    def test_bad_input_names_the_field_and_stores_nothing(self, field, overrides):
        with pytest.raises(Invalid) as refused:
            _case(**overrides)
        assert refused.value.field == field
        assert str(refused.value.message)
        assert Case.objects.count() == 0
        assert Customer.objects.count() == 0
        assert CaseEvent.objects.count() == 0
        assert ReferenceCounter.objects.count() == 0

    def test_the_longest_description_accepted_is_ten_thousand_characters(self):
        case = _case(description="长" * 10_000)
        assert len(Case.objects.get(pk=case.pk).description) == 10_000

    def test_money_is_kept_in_yuan_and_fen(self):
        case = _case(amount_at_stake="128.5")
        assert Case.objects.get(pk=case.pk).amount_at_stake == Decimal("128.50")

    def test_the_department_follows_who_recorded_it_else_the_default_intake(
        self, department, other_department, outsider
    ):
        assert _case().department == department
        assert _case(created_by=outsider).department == other_department
        assert _case(department=other_department).department == other_department


class TestReferences:
    def test_references_count_up_within_the_year(self):
        with clock.travel_to(datetime(2026, 6, 1, 4, 0, tzinfo=UTC)):
            refs = [_case().reference for _ in range(3)]
        assert refs == ["SR-2026-000001", "SR-2026-000002", "SR-2026-000003"]

    def test_the_year_is_the_year_in_china_and_numbering_restarts(self):
        with clock.travel_to(datetime(2025, 12, 31, 15, 59, tzinfo=UTC)):  # 23:59 in Shanghai
            last_of_2025 = [_case().reference for _ in range(2)]
        with clock.travel_to(datetime(2025, 12, 31, 16, 1, tzinfo=UTC)):  # 00:01, 1 January
            first_of_2026 = [_case().reference for _ in range(2)]
        assert last_of_2025 == ["SR-2025-000001", "SR-2025-000002"]
        assert first_of_2026 == ["SR-2026-000001", "SR-2026-000002"]

    @pytest.mark.django_db(transaction=True)
    def test_complaints_arriving_together_get_consecutive_numbers(self, tmp_path):
        with shared_database(tmp_path), clock.travel_to(datetime(2031, 1, 1, 2, 0, tzinfo=UTC)):
            # The first complaints of a year: the year's counter does not exist yet.
            outcomes = at_once(*[_case] * 4)
            assert all(isinstance(o, Case) for o in outcomes), outcomes
            assert sorted(c.reference for c in outcomes) == [
                f"SR-2031-{n:06d}" for n in (1, 2, 3, 4)]
            assert Case.objects.count() == 4

    def test_tracking_codes_are_long_and_unique(self):
        cases = [_case() for _ in range(40)]
        codes = [c.tracking_code for c in cases]
        assert len(set(codes)) == len(codes)
        for case in cases:
            assert len(case.tracking_code) >= 22  # 128 random bits
            assert re.fullmatch(r"[A-Za-z0-9_-]+", case.tracking_code)

