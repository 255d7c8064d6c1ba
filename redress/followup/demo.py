"""Demo data for follow-up, built through the follow-up services.

`demo_load(organisations=..., now=...)` is meant to run after the demo's cases are loaded
(`redress demo`), inside `notify.services.history_recorded()` so that nothing is really
sent. For every case of those organisations that the demo left `resolved`, it schedules
the follow-up as it would have been scheduled at the resolution, and, when its time came
before `now`, sends it then. The answers then tell the four stories a supervisor needs to
see, in turn: no answer yet (waiting), satisfied ("yes", 5/5), partly solved but content
("partly", 4/5: no reopen), and not solved ("no", 2/5: reopened for a second recovery,
priority raised, round 2). Answers come three hours after the survey went out, or not at
all when that is after `now`. Safe to run twice: a case already followed up is skipped.
Returns how many follow-ups were scheduled, sent and answered.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from redress.accounts.models import Organisation
from redress.cases.models import Case, Status
from redress.common import clock
from redress.followup.models import FeedbackAnswer, FeedbackSource, FollowUp, FollowUpStatus
from redress.followup.services import (
    feedback_clean,
    feedback_record,
    feedback_respondent,
    followup_schedule,
    followup_send,
    survey_answer,
    survey_token,
)

ANSWERS: list[dict[str, Any] | None] = [
    None,
    {"solved": "yes", "satisfaction": 5, "outcome_fair": 5, "process_fair": 4,
     "interaction_fair": 5, "recommend": 9, "would_return": True,
     "comment": "处理得很及时，谢谢。"},
    {"solved": "partly", "satisfaction": 4, "outcome_fair": 4, "process_fair": 3,
     "interaction_fair": 5, "recommend": 7, "would_return": True,
     "comment": "问题基本解决了，希望下次不要再出现。"},
    {"solved": "no", "satisfaction": 2, "outcome_fair": 2, "process_fair": 2,
     "interaction_fair": 3, "recommend": 3, "would_return": False,
     "comment": "还是老样子，没有人真正来修。"},
]
ANSWER_AFTER = timedelta(hours=3)
# The quarterly satisfaction survey of customers who never complained: the baseline the
# recovery-paradox chart compares recovered customers with. Scores cycle through these
# (no detractors: a detractor's answer would open a case of its own).
GENERAL_SURVEY = "季度满意度调查"
GENERAL_SCORES = [(4, 8), (5, 9), (4, 7), (3, 7), (5, 10), (4, 8), (4, 9), (5, 8)]
GENERAL_ANSWERS = 60
GENERAL_DAYS = 60


def demo_load(*, organisations: Iterable[Organisation], now: datetime) -> dict[str, int]:
    counts = {"scheduled": 0, "sent": 0, "answered": 0}
    cases = (
        Case.objects.filter(department__organisation__in=list(organisations),
                            status=Status.RESOLVED, resolved_at__isnull=False)
        .order_by("resolved_at", "id")
    )
    for index, case in enumerate(cases):
        assert case.resolved_at is not None
        if FollowUp.objects.filter(case=case, resolved_at=case.resolved_at).exists():
            continue
        with clock.travel_to(case.resolved_at):
            followup = followup_schedule(case_id=case.pk)
        if followup is None:
            continue
        counts["scheduled"] += 1
        if followup.scheduled_for > now:
            continue
        with clock.travel_to(followup.scheduled_for):
            followup = followup_send(followup_id=followup.pk)
        if followup.status != FollowUpStatus.SENT:
            continue
        counts["sent"] += 1
        answers = ANSWERS[index % len(ANSWERS)]
        answered_at = followup.scheduled_for + ANSWER_AFTER
        if answers is None or answered_at > now:
            continue
        with clock.travel_to(answered_at):
            survey_answer(token=survey_token(followup), answers=answers)
        counts["answered"] += 1
    counts["general"] = _general_survey_load(now=now)
    return counts


def _general_survey_load(*, now: datetime) -> int:
    """Answers to the general survey, spread over the demo's last two months."""
    if FeedbackAnswer.objects.filter(survey=GENERAL_SURVEY).exists():
        return 0
    for n in range(GENERAL_ANSWERS):
        csat, nps = GENERAL_SCORES[n % len(GENERAL_SCORES)]
        answered_at = now - timedelta(days=GENERAL_DAYS * (n + 1) / (GENERAL_ANSWERS + 1),
                                      hours=n % 9)
        answer = feedback_clean({"survey": GENERAL_SURVEY, "phone": f"1390000{n:04d}",
                                 "name": f"会员{n + 1:02d}", "csat": csat, "nps": nps,
                                 "answered_at": answered_at, "language": "zh"})
        customer, _new = feedback_respondent(answer)
        feedback_record(answer=answer, customer=customer, source=FeedbackSource.IMPORT,
                        case=None)
    return GENERAL_ANSWERS
