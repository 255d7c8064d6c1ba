"""What to say and do, as content: the first move for each emotion, the risk notes, the
handling of each scenario, the F.O.R.D steps and the SPIN questions.

All of it is written in both of the customer's languages (`zh`, `en`), because it is
spoken or written to the customer and follows the case's language, not the staff's
interface language. Adapted from the seeds: 004 (chapter 1, three scenarios; chapter 2,
five emotional states, SPIN and F.O.R.D), 002 (the motives: respect, venting,
compensation) and 000 (a sincere, prompt apology).
"""

from dataclasses import dataclass

ZH = "zh"
EN = "en"
LANGUAGES = (ZH, EN)

# Emotions and scenarios as TAXONOMY.md spells them; "" (not read yet) falls back to the
# neutral guidance of `calm` and the generic SPIN set.
EMOTIONS = ("angry", "anxious", "confused", "humorous", "aggrieved", "calm")
SCENARIOS = ("product_defect", "process_system", "human_error")
GENERIC = "generic"
SPIN_LETTERS = ("situation", "problem", "implication", "need_payoff")
RISKS = ("safety", "legal_media", "churn", "repeat")
FORD_STEPS = ("first", "only", "remedy", "dont")


@dataclass(frozen=True)
class FirstMove:
    """What to do first for an emotional state, and phrases to say it with."""

    do_first: str
    phrases: tuple[str, ...]


FIRST_MOVES: dict[str, dict[str, FirstMove]] = {
    "angry": {
        ZH: FirstMove(
            "先安抚情绪，再解决问题：让顾客把话说完，不打断、不辩解，语气放慢放低。",
            (
                "您先别着急，您说的每一句我都记下来了。",
                "遇到这样的事，换作是我也会很生气，真的非常抱歉。",
                "这件事由我负责跟到底，您看我们先把最要紧的问题解决，好吗？",
            ),
        ),
        EN: FirstMove(
            "Calm things down first, then solve: let the customer finish, do not interrupt "
            "or argue, speak slowly and quietly.",
            (
                "I hear you, and I have written down everything you told me.",
                "Anyone would be angry after this. I am truly sorry.",
                "I will see this through myself. Shall we sort out the most urgent part first?",
            ),
        ),
    },
    "anxious": {
        ZH: FirstMove(
            "透明解释，给出保障：先说清楚接下来会发生什么、什么时候有结果，再道歉和说明原因。",
            (
                "请您放心，我先把接下来的安排跟您说清楚。",
                "我们会在约定的时间之前给您答复，期间有任何进展我都会第一时间告诉您。",
                "您担心的损失我们会负责到底，这一点我可以向您保证。",
            ),
        ),
        EN: FirstMove(
            "Explain openly and give guarantees: say first what happens next and when, "
            "then apologise and explain.",
            (
                "Let me tell you straight away what happens next.",
                "You will hear from us before the time we agree, and sooner if anything changes.",
                "If this has cost you anything, we will make it good. You have my word.",
            ),
        ),
    },
    "confused": {
        ZH: FirstMove(
            "用通俗的话和例子解释：不用术语，不念条款，分成一二三步讲，讲完确认顾客听明白了。",
            (
                "我用简单的话给您说一下，一共就三步。",
                "打个比方，您可以这样理解……",
                "我这样讲清楚吗？哪一步还不明白，我再给您说一遍。",
            ),
        ),
        EN: FirstMove(
            "Use plain words and an example: no jargon, no reading out terms, go step by "
            "step and check the customer has understood.",
            (
                "Let me put it simply: there are just three steps.",
                "For example, think of it like this…",
                "Does that make sense? Tell me which step is unclear and I will go over it again.",
            ),
        ),
    },
    "humorous": {
        ZH: FirstMove(
            "适度回应，避免冷场：可以接一句轻松的话，但不拿问题开玩笑，随后认真道歉、认真解决。",
            (
                "谢谢您还愿意这么轻松地告诉我们，不过这件事确实是我们没做好。",
                "您这句话说得我们很惭愧，这就给您补上。",
                "玩笑归玩笑，问题我们一定认真解决。",
            ),
        ),
        EN: FirstMove(
            "Answer in kind, lightly, and do not leave a cold silence; never joke about the "
            "failure itself, and follow with a real apology and a real fix.",
            (
                "Thank you for taking it so well. It was still our mistake, though.",
                "Fair point, and a little embarrassing for us. Let us put it right.",
                "Joking aside, we will fix this properly.",
            ),
        ),
    },
    "aggrieved": {
        ZH: FirstMove(
            "主动致歉，升级服务：先真诚道歉、承认顾客受了委屈，再告诉顾客已升级处理、由专人负责。",
            (
                "非常抱歉，让您受委屈了，是我们做得不好。",
                "您反映的情况我们非常重视，已经升级为优先处理。",
                "从现在起由我专门负责您的事情，有任何情况您直接找我。",
            ),
        ),
        EN: FirstMove(
            "Apologise first and upgrade the service: say sorry sincerely, acknowledge they "
            "were treated badly, then say the matter is escalated and one person owns it.",
            (
                "I am very sorry. You should not have been treated this way.",
                "We take this seriously and have made it a priority.",
                "From now on I am looking after this personally; come straight to me.",
            ),
        ),
    },
    "calm": {
        ZH: FirstMove(
            "首句道歉，确认事实：感谢顾客告诉我们，核对清楚经过和诉求，说明下一步和时间。",
            (
                "非常抱歉给您带来不便，谢谢您告诉我们。",
                "我跟您核对一下经过，看看我理解得对不对。",
                "接下来我们会这样处理，有结果我马上告诉您。",
            ),
        ),
        EN: FirstMove(
            "Apologise in the first sentence and confirm the facts: thank the customer, "
            "check what happened and what they want, say what happens next and when.",
            (
                "I am sorry for the trouble, and thank you for telling us.",
                "Let me check I have understood what happened.",
                "Here is what we will do next, and I will tell you as soon as it is done.",
            ),
        ),
    },
}


# What each risk flag changes for the person handling the case.
RISK_NOTES: dict[str, dict[str, str]] = {
    "safety": {
        ZH: "安全第一：先确认顾客本人和家人是否安全、是否需要就医或紧急处置，立即上报主管；"
            "能现场处理的马上派人处理。",
        EN: "Safety first: make sure the customer and anyone with them is safe and whether "
            "they need medical or emergency help, and tell a supervisor at once; send "
            "someone if it can be handled on site.",
    },
    "legal_media": {
        ZH: "顾客提到监管部门、律师或媒体：请主管介入；只陈述已核实的事实，"
            "不做事实以外的承认或承诺，保持礼貌，不与顾客争辩。",
        EN: "The customer mentions a regulator, a lawyer or the press: bring in a supervisor; "
            "state only facts that are verified, admit and promise nothing beyond them, stay "
            "courteous and do not argue.",
    },
    "churn": {
        ZH: "顾客表示要离开：挽留靠解决问题，不靠套话；问清楚什么能让顾客留下，"
            "方案超出权限就请主管批准。",
        EN: "The customer says they will leave: keep them by solving the problem, not with "
            "set phrases; ask what would make them stay, and ask a supervisor to approve "
            "anything beyond your authority.",
    },
    "repeat": {
        ZH: "问题重复发生：服务补救悖论不会出现第二次，再出错顾客只会更失望；补救力度要更大，"
            "并说明这次怎样防止再犯。",
        EN: "It happened before: the recovery paradox does not hold twice, and a second "
            "failure only disappoints more; recover more strongly and say how it will not "
            "happen again.",
    },
}

# Shown when the case is on its second or later recovery (`recovery_round` > 1).
ROUND_NOTES: dict[str, str] = {
    ZH: "这是第 {round} 轮补救：上一次的处理没有让顾客满意。补救悖论不会出现第二次，"
        "请升级处理、加大补救力度，由主管把关方案。",
    EN: "This is recovery round {round}: the last attempt did not satisfy the customer. "
        "The recovery paradox does not hold twice; escalate, recover more strongly and "
        "have a supervisor check the remedy.",
}


# How each scenario is handled (seed 004, chapters 1 and 3).
SCENARIO_STEPS: dict[str, dict[str, tuple[str, ...]]] = {
    "product_defect": {
        ZH: (
            "快速响应：马上安排检测、上门取件或送修，涉及安全的先停用。",
            "过程透明：告诉顾客需要多久，期间提供备用方案（如备用机、换房）。",
            "补偿匹配：免费维修或更换，视影响额外补偿（如延保、赠品）。",
        ),
        EN: (
            "Respond fast: arrange an inspection, a pick-up or a repair at once; stop using "
            "it first if safety is involved.",
            "Keep the process open: say how long it takes and offer a stand-in meanwhile "
            "(a loan device, another room).",
            "Match the remedy: free repair or replacement, and something extra for the "
            "trouble (extended warranty, a gift).",
        ),
    },
    "process_system": {
        ZH: (
            "界定责任：查清是哪个环节出错（订单录入、系统、确认），由哪个部门负责。",
            "透明解释：给顾客看明细（账单、订单记录），用简单的话说明原因，不讲系统术语。",
            "限时处理：约定退回或更正的时间，并记录补偿（重做、退款、赔偿）。",
        ),
        EN: (
            "Pin down responsibility: find the step that failed (order entry, system, "
            "confirmation) and the department that owns it.",
            "Explain openly: show the customer the details (bill, order record) and the "
            "cause in plain words, without system jargon.",
            "Set a time: agree when the refund or correction will be done, and record the "
            "remedy (redo, refund, compensation).",
        ),
    },
    "human_error": {
        ZH: (
            "承担责任：代表公司认错，不把责任推给同事或合作方。",
            "替代方案：纠正错误的建议或操作，提供更合适的方案。",
            "防止再犯：告诉顾客会对相关人员进行培训或改进流程。",
        ),
        EN: (
            "Take responsibility: apologise for the company; never pass the blame to a "
            "colleague or a partner.",
            "Offer an alternative: correct the wrong advice or action and offer what fits.",
            "Prevent a repeat: tell the customer the staff involved will be trained or the "
            "process changed.",
        ),
    },
}


@dataclass(frozen=True)
class FordText:
    """A F.O.R.D step as said to the customer: an example, and what to avoid saying."""

    say: str
    avoid: str


FORD: dict[str, dict[str, FordText]] = {
    "first": {
        ZH: FordText("非常抱歉，给您带来了不便。", "先解释原因，最后才道歉。"),
        EN: FordText("I am so sorry for the trouble this caused you.",
                     "Explaining first and apologising last."),
    },
    "only": {
        ZH: FordText("原因是我们的系统出了故障，现在正在修复。",
                     "长篇解释内部流程，或者替自己开脱。"),
        EN: FordText("A fault in our system caused the delay; it is being fixed now.",
                     "Long accounts of internal procedures, or excuses."),
    },
    "remedy": {
        ZH: FordText("我现在就为您办理退款。", "“我们研究一下再说”，没有时间也没有方案。"),
        EN: FordText("I am refunding you now.",
                     "“We will look into it”, with no time and no remedy."),
    },
    "dont": {
        ZH: FordText("这是我们的责任，我们来解决。", "“这是合作方的问题”“这不归我们管”。"),
        EN: FordText("This is our responsibility and we will fix it.",
                     "“That is our partner's fault”, “That is not our department”."),
    },
}


# SPIN: Situation, Problem, Implication, Need-payoff — two questions each (seed 004 ch. 2).
SPIN: dict[str, dict[str, dict[str, tuple[str, str]]]] = {
    "product_defect": {
        ZH: {
            "situation": ("您能描述一下是哪里坏了、坏到什么程度吗？",
                          "这个问题是什么时候开始出现的？当时是怎么使用的？"),
            "problem": ("出问题以后还能正常使用吗？",
                        "这是第一次出现，还是之前也出现过？"),
            "implication": ("这个问题对您的生活或工作造成了哪些影响？",
                            "有没有因此受伤或者造成其他损失？"),
            "need_payoff": ("您希望换货、维修还是退款？我们也可以上门取件。",
                            "维修期间给您提供一个备用的，会不会方便一些？"),
        },
        EN: {
            "situation": ("Could you describe what is broken and how badly?",
                          "When did it start, and how was it being used at the time?"),
            "problem": ("Can you still use it at all since this happened?",
                        "Is this the first time, or has it happened before?"),
            "implication": ("How has this affected your day or your work?",
                            "Was anyone hurt, or did it cause any other loss?"),
            "need_payoff": ("Would you prefer a replacement, a repair or a refund? We can "
                            "collect it from you.",
                            "Would a stand-in while it is repaired make things easier?"),
        },
    },
    "process_system": {
        ZH: {
            "situation": ("您是在哪一步发现问题的？方便告诉我订单号或账单日期吗？",
                          "您当时收到的提示或者账单上显示的是什么？"),
            "problem": ("多扣（或错记）的金额是多少？",
                        "您之前有没有联系过我们？当时是怎么答复的？"),
            "implication": ("这笔钱对您近期的安排有影响吗？",
                            "这个错误有没有耽误您其他的事情，比如出行或付款？"),
            "need_payoff": ("我们先把明细核对给您看，再为您退回，这样可以吗？",
                            "以后出现异常时我们先短信提醒您，会不会更放心？"),
        },
        EN: {
            "situation": ("At which step did you notice the problem? Could you give me the "
                          "order number or the date of the bill?",
                          "What did the message or the bill say at the time?"),
            "problem": ("How much was charged or recorded wrongly?",
                        "Have you contacted us about this before, and what were you told?"),
            "implication": ("Does this money affect your plans in the coming days?",
                            "Did the error hold up anything else, a journey or a payment?"),
            "need_payoff": ("Shall I go through the details with you first and then refund "
                            "you?",
                            "Would a text message when something looks wrong give you more "
                            "peace of mind?"),
        },
    },
    "human_error": {
        ZH: {
            "situation": ("您能说说当时是哪位同事、在什么时间接待您的吗？",
                          "当时他是怎么说、怎么做的？"),
            "problem": ("他的建议或做法和您的需求哪里不一致？",
                        "您当时有没有提出来？得到了什么回应？"),
            "implication": ("这件事给您带来了哪些麻烦或损失？",
                            "这让您对我们的服务有什么看法？"),
            "need_payoff": ("我们为您换一个更合适的方案，并由我全程负责，您看可以吗？",
                            "除了纠正这次的问题，您还希望我们怎样处理这位同事的做法？"),
        },
        EN: {
            "situation": ("Could you tell me who served you and when?",
                          "What exactly did they say or do?"),
            "problem": ("Where did their advice or action not fit what you needed?",
                        "Did you raise it at the time, and what was the answer?"),
            "implication": ("What trouble or loss has this caused you?",
                            "How has it changed the way you see our service?"),
            "need_payoff": ("Shall we find you a better option, with me looking after it "
                            "from start to finish?",
                            "Besides putting this right, what would you like us to do "
                            "about how it was handled?"),
        },
    },
    GENERIC: {
        ZH: {
            "situation": ("您能具体说说当时发生了什么吗？",
                          "是在什么时间、什么地点发生的？"),
            "problem": ("现在最让您困扰的是哪一点？",
                        "这个问题之前出现过吗？"),
            "implication": ("这件事对您造成了哪些影响？",
                            "如果不尽快解决，会给您带来什么麻烦？"),
            "need_payoff": ("您希望我们怎么处理，您会比较满意？",
                            "如果我们今天先做到这一步，对您有帮助吗？"),
        },
        EN: {
            "situation": ("Could you tell me exactly what happened?",
                          "When and where did it happen?"),
            "problem": ("What troubles you most about it right now?",
                        "Has this happened before?"),
            "implication": ("How has this affected you?",
                            "What would it mean for you if it is not solved soon?"),
            "need_payoff": ("What would put this right for you?",
                            "If we did this much today, would that help?"),
        },
    },
}


def content_language(language: str) -> str:
    """The content language for a case's `language` (zh or en); anything else is zh, the
    product's first language."""
    return EN if language == EN else ZH


def first_move(emotion: str, language: str) -> FirstMove:
    """The first move for `emotion` ("" or unknown: the neutral one)."""
    return FIRST_MOVES.get(emotion or "calm", FIRST_MOVES["calm"])[content_language(language)]


def spin_questions(scenario: str, language: str) -> dict[str, tuple[str, str]]:
    """Two SPIN questions per letter for `scenario`; the generic set when the case has no
    failure scenario (yet)."""
    return SPIN.get(scenario, SPIN[GENERIC])[content_language(language)]


def scenario_steps(scenario: str, language: str) -> tuple[str, ...]:
    """How a scenario is handled; nothing for `none` or a case not read yet."""
    steps = SCENARIO_STEPS.get(scenario)
    return steps[content_language(language)] if steps else ()


def risk_notes(risks: list[str], recovery_round: int, language: str) -> list[str]:
    """What the flags on a case change, in the order of RISKS, then the recovery round."""
    lang = content_language(language)
    notes = [RISK_NOTES[risk][lang] for risk in RISKS if risk in risks]
    if recovery_round > 1:
        notes.append(ROUND_NOTES[lang].format(round=recovery_round))
    return notes
