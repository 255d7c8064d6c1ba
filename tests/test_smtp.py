"""E-mail to customers, delivered to a real SMTP server on loopback: the apology arrives
readable and with the tracking link, and a mail server that is down loses nothing."""

import pytest

from redress.cases.models import Case, Status
from redress.cases.services import case_transition
from redress.notify.models import DeliveryStatus, OutboundEmail
from redress.notify.services import email_deliver

pytestmark = pytest.mark.django_db

CUSTOMER_EMAIL = "chen.customer@example.com"
APOLOGY = "陈女士，非常抱歉让您在前台等了四十分钟。今天之内我们会给您一个答复。"
PUBLIC_URL = "https://fuwu.example.cn"


@pytest.fixture
def smtp(settings, mail_sink):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mail_sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.REDRESS_PUBLIC_URL = PUBLIC_URL
    return mail_sink


def _complain(client, django_capture_on_commit_callbacks) -> Case:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/complain/", {
            "description": "办理入住时在前台等了四十分钟，没有人解释原因。",
            "name": "陈女士", "email": CUSTOMER_EMAIL,
        })
    assert response.status_code == 302
    return Case.objects.get()


def _acknowledge(case: Case, agent, django_capture_on_commit_callbacks) -> Case:
    with django_capture_on_commit_callbacks(execute=True):
        return case_transition(
            case=case, actor=agent, to=Status.ACKNOWLEDGED, message=APOLOGY,
            expected_version=case.version,
        )


def test_the_apology_reaches_the_customer_by_email(
    client, agent, smtp, django_capture_on_commit_callbacks
):
    case = _complain(client, django_capture_on_commit_callbacks)
    smtp.received.clear()  # whatever intake sends on receipt is not what this test is about

    _acknowledge(case, agent, django_capture_on_commit_callbacks)

    [delivered] = smtp.to(CUSTOMER_EMAIL)
    assert case.reference in delivered.subject
    body = delivered.text
    assert APOLOGY in body
    assert f"{PUBLIC_URL}/track/{case.tracking_code}/" in body
    outbound = OutboundEmail.objects.get(to=CUSTOMER_EMAIL, body__contains=APOLOGY)
    assert outbound.status == DeliveryStatus.SENT
    assert outbound.sent_at is not None
    assert outbound.attempts == 1


def test_an_email_the_server_could_not_take_is_kept_and_sent_later(
    client, agent, smtp, django_capture_on_commit_callbacks
):
    case = _complain(client, django_capture_on_commit_callbacks)
    smtp.stop()

    case = _acknowledge(case, agent, django_capture_on_commit_callbacks)

    # The case moved on: a dead mail server does not undo the agent's work …
    case.refresh_from_db()
    assert case.status == Status.ACKNOWLEDGED
    # … and the apology is kept, failed, with the reason.
    outbound = OutboundEmail.objects.get(to=CUSTOMER_EMAIL, body__contains=APOLOGY)
    assert outbound.status == DeliveryStatus.FAILED
    assert outbound.attempts == 1
    assert outbound.last_error
    assert outbound.sent_at is None

    smtp.received.clear()
    smtp.start()
    email_deliver(outbound_id=outbound.pk)

    outbound.refresh_from_db()
    assert outbound.status == DeliveryStatus.SENT
    assert outbound.last_error == ""
    assert outbound.attempts == 2
    [delivered] = smtp.to(CUSTOMER_EMAIL)
    assert APOLOGY in delivered.text

    # Delivering it once more (a retried task) does not send it twice.
    email_deliver(outbound_id=outbound.pk)
    assert len(smtp.to(CUSTOMER_EMAIL)) == 1
