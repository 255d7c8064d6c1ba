"""The follow-up demo: resolved cases get their follow-ups and the four kinds of answer."""

from typing import Any

import pytest

from redress.cases.models import Case, Status
from redress.followup.demo import GENERAL_SURVEY, demo_load
from redress.followup.models import FeedbackAnswer, FollowUp, FollowUpStatus, SurveyAnswer
from redress.followup.tests.conftest import at
from redress.notify.services import history_recorded

pytestmark = pytest.mark.django_db


def test_the_demo_tells_the_four_stories_and_loads_once(
    resolved_case: Any, organisation: Any
) -> None:
    cases = [resolved_case(when=at(2026, 11, 2 + day, 10, 0)) for day in range(5)]
    FollowUp.objects.all().delete()  # as the demo leaves them: resolved, not followed up
    now = at(2026, 11, 7, 0, 0)

    with history_recorded():
        counts = demo_load(organisations=[organisation], now=now)
        again = demo_load(organisations=[organisation], now=now)

    assert counts == {"scheduled": 5, "sent": 4, "answered": 3, "general": 60}
    assert again == {"scheduled": 0, "sent": 0, "answered": 0, "general": 0}
    statuses = [FollowUp.objects.get(case=c).status for c in cases]
    assert statuses == [FollowUpStatus.SENT, FollowUpStatus.ANSWERED, FollowUpStatus.ANSWERED,
                        FollowUpStatus.ANSWERED, FollowUpStatus.SCHEDULED]
    reopened = Case.objects.get(pk=cases[3].pk)
    assert reopened.status == Status.INVESTIGATING and reopened.recovery_round == 2
    assert SurveyAnswer.objects.filter(reopened=True).count() == 1
    # The general survey: customers who never complained, none a detractor, all in the past.
    general = FeedbackAnswer.objects.filter(survey=GENERAL_SURVEY)
    assert general.count() == 60
    assert not general.filter(customer__cases__isnull=False).exists()
    assert not general.filter(detractor=True).exists()
    assert not general.filter(case__isnull=False).exists()
    assert not general.filter(answered_at__gt=now).exists()
