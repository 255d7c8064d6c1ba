"""Reply drafts: built from the case's facts, in the customer's language, opened the way
the customer's emotion calls for, quoting the customer without rewording."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from redress.playbook.drafts import DraftFacts, excerpt, reply_draft

UTC = ZoneInfo("UTC")
WORDS_ZH = "上菜太慢，等了一个小时，汤还是凉的！服务员还说不归她管。"
WORDS_EN = "I was charged twice for my booking. Please refund the second payment."

ZH = DraftFacts(
    language="zh", customer_name="王女士", description=WORDS_ZH, scenario="human_error",
    emotion="calm", status="investigating", agent_name="小张", organisation_name="悦来酒店",
    reference="SR-2026-000007",
)
EN = DraftFacts(
    language="en", customer_name="Ms Smith", description=WORDS_EN, scenario="process_system",
    emotion="calm", status="investigating", agent_name="Zhang Wei",
    organisation_name="Yuelai Hotel", reference="SR-2026-000008",
)


class TestExcerpt:
    def test_the_first_sentence_as_written(self):
        assert excerpt(WORDS_ZH, "zh") == "上菜太慢，等了一个小时，汤还是凉的！"
        assert excerpt(WORDS_EN, "en") == "I was charged twice for my booking."
        assert excerpt("  房间空调坏了\n一晚上没睡好", "zh") == "房间空调坏了"

    def test_a_long_sentence_is_clipped_never_reworded(self):
        long = "我" * 80 + "。"
        clipped = excerpt(long, "zh")
        assert clipped == "我" * 60 + "…"

    def test_quotes_in_the_customer_s_words_are_kept(self):
        words = '服务员说"这不归我管"，然后就走了。'
        assert excerpt(words, "zh") == words

    def test_nothing_to_quote(self):
        assert excerpt("   ", "zh") == ""


class TestChineseDraft:
    def test_greets_by_name_quotes_the_customer_and_signs(self):
        draft = reply_draft(ZH)
        assert draft.startswith("尊敬的王女士，您好！")
        assert "“上菜太慢，等了一个小时，汤还是凉的！”" in draft
        assert "工作人员的失误" in draft  # human error: the blame is ours, not shifted
        assert "SR-2026-000007" in draft
        assert draft.endswith("小张\n悦来酒店")
        assert "非常抱歉" in draft

    def test_a_name_without_a_title_and_no_name(self):
        assert reply_draft(replace(ZH, customer_name="王芳")).startswith("王芳，您好！")
        assert reply_draft(replace(ZH, customer_name="")).startswith("您好！")

    def test_remedy_with_and_without_an_amount(self):
        with_amount = reply_draft(replace(ZH, remedy="退还汤的费用并赠送甜品",
                                          remedy_amount=Decimal("38")))
        assert "我们为您提供：退还汤的费用并赠送甜品（金额 ¥38.00）。" in with_amount
        text_only = reply_draft(replace(ZH, remedy="免费重做一份"))
        assert "我们为您提供：免费重做一份。" in text_only and "¥" not in text_only
        amount_only = reply_draft(replace(ZH, remedy_amount=Decimal("50.5")))
        assert "¥50.50 的补偿" in amount_only
        assert "弥补" not in reply_draft(ZH)

    def test_the_deadline_in_the_organisation_s_time(self):
        due = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai
        promise = "我们会在 2026年11月25日 18:00 之前给您答复。"
        assert promise in reply_draft(replace(ZH, deadline=due))
        assert "之前给您答复" not in reply_draft(ZH)
        # A resolved case promises no reply time.
        assert "之前给您答复" not in reply_draft(replace(ZH, deadline=due, status="resolved"))

    def test_facts_and_needs_appear_verbatim(self):
        draft = reply_draft(replace(ZH, facts="厨房当晚少了一名厨师，出菜慢了四十分钟。",
                                    needs="退掉那道汤"))
        assert "经过核实：厨房当晚少了一名厨师，出菜慢了四十分钟。" in draft
        assert "我们记下了您的诉求：退掉那道汤。" in draft

    def test_what_happens_next_follows_the_status(self):
        proposed = reply_draft(replace(ZH, status="remedy_proposed"))
        waiting = reply_draft(replace(ZH, status="waiting_on_customer"))
        assert "处理方案，请您看看是否合适" in proposed
        assert "补充一些信息" in waiting
        assert proposed != waiting

    def test_a_repeat_failure_is_owned(self):
        assert "再次遇到" in reply_draft(replace(ZH, repeat=True))
        assert "再次遇到" not in reply_draft(ZH)


class TestOpenings:
    @pytest.mark.parametrize("emotion, opening", [
        ("angry", "您的心情我完全理解"),
        ("aggrieved", "非常抱歉，让您受委屈了"),
        ("anxious", "请您放心，先告诉您接下来的安排：我们正在调查核实"),
        ("confused", "非常抱歉给您带来困扰。我用简单的几步跟您说明"),
        ("humorous", "谢谢您还能这么轻松地告诉我们"),
        ("calm", "非常抱歉给您带来了不便"),
        ("", "非常抱歉给您带来了不便"),
    ])
    def test_chinese_opening_by_emotion(self, emotion, opening):
        paragraphs = reply_draft(replace(ZH, emotion=emotion)).split("\n\n")
        assert paragraphs[1].startswith(opening)

    @pytest.mark.parametrize("emotion, opening", [
        ("angry", "I understand why you are upset"),
        ("aggrieved", "I am very sorry. You should not have been treated this way"),
        ("anxious", "First, here is what happens next: We are looking into it"),
        ("confused", "I am sorry for the confusion. Here it is in a few simple steps"),
        ("humorous", "Thank you for taking it with such good humour"),
        ("calm", "I am sorry for the trouble"),
    ])
    def test_english_opening_by_emotion(self, emotion, opening):
        paragraphs = reply_draft(replace(EN, emotion=emotion)).split("\n\n")
        assert paragraphs[1].startswith(opening)

    def test_aggrieved_apologises_first_then_upgrades(self):
        zh = reply_draft(replace(ZH, emotion="aggrieved")).split("\n\n")
        assert "升级为优先处理" in zh[2]
        en = reply_draft(replace(EN, emotion="aggrieved")).split("\n\n")
        assert "a priority" in en[2]

    def test_anxious_says_what_happens_and_when_before_the_apology(self):
        due = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
        draft = reply_draft(replace(ZH, emotion="anxious", deadline=due))
        assert draft.index("2026年11月25日 18:00") < draft.index("非常抱歉")

    def test_confused_gets_numbered_plain_steps(self):
        draft = reply_draft(replace(ZH, emotion="confused", remedy="免费重做一份"))
        assert "\n1. 关于您反映的" in draft and "\n2. 我们正在调查核实" in draft
        assert "\n3. 为了弥补" in draft

    def test_every_emotion_gives_a_different_draft(self):
        drafts = {reply_draft(replace(ZH, emotion=e)) for e in
                  ("angry", "anxious", "confused", "humorous", "aggrieved", "calm")}
        assert len(drafts) == 6


class TestEnglishDraft:
    def test_greets_quotes_and_signs(self):
        draft = reply_draft(EN)
        assert draft.startswith("Dear Ms Smith,")
        assert "“I was charged twice for my booking.”" in draft
        assert "failure in our process, not anything you did" in draft
        assert draft.endswith("Kind regards,\nZhang Wei\nYuelai Hotel")
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in draft)

    def test_no_name_remedy_and_deadline(self):
        due = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
        draft = reply_draft(replace(EN, customer_name="", remedy="A refund of the second "
                                    "payment", remedy_amount=Decimal("420"), deadline=due))
        assert draft.startswith("Hello,")
        assert "we are offering: A refund of the second payment (¥420.00)." in draft
        assert "You will hear from us by 18:00 on 25 November 2026." in draft

    def test_facts_verbatim(self):
        draft = reply_draft(replace(EN, facts="The payment gateway retried a timed-out "
                                    "charge. It has been fixed."))
        assert "What we found: The payment gateway retried a timed-out charge." in draft


def test_different_facts_give_visibly_different_drafts():
    other = replace(ZH, customer_name="李先生", description="房间空调坏了，一晚上没睡好。",
                    scenario="product_defect", status="remedy_proposed",
                    remedy="免收当晚房费", remedy_amount=Decimal("388"),
                    agent_name="小李", organisation_name="悦来酒店二店")
    first, second = reply_draft(ZH), reply_draft(other)
    assert first != second
    assert "李先生" in second and "王女士" not in second
    assert "房间空调坏了，一晚上没睡好。" in second and "上菜太慢" not in second
    assert "产品和服务出了问题" in second and "工作人员的失误" not in second
    assert "¥388.00" in second and "小李" in second


def test_the_case_language_alone_chooses_the_draft_language():
    assert reply_draft(replace(ZH, language="en")).startswith("Dear 王女士,")
    assert reply_draft(replace(EN, language="zh")).startswith("Ms Smith，您好！")
