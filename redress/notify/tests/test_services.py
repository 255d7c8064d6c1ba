"""Outbound e-mail: written down with the change that caused it, sent once, and kept with its
error when the mail server is not there."""

import socket
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from redress.notify.models import DeliveryStatus, OutboundEmail
from redress.notify.services import email_deliver, email_queue

pytestmark = pytest.mark.django_db


def _queued(**overrides: str) -> OutboundEmail:
    values = {
        "to": "wang@example.com",
        "subject": "【SR-2026-000001】关于您的投诉",
        "body": "王女士您好，维修师傅下午两点上门。\n\n--\n在这里查看处理进度：…",
    }
    values.update(overrides)
    return email_queue(**values)


def _closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def dead_mail_server(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5


class TestDeliver:
    def test_a_queued_email_is_sent_as_written(self):
        outbound = _queued()
        assert outbound.status == DeliveryStatus.QUEUED
        assert mail.outbox == []
        email_deliver(outbound_id=outbound.pk)
        assert len(mail.outbox) == 1
        sent = mail.outbox[0]
        assert (sent.to, sent.subject, sent.body) == (
            ["wang@example.com"], outbound.subject, outbound.body)
        stored = OutboundEmail.objects.get(pk=outbound.pk)
        assert (stored.status, stored.attempts, stored.last_error) == (
            DeliveryStatus.SENT, 1, "")
        assert stored.sent_at is not None

    def test_running_the_delivery_again_does_not_send_again(self):
        outbound = _queued()
        email_deliver(outbound_id=outbound.pk)
        sent_at = OutboundEmail.objects.get(pk=outbound.pk).sent_at
        email_deliver(outbound_id=outbound.pk)
        assert len(mail.outbox) == 1
        stored = OutboundEmail.objects.get(pk=outbound.pk)
        assert (stored.attempts, stored.sent_at) == (1, sent_at)

    def test_a_delivery_repeated_after_a_killed_worker_is_the_same_message(self):
        outbound = _queued()
        email_deliver(outbound_id=outbound.pk)
        # The worker was killed after the mail server took the message, before it was
        # marked sent: the task runs again and sends it again.
        OutboundEmail.objects.filter(pk=outbound.pk).update(status=DeliveryStatus.QUEUED)
        email_deliver(outbound_id=outbound.pk)
        email_deliver(outbound_id=_queued(to="li@example.com").pk)
        ids = [m.message()["Message-ID"] for m in mail.outbox]
        assert ids[0] == ids[1] != ids[2]

    def test_a_dead_mail_server_leaves_the_email_failed_with_its_error(self, dead_mail_server):
        outbound = _queued()
        result = email_deliver(outbound_id=outbound.pk)
        assert result.status == DeliveryStatus.FAILED
        stored = OutboundEmail.objects.get(pk=outbound.pk)
        assert (stored.status, stored.attempts, stored.sent_at) == (
            DeliveryStatus.FAILED, 1, None)
        assert "refused" in stored.last_error.lower() or "111" in stored.last_error
        # Nothing is lost: the e-mail is still there, word for word, to be sent again.
        assert (stored.to, stored.subject, stored.body) == (
            outbound.to, outbound.subject, outbound.body)

    def test_a_failed_email_goes_out_once_the_server_is_back(self, settings, dead_mail_server):
        outbound = _queued()
        email_deliver(outbound_id=outbound.pk)
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        email_deliver(outbound_id=outbound.pk)
        stored = OutboundEmail.objects.get(pk=outbound.pk)
        assert (stored.status, stored.attempts, stored.last_error) == (
            DeliveryStatus.SENT, 2, "")
        assert [m.body for m in mail.outbox] == [outbound.body]


class TestQueue:
    def test_the_email_is_sent_only_once_the_callers_transaction_commits(
        self, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            outbound = _queued()
            assert mail.outbox == []
        assert len(callbacks) == 1
        assert [m.to for m in mail.outbox] == [["wang@example.com"]]
        assert OutboundEmail.objects.get(pk=outbound.pk).status == DeliveryStatus.SENT

    def test_a_rolled_back_change_takes_its_email_with_it(
        self, django_capture_on_commit_callbacks
    ):
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            _queued()
            raise RuntimeError("the change that caused the e-mail failed")
        assert callbacks == []
        assert OutboundEmail.objects.count() == 0
        assert mail.outbox == []

    def test_a_dead_mail_server_does_not_undo_the_change(
        self, dead_mail_server, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            outbound = _queued()
        stored = OutboundEmail.objects.get(pk=outbound.pk)
        assert stored.status == DeliveryStatus.FAILED
        assert stored.last_error

    def test_an_overlong_subject_is_cut_not_refused(self):
        outbound = _queued(subject="长" * 400)
        assert OutboundEmail.objects.get(pk=outbound.pk).subject == "长" * 300


class TestQueuedWithTheDatabaseBackend:
    def test_the_task_commits_with_the_e_mail_it_sends(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        # No on-commit callback is left to run: a process killed right after the commit
        # still leaves the e-mail with the task that sends it.
        with transaction.atomic():
            outbound = email_queue(to="li@example.com", subject="收到您的投诉", body="我们已收到。")
            assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"outbound_id": outbound.pk}

    def test_a_rolled_back_change_leaves_no_task(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        with pytest.raises(RuntimeError), transaction.atomic():
            email_queue(to="li@example.com", subject="收到您的投诉", body="我们已收到。")
            raise RuntimeError

        assert not OutboundEmail.objects.exists()
        assert not DBTaskResult.objects.exists()
