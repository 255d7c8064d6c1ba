"""The lessons app's demo data, on top of the demo's cases."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from redress.cases.models import Case, CloseReason, Status
from redress.lessons.demo import cause_of
from redress.lessons.models import (
    CaseGrouping,
    CauseCategory,
    EffectivenessCheck,
    Problem,
    ResponsibilityRule,
    RootCause,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lesson, cause", [
    ("根因：高峰期后厨人手不足，出餐延误时前厅没有主动告知。纠正措施：周末加一名厨师",
     "communication"),
    ("根因：后厨员工未按规范佩戴发网帽子。纠正措施：开档前由厨师长逐一检查着装", "human"),
    ("根因：点单录入无复核，团购核销依赖人工。纠正措施：结账前向顾客口头确认菜品", "process"),
    ("根因：传菜口积压，热菜无保温。纠正措施：增加传菜口保温灯", "equipment"),
    ("根因：员工服务意识不足，高峰期情绪管理差。纠正措施：服务礼仪复训", "human"),
    ("根因：暴雨导致停电。纠正措施：配备发电机", "external"),
])
def test_the_cause_is_read_from_the_quality_managers_note(lesson, cause):
    assert cause_of(lesson) == cause
    assert cause in CauseCategory.values


def test_demo_cases_close_with_root_causes_and_demo_load_builds_the_rest(settings):
    settings.REDRESS_PUBLIC_URL = "http://127.0.0.1:8000"
    with translation.override("en"):
        call_command("demo", cases=60, stdout=io.StringIO())
    resolved_closes = Case.objects.filter(status=Status.CLOSED,
                                          close_reason=CloseReason.RESOLVED)
    assert resolved_closes.exists()
    assert not resolved_closes.filter(root_cause__isnull=True).exists()
    assert RootCause.objects.filter(customer_accepted="yes").count() >= resolved_closes.count()

    # `redress demo` loads the lessons after its cases: tables, groups, one problem.
    assert ResponsibilityRule.objects.filter(step="订单录入").count() == 3
    assert CaseGrouping.objects.count() > 30
    problem = Problem.objects.get()
    assert problem.actions.filter(status="done").count() == 2
    check = EffectivenessCheck.objects.filter(problem=problem, too_early=False).get()
    assert check.weeks == 4
    # the largest group had complaints in the four weeks before its actions were done
    assert check.before >= 1
