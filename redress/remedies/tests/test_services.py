"""Authority limits, approvals, execution and service guarantees, through the services."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail

from redress.accounts.models import Role, User
from redress.cases.models import Case, CaseEvent, EventKind, Status
from redress.cases.services import case_transition
from redress.cases.tests.concurrency import at_once, shared_database
from redress.common.errors import Conflict, Invalid, NotAllowed, OverAuthority
from redress.notify.models import StaffNotification
from redress.remedies.models import (
    AuthorityLimit,
    Metric,
    Remedy,
    RemedyOption,
    RemedyRefusal,
    RemedyStatus,
    ServiceGuarantee,
)
from redress.remedies.services import (
    authority_limit_set,
    guarantees_keep,
    remedies_sweep,
    remedy_answer,
    remedy_approve,
    remedy_counter,
    remedy_execute,
    remedy_propose,
    remedy_reject,
)
from redress.remedies.tests.conftest import SHANGHAI

pytestmark = pytest.mark.django_db
R = RemedyStatus


def test_the_catalogue_and_limits_of_the_issue_are_installed() -> None:
    codes = set(RemedyOption.objects.values_list("code", flat=True))
    assert {"refund-full", "refund-partial", "discount-percent", "discount-amount", "coupon",
            "gift", "points", "replacement", "repair", "redo", "loaner", "free-express",
            "extended-warranty", "free-service", "apology", "explanation"} <= codes
    limits = {row.role: (row.per_case, row.per_day) for row in AuthorityLimit.objects.all()}
    assert limits[Role.AGENT] == (Decimal("500.00"), Decimal("5000.00"))
    assert limits[Role.SUPERVISOR] == (Decimal("5000.00"), None)
    assert limits[Role.MANAGER] == (None, None)


class TestPerCaseLimit:
    def test_500_00_is_within_an_agents_authority(self, open_case, agent) -> None:
        case = open_case()
        remedy = remedy_propose(case=case, actor=agent, code="coupon", amount="500.00")
        assert remedy.status == R.PROPOSED
        assert remedy.authorised_by == agent
        case.refresh_from_db()
        assert case.status == Status.REMEDY_PROPOSED
        assert case.remedy == "代金券 ¥500.00" and case.remedy_amount == Decimal("500.00")

    def test_500_01_waits_for_approval(self, open_case, agent, supervisor) -> None:
        case = open_case()
        remedy = remedy_propose(case=case, actor=agent, code="coupon", amount="500.01")
        assert remedy.status == R.PENDING_APPROVAL
        assert remedy.authorised_by is None
        assert remedy.approval_due_at is not None
        case.refresh_from_db()
        assert case.status == Status.INVESTIGATING  # nothing offered to the customer yet
        # The approver hears of it.
        assert StaffNotification.objects.filter(recipient=supervisor,
                                                text__contains=case.reference).exists()

    def test_the_case_total_counts_not_each_remedy_alone(self, open_case, agent) -> None:
        case = open_case()
        assert remedy_propose(case=case, actor=agent, code="coupon", amount="300").status \
            == R.PROPOSED
        assert remedy_propose(case=case, actor=agent, code="gift", amount="200").status \
            == R.PROPOSED
        assert remedy_propose(case=case, actor=agent, code="gift", amount="0.01").status \
            == R.PENDING_APPROVAL

    def test_words_alone_are_always_within_authority(self, open_case, agent) -> None:
        case = open_case()
        apology = remedy_propose(case=case, actor=agent, code="apology")
        # An apology is given, not offered: no acceptance to wait for.
        assert apology.status == R.ACCEPTED and apology.value == Decimal("0.00")
        case.refresh_from_db()
        assert case.status == Status.REMEDY_ACCEPTED


class TestDailyLimit:
    def _fill_the_day(self, open_case, agent, moment, when) -> None:
        for _ in range(10):
            with moment(when):
                remedy_propose(case=open_case(), actor=agent, code="coupon", amount="500")

    def test_5000_a_day_then_approval(self, open_case, agent, moment) -> None:
        day = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
        self._fill_the_day(open_case, agent, moment, day)
        with moment(day + timedelta(hours=1)):
            remedy = remedy_propose(case=open_case(), actor=agent, code="coupon", amount="0.01")
        assert remedy.status == R.PENDING_APPROVAL
        assert "5000.00" in remedy.decision_reason

    def test_the_day_ends_at_midnight_in_shanghai_not_utc(self, open_case, agent,
                                                            moment) -> None:
        # 23:50 in Shanghai is 15:50 UTC, the same UTC day as 00:10 Shanghai next day
        # (16:10 UTC): a UTC day would wrongly count both together.
        late = datetime(2026, 11, 20, 23, 50, tzinfo=SHANGHAI)
        self._fill_the_day(open_case, agent, moment, late)
        with moment(late + timedelta(minutes=5)):
            same_day = remedy_propose(case=open_case(), actor=agent, code="coupon", amount="1")
        with moment(datetime(2026, 11, 21, 0, 10, tzinfo=SHANGHAI)):
            next_day = remedy_propose(case=open_case(), actor=agent, code="coupon",
                                      amount="500")
        assert same_day.status == R.PENDING_APPROVAL
        assert next_day.status == R.PROPOSED
        assert next_day.proposed_on.isoformat() == "2026-11-21"


class TestPolicyCap:
    def test_up_to_one_and_a_half_times_the_loss(self, open_case, agent) -> None:
        case = open_case(stake="100.00")
        assert remedy_propose(case=case, actor=agent, code="coupon", amount="150").status \
            == R.PROPOSED

    def test_above_it_a_second_person_decides_even_within_authority(self, open_case,
                                                                     agent) -> None:
        case = open_case(stake="100.00")
        remedy = remedy_propose(case=case, actor=agent, code="coupon", amount="150.01")
        assert remedy.status == R.PENDING_APPROVAL and remedy.over_policy_cap

    def test_a_percentage_is_of_the_amount_at_stake_in_exact_decimals(self, open_case,
                                                                      agent) -> None:
        case = open_case(stake="88.88")
        remedy = remedy_propose(case=case, actor=agent, code="discount-percent", amount="20")
        # 20% of 88.88 is 17.776, rounded half up to the cent.
        assert remedy.value == Decimal("17.78")
        assert remedy.cost == Decimal("17.78")
        coupon = remedy_propose(case=case, actor=agent, code="coupon", amount="50")
        assert coupon.cost == Decimal("30.00")  # a coupon costs less than its face value


class TestBadAmounts:
    @pytest.mark.parametrize(("code", "amount", "field"), [
        ("coupon", "-5", "amount"), ("coupon", "0", "amount"), ("coupon", "abc", "amount"),
        ("coupon", "1e12", "amount"), ("coupon", None, "amount"),
        ("discount-percent", "100.01", "amount"), ("discount-percent", "150", "amount"),
        ("nonsense", "5", "type"),
    ])
    def test_refused_nothing_changed_attempt_kept(self, open_case, agent, code, amount,
                                                  field) -> None:
        case = open_case(stake="100")
        version = case.version
        with pytest.raises(Invalid) as refused:
            remedy_propose(case=case, actor=agent, code=code, amount=amount)
        assert refused.value.field == field
        assert not Remedy.objects.exists()
        case.refresh_from_db()
        assert case.version == version and case.status == Status.ACKNOWLEDGED
        attempt = RemedyRefusal.objects.get()
        assert attempt.actor == agent and attempt.action == "propose" and attempt.case == case

    def test_a_percentage_needs_the_amount_at_stake(self, open_case, agent) -> None:
        with pytest.raises(Invalid, match="涉及金额"):
            remedy_propose(case=open_case(), actor=agent, code="discount-percent", amount="10")

    def test_not_before_the_first_apology(self, department, agent) -> None:
        from redress.cases.models import Channel
        from redress.cases.services import CustomerDetails, case_create

        case = case_create(channel=Channel.WEB, description="菜里有头发",
                           customer=CustomerDetails(phone="13800138000"), department=department)
        with pytest.raises(Conflict):
            remedy_propose(case=case, actor=agent, code="coupon", amount="10")


class TestApproval:
    def test_own_request_is_refused(self, open_case, supervisor) -> None:
        case = open_case()
        remedy = remedy_propose(case=case, actor=supervisor, code="coupon", amount="6000")
        assert remedy.status == R.PENDING_APPROVAL
        with pytest.raises(NotAllowed):
            remedy_approve(remedy=remedy, actor=supervisor, reason="我自己批")
        remedy.refresh_from_db()
        assert remedy.status == R.PENDING_APPROVAL
        assert RemedyRefusal.objects.filter(action="approve", actor=supervisor).exists()

    def test_an_agent_cannot_approve(self, open_case, agent, agent2) -> None:
        remedy = remedy_propose(case=open_case(), actor=agent, code="coupon", amount="800")
        with pytest.raises(NotAllowed):
            remedy_approve(remedy=remedy, actor=agent2, reason="ok")

    def test_supervisor_approves_within_their_own_authority(self, open_case, agent,
                                                            supervisor) -> None:
        case = open_case()
        remedy = remedy_propose(case=case, actor=agent, code="coupon", amount="800")
        remedy_approve(remedy=remedy, actor=supervisor, reason="老顾客，第二次出问题")
        remedy.refresh_from_db()
        assert remedy.status == R.PROPOSED
        assert remedy.authorised_by == supervisor and remedy.decided_by == supervisor
        case.refresh_from_db()
        assert case.status == Status.REMEDY_PROPOSED
        assert StaffNotification.objects.filter(recipient=agent, text__contains="已获批准")
        texts = list(CaseEvent.objects.filter(case=case, kind=EventKind.REMEDY)
                     .values_list("message", flat=True))
        assert any("老顾客" in t for t in texts)

    def test_over_the_approvers_own_limit_goes_higher(self, open_case, agent, supervisor,
                                                      manager) -> None:
        remedy = remedy_propose(case=open_case(), actor=agent, code="refund-partial",
                                amount="6000")
        with pytest.raises(OverAuthority):
            remedy_approve(remedy=remedy, actor=supervisor, reason="ok")
        remedy_approve(remedy=remedy, actor=manager, reason="重大质量事故")
        remedy.refresh_from_db()
        assert remedy.status == R.PROPOSED and remedy.authorised_by == manager

    def test_approving_twice_is_refused(self, open_case, agent, supervisor,
                                        supervisor2) -> None:
        remedy = remedy_propose(case=open_case(), actor=agent, code="coupon", amount="800")
        remedy_approve(remedy=remedy, actor=supervisor, reason="ok")
        with pytest.raises(Conflict):
            remedy_approve(remedy=remedy, actor=supervisor2, reason="ok too")
        with pytest.raises(Conflict):
            remedy_reject(remedy=remedy, actor=supervisor2, reason="no")

    def test_reject_with_reason(self, open_case, agent, supervisor) -> None:
        case = open_case()
        remedy = remedy_propose(case=case, actor=agent, code="coupon", amount="800")
        with pytest.raises(Invalid):
            remedy_reject(remedy=remedy, actor=supervisor, reason="  ")
        remedy_reject(remedy=remedy, actor=supervisor, reason="金额过高，先道歉加免费维修")
        remedy.refresh_from_db()
        assert remedy.status == R.REJECTED and "先道歉" in remedy.decision_reason
        assert StaffNotification.objects.filter(recipient=agent, text__contains="先道歉")

    def test_counter_proposal_replaces_it(self, open_case, agent, supervisor) -> None:
        case = open_case()
        remedy = remedy_propose(case=case, actor=agent, code="coupon", amount="800")
        counter = remedy_counter(remedy=remedy, actor=supervisor, reason="400 足够",
                                 amount="400")
        remedy.refresh_from_db()
        assert remedy.status == R.COUNTERED
        assert counter.counter_of == remedy and counter.status == R.PROPOSED
        assert counter.value == Decimal("400.00") and counter.authorised_by == supervisor
        case.refresh_from_db()
        assert case.status == Status.REMEDY_PROPOSED


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_one_decides(open_case, agent, supervisor, supervisor2,
                                           tmp_path) -> None:
    remedy = remedy_propose(case=open_case(), actor=agent, code="coupon", amount="800")
    with shared_database(tmp_path):
        outcomes = at_once(
            lambda: remedy_approve(remedy=remedy, actor=supervisor, reason="A"),
            lambda: remedy_reject(remedy=remedy, actor=supervisor2, reason="B"),
        )
        won = [o for o in outcomes if isinstance(o, Remedy)]
        lost = [o for o in outcomes if isinstance(o, Exception)]
        assert len(won) == 1 and len(lost) == 1 and isinstance(lost[0], Conflict)
        remedy.refresh_from_db()
        assert remedy.status in (R.PROPOSED, R.REJECTED)
        assert remedy.decision_reason == ("A" if remedy.status == R.PROPOSED else "B")


class TestExecution:
    def test_accept_execute_with_proof_and_the_customer_is_told(
        self, open_case, agent, django_capture_on_commit_callbacks
    ) -> None:
        case = open_case(email="chen@example.com")
        remedy = remedy_propose(case=case, actor=agent, code="coupon", amount="50")
        remedy_answer(remedy=remedy, actor=agent, accepted=True)
        case.refresh_from_db()
        assert case.status == Status.REMEDY_ACCEPTED
        with pytest.raises(Invalid):
            remedy_execute(remedy=remedy, actor=agent, proof="")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            remedy_execute(remedy=remedy, actor=agent, proof="券已发到会员账户",
                           reference="CP-88831")
        remedy.refresh_from_db()
        assert remedy.status == R.EXECUTED and remedy.proof_reference == "CP-88831"
        case.refresh_from_db()
        assert case.status == Status.EXECUTING
        told = CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE,
                                        visible_to_customer=True).last()
        assert told is not None and "CP-88831" in told.message and "代金券" in told.message
        assert any("CP-88831" in m.body for m in mail.outbox)

    def test_executing_twice_is_refused(self, open_case, agent) -> None:
        remedy = remedy_propose(case=open_case(), actor=agent, code="apology")
        remedy_execute(remedy=remedy, actor=agent, proof="书面致歉信已寄出")
        with pytest.raises(Conflict, match="已于"):
            remedy_execute(remedy=remedy, actor=agent, proof="again")
        assert RemedyRefusal.objects.filter(action="execute").count() == 1

    @pytest.mark.parametrize("state", ["pending", "rejected", "declined", "proposed"])
    def test_only_an_accepted_remedy_is_carried_out(self, open_case, agent, supervisor,
                                                    state) -> None:
        case = open_case()
        remedy = remedy_propose(case=case, actor=agent, code="coupon",
                                amount="800" if state in ("pending", "rejected") else "50")
        if state == "rejected":
            remedy_reject(remedy=remedy, actor=supervisor, reason="no")
        if state == "declined":
            remedy_answer(remedy=remedy, actor=agent, accepted=False, note="不要券，要退款")
        with pytest.raises(Conflict):
            remedy_execute(remedy=remedy, actor=agent, proof="x")
        remedy.refresh_from_db()
        assert remedy.executed_at is None

    def test_declined_offer_puts_the_case_back(self, open_case, agent) -> None:
        case = open_case()
        remedy = remedy_propose(case=case, actor=agent, code="coupon", amount="50")
        remedy_answer(remedy=remedy, actor=agent, accepted=False, note="不要券，要退款")
        case.refresh_from_db()
        assert case.status == Status.REMEDY_REJECTED
        # A new offer takes it forward again.
        remedy_propose(case=case, actor=agent, code="refund-partial", amount="60")
        case.refresh_from_db()
        assert case.status == Status.REMEDY_PROPOSED

    def test_a_plain_transition_cannot_walk_around_the_limits(self, open_case,
                                                              agent) -> None:
        case = open_case()
        case = case_transition(case=case, actor=agent, to=Status.INVESTIGATING)
        with pytest.raises(Conflict):
            case_transition(case=case, actor=agent, to=Status.REMEDY_PROPOSED,
                            remedy="赔 9999 元", remedy_amount="9999")
        case.refresh_from_db()
        assert case.status == Status.INVESTIGATING and case.remedy == ""

    def test_not_resolved_while_an_accepted_remedy_waits(self, open_case, agent) -> None:
        case = open_case()
        first = remedy_propose(case=case, actor=agent, code="apology")
        remedy_execute(remedy=first, actor=agent, proof="已当面致歉")
        second = remedy_propose(case=case, actor=agent, code="coupon", amount="20")
        remedy_answer(remedy=second, actor=agent, accepted=True)
        case.refresh_from_db()
        with pytest.raises(Conflict):
            case_transition(case=case, actor=agent, to=Status.RESOLVED)
        remedy_execute(remedy=second, actor=agent, proof="已发券", reference="C1")
        case.refresh_from_db()
        case_transition(case=case, actor=agent, to=Status.RESOLVED)


class TestLimitsAreAdministered:
    def test_only_an_administrator_changes_them(self, supervisor, admin_user) -> None:
        with pytest.raises(NotAllowed):
            authority_limit_set(actor=supervisor, role=Role.AGENT, per_case="50000",
                                per_day="")
        assert AuthorityLimit.objects.get(role=Role.AGENT).per_case == Decimal("500.00")
        assert RemedyRefusal.objects.filter(action="limit_set", actor=supervisor).exists()
        authority_limit_set(actor=admin_user, role=Role.AGENT, per_case="800", per_day="")
        row = AuthorityLimit.objects.get(role=Role.AGENT)
        assert row.per_case == Decimal("800.00") and row.per_day is None
        assert row.updated_by == admin_user

    def test_a_new_limit_applies_at_once(self, open_case, agent, admin_user) -> None:
        authority_limit_set(actor=admin_user, role=Role.AGENT, per_case="800", per_day="")
        assert remedy_propose(case=open_case(), actor=agent, code="coupon",
                              amount="800").status == R.PROPOSED

    def test_negative_limit_refused(self, admin_user) -> None:
        with pytest.raises(Invalid):
            authority_limit_set(actor=admin_user, role=Role.AGENT, per_case="-1", per_day="")


class TestServiceGuarantees:
    @pytest.fixture
    def promise(self, organisation) -> ServiceGuarantee:
        return ServiceGuarantee.objects.create(
            organisation=organisation, name_zh="72小时内解决，否则赠送50元代金券",
            name_en="Resolved within 72 hours or a ¥50 coupon", metric=Metric.RESOLUTION,
            within_hours=72, option=RemedyOption.objects.get(code="coupon"),
            amount=Decimal("50"), in_force_from=datetime(2026, 1, 1, tzinfo=SHANGHAI),
        )

    def test_kept_once_when_broken_and_the_customer_is_told(self, promise, open_case,
                                                            moment) -> None:
        start = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
        with moment(start):
            case = open_case()
        with moment(start + timedelta(hours=71, minutes=59)):
            assert guarantees_keep() == 0
        with moment(start + timedelta(hours=72, minutes=1)):
            assert guarantees_keep() == 1
            assert guarantees_keep() == 0
            assert remedies_sweep() == (0, 0)
        payout = Remedy.objects.get(case=case, guarantee=promise)
        assert payout.status == R.EXECUTED and payout.value == Decimal("50.00")
        assert payout.proof_reference.startswith("G")
        message = CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE).last()
        assert message is not None and payout.proof_reference in message.message
        assert "72小时" in message.message and message.actor is None

    def test_not_when_kept(self, promise, open_case, agent, moment) -> None:
        start = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
        with moment(start):
            case = open_case()
            remedy_execute(remedy=remedy_propose(case=case, actor=agent, code="apology"),
                           actor=agent, proof="已致歉")
        with moment(start + timedelta(hours=70)):
            case_transition(case=Case.objects.get(pk=case.pk), actor=agent,
                            to=Status.RESOLVED)
        with moment(start + timedelta(hours=100)):
            assert guarantees_keep() == 0

    def test_a_late_recorded_letter_is_paid_at_once(self, promise, department, agent,
                                                    moment) -> None:
        from redress.cases.models import Channel
        from redress.cases.services import CustomerDetails, case_create

        now = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)
        with moment(now):
            case = case_create(channel=Channel.LETTER, description="信件：投诉物业维修拖延",
                               customer=CustomerDetails(name="李先生", phone="13900139000"),
                               received_at=now - timedelta(days=4) + timedelta(minutes=1),
                               department=department, created_by=agent)
        assert Remedy.objects.filter(case=case, guarantee=promise).count() == 1

    def test_first_response_promise_in_english(self, organisation, open_case, moment,
                                               department, agent) -> None:
        from redress.cases.models import Channel
        from redress.cases.services import CustomerDetails, case_create

        ServiceGuarantee.objects.create(
            organisation=organisation, name_zh="15分钟内回应，否则赠送200积分",
            name_en="An answer within 15 minutes or 200 points",
            metric=Metric.FIRST_RESPONSE, within_hours=1,
            option=RemedyOption.objects.get(code="points"), amount=Decimal("200"),
            in_force_from=datetime(2026, 1, 1, tzinfo=SHANGHAI),
        )
        start = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
        with moment(start):
            case = case_create(channel=Channel.WEB, description="Nobody answers the phone.",
                               customer=CustomerDetails(email="a@example.com"),
                               department=department)
        with moment(start + timedelta(hours=2)):
            assert guarantees_keep() == 1
        message = CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE).last()
        assert message is not None
        assert "An answer within 15 minutes" in message.message and "200 points" in \
            message.message

    def test_complaints_before_the_promise_are_not_covered(self, promise, open_case,
                                                           moment) -> None:
        promise.in_force_from = datetime(2026, 12, 1, tzinfo=SHANGHAI)
        promise.save()
        with moment(datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)):
            open_case()
        with moment(datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI)):
            assert guarantees_keep() == 0


def test_overdue_approval_tells_the_manager_once(open_case, agent, manager, department,
                                                 moment) -> None:
    department.manager = manager
    department.save()
    start = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
    with moment(start):
        remedy_propose(case=open_case(), actor=agent, code="coupon", amount="800")
    before = StaffNotification.objects.filter(recipient=manager).count()
    with moment(start + timedelta(hours=1)):
        assert remedies_sweep() == (0, 0)
    with moment(start + timedelta(hours=2, minutes=1)):
        assert remedies_sweep() == (0, 1)
        assert remedies_sweep() == (0, 0)
    after = StaffNotification.objects.filter(recipient=manager).order_by("pk")
    assert after.count() == before + 1
    assert "审批已超时" in after.last().text  # type: ignore[union-attr]


def test_users_of_other_departments_cannot_touch_remedies(open_case, agent,
                                                           outsider: User) -> None:
    remedy = remedy_propose(case=open_case(), actor=agent, code="coupon", amount="50")
    with pytest.raises(Exception) as refused:
        remedy_answer(remedy=remedy, actor=outsider, accepted=True)
    assert refused.type.__name__ == "NotFound"


def test_the_sweep_command_reports_what_it_did(open_case, agent, manager, department,
                                               moment) -> None:
    from io import StringIO

    from django.core.management import call_command

    department.manager = manager
    department.save()
    start = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
    with moment(start):
        remedy_propose(case=open_case(), actor=agent, code="coupon", amount="800")
    out = StringIO()
    with moment(start + timedelta(hours=3)):
        call_command("remedies", "sweep", stdout=out)
    assert "1" in out.getvalue()
    assert StaffNotification.objects.filter(recipient=manager,
                                            text__contains="审批已超时").count() == 1
