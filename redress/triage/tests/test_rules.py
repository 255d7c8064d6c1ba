"""The rules: negation, sarcasm, indirect threats and repetition, in Chinese and English."""

import pytest

from redress.triage.normalise import normalise
from redress.triage.rules import rule_hits


def hits(text: str) -> dict[str, list[tuple[str, bool]]]:
    normal = normalise(text)
    found: dict[str, list[tuple[str, bool]]] = {}
    for hit in rule_hits(normal.text):
        found.setdefault(hit.rule, []).append((normal.span(hit.start, hit.end), hit.negated))
    return found


def active(text: str, rule: str) -> list[str]:
    return [word for word, negated in hits(text).get(rule, []) if not negated]


class TestNegation:
    @pytest.mark.parametrize("text", [
        "还好没人受伤，就是菜上错了",
        "孩子没有受伤，不过玩具坏了",
        "No one was hurt, but the order was wrong.",
        "Luckily nobody got injured.",
    ])
    def test_negated_harm_is_not_a_safety_risk(self, text):
        assert active(text, "risk:safety") == []
        assert any(negated for _w, negated in hits(text)["risk:safety"])

    def test_a_present_danger_stands_though_no_one_was_hit(self):
        assert active("天花板掉下来，幸好没砸到人", "risk:safety") == ["掉下来"]

    def test_harm_in_another_clause_is_not_negated(self):
        assert active("我没有点这个菜。吃完就过敏了", "risk:safety") == ["过敏"]

    @pytest.mark.parametrize("text, refused, wanted", [
        ("不要退款，只要道歉", "want:refund", "want:apology"),
        ("我不是要退款，我要一个解释", "want:refund", "want:explanation"),
        ("I'm not asking for a refund, I just want an apology.", "want:refund", "want:apology"),
    ])
    def test_a_refused_want_is_cancelled(self, text, refused, wanted):
        assert active(text, refused) == []
        assert active(text, wanted)


class TestSarcasm:
    @pytest.mark.parametrize("text, cue", [
        ("你们的服务真是太'好'了", "太'好'"),
        ("配送速度真是太“快”了，三天才到", "太“快”"),
        ("感谢贵司让我免费健身爬了20层楼", "感谢贵司让我"),
        ("Thanks for nothing, great job everyone.", "Thanks for nothing"),
        ("10/10 would starve again", "would starve again"),
    ])
    def test_sarcasm_is_noticed(self, text, cue):
        assert cue in active(text, "emo:humorous")


class TestIndirectThreats:
    @pytest.mark.parametrize("text, cue", [
        ("我会让更多人知道你们是怎么对待顾客的", "让更多人知道"),
        ("再不处理我就发到网上", "发到网上"),
        ("已经打了12315", "12315"),
        ("My followers will hear about this.", "followers"),
        ("I will leave a review everywhere.", "review everywhere"),
    ])
    def test_threats_are_legal_media(self, text, cue):
        assert cue in active(text, "risk:legal_media")


class TestRepetition:
    @pytest.mark.parametrize("text, cue", [
        ("空调又坏了", "又坏"),
        ("这已经是第三次了", "第三次"),
        ("上次也是这样，每次都要等一个小时", "上次也"),
        ("The lift broke down again.", "again"),
        ("This is the second time I've complained.", "second time"),
    ])
    def test_repetition_is_noticed(self, text, cue):
        assert cue in active(text, "risk:repeat")

    @pytest.mark.parametrize("text", ["饭菜又冷又硬", "房间又小又脏", "便宜又好吃"])
    def test_you_joining_two_qualities_is_not_repetition(self, text):
        assert active(text, "risk:repeat") == []

    @pytest.mark.parametrize("text", ["Never again.", "We will definitely stay again!"])
    def test_again_as_a_promise_is_not_repetition(self, text):
        assert active(text, "risk:repeat") == []

    def test_never_again_is_churn(self):
        assert active("Never again.", "risk:churn") == ["Never again"]


class TestFalseAlarms:
    @pytest.mark.parametrize("text, rule", [
        ("第三次拍到了，准备做个合集发抖音", "risk:safety"),
        ("生日蛋糕的奶油全部塌了", "risk:safety"),
        ("想问一下续住的价格和网上一样吗", "risk:legal_media"),
        ("建议菜单上标注过敏原", "risk:safety"),
        ("阿姨用钢丝球把桌面擦花了", "risk:safety"),
        ("车在地库被水泡到轮胎一半", "risk:safety"),
        ("The room stinks of cigarette smoke.", "risk:safety"),
        ("柜员反复劝说我买一款保险", "risk:repeat"),
        ("The bill is three times the usual amount.", "risk:repeat"),
        ("Switched to your green tariff in May and the bill went up.", "risk:churn"),
        ("我自己就是做新闻的，知道一线员工不容易", "risk:legal_media"),
        ("外箱贴满了易碎标签，杯子还是碎了", "risk:legal_media"),
    ])
    def test_words_that_only_look_like_a_risk(self, text, rule):
        assert active(text, rule) == []

    @pytest.mark.parametrize("text, rule, cue", [
        ("茶壶有个缺口，差点割到嘴", "risk:safety", "差点割"),
        ("不然这事我会发到每个平台", "risk:legal_media", "每个平台"),
        ("修不好我就去隔壁品牌店提车", "risk:churn", "去隔壁"),
        ("医院的WiFi又连不上了，上周来也是这样", "risk:repeat", "上周来也"),
        ("孩子被鱼刺卡在喉咙，去诊所才取出来", "risk:safety", "鱼刺卡"),
        ("The plug got too hot to touch.", "risk:safety", "too hot to touch"),
        ("我会让我所有的朋友都知道你们是怎么对待老客户的", "risk:legal_media",
         "让我所有的朋友都知道"),
        ("Refund it, or every parent will hear about it.", "risk:legal_media",
         "every parent will hear"),
        ("I'm porting out tomorrow.", "risk:churn", "porting out"),
        ("说了多少遍了还修不好", "risk:repeat", "说了多少遍"),
        ("再不处理我就找新闻媒体", "risk:legal_media", "新闻"),
        ("照片我打印出来贴满整个小区", "risk:legal_media", "贴满整个"),
        ("Third order this year that turned up like this.", "risk:repeat", "Third order"),
    ])
    def test_words_that_are_a_risk(self, text, rule, cue):
        assert cue in active(text, rule)


class TestWantsAskedInPassing:
    """Wants customers ask for without the textbook word (corpus/README.md)."""

    @pytest.mark.parametrize("text, rule, cue", [
        ("地下车库的闸机坏了，赶紧修！", "want:repair", "赶紧修"),
        ("The intercom is dead. Please send someone to look at it.", "want:repair",
         "send someone"),
        ("迟到了50分钟，给张券意思一下吧", "want:compensation", "意思一下"),
        ("I'd like the dry-cleaning covered: cover the dry-cleaning bill.", "want:compensation",
         "cover the dry-cleaning"),
        ("这个员工必须处理负责的人", "want:accountability", "负责的人"),
        ("I'd like him spoken to.", "want:accountability", "spoken to"),
    ])
    def test_implied_wants(self, text, rule, cue):
        assert cue in active(text, rule)

    def test_a_refused_compensation_stays_refused(self):
        assert active("不要给我代金券，我只要道歉", "want:compensation") == []


class TestPolarity:
    @pytest.mark.parametrize("text, rule, word", [
        ("不错", "pol:pos", "不错"),
        ("没毛病", "pol:pos", "没毛病"),
        ("没什么问题", "pol:pos", "没什么问题"),
        ("价格不贵", "pol:pos", "不贵"),
        ("一点都不失望", "pol:pos", "一点都不失望"),
        ("还可以", "pol:pos", "还可以"),
        ("不太好", "pol:neg", "不太好"),
        ("不是很满意", "pol:neg", "不是很满意"),
        ("没有想象中好", "pol:neg", "没有想象中好"),
        ("凑合", "pol:neg", "凑合"),
        ("不会再买了", "pol:neg", "不会再买"),
        ("房间很干净", "pol:pos", "房间很干净"),
        ("价格偏高", "pol:neg", "价格偏高"),
        ("性价比高", "pol:pos", "性价比高"),
    ])
    def test_fixed_and_negated_forms_read_the_right_way(self, text, rule, word):
        assert active(text, rule) == [word]
        other = "pol:neg" if rule == "pol:pos" else "pol:pos"
        assert active(text, other) == []

    @pytest.mark.parametrize("text", ["不好意思打扰一下", "差不多吧", "五分钟", "方便面"])
    def test_words_inside_other_words_are_no_judgement(self, text):
        assert active(text, "pol:pos") == [] and active(text, "pol:neg") == []
