"""Demo data for the playbook: a plausible reading of the demo cases, so their case pages
show guidance for an emotion, a scenario and risks rather than the neutral playbook.

`demo_label_cases(cases)` reads each case's own words with a few keyword rules (Chinese
and English) and records the labels through `cases.services.case_record_labels` as the
automatic reader would (no actor, source "demo"). It is for the demo only: the real
reading is triage's. Cases that already have a reading are left alone. Wire it into
`redress demo` after the demo cases are created::

    from redress.playbook.demo import demo_label_cases
    demo_label_cases(Case.objects.all())
"""

from collections.abc import Iterable
from typing import Any

from redress.cases.models import Case
from redress.cases.services import case_record_labels

# Each rule: a label and the words that point to it, lower-case for English.
_SCENARIO_WORDS: dict[str, tuple[str, ...]] = {
    "process_system": (
        "扣款", "多扣", "扣了两次", "账单", "订单", "预订", "预约", "系统", "配送", "外卖", "发票",
        "收费", "物业费", "送来的是", "别人的单", "核销", "多付", "原价", "没上门", "订房时",
        "上菜慢", "charged", "arrived without", "bill", "booking", "reservation", "order", "system",
        "delivery", "invoice", " fee", " app ",
    ),
    "human_error": (
        "态度", "服务员", "员工", "前台", "客服", "保安", "管家", "不理", "没人理", "骂", "推销",
        "拿错", "拿走", "说没办法", "rude", "staff", "waiter", "receptionist", "told me",
        "attitude",
    ),
    "product_defect": (
        "坏", "漏水", "故障", "凉", "脏", "沙子", "异物", "头发", "虫", "异味", "不热", "停电",
        "电梯", "空调", "滴水", "塑料", "钢丝球", "没有消毒", "茶渍", "垃圾", "臭", "苍蝇",
        "食物中毒", "腹泻", "上吐下泻", "肠胃炎", "装修", "噪音", "硬的", "辣得", "堵了",
        "broken", "leak", "dirty", "cold", " hair", "insect", "smell", "faulty", "not working",
        "lift", "air conditioning", "air conditioner", "warm air", "noise", "blocked",
        "steel wool",
    ),
}
_EMOTION_WORDS: dict[str, tuple[str, ...]] = {
    "angry": ("！！", "!!", "？！", "离谱", "气死", "愤怒", "太差", "太过分", "忍无可忍",
              "这就是你们的服务", "不可理喻", "unacceptable",
              "furious", "outrageous", "disgusting"),
    "aggrieved": ("寒心", "没人理", "没人管", "说声对不起", "委屈", "老顾客", "ignored",
                  "nobody even", "loyal customer"),
    "anxious": ("着急", "担心", "不踏实", "害怕", "worried", "need to know", "anxious"),
    "humorous": ("终生难忘", "刮目相看", "有故事可以讲", "哈哈", "quite an experience",
                 "good story", "haha"),
    "confused": ("不明白", "不懂", "搞不清", "怎么算的", "don't understand", "confused",
                 "do not understand"),
}
_RISK_WORDS: dict[str, tuple[str, ...]] = {
    "safety": ("受伤", "烫伤", "中毒", "拉肚子", "腹泻", "上吐下泻", "医院", "输液", "很危险",
               "差点咽下去", "着火", "漏电", "摔倒", "过敏反应", "injur", "poison",
               "fire", "burn", "allergic"),
    "legal_media": ("12315", "12345", "消协", "律师", "起诉", "媒体", "曝光", "差评", "点评",
                    "住建", "lawyer", " sue ", "consumer association", "review", "press"),
    "churn": ("不会再来", "换别家", "不会再住", "换物业", "销户", "退卡", "not be coming back",
              "not be staying", "changing the management", "cancel"),
    "repeat": ("不是第一次", "上次", "好几次", "又坏", "又出", "再次", "already reported",
               "second time", "last stay", "several times", "again"),
}
_WANT_WORDS: dict[str, tuple[str, ...]] = {
    "refund": ("退还", "退回", "退款", "退钱", "refund"),
    "replacement": ("换货", "更换", "换一个", "replace"),
    "repair": ("维修", "来修", "repair", "fix it"),
    "redo": ("重新做", "重做", "made again", "redo"),
    "compensation": ("补偿", "赔偿", "compensation"),
    "apology": ("道歉", "道个歉", "apology", "apologise"),
    "explanation": ("解释", "说法", "说清楚", "explain"),
    "fix_fast": ("尽快", "马上", "今天之内", "as soon as possible", "today"),
    "accountability": ("严肃处理", "整改", "accountable"),
}
_NOT_COMPLAINT: dict[str, tuple[str, ...]] = {
    "praise": ("表扬", "感谢", "点赞", "thank you for the", "praise", "wonderful"),
    "suggestion": ("建议", "增加", "方便些", "suggest", "it would be nice", "it would be great",
                   "could you install"),
    "inquiry": ("请问", "想咨询", "could you tell me", "i would like to know"),
}
# Words of a failure, whoever is at fault; staff nouns alone ("前台") are not a failure.
_FAILURE_WORDS = (*_SCENARIO_WORDS["product_defect"], "投诉", "慢", "不满", "错", "没人理",
                  "扣", "complain", "slow", "wrong", "rude", "charged", "ignored")


def _hits(text: str, words: tuple[str, ...]) -> int:
    return sum(1 for word in words if word in text)


def demo_reading(text: str) -> dict[str, Any]:
    """Labels for a complaint's words by keyword: kind, scenario, emotion, risks, wants."""
    lowered = text.lower()
    kind = "complaint"
    if not _hits(lowered, _FAILURE_WORDS):
        kind = next((k for k, words in _NOT_COMPLAINT.items() if _hits(lowered, words)),
                    "complaint")
    scores = {s: _hits(lowered, words) for s, words in _SCENARIO_WORDS.items()}
    best = max(scores, key=lambda s: scores[s])
    scenario = "none" if kind != "complaint" else (best if scores[best] else "")
    emotions = {e: _hits(lowered, words) for e, words in _EMOTION_WORDS.items()}
    strongest = max(emotions, key=lambda e: emotions[e])
    return {
        "kind": kind,
        "scenario": scenario,
        "emotion": strongest if emotions[strongest] else "calm",
        "risks": [r for r, words in _RISK_WORDS.items() if _hits(lowered, words)],
        "wants": [w for w, words in _WANT_WORDS.items() if _hits(lowered, words)],
    }


def demo_label_cases(cases: Iterable[Case]) -> int:
    """Give each demo case not read yet a plausible reading; returns how many were read."""
    unread = Case.objects.filter(
        pk__in=[case.pk for case in cases], kind="", scenario="", emotion=""
    ).order_by("pk")
    read = 0
    for case in unread:
        case_record_labels(case=case, actor=None, labels=demo_reading(case.description),
                           source="demo")
        read += 1
    return read
