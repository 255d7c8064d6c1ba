"""Problems, their corrective and preventive actions, and the effectiveness check."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from redress.common.errors import Conflict, Invalid, NotAllowed
from redress.lessons.models import EffectivenessCheck, Problem, ProblemStatus
from redress.lessons.services import (
    action_status_set,
    effectiveness_summary,
    problem_action_add,
    problem_close,
    problem_effectiveness_check,
    problem_open,
)
from redress.lessons.tests.conftest import complaint
from redress.notify.models import StaffNotification

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DONE = datetime(2026, 10, 1, 12, 0, tzinfo=SHANGHAI)


def _problem(actor, **extra) -> Problem:
    return problem_open(actor=actor, title="上菜慢反复被投诉", **extra)


def _action(problem, actor, owner, **extra):
    values = {"kind": "corrective", "description": "高峰期增加一名传菜员", "owner": owner,
              "due": date(2026, 10, 1)}
    values.update(extra)
    return problem_action_add(problem=problem, actor=actor, **values)


class TestRoles:
    @pytest.mark.parametrize("persona", ["quality", "supervisor", "admin_user"])
    def test_quality_supervisors_and_administrators_open_problems_and_add_actions(
        self, request, persona, agent
    ):
        actor = request.getfixturevalue(persona)
        problem = _problem(actor)
        action = _action(problem, actor, agent)
        problem.refresh_from_db()
        assert problem.status == ProblemStatus.ACTING
        assert action.owner == agent
        # the owner hears of it
        note = StaffNotification.objects.get(recipient=agent)
        assert "高峰期增加一名传菜员" in note.text
        assert note.link == f"/console/lessons/problems/{problem.pk}/"

    def test_an_agent_cannot_open_a_problem(self, agent):
        with pytest.raises(NotAllowed):
            _problem(agent)
        assert not Problem.objects.exists()

    def test_an_agent_cannot_add_an_action(self, agent, quality):
        problem = _problem(quality)
        with pytest.raises(NotAllowed):
            _action(problem, agent, agent)
        assert not problem.actions.exists()

    def test_the_owner_moves_their_own_action_and_nobody_else_below_supervisor(
        self, agent, agent2, quality
    ):
        action = _action(_problem(quality), quality, agent)
        with pytest.raises(NotAllowed):
            action_status_set(action=action, actor=agent2, status="doing")
        assert action_status_set(action=action, actor=agent, status="doing").status == "doing"

    @pytest.mark.parametrize("values, field", [
        ({"kind": "punitive"}, "kind"), ({"description": "  "}, "description"),
    ])
    def test_bad_actions_are_refused(self, quality, agent, values, field):
        problem = _problem(quality)
        with pytest.raises(Invalid) as refused:
            _action(problem, quality, agent, **values)
        assert refused.value.field == field
        assert not problem.actions.exists()


class TestLifecycle:
    def test_all_actions_done_means_verifying_and_a_first_check(self, quality, agent):
        problem = _problem(quality)
        first = _action(problem, quality, agent)
        second = _action(problem, quality, quality, kind="preventive",
                         description="每周例会复盘投诉数据")
        with time_machine.travel(DONE, tick=False):
            action_status_set(action=first, actor=agent, status="done")
            problem.refresh_from_db()
            assert problem.status == ProblemStatus.ACTING
            action_status_set(action=second, actor=quality, status="done")
        problem.refresh_from_db()
        assert problem.status == ProblemStatus.VERIFYING
        check = EffectivenessCheck.objects.get(problem=problem)
        assert (check.too_early, check.days_left, check.weeks) == (True, 28, 4)

    def test_reopening_an_action_goes_back_to_acting(self, quality, agent):
        problem = _problem(quality)
        action = _action(problem, quality, agent)
        action_status_set(action=action, actor=agent, status="done")
        action_status_set(action=action, actor=agent, status="doing")
        problem.refresh_from_db()
        assert problem.status == ProblemStatus.ACTING

    def test_closing_waits_for_the_actions(self, quality, agent):
        problem = _problem(quality)
        action = _action(problem, quality, agent)
        with pytest.raises(Conflict):
            problem_close(problem=problem, actor=quality)
        action_status_set(action=action, actor=agent, status="done")
        assert problem_close(problem=problem, actor=quality).status == ProblemStatus.CLOSED
        with pytest.raises(Conflict):
            _action(problem, quality, agent)


class TestEffectiveness:
    @pytest.fixture
    def acted_problem(self, quality, agent, department):
        """12 complaints in the four weeks before the action was done, 4 in the four weeks
        after, and some outside both windows that must not count."""
        with time_machine.travel(DONE + timedelta(weeks=6), tick=False):
            cases = [complaint(received_at=DONE - timedelta(days=2 * i + 1))
                     for i in range(12)]
            cases += [complaint(received_at=DONE + timedelta(days=6 * i + 1))
                      for i in range(4)]
            cases += [complaint(received_at=DONE - timedelta(weeks=5)),
                      complaint(received_at=DONE + timedelta(weeks=4, days=1))]
        problem = _problem(quality, cases=cases)
        action = _action(problem, quality, agent)
        with time_machine.travel(DONE, tick=False):
            action_status_set(action=action, actor=agent, status="done")
        return problem

    def test_the_figures_by_hand(self, acted_problem, quality):
        with time_machine.travel(DONE + timedelta(weeks=4, days=2), tick=False):
            check = problem_effectiveness_check(problem=acted_problem, actor=quality)
        assert (check.before, check.after, check.weeks) == (12, 4, 4)
        assert (check.before_per_week, check.after_per_week) == (Decimal("3.00"),
                                                                 Decimal("1.00"))
        assert check.change_percent == Decimal("-66.7")
        assert check.fell
        with translation.override("en"):
            summary = effectiveness_summary(check)
        assert summary == (
            "3.00 a week before (12 in 4 weeks), 1.00 a week after (4), -66.7%, "
            "p = 0.038: the complaints fell."
        )
        # the person who opened the problem is told
        assert StaffNotification.objects.filter(recipient=quality, text__contains="-66.7%"
                                                ).exists()

    def test_too_early_says_how_many_days_are_left(self, acted_problem, quality):
        with time_machine.travel(DONE + timedelta(days=10), tick=False):
            check = problem_effectiveness_check(problem=acted_problem, actor=quality)
        assert (check.too_early, check.days_left) == (True, 18)
        with translation.override("en"):
            assert effectiveness_summary(check) == (
                "Too early to tell: 18 days left until the after-window of 4 weeks has "
                "passed.")

    def test_the_window_is_a_setting(self, acted_problem, quality, settings):
        settings.REDRESS_CAPA_WINDOW_WEEKS = 2
        with time_machine.travel(DONE + timedelta(weeks=5), tick=False):
            check = problem_effectiveness_check(problem=acted_problem, actor=quality)
        # 7 of the 12 fall in the two weeks before; 3 of the 4 in the two weeks after
        assert (check.weeks, check.before, check.after) == (2, 7, 3)

    def test_not_before_every_action_is_done(self, quality, agent):
        problem = _problem(quality)
        _action(problem, quality, agent)
        with pytest.raises(Conflict):
            problem_effectiveness_check(problem=problem, actor=quality)
