"""A small history written straight into the tables, with every time chosen by hand, so each
figure a panel shows can be worked out on paper (see test_kpis.py)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from redress.accounts.models import Department, User
from redress.cases.models import Case, CaseEvent, Customer, EventKind, Kind, Status
from redress.followup.models import FeedbackAnswer, FollowUp, SurveyAnswer
from redress.lessons.models import CauseCategory, RootCause
from redress.remedies.models import Remedy, RemedyKind, RemedyOption, RemedyStatus, Unit
from redress.sla.models import CaseClock
from redress.sla.services import policy_for

SHANGHAI = ZoneInfo("Asia/Shanghai")
# "Now" in every test of this history: a week after its cases.
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=SHANGHAI)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2026, Shanghai time."""
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


class History:
    def __init__(self) -> None:
        # The catch-all policy comes with the migrations; a test that ran before on a live
        # server flushed it, and the SLA app puts its starting set back when asked.
        self.policy = policy_for(priority="P3", channel="web")
        self.option = RemedyOption.objects.create(
            code="voucher-test", kind=RemedyKind.COUPON, name_zh="代金券", name_en="Voucher",
            unit=Unit.YUAN, yuan_per_unit=Decimal("1"), cost_ratio=Decimal("0.6"))
        self.serial = 0

    def case(self, *, received: datetime, department: Department | None, owner: User | None,
             channel: str = "web", location: str = "", scenario: str = "",
             emotion: str = "", priority: str = "P3", kind: str = Kind.COMPLAINT,
             resolved: datetime | None = None, recovery_round: int = 1,
             customer: Customer | None = None) -> Case:
        self.serial += 1
        customer = customer or Customer.objects.create(name=f"顾客{self.serial}")
        return Case.objects.create(
            reference=f"SR-2026-{self.serial:06d}", tracking_code=f"track-{self.serial}",
            customer=customer, channel=channel, received_at=received, description="……",
            location=location, scenario=scenario, emotion=emotion, priority=priority,
            kind=kind, department=department, owner=owner,
            status=Status.RESOLVED if resolved else (
                Status.ACKNOWLEDGED if owner else Status.NEW),
            resolved_at=resolved, recovery_round=recovery_round)

    def clock(self, case: Case, *, responded: datetime | None, first_due: datetime,
              resolution_due: datetime, resolved: datetime | None = None) -> CaseClock:
        return CaseClock.objects.create(
            case=case, policy=self.policy, started_at=case.received_at,
            first_response_due=first_due, first_responded_at=responded,
            resolution_due=resolution_due, resolved_at=resolved)

    def remedy(self, case: Case, *, value: str, cost: str, status: str = RemedyStatus.EXECUTED,
               decided_by: User | None = None) -> Remedy:
        return Remedy.objects.create(
            case=case, option=self.option, amount=Decimal(value), value=Decimal(value),
            cost=Decimal(cost), status=status, proposed_on=case.received_at.date(),
            decided_by=decided_by)

    def answer(self, case: Case, *, solved: str, satisfaction: int, round_: int = 1,
               answered: datetime, **items: Any) -> SurveyAnswer:
        followup = FollowUp.objects.create(
            case=case, resolved_at=answered - timedelta(days=1), recovery_round=round_,
            method="email", status="answered", scheduled_for=answered - timedelta(hours=1),
            expires_at=answered + timedelta(days=7), answered_at=answered)
        return SurveyAnswer.objects.create(followup=followup, solved=solved,
                                           satisfaction=satisfaction, answered_at=answered,
                                           **items)

    def root_cause(self, case: Case, *, category: str, department: Department | None,
                   by: User) -> RootCause:
        return RootCause.objects.create(case=case, category=category, department=department,
                                        recorded_by=by)

    def staff_action(self, case: Case, *, by: User, at: datetime) -> CaseEvent:
        return CaseEvent.objects.create(case=case, at=at, actor=by, kind=EventKind.NOTE,
                                        message="已致电顾客")

    def feedback(self, customer: Customer, *, csat: int | None, nps: int | None,
                 answered: datetime) -> FeedbackAnswer:
        return FeedbackAnswer.objects.create(
            survey="年度满意度", customer=customer, csat=csat, nps=nps, answered_at=answered,
            source="api")


@pytest.fixture
def history(db: None) -> History:
    return History()


@pytest.fixture
def march(history: History, department: Department, other_department: Department,
          agent: User, supervisor: User, quality: User) -> dict[str, Case]:
    """Three complaints. A and B on 2 March (local), C at 00:10 on 3 March local time,
    which is still 2 March in UTC.

    A: web, 南京路店, product defect, angry, P2, agent's; answered in 10 min (target 15,
       due 09:15), resolved in 4 h within its deadline; ¥200 voucher carried out (cost
       120); survey: solved, 5/5, fairness 5/4/5, recommend 9, would come back; root
       cause "process", the other department responsible; one note by staff.
    B: phone, 南京路店, human error, anxious, P3, agent's; answered in 40 min (due after
       15); resolved after 48 h, a day after its deadline; reopened once (round 2); ¥100
       carried out (cost 100) and a ¥800 request refused by the supervisor; surveys: round
       1 "not solved" 2/5 (reopened it, would not come back, recommend 3), round 2
       "partly" 4/5 (recommend 7, would come back).
    C: WeChat, other department, unread, P3, nobody's; never answered (target long past).
    """
    a = history.case(received=local(2, 9), department=department, owner=agent, channel="web",
                     location="南京路店", scenario="product_defect", emotion="angry",
                     priority="P2", resolved=local(2, 13))
    history.clock(a, responded=local(2, 9, 10), first_due=local(2, 9, 15),
                  resolution_due=local(3, 9), resolved=local(2, 13))
    history.remedy(a, value="200.00", cost="120.00")
    history.answer(a, solved="yes", satisfaction=5, answered=local(4, 10), outcome_fair=5,
                   process_fair=4, interaction_fair=5, recommend=9, would_return=True)
    history.root_cause(a, category=CauseCategory.PROCESS, department=other_department,
                       by=supervisor)
    history.staff_action(a, by=agent, at=local(2, 9, 10))

    b = history.case(received=local(2, 20), department=department, owner=agent,
                     channel="phone", location="南京路店", scenario="human_error",
                     emotion="anxious", priority="P3", resolved=local(4, 20), recovery_round=2)
    history.clock(b, responded=local(2, 20, 40), first_due=local(2, 20, 15),
                  resolution_due=local(3, 20), resolved=local(4, 20))
    history.remedy(b, value="100.00", cost="100.00")
    history.remedy(b, value="800.00", cost="800.00", status=RemedyStatus.REJECTED,
                   decided_by=supervisor)
    history.answer(b, solved="no", satisfaction=2, answered=local(3, 21), recommend=3,
                   would_return=False, reopened=True)
    history.answer(b, solved="partly", satisfaction=4, round_=2, answered=local(5, 10),
                   recommend=7, would_return=True)

    c_received = datetime(2026, 3, 2, 16, 10, tzinfo=UTC)  # 00:10 on 3 March in Shanghai
    c = history.case(received=c_received, department=other_department, owner=None,
                     channel="wechat")
    history.clock(c, responded=None, first_due=c_received + timedelta(minutes=15),
                  resolution_due=c_received + timedelta(days=1))

    # General survey answers: one from a customer who never complained (the baseline),
    # one from A's customer, who did (left out of the baseline).
    history.feedback(Customer.objects.create(name="老顾客"), csat=4, nps=8,
                     answered=local(2, 15))
    history.feedback(a.customer, csat=1, nps=0, answered=local(2, 16))
    return {"a": a, "b": b, "c": c}
