"""The follow-up e-mail delivered to a real SMTP server on loopback: it arrives in the
customer's language with a survey link that works."""

from typing import Any

import pytest

from redress.cases.models import Status
from redress.followup.models import FollowUpStatus
from redress.followup.services import followups_sweep, survey_answer
from redress.followup.tests.conftest import at, followup_of
from redress.notify.models import DeliveryStatus, OutboundEmail
from tests.conftest import mail_sink  # noqa: F401 - the fixture, shared with tests/

pytestmark = pytest.mark.django_db

CUSTOMER_EMAIL = "chen.customer@example.com"


@pytest.fixture
def smtp(settings: Any, mail_sink: Any) -> Any:  # noqa: F811 - uses the imported fixture
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mail_sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    return mail_sink


def test_the_survey_email_reaches_the_customer_with_a_working_link(
    resolved_case, moment, smtp
):
    case = resolved_case(email=CUSTOMER_EMAIL)
    smtp.received.clear()  # what was sent before the follow-up is not this test's concern
    followup = followup_of(case)

    with moment(followup.scheduled_for):
        followups_sweep()

    [delivered] = smtp.to(CUSTOMER_EMAIL)
    assert case.reference in delivered.subject and "回访" in delivered.subject
    link = next(word for word in delivered.text.split()
                if word.startswith("https://fuwu.example.cn/survey/"))
    outbound = OutboundEmail.objects.get(to=CUSTOMER_EMAIL, subject__contains="回访")
    assert outbound.status == DeliveryStatus.SENT and outbound.attempts == 1

    token = link.removeprefix("https://fuwu.example.cn/survey/").rstrip("/")
    with moment(at(2026, 11, 26, 10, 0)):
        survey_answer(token=token, answers={"solved": "yes", "satisfaction": 5})
    followup.refresh_from_db()
    case.refresh_from_db()
    assert followup.status == FollowUpStatus.ANSWERED
    assert case.status == Status.FOLLOW_UP
