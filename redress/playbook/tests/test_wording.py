"""The wording check: blame shifted or promises beyond authority are flagged, however
they are typed, and a neutral message is left alone."""

import pytest

from redress.playbook.models import WordingKind, WordingPhrase
from redress.playbook.services import message_wording_check

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _phrases(default_phrases):
    pass


def _matched(text: str, language: str = "zh") -> list[str]:
    return [flag.matched for flag in message_wording_check(text, language)]


def test_the_defaults_cover_both_languages_and_both_kinds():
    for language, at_least in (("zh", 15), ("en", 10)):
        phrases = WordingPhrase.objects.filter(language=language, active=True)
        assert phrases.count() >= at_least
        assert {p.kind for p in phrases} == {WordingKind.BLAME, WordingKind.OVER_PROMISE}
        assert all(p.suggestion for p in phrases)


def test_a_chinese_blame_phrase_is_flagged_with_where_it_is_and_what_to_say():
    text = "您好，这是合作伙伴的问题，请您理解。"
    [flag] = message_wording_check(text, "zh")
    assert flag.phrase == "这是合作伙伴的问题"
    assert flag.kind == WordingKind.BLAME
    assert text[flag.span[0]:flag.span[1]] == "这是合作伙伴的问题" == flag.matched
    assert "我们负责" in flag.suggestion


@pytest.mark.parametrize("text, expected", [
    ("这是 合作伙伴 的 问题", "这是 合作伙伴 的 问题"),
    ("这是合作伙伴的问题！", "这是合作伙伴的问题"),
    ("这是合作伙伴，的问题", "这是合作伙伴，的问题"),
    ("停车这件事不归我们管。", "不归我们管"),
    ("不归 物业 管", "不归 物业 管"),
    ("我 保证 全额赔偿！", "我 保证 全额赔偿"),
    ("以后保证以后再也不会了", "保证以后再也不会"),
])
def test_chinese_variations_are_still_flagged(text, expected):
    assert _matched(text) == [expected]


@pytest.mark.parametrize("text, expected", [
    ("Sorry, but that was a system error, not our fault.", ["system error", "not our fault"]),
    ("It's NOT OUR FAULT.", ["NOT OUR FAULT"]),
    ("Ｎｏｔ ｏｕｒ ｆａｕｌｔ", ["Ｎｏｔ ｏｕｒ ｆａｕｌｔ"]),
    ("not  our-fault", ["not  our-fault"]),
    ("Please talk to the courier about it.", ["talk to the courier"]),
    ("We guarantee this will never happen again!", ["We guarantee this will never happen again"]),
    ("There were system errors last night.", ["system errors"]),
])
def test_english_variations_are_flagged(text, expected):
    assert _matched(text, "en") == expected


@pytest.mark.parametrize("text, language", [
    ("非常抱歉让您久等了。是我们的失误，我们会在今天 18 点前为您办理退款，并把结果告诉您。", "zh"),
    ("我们已经联系合作伙伴，由我负责跟进，明天上午给您答复。", "zh"),
    ("We are sorry for the wait. The mistake was ours; your refund will reach you by Friday.",
     "en"),
    ("Our ecosystem errors page is back.", "en"),
    ("This is our fault, not yours.", "en"),
    ("", "zh"),
    ("   ！！", "zh"),
])
def test_a_neutral_message_is_not_flagged(text, language):
    assert message_wording_check(text, language) == []


def test_a_chinese_message_with_an_english_sentence_is_checked_in_both():
    text = "抱歉。Not our fault. 这不是我们的责任"
    assert _matched(text, "zh") == ["Not our fault", "这不是我们的责任"]


def test_overlapping_phrases_are_flagged_once_the_longest():
    WordingPhrase.objects.create(phrase="合作伙伴的问题", language="zh", kind=WordingKind.BLAME)
    assert _matched("这是合作伙伴的问题") == ["这是合作伙伴的问题"]


def test_the_list_is_configurable():
    text = "这个要找楼上邻居协商"
    assert message_wording_check(text, "zh") == []
    WordingPhrase.objects.create(
        phrase="找楼上邻居", language="zh", kind=WordingKind.BLAME,
        suggestion="我们来联系楼上的住户，一起把漏水处理好。",
    )
    [flag] = message_wording_check(text, "zh")
    assert flag.matched == "找楼上邻居"
    WordingPhrase.objects.filter(phrase="找楼上邻居").update(active=False)
    assert message_wording_check(text, "zh") == []


def test_the_span_points_into_the_text_as_written():
    text = "Hello!\n\nThat is a  SYSTEM   ERROR  on their side."
    [flag] = message_wording_check(text, "en")
    start, end = flag.span
    assert text[start:end] == "SYSTEM   ERROR"
