"""What the customer reads and hears in a follow-up, in both languages.

This is content, not interface: it is chosen by the case's language (`Case.language_code`),
never by the language of the member of staff who happens to be looking. The questions
follow the seeds: was it put right (跟进反馈), and the three kinds of fairness a customer
judges a recovery by (结果公平, 过程公平, 相互对待公平).
"""

from typing import Any

ZH, EN = "zh-hans", "en"

TEXT: dict[str, dict[str, str]] = {
    "title": {ZH: "回访：您的问题解决了吗？", EN: "Follow-up: did we put it right?"},
    "intro": {
        ZH: "关于您的投诉 %(reference)s，我们想知道处理结果是否让您满意。"
            "只需一分钟，您的每一条意见都会有人认真阅读。",
        EN: "About your complaint %(reference)s: we would like to know whether what we did "
            "put things right. It takes a minute, and someone reads every answer.",
    },
    "solved": {ZH: "您的问题解决了吗？", EN: "Was your problem solved?"},
    "solved_yes": {ZH: "已解决", EN: "Yes"},
    "solved_partly": {ZH: "部分解决", EN: "Partly"},
    "solved_no": {ZH: "没有解决", EN: "No"},
    "satisfaction": {
        ZH: "总体来说，您对这次处理满意吗？（1 = 很不满意，5 = 非常满意）",
        EN: "Overall, how satisfied are you with how we handled it? "
            "(1 = very dissatisfied, 5 = very satisfied)",
    },
    "outcome_fair": {
        ZH: "结果：我们给出的解决办法或补偿与您受到的影响相称吗？",
        EN: "Outcome: did what we offered match the trouble you had?",
    },
    "process_fair": {
        ZH: "过程：投诉容易吗？处理得够快吗？",
        EN: "Process: was it easy to complain, and was it handled quickly enough?",
    },
    "interaction_fair": {
        ZH: "态度：我们的员工对您礼貌、用心、诚实吗？",
        EN: "Treatment: were our staff polite, attentive and honest with you?",
    },
    "scale_low": {ZH: "完全不", EN: "Not at all"},
    "scale_high": {ZH: "完全是", EN: "Completely"},
    "recommend": {
        ZH: "您会把我们推荐给亲友吗？（0 = 绝对不会，10 = 一定会）",
        EN: "Would you recommend us to friends? (0 = never, 10 = certainly)",
    },
    "would_return": {
        ZH: "如果再有需要，您还会选择我们吗？",
        EN: "Would you come back to us next time?",
    },
    "would_return_yes": {ZH: "会", EN: "Yes"},
    "would_return_no": {ZH: "不会", EN: "No"},
    "comment": {
        ZH: "还有什么想告诉我们的吗？（选填）",
        EN: "Anything else you want to tell us? (optional)",
    },
    "optional": {ZH: "选填", EN: "optional"},
    "submit": {ZH: "提交", EN: "Send"},
    "thanks_title": {ZH: "谢谢您的回复", EN: "Thank you for your answer"},
    "thanks": {
        ZH: "我们已收到您的回访意见。",
        EN: "We have received your answer.",
    },
    "thanks_reopened": {
        ZH: "很抱歉问题还没有彻底解决。我们已重新处理您的投诉，负责人会尽快与您联系。",
        EN: "We are sorry it is not put right yet. We have reopened your complaint and the "
            "person in charge will contact you soon.",
    },
    "answered_title": {ZH: "您已经回复过了", EN: "You have already answered"},
    "answered": {
        ZH: "这份回访问卷已经收到您的回复，谢谢！",
        EN: "We already have your answer to this survey. Thank you!",
    },
    "expired_title": {ZH: "此链接已过期", EN: "This link has expired"},
    "expired": {
        ZH: "这份回访问卷的填写期限已过。如果您还有任何意见，请直接联系我们，"
            "并告诉我们您的投诉编号。",
        EN: "The time for answering this survey has passed. If there is anything you want "
            "to tell us, please contact us and give us your complaint reference.",
    },
    "unknown_title": {ZH: "找不到这份问卷", EN: "We cannot find this survey"},
    "unknown": {
        ZH: "链接不完整或有误。请检查短信或邮件中的完整链接。",
        EN: "The link is incomplete or wrong. Please use the whole link from the text "
            "message or e-mail.",
    },
    "track": {ZH: "查看您的投诉进度", EN: "Follow your complaint"},
    "email_subject": {ZH: "[%(reference)s] 回访：您的问题解决了吗？",
                      EN: "[%(reference)s] Did we put it right?"},
    "email_body": {
        ZH: "您好，\n\n关于您的投诉 %(reference)s，我们想知道处理结果是否让您满意。"
            "请花一分钟告诉我们：\n\n%(url)s\n\n此链接在 %(until)s 前有效。\n\n谢谢！",
        EN: "Hello,\n\nAbout your complaint %(reference)s: we would like to know whether "
            "what we did put things right. Please take a minute to tell us:\n\n%(url)s\n\n"
            "This link works until %(until)s.\n\nThank you!",
    },
    "sms": {
        ZH: "【回访】您的投诉 %(reference)s 已处理，问题解决了吗？请告诉我们：%(url)s",
        EN: "About your complaint %(reference)s: did we put it right? Tell us: %(url)s",
    },
    "timeline_thanks": {
        ZH: "感谢您的回访意见。",
        EN: "Thank you for answering our follow-up.",
    },
    "no_response": {
        ZH: "我们没有收到您的回访意见，投诉已结案。如果问题仍然存在，请随时联系我们。",
        EN: "We did not hear back from you, so we have closed your complaint. If anything "
            "is still wrong, please contact us at any time.",
    },
}

# What the agent says on the phone, in the customer's language (F.O.R.D: warm opening,
# the questions, thanks; never argue with the answer, write it down as given).
CALL_SCRIPT: dict[str, list[str]] = {
    ZH: [
        "您好，我是%(company)s的%(agent)s。关于您之前反映的问题（%(reference)s），"
        "想耽误您一分钟做个回访，方便吗？",
        "请问您的问题现在解决了吗？已解决、部分解决，还是没有解决？",
        "总体来说，您对这次处理满意吗？1 到 5 分，5 分是非常满意。",
        "我们给出的解决办法和补偿，您觉得和您受到的影响相称吗？（1-5 分）",
        "投诉的过程方便吗？处理得够快吗？（1-5 分）",
        "我们的员工对您礼貌、用心、诚实吗？（1-5 分）",
        "您会把我们推荐给亲友吗？0 到 10 分。",
        "如果再有需要，您还会选择我们吗？",
        "还有什么想告诉我们的吗？……非常感谢您，您的意见我们一定认真改进。",
    ],
    EN: [
        "Hello, this is %(agent)s from %(company)s. About the problem you told us of "
        "(%(reference)s): may I take one minute to ask how it went?",
        "Is the problem solved now: yes, partly, or no?",
        "Overall, how satisfied are you with how we handled it, from 1 to 5, 5 being very "
        "satisfied?",
        "Did what we offered match the trouble you had? (1 to 5)",
        "Was it easy to complain, and was it handled quickly enough? (1 to 5)",
        "Were our staff polite, attentive and honest with you? (1 to 5)",
        "Would you recommend us to friends, from 0 to 10?",
        "Would you come back to us next time?",
        "Is there anything else you want to tell us? … Thank you very much; we will act on "
        "what you said.",
    ],
}


def text(key: str, language: str, **values: Any) -> str:
    """One piece of follow-up content in `language` (zh-hans or en), filled in."""
    entry = TEXT[key]
    template = entry.get(language) or entry[ZH]
    return template % values if values else template


def call_script(language: str, **values: Any) -> list[str]:
    """The follow-up call, line by line, in `language`."""
    lines = CALL_SCRIPT.get(language) or CALL_SCRIPT[ZH]
    return [line % values for line in lines]


def survey_texts(language: str) -> dict[str, str]:
    """Every label of the survey page in `language`, for the template."""
    return {key: (entry.get(language) or entry[ZH]) for key, entry in TEXT.items()}
