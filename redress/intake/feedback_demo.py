"""Demo data for survey-triggered recovery, built through `intake.feedback`.

`demo_load(organisations=..., now=...)` posts a month of answers to two general
satisfaction surveys (a post-stay survey and a member NPS survey) as a survey tool would,
one every few hours before `now`: most are promoters or passives and are only kept; the
detractors among them (NPS ≤ 6 or CSAT ≤ 2) open recovery cases on the `survey` channel in
the default intake department, with the respondent's comment as the description. Run it
inside `notify.services.history_recorded()` so the acknowledgements are kept as sent, not
delivered. Safe to run twice: the same respondent's answer to the same survey is kept once.
Returns (answers kept, cases opened).
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from redress.accounts.models import Organisation
from redress.common import clock
from redress.intake.feedback import feedback_receive

SURVEYS = ("2026秋季住客满意度调查", "会员NPS季度调查")
# (nps, csat, comment, language): a realistic spread, a third of them detractors.
ANSWERS: list[tuple[int | None, int | None, str, str]] = [
    (10, 5, "前台服务很热情，房间干净。", "zh"),
    (9, 5, "", "zh"),
    (8, 4, "早餐品种可以再多一些。", "zh"),
    (3, 2, "空调噪音太大，一夜没睡好，反映了两次都没人来。", "zh"),
    (7, 4, "", "zh"),
    (9, None, "Great location and friendly staff.", "en"),
    (5, 3, "退房排队二十分钟，效率太低。", "zh"),
    (10, 5, "会员升级很贴心。", "zh"),
    (2, 1, "The room smelled of smoke and nobody offered to move us.", "en"),
    (8, 4, "", "zh"),
    (6, None, "停车场指示不清楚，绕了好几圈。", "zh"),
    (9, 5, "", "zh"),
]


def demo_load(*, organisations: Iterable[Organisation], now: datetime) -> tuple[int, int]:
    kept = opened = 0
    for index, (nps, csat, comment, language) in enumerate(ANSWERS * 2):
        answered_at = now - timedelta(days=30) + timedelta(hours=29 * index)
        if answered_at >= now:
            break
        with clock.travel_to(answered_at):
            result = feedback_receive(payload={
                "survey": SURVEYS[index % len(SURVEYS)], "nps": nps, "csat": csat,
                "comment": comment, "language": language, "answered_at": answered_at,
                "phone": f"1391{index:07d}", "name": f"问卷客户{index + 1}",
            }, user=None)
        kept += result.created
        opened += result.created and result.case is not None
    return kept, opened
