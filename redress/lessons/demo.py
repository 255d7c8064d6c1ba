"""Demo data of the lessons app, built through its services.

* `demo_root_cause(case=…, actor=…, lesson=…)` records the root cause of a demo case just
  before the demo closes it as resolved (closing needs one): the cause read from the
  quality manager's note on the scenario ("根因：…"), the case's department, a problem step
  from the organisation's responsibility table, the customer's acceptance and the remedy
  the case records. Call it, as the case's owner, right before the closing transition.
* `demo_load(organisations=…, now=…)` runs once the demo cases exist: it writes each
  organisation's responsibility table (责任界定表, seed 004), groups the cases into
  recurring groups, reviews the past weeks for spikes, and opens a problem on the largest
  group with a corrective and a preventive action done a month ago, so the problem page
  shows an effectiveness check with figures.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q

from redress.accounts.models import Organisation, Role, User
from redress.cases.models import Case
from redress.common import clock
from redress.lessons.models import (
    Accepted,
    ActionKind,
    ActionStatus,
    CauseCategory,
    RecurringGroup,
    ResponsibilityRule,
)
from redress.lessons.services import (
    RootCauseInput,
    action_status_set,
    case_root_cause_record,
    cases_group_pending,
    problem_action_add,
    problem_effectiveness_check,
    problem_open,
    spikes_scan,
)

# Words in a root-cause note that point at one of the five causes, checked in this order.
_CAUSE_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (CauseCategory.EXTERNAL, ("天气", "暴雨", "台风", "政策", "停电", "供应商", "weather")),
    (CauseCategory.EQUIPMENT, ("设备", "故障", "空调", "保温", "电梯", "水管", "机器", "系统宕机")),
    (CauseCategory.COMMUNICATION, ("告知", "沟通", "通知", "解释", "交接")),
    (CauseCategory.HUMAN, ("员工", "意识", "态度", "培训", "疏忽", "未按")),
    (CauseCategory.PROCESS, ("流程", "系统", "录入", "复核", "规范", "核销", "排班", "人手不足")),
)
# Seed 004's responsibility table: problem step → (time limit in hours, compensation).
_STEPS: tuple[tuple[str, Decimal, str], ...] = (
    ("订单录入", Decimal("1"), "免费重做"),
    ("系统错误", Decimal("2"), "赔偿订单金额"),
    ("客户确认", Decimal("0.5"), "无补偿"),
    ("现场服务", Decimal("1"), "赠送代金券"),
    ("设备维护", Decimal("4"), "免收当次费用"),
)
_STEP_FOR_CAUSE: dict[str, str] = {
    CauseCategory.PROCESS: "订单录入", CauseCategory.EQUIPMENT: "设备维护",
    CauseCategory.COMMUNICATION: "客户确认", CauseCategory.HUMAN: "现场服务",
    CauseCategory.EXTERNAL: "系统错误",
}


def cause_of(lesson: str) -> str:
    """The cause a quality manager's note names (the part before the corrective action)."""
    cause_part = lesson.split("纠正措施")[0]
    for category, cues in _CAUSE_CUES:
        if any(cue in cause_part for cue in cues):
            return category
    return CauseCategory.PROCESS


def demo_root_cause(*, case: Case, actor: User, lesson: str = "") -> None:
    """Record a demo case's root cause before it is closed as resolved."""
    category = cause_of(lesson)
    detail = lesson.split("纠正措施")[0].removeprefix("根因：").rstrip("。；; ")
    case_root_cause_record(case=case, actor=actor, values=RootCauseInput(
        category=category, detail=detail,
        department_id=case.department_id, step=_STEP_FOR_CAUSE[category],
        customer_accepted=Accepted.YES,
    ))


def demo_load(*, organisations: Iterable[Organisation], now: datetime) -> None:
    """Responsibility tables, recurring groups and their alerts, and one problem with its
    actions and effectiveness check (see the module's docstring). Runs once."""
    for organisation in organisations:
        departments = list(organisation.departments.order_by("name"))
        if not departments:
            continue
        for rank, (step, hours, compensation) in enumerate(_STEPS):
            ResponsibilityRule.objects.get_or_create(
                organisation=organisation, step=step,
                defaults={"department": departments[rank % len(departments)],
                          "time_limit_hours": hours, "compensation": compensation,
                          "rank": rank},
            )
    cases_group_pending(until=now)
    for weeks_ago in range(6, -1, -1):
        with clock.travel_to(now - timedelta(weeks=weeks_ago)):
            spikes_scan()
    quality = User.objects.filter(role=Role.QUALITY, is_active=True).first()
    acted = now - timedelta(days=30)
    # The problem taken up is the group that recurred most in the four weeks before the
    # actions, the weeks its effectiveness check compares the weeks after with.
    before = Q(groupings__received_at__gte=acted - timedelta(weeks=4),
               groupings__received_at__lt=acted)
    group = (RecurringGroup.objects.annotate(n=Count("groupings", filter=before),
                                             total=Count("groupings"))
             .order_by("-n", "-total", "pk").first())
    if quality is None or group is None or group.problems.exists():
        return
    owner = User.objects.filter(role=Role.SUPERVISOR, is_active=True).first() or quality
    with clock.travel_to(acted - timedelta(days=2)):
        problem = problem_open(
            actor=quality, title=f"反复出现：{group.headline}"[:200],
            description=("同一问题在多家门店反复被投诉，按ISO 9001 §10.2 找原因、"
                         "采取措施并评价有效性。"),
            group=group,
        )
        actions = [
            problem_action_add(problem=problem, actor=quality, kind=ActionKind.CORRECTIVE,
                               description="按根因整改：高峰期增加人手，出餐超时主动告知顾客。",
                               owner=owner, due=(acted - timedelta(days=1)).date()),
            problem_action_add(problem=problem, actor=quality, kind=ActionKind.PREVENTIVE,
                               description="每周例会复盘投诉数据，同类投诉连续两周上升即预警。",
                               owner=quality, due=acted.date()),
        ]
    with clock.travel_to(acted):
        for action in actions:
            action_status_set(action=action, actor=quality, status=ActionStatus.DONE)
    with clock.travel_to(now):
        problem_effectiveness_check(problem=problem, actor=quality, now=now)
