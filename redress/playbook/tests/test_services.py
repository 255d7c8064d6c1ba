"""The F.O.R.D checklist of a case: ticks with who and when, on the timeline, only by the
person handling the case (or a supervisor), never on a closed case."""

import pytest

from redress.cases.models import CaseEvent, EventKind
from redress.cases.services import case_record_labels, case_transition
from redress.common.errors import Conflict, Invalid, NotAllowed, NotFound
from redress.playbook.models import FordTick
from redress.playbook.selectors import case_guidance, ford_checklist
from redress.playbook.services import ford_step_tick, ford_step_untick
from redress.playbook.tests.conftest import at

pytestmark = pytest.mark.django_db


def _ford_notes(case):
    return list(CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).order_by("id"))


class TestTick:
    def test_a_tick_records_who_and_when_and_goes_on_the_timeline(self, zh_case, agent, moment):
        with moment(at(2026, 11, 24, 9, 30)):
            tick = ford_step_tick(case=zh_case, actor=agent, step="first")
        assert (tick.step, tick.ticked_by, tick.ticked_at) == (
            "first", agent, at(2026, 11, 24, 9, 30))
        [note] = _ford_notes(zh_case)
        assert note.actor == agent
        assert note.visible_to_customer is False
        assert note.after == {"ford_step": "first", "done": True}
        assert "F.O.R.D" in note.message and "先道歉" in note.message

    def test_ticking_twice_changes_nothing(self, zh_case, agent):
        first = ford_step_tick(case=zh_case, actor=agent, step="remedy")
        again = ford_step_tick(case=zh_case, actor=agent, step="remedy")
        assert first.pk == again.pk
        assert FordTick.objects.filter(case=zh_case).count() == 1
        assert len(_ford_notes(zh_case)) == 1

    def test_untick_removes_the_tick_and_says_so_on_the_timeline(self, zh_case, agent):
        ford_step_tick(case=zh_case, actor=agent, step="only")
        ford_step_untick(case=zh_case, actor=agent, step="only")
        assert not FordTick.objects.filter(case=zh_case).exists()
        notes = _ford_notes(zh_case)
        assert [n.after for n in notes] == [
            {"ford_step": "only", "done": True}, {"ford_step": "only", "done": False}]
        assert "取消勾选" in notes[1].message
        ford_step_untick(case=zh_case, actor=agent, step="only")  # nothing to take back
        assert len(_ford_notes(zh_case)) == 2

    def test_a_tick_announces_the_change_on_commit(self, zh_case, agent,
                                                    django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            ford_step_tick(case=zh_case, actor=agent, step="dont")
        assert len(callbacks) == 1

    def test_an_unknown_step_is_refused(self, zh_case, agent):
        with pytest.raises(Invalid) as refused:
            ford_step_tick(case=zh_case, actor=agent, step="everything")
        assert refused.value.field == "step"
        assert not FordTick.objects.exists() and not _ford_notes(zh_case)


class TestWhoMayTick:
    def test_an_outsider_cannot_see_the_case(self, zh_case, outsider):
        with pytest.raises(NotFound):
            ford_step_tick(case=zh_case, actor=outsider, step="first")
        assert not FordTick.objects.exists() and not _ford_notes(zh_case)

    def test_a_colleague_cannot_tick_an_owned_case_but_a_supervisor_can(
            self, zh_case, agent, agent2, supervisor):
        case_transition(case=zh_case, actor=agent, to="acknowledged")
        with pytest.raises(NotAllowed):
            ford_step_tick(case=zh_case, actor=agent2, step="first")
        with pytest.raises(NotAllowed):
            ford_step_untick(case=zh_case, actor=agent2, step="first")
        ford_step_tick(case=zh_case, actor=supervisor, step="first")
        assert FordTick.objects.get().ticked_by == supervisor

    def test_a_closed_case_refuses_ticks_and_unticks(self, zh_case, agent):
        ford_step_tick(case=zh_case, actor=agent, step="first")
        case_transition(case=zh_case, actor=agent, to="closed", close_reason="duplicate")
        with pytest.raises(Conflict):
            ford_step_tick(case=zh_case, actor=agent, step="only")
        with pytest.raises(Conflict):
            ford_step_untick(case=zh_case, actor=agent, step="first")
        assert list(FordTick.objects.values_list("step", flat=True)) == ["first"]


class TestGuidance:
    def test_checklist_in_order_with_progress(self, zh_case, agent):
        ford_step_tick(case=zh_case, actor=agent, step="remedy")
        ford_step_tick(case=zh_case, actor=agent, step="first")
        items = ford_checklist(case=zh_case, language="zh")
        assert [i.step for i in items] == ["first", "only", "remedy", "dont"]
        assert [i.done for i in items] == [True, False, True, False]
        assert items[0].tick.ticked_by == agent
        guidance = case_guidance(case=zh_case)
        assert (guidance.ford_done, guidance.ford_percent) == (2, 50)

    def test_guidance_follows_the_reading_and_the_case_language(self, zh_case):
        blank = case_guidance(case=zh_case)
        assert blank.language == "zh" and blank.emotion == ""
        assert blank.first_move.do_first.startswith("首句道歉")
        assert blank.scenario_steps == () and blank.risk_notes == []
        assert blank.spin[0].questions[0] == "您能具体说说当时发生了什么吗？"
        case_record_labels(case=zh_case, actor=None, labels={
            "emotion": "aggrieved", "scenario": "human_error", "risks": ["safety", "repeat"]})
        zh_case.refresh_from_db()
        read = case_guidance(case=zh_case)
        assert read.first_move.do_first.startswith("主动致歉")
        assert read.scenario_steps[0].startswith("承担责任")
        assert read.risk_notes[0].startswith("安全第一") and "悖论" in read.risk_notes[1]
        assert [s.letter for s in read.spin] == [
            "situation", "problem", "implication", "need_payoff"]
        assert read.spin[0].questions[0].startswith("您能说说当时是哪位同事")

    def test_a_second_recovery_round_is_said(self, zh_case):
        zh_case.recovery_round = 2
        notes = case_guidance(case=zh_case).risk_notes
        assert len(notes) == 1 and "第 2 轮补救" in notes[0]
