"""TEMPORARY STAND-IN for the triage model.

`triage_text` here reads a message with a handful of regular expressions so that intake,
the case page and the API can be built and tested against the real interface. It is not
the model: the engine (branch triage-engine) replaces this whole file with one that keeps
the same signature, `triage_text(text: str) -> Reading`. Nothing outside this file may rely
on what these patterns find.
"""

import re

from redress.common.text import guess_language
from redress.triage.reading import Reading

MODEL_VERSION = "stand-in-keywords-0"

_KIND = {
    "praise": re.compile(r"表扬|感谢|谢谢|thank you|great job", re.I),
    "suggestion": re.compile(r"建议|希望能|suggest", re.I),
    "inquiry": re.compile(r"请问|咨询|could you tell me|how do i|\?$", re.I),
}
_FAILURE = re.compile(
    r"投诉|坏|漏|脏|慢|错|扣|没人|态度|凉|退|差|broken|leak|dirty|slow|wrong|charged|rude"
    r"|complain|refund", re.I)
_SCENARIO = {
    "process_system": re.compile(r"扣款|多扣|扣了两次|账单|订单|预订|系统|配送|charged twice|"
                                 r"bill|booking|order|system|delivery", re.I),
    "human_error": re.compile(r"态度|服务员|员工|前台|客服|rude|staff|waiter|attitude", re.I),
    "product_defect": re.compile(r"坏|漏水|故障|凉|脏|异物|空调|broken|leak|dirty|cold|"
                                 r"not working", re.I),
}
_EMOTION = {
    "angry": re.compile(r"！！|!!|气死|太差|太过分|离谱|unacceptable|furious|outrageous", re.I),
    "aggrieved": re.compile(r"没人理|寒心|委屈|ignored", re.I),
    "anxious": re.compile(r"着急|担心|害怕|worried|anxious", re.I),
    "confused": re.compile(r"不明白|搞不清|confused|don't understand", re.I),
}
_RISK = {
    "safety": re.compile(r"受伤|烫伤|中毒|腹泻|着火|漏电|injur|poison|fire", re.I),
    "legal_media": re.compile(r"12315|消协|律师|起诉|媒体|曝光|lawyer|sue |press", re.I),
    "churn": re.compile(r"不会再来|换别家|销户|never come back|cancel", re.I),
    "repeat": re.compile(r"第二次|又坏|上次|好几次|again|second time", re.I),
}
_WANT = {
    "refund": re.compile(r"退款|退钱|退还|refund", re.I),
    "repair": re.compile(r"维修|来修|repair|fix it", re.I),
    "compensation": re.compile(r"补偿|赔偿|compensat", re.I),
    "apology": re.compile(r"道歉|apolog", re.I),
}


def _found(patterns: dict[str, re.Pattern[str]], text: str) -> dict[str, list[str]]:
    hits: dict[str, list[str]] = {}
    for label, pattern in patterns.items():
        words = [m.group(0) for m in pattern.finditer(text)]
        if words:
            hits[label] = list(dict.fromkeys(words))
    return hits


def _priority(kind: str, emotion: str, risks: tuple[str, ...]) -> str:
    if {"safety", "legal_media"} & set(risks):
        return "P1"
    if emotion in ("angry", "aggrieved") or {"churn", "repeat"} & set(risks):
        return "P2"
    return "P3" if kind == "complaint" else "P4"


def triage_text(text: str) -> Reading:
    """Stand-in reading of `text` by keyword (see the module docstring)."""
    text = text or ""
    kinds = _found(_KIND, text)
    failure = _FAILURE.findall(text)
    kind = "complaint" if failure or not kinds else next(iter(kinds))
    scenarios = _found(_SCENARIO, text) if kind == "complaint" else {}
    scenario = max(scenarios, key=lambda s: len(scenarios[s])) if scenarios else (
        "none" if kind != "complaint" else "product_defect")
    emotions = _found(_EMOTION, text)
    emotion = next(iter(emotions), "calm")
    risks = _found(_RISK, text)
    wants = _found(_WANT, text)
    cues_by_label: dict[str, list[str]] = {}
    if kind == "complaint" and failure:
        cues_by_label["kind"] = list(dict.fromkeys(failure))[:3]
    elif kind in kinds:
        cues_by_label["kind"] = kinds[kind]
    if scenario in scenarios:
        cues_by_label["scenario"] = scenarios[scenario]
    if emotion in emotions:
        cues_by_label["emotion"] = emotions[emotion]
    for label, words in (*risks.items(), *wants.items()):
        cues_by_label[label] = words
    cues = tuple(dict.fromkeys(w for words in cues_by_label.values() for w in words))
    risk_labels = tuple(risks)
    return Reading(
        kind=kind, scenario=scenario, emotion=emotion, risks=risk_labels,
        wants=tuple(wants), lang=guess_language(text),
        priority=_priority(kind, emotion, risk_labels),
        confidence={"kind": 0.5, "scenario": 0.4 if scenarios else 0.2,
                    "emotion": 0.4 if emotions else 0.3},
        cues=cues, cues_by_label=cues_by_label,
    )
