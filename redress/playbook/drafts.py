"""A first draft of a reply to the customer, built from the case's own facts.

`reply_draft` is a pure function of `DraftFacts`: the same facts give the same draft, and
different facts (name, what went wrong, emotion, status, deadline, remedy) give visibly
different drafts. It writes in the customer's language and opens the way the customer's
emotional state calls for (seed 004, chapter 2). It never paraphrases the customer: what
went wrong is quoted as written (the first sentence, or a clipped excerpt). The person
handling the case edits the draft before anything is sent; nothing here sends anything.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from redress.common.money import to_money
from redress.playbook.guidance import EN, ZH, content_language

# How much of the customer's words a draft quotes before clipping.
EXCERPT_MAX = {ZH: 60, EN: 160}
ELLIPSIS = "…"

_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”\"’']?|\.(?=\s|$)[”\"’']?|\n")
_TITLES_ZH = ("先生", "女士", "小姐", "太太", "老师", "经理", "总")


@dataclass(frozen=True)
class DraftFacts:
    """Everything a reply draft is built from. `deadline` is when the customer will hear
    from us (an agreed time, or the resolution deadline), shown in `zone`."""

    language: str
    customer_name: str = ""
    description: str = ""
    needs: str = ""
    facts: str = ""
    scenario: str = ""
    emotion: str = ""
    status: str = "new"
    deadline: datetime | None = None
    zone: str = "Asia/Shanghai"
    remedy: str = ""
    remedy_amount: Decimal | None = None
    repeat: bool = False
    reference: str = ""
    agent_name: str = ""
    organisation_name: str = ""


def excerpt(text: str, language: str) -> str:
    """The first sentence of `text`, or its first characters and an ellipsis when that
    sentence is long. Never rewords: the result is a piece of `text` as written (only
    surrounding white space is dropped), plus at most an ellipsis."""
    text = text.strip()
    if not text:
        return ""
    end = _SENTENCE_END.search(text)
    sentence = text[: end.end()].strip() if end else text
    limit = EXCERPT_MAX[content_language(language)]
    if len(sentence) > limit:
        return sentence[:limit].rstrip() + ELLIPSIS
    return sentence


def _ended(text: str, stop: str) -> str:
    """`text` with a full stop after it when it does not already end a sentence."""
    if not text or text[-1] in "。！？!?.…；;”\"）)":
        return text
    return text + stop


@dataclass(frozen=True)
class _Lines:
    """A draft's lines in one language, before they are put in the order the customer's
    emotion calls for. `gap` joins two sentences: nothing in Chinese, a space in English."""

    opening: str
    after_anxious: str
    upgrade: str
    about: str
    found: str
    needs: str
    next_step: str
    remedy: str
    repeat: str
    gap: str


def _arrange(emotion: str, lines: _Lines) -> list[str]:
    """The body of a draft, opened as seed 004 says to meet each emotional state: the
    anxious hear what happens next first; the confused get numbered steps; the aggrieved
    hear that their case is upgraded; everyone else is answered in the usual order."""
    g = lines.gap
    if emotion == "anxious":
        return [lines.opening + g + lines.next_step, lines.after_anxious + g + lines.about,
                lines.found, lines.needs, lines.remedy, lines.repeat]
    if emotion == "confused":
        steps = [s for s in (lines.about, lines.found, lines.needs, lines.next_step,
                             lines.remedy) if s]
        numbered = "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1))
        return [lines.opening, numbered, lines.repeat]
    upgrade = [lines.upgrade] if emotion == "aggrieved" else []
    return [lines.opening, *upgrade, lines.about, lines.found, lines.needs, lines.next_step,
            lines.remedy, lines.repeat]


# --- Chinese ---------------------------------------------------------------------------

_ZH_OPENING = {
    "angry": "您的心情我完全理解，遇到这样的事情，换作是谁都会生气。"
             "非常抱歉给您带来这么不好的体验。",
    "aggrieved": "非常抱歉，让您受委屈了，是我们做得不好。",
    "anxious": "请您放心，先告诉您接下来的安排：",
    "confused": "非常抱歉给您带来困扰。我用简单的几步跟您说明：",
    "humorous": "谢谢您还能这么轻松地告诉我们——不过这件事确实是我们没做好，非常抱歉。",
    "calm": "非常抱歉给您带来了不便，感谢您告诉我们。",
}
_ZH_AFTER_ANXIOUS = "让您担心了，真的非常抱歉。"
_ZH_UPGRADE = "您的事情我们已经升级为优先处理，由我本人全程负责，有任何情况请直接找我。"
_ZH_OWNERSHIP = {
    "product_defect": "这是我们的产品和服务出了问题，责任在我们。",
    "process_system": "这是我们流程上的失误，不是您的原因。",
    "human_error": "这是我们工作人员的失误，我们会认真处理，并加强培训，避免再次发生。",
}
_ZH_NEXT = {
    "new": "我们已经开始核实情况，查清后会第一时间把结果和处理方案告诉您。",
    "acknowledged": "我们已经开始核实情况，查清后会第一时间把结果和处理方案告诉您。",
    "investigating": "我们正在调查核实，查清原因后会马上告诉您处理方案。",
    "remedy_proposed": "我们为您准备了处理方案，请您看看是否合适，有不满意的地方随时告诉我。",
    "remedy_rejected": "上次的方案没能让您满意，我们正在重新研究更合适的方案。",
    "remedy_accepted": "我们正在按您同意的方案为您办理。",
    "executing": "我们正在按您同意的方案为您办理。",
    "waiting_on_customer": "为了尽快处理，还需要您补充一些信息，收到您的回复后我们马上继续。",
    "resolved": "这件事我们已经处理完毕，过几天会回访您，确认问题确实解决了。",
    "follow_up": "这件事我们已经处理完毕，想再跟您确认一下问题是否确实解决了。",
    "closed": "这件事已经处理结束，如果还有任何问题，欢迎随时联系我们。",
}
_ZH_REPEAT = ("同样的问题让您再次遇到，我们尤其感到抱歉。"
              "这一次我们会加大补救力度，并从根本上防止再犯。")


def _zh_salutation(name: str) -> str:
    if not name:
        return "您好！"
    if name.endswith(_TITLES_ZH):
        return f"尊敬的{name}，您好！"
    return f"{name}，您好！"


def _zh_when(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def _zh_remedy(remedy: str, amount: Decimal | None) -> str:
    if remedy and amount is not None:
        return f"为了弥补给您造成的不便，我们为您提供：{remedy}（金额 ¥{to_money(amount)}）。"
    if remedy:
        return _ended(f"为了弥补给您造成的不便，我们为您提供：{remedy}", "。")
    if amount is not None:
        return f"为了弥补给您造成的不便，我们为您提供 ¥{to_money(amount)} 的补偿。"
    return ""


def _zh_draft(f: DraftFacts) -> str:
    emotion = f.emotion if f.emotion in _ZH_OPENING else "calm"
    problem = excerpt(f.description, ZH)
    found = excerpt(f.facts, ZH)
    needs = excerpt(f.needs, ZH)
    ownership = _ZH_OWNERSHIP.get(f.scenario, "我们非常重视。")
    about = f"关于您反映的“{problem}”，{ownership}" if problem else ownership
    found_line = _ended(f"经过核实：{found}", "。") if found else ""
    needs_line = _ended(f"我们记下了您的诉求：{needs}", "。") if needs else ""
    next_line = _ZH_NEXT.get(f.status, _ZH_NEXT["investigating"])
    open_case = f.status not in ("resolved", "follow_up", "closed")
    when = (f"我们会在 {_zh_when(f.deadline, f.zone)} 之前给您答复。"
            if f.deadline is not None and open_case else "")
    remedy = _zh_remedy(f.remedy, f.remedy_amount)
    repeat = _ZH_REPEAT if f.repeat else ""

    body = _arrange(emotion, _Lines(
        opening=_ZH_OPENING[emotion], after_anxious=_ZH_AFTER_ANXIOUS, upgrade=_ZH_UPGRADE,
        about=about, found=found_line, needs=needs_line, next_step=next_line + when,
        remedy=remedy, repeat=repeat, gap="",
    ))
    reference = f"您的投诉编号是 {f.reference}，" if f.reference else ""
    body.append(f"{reference}如果还有任何疑问，欢迎随时联系我。")
    signature = "\n".join(s for s in (f.agent_name, f.organisation_name) if s)
    return "\n\n".join([_zh_salutation(f.customer_name), *[b for b in body if b],
                        *([signature] if signature else [])])


# --- English ---------------------------------------------------------------------------

_EN_OPENING = {
    "angry": "I understand why you are upset; anyone would be after this. I am truly sorry "
             "for how this went.",
    "aggrieved": "I am very sorry. You should not have been treated this way, and it was "
                 "our fault.",
    "anxious": "First, here is what happens next:",
    "confused": "I am sorry for the confusion. Here it is in a few simple steps:",
    "humorous": "Thank you for taking it with such good humour. It was still our mistake, "
                "and I am sorry.",
    "calm": "I am sorry for the trouble this caused you, and thank you for telling us.",
}
_EN_AFTER_ANXIOUS = "I am sorry this has caused you worry."
_EN_UPGRADE = ("We have made your case a priority, and I am looking after it personally "
               "from start to finish. Please come straight to me with anything.")
_EN_OWNERSHIP = {
    "product_defect": "The fault was in our product and service, and it is ours to put right.",
    "process_system": "This was a failure in our process, not anything you did.",
    "human_error": "This was a mistake by our staff. We are dealing with it and will train "
                   "the team so it does not happen again.",
}
_EN_NEXT = {
    "new": "We have started looking into it and will tell you what we found and how we will "
           "put it right as soon as we know.",
    "acknowledged": "We have started looking into it and will tell you what we found and "
                    "how we will put it right as soon as we know.",
    "investigating": "We are looking into it now and will tell you how we will put it right "
                     "as soon as we know the cause.",
    "remedy_proposed": "We have a proposal to put this right; please tell me whether it "
                       "works for you.",
    "remedy_rejected": "Our last proposal did not work for you, so we are working on a "
                       "better one.",
    "remedy_accepted": "We are now carrying out what you agreed to.",
    "executing": "We are now carrying out what you agreed to.",
    "waiting_on_customer": "To move quickly we need a little more information from you; we "
                           "will carry on as soon as you reply.",
    "resolved": "We have now put this right, and will check with you in a few days that "
                "everything is in order.",
    "follow_up": "We have put this right and would like to check that everything is now "
                 "in order.",
    "closed": "This matter is now closed; if anything else comes up, please get in touch.",
}
_EN_REPEAT = ("We are especially sorry that this has happened to you again. This time we "
              "will do more to put it right and make sure it does not happen again.")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _en_when(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%H:%M} on {local.day} {_MONTHS[local.month - 1]} {local.year}"


def _en_remedy(remedy: str, amount: Decimal | None) -> str:
    if remedy and amount is not None:
        return f"To make up for this, we are offering: {remedy} (¥{to_money(amount)})."
    if remedy:
        return _ended(f"To make up for this, we are offering: {remedy}", ".")
    if amount is not None:
        return f"To make up for this, we are offering you ¥{to_money(amount)}."
    return ""


def _en_draft(f: DraftFacts) -> str:
    emotion = f.emotion if f.emotion in _EN_OPENING else "calm"
    problem = excerpt(f.description, EN)
    found = excerpt(f.facts, EN)
    needs = excerpt(f.needs, EN)
    ownership = _EN_OWNERSHIP.get(f.scenario, "We take this seriously.")
    about = f"You told us: “{problem}” {ownership}" if problem else ownership
    found_line = _ended(f"What we found: {found}", ".") if found else ""
    needs_line = _ended(f"We have noted what you asked for: {needs}", ".") if needs else ""
    next_line = _EN_NEXT.get(f.status, _EN_NEXT["investigating"])
    open_case = f.status not in ("resolved", "follow_up", "closed")
    when = (f" You will hear from us by {_en_when(f.deadline, f.zone)}."
            if f.deadline is not None and open_case else "")
    remedy = _en_remedy(f.remedy, f.remedy_amount)
    repeat = _EN_REPEAT if f.repeat else ""

    body = _arrange(emotion, _Lines(
        opening=_EN_OPENING[emotion], after_anxious=_EN_AFTER_ANXIOUS, upgrade=_EN_UPGRADE,
        about=about, found=found_line, needs=needs_line, next_step=next_line + when,
        remedy=remedy, repeat=repeat, gap=" ",
    ))
    reference = f"Your complaint reference is {f.reference}. " if f.reference else ""
    body.append(f"{reference}If anything is unclear, just reply and I will answer myself.")
    signature = "\n".join(s for s in (f.agent_name, f.organisation_name) if s)
    greeting = f"Dear {f.customer_name}," if f.customer_name else "Hello,"
    sign_off = "Kind regards,\n" + signature if signature else "Kind regards"
    return "\n\n".join([greeting, *[b for b in body if b], sign_off])


def reply_draft(facts: DraftFacts) -> str:
    """A reply to the customer in their language, to be edited before it is sent."""
    if content_language(facts.language) == EN:
        return _en_draft(facts)
    return _zh_draft(facts)
