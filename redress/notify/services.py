"""Sending to people outside: queue in the caller's transaction, deliver in a task."""

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.utils.module_loading import import_string

from redress.common import clock
from redress.common.tasks import task_enqueue
from redress.notify.models import DeliveryStatus, OutboundEmail, OutboundSms, StaffNotification

logger = logging.getLogger(__name__)


# Set while history is being recorded (the demo's past cases): messages are kept as sent
# at the time they were written, and nothing goes out now.
_recording_history: ContextVar[bool] = ContextVar("redress_recording_history", default=False)


@contextmanager
def history_recorded() -> Iterator[None]:
    """Inside the block, messages written are stored as already sent at their time and
    are not delivered: for loading a history whose messages went out long ago."""
    token = _recording_history.set(True)
    try:
        yield
    finally:
        _recording_history.reset(token)


def email_queue(*, to: str, subject: str, body: str) -> OutboundEmail:
    """Record an e-mail and send it once the surrounding transaction commits.

    Written as a row first, so a crash or a dead mail server never loses it.
    """
    if _recording_history.get():
        return OutboundEmail.objects.create(
            to=to, subject=subject[:300], body=body, status=DeliveryStatus.SENT,
            sent_at=clock.now(),
        )
    outbound = OutboundEmail.objects.create(to=to, subject=subject[:300], body=body)
    _enqueue(outbound.pk)
    return outbound


def _enqueue(outbound_id: int) -> None:
    from redress.notify.tasks import email_send

    task_enqueue(email_send, outbound_id=outbound_id)


def message_id(outbound: OutboundEmail) -> str:
    """The e-mail's Message-ID, the same on every attempt: a worker killed after the mail
    server took the message but before it was marked sent sends it again, and mail servers
    and clients recognise the second copy as the same message."""
    return f"<redress.{outbound.pk}.{int(outbound.created_at.timestamp())}@{DNS_NAME}>"


def email_deliver(*, outbound_id: int) -> OutboundEmail:
    """Send one queued e-mail. Safe to run twice: a sent e-mail is not sent again.

    No transaction is held while talking to the mail server: on SQLite that would hold the
    write lock, and every complaint arriving meanwhile would wait for a slow server.
    """
    outbound = OutboundEmail.objects.get(pk=outbound_id)
    if outbound.status == DeliveryStatus.SENT:
        return outbound
    outbound.attempts += 1
    try:
        EmailMessage(
            subject=outbound.subject, body=outbound.body,
            from_email=settings.DEFAULT_FROM_EMAIL, to=[outbound.to],
            headers={"Message-ID": message_id(outbound)},
        ).send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("e-mail %s to %s failed: %s", outbound.pk, outbound.to, exc)
        outbound.status = DeliveryStatus.FAILED
        outbound.last_error = str(exc)[:2000]
    else:
        outbound.status = DeliveryStatus.SENT
        outbound.sent_at = clock.now()
        outbound.last_error = ""
    outbound.save(update_fields=["status", "attempts", "last_error", "sent_at"])
    return outbound


@dataclass(frozen=True)
class StaffNote:
    """Something to tell one member of staff."""

    recipient_id: int
    email: str
    text: str
    link: str = ""


class StaffNotifier(Protocol):
    """A way to reach staff. The console inbox and e-mail are built in; a WeCom or
    DingTalk webhook is another class with this method, listed in
    `REDRESS_STAFF_NOTIFIERS`."""

    def deliver(self, notes: list[StaffNote]) -> None: ...


class InboxNotifier:
    """The bell in the console."""

    def deliver(self, notes: list[StaffNote]) -> None:
        StaffNotification.objects.bulk_create(
            StaffNotification(recipient_id=note.recipient_id, text=note.text[:500],
                              link=note.link)
            for note in notes
        )


class EmailNotifier:
    """The same text by e-mail, to those who have an address."""

    def deliver(self, notes: list[StaffNote]) -> None:
        base = settings.REDRESS_PUBLIC_URL.rstrip("/")
        for note in notes:
            if note.email:
                url = f"{base}{note.link}" if note.link else ""
                email_queue(to=note.email, subject=note.text[:300], body=f"{note.text}\n\n{url}\n")


@lru_cache(maxsize=1)
def _notifiers(paths: tuple[str, ...]) -> list[StaffNotifier]:
    return [import_string(path)() for path in paths]


def staff_notify_many(notes: list[StaffNote]) -> None:
    """Tell members of staff something through every configured notifier."""
    if not notes:
        return
    for notifier in _notifiers(tuple(settings.REDRESS_STAFF_NOTIFIERS)):
        notifier.deliver(notes)


def staff_notifications_read(*, recipient_id: int) -> int:
    """Mark all of a member of staff's notifications read."""
    return StaffNotification.objects.filter(
        recipient_id=recipient_id, read_at__isnull=True
    ).update(read_at=clock.now())


def quiet_hours_release(moment: datetime, *, zone: str, quiet: tuple[time, time]) -> datetime:
    """The first moment at or after `moment` outside the quiet hours (e.g. 21:00–08:00 in
    the customer's zone): a text written at 23:00 waits until 08:00."""
    start, end = quiet
    if start == end:
        return moment
    local = moment.astimezone(ZoneInfo(zone))
    now = local.time()
    overnight = start > end
    inside = (now >= start or now < end) if overnight else (start <= now < end)
    if not inside:
        return moment
    release_day = local.date() + timedelta(days=1) if overnight and now >= start else local.date()
    return datetime.combine(release_day, end, ZoneInfo(zone))


def _quiet_hours() -> tuple[time, time]:
    start, _sep, end = settings.REDRESS_QUIET_HOURS.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def sms_queue(*, to: str, body: str, urgent: bool = False) -> OutboundSms:
    """Record a text message and send it once the transaction commits, or, inside the
    quiet hours, in the morning; `urgent` (a P1 case, or a customer who agreed to be
    contacted at night) goes at once. E-mail is not held back: it waits in the inbox."""
    now = clock.now()
    if _recording_history.get():
        return OutboundSms.objects.create(to=to, body=body, not_before=now, sent_at=now,
                                          status=DeliveryStatus.SENT)
    not_before = now if urgent else quiet_hours_release(
        now, zone=settings.TIME_ZONE, quiet=_quiet_hours()
    )
    sms = OutboundSms.objects.create(to=to, body=body, not_before=not_before)
    _enqueue_sms(sms.pk, not_before if not_before > now else None)
    return sms


def _enqueue_sms(sms_id: int, run_after: datetime | None) -> None:
    from django_tasks import default_task_backend

    from redress.notify.tasks import sms_send

    if run_after is not None and default_task_backend.supports_defer:
        task_enqueue(sms_send, run_after=run_after, sms_id=sms_id)
    elif run_after is None:
        task_enqueue(sms_send, sms_id=sms_id)


def sms_deliver(*, sms_id: int) -> OutboundSms:
    """Send one queued text message if its time has come. Safe to run twice."""
    sms = OutboundSms.objects.get(pk=sms_id)
    if sms.status == DeliveryStatus.SENT or sms.not_before > clock.now():
        return sms
    sms.attempts += 1
    try:
        import_string(settings.REDRESS_SMS_BACKEND)(to=sms.to, body=sms.body)
    except Exception as exc:  # any gateway failure: keep the message, with its error
        logger.warning("text message %s to %s failed: %s", sms.pk, sms.to, exc)
        sms.status = DeliveryStatus.FAILED
        sms.last_error = str(exc)[:2000]
    else:
        sms.status = DeliveryStatus.SENT
        sms.sent_at = clock.now()
    sms.save(update_fields=["status", "attempts", "last_error", "sent_at"])
    return sms


def sms_log_backend(*, to: str, body: str) -> None:
    """The default gateway: write the text to the server log. A deployment names its SMS
    provider's function in `REDRESS_SMS_BACKEND`."""
    logger.info("SMS to %s: %s", to, body)
