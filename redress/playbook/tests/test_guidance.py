"""The playbook's content: complete for every emotion, scenario, risk and F.O.R.D step in
both of the customer's languages, each written in its own language."""

import re

import pytest

from redress.cases.models import Emotion, Risk, Scenario
from redress.playbook import guidance
from redress.playbook.models import FordStep

HAN = re.compile(r"[\u4e00-\u9fff]")


def _written_in(text: str, language: str) -> bool:
    """Chinese content is mostly Chinese characters; English content has none."""
    if language == guidance.ZH:
        return len(HAN.findall(text)) >= len(text) // 3
    return not HAN.search(text) and re.search(r"[A-Za-z]{3,}", text) is not None


def test_the_content_covers_every_label_of_the_taxonomy():
    assert set(guidance.EMOTIONS) == set(Emotion.values)
    assert set(guidance.SCENARIOS) == set(Scenario.values) - {Scenario.NONE}
    assert set(guidance.RISKS) == set(Risk.values)
    assert list(guidance.FORD_STEPS) == list(FordStep.values)


@pytest.mark.parametrize("language", guidance.LANGUAGES)
@pytest.mark.parametrize("emotion", guidance.EMOTIONS)
def test_every_emotion_has_a_first_move_and_phrases_in_each_language(emotion, language):
    move = guidance.first_move(emotion, language)
    assert _written_in(move.do_first, language)
    assert 2 <= len(move.phrases) <= 3
    assert all(_written_in(phrase, language) for phrase in move.phrases)


def test_first_moves_differ_by_emotion_and_follow_the_seed():
    moves = {e: guidance.first_move(e, guidance.ZH).do_first for e in guidance.EMOTIONS}
    assert len(set(moves.values())) == len(moves)
    assert moves["angry"].startswith("先安抚情绪")
    assert moves["anxious"].startswith("透明解释")
    assert moves["confused"].startswith("用通俗的话")
    assert moves["humorous"].startswith("适度回应")
    assert moves["aggrieved"].startswith("主动致歉，升级服务")
    english = guidance.first_move("aggrieved", guidance.EN).do_first
    assert english.startswith("Apologise first and upgrade")


def test_a_case_not_read_yet_gets_the_neutral_first_move():
    assert guidance.first_move("", "zh") == guidance.FIRST_MOVES["calm"]["zh"]
    assert guidance.first_move("", "en") == guidance.FIRST_MOVES["calm"]["en"]


@pytest.mark.parametrize("language", guidance.LANGUAGES)
@pytest.mark.parametrize("scenario", [*guidance.SCENARIOS, guidance.GENERIC])
def test_every_scenario_has_two_spin_questions_per_letter(scenario, language):
    questions = guidance.SPIN[scenario][language]
    assert list(questions) == list(guidance.SPIN_LETTERS)
    for letter in guidance.SPIN_LETTERS:
        first, second = questions[letter]
        assert first != second
        assert _written_in(first, language) and _written_in(second, language)


def test_spin_questions_are_the_scenarios_own_and_generic_when_no_failure_is_read():
    sets = [guidance.spin_questions(s, "zh")["situation"] for s in guidance.SCENARIOS]
    assert len(set(sets)) == 3
    assert guidance.spin_questions("none", "zh") == guidance.SPIN[guidance.GENERIC]["zh"]
    assert guidance.spin_questions("", "en") == guidance.SPIN[guidance.GENERIC]["en"]


@pytest.mark.parametrize("language", guidance.LANGUAGES)
def test_each_scenario_has_its_own_handling_and_none_has_none(language):
    for scenario in guidance.SCENARIOS:
        steps = guidance.scenario_steps(scenario, language)
        assert len(steps) == 3 and all(_written_in(s, language) for s in steps)
    assert guidance.scenario_steps("none", language) == ()
    assert guidance.scenario_steps("", language) == ()


@pytest.mark.parametrize("language", guidance.LANGUAGES)
def test_every_ford_step_has_what_to_say_and_what_to_avoid(language):
    for step in guidance.FORD_STEPS:
        text = guidance.FORD[step][language]
        assert _written_in(text.say, language) and _written_in(text.avoid, language)


@pytest.mark.parametrize("language", guidance.LANGUAGES)
def test_risk_notes_in_order_and_the_recovery_round(language):
    every = guidance.risk_notes(["repeat", "safety", "churn", "legal_media"], 1, language)
    assert every == [guidance.RISK_NOTES[r][language] for r in guidance.RISKS]
    assert all(_written_in(note, language) for note in every)
    assert guidance.risk_notes([], 1, language) == []
    second = guidance.risk_notes([], 2, language)
    assert len(second) == 1 and "2" in second[0]


def test_risk_notes_say_what_each_flag_changes():
    zh = {r: guidance.RISK_NOTES[r]["zh"] for r in guidance.RISKS}
    assert "安全" in zh["safety"] and "主管" in zh["safety"]
    assert "主管" in zh["legal_media"] and "事实" in zh["legal_media"]
    assert "悖论" in zh["repeat"]
    assert "第 3 轮" in guidance.risk_notes([], 3, "zh")[0]
    assert "round 3" in guidance.risk_notes([], 3, "en")[0]


def test_an_unknown_case_language_reads_as_chinese():
    assert guidance.content_language("en") == "en"
    assert guidance.content_language("zh") == "zh"
    assert guidance.content_language("fr") == "zh"
