"""Sending to people outside: queue in the caller's transaction, deliver in a task."""

import logging
import smtplib
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.module_loading import import_string

from redress.common import clock
from redress.notify.models import DeliveryStatus, OutboundEmail, StaffNotification

logger = logging.getLogger(__name__)


def email_queue(*, to: str, subject: str, body: str) -> OutboundEmail:
    """Record an e-mail and send it once the surrounding transaction commits.

    Written as a row first, so a crash or a dead mail server never loses it.
    """
    outbound = OutboundEmail.objects.create(to=to, subject=subject[:300], body=body)
    transaction.on_commit(lambda: _enqueue(outbound.pk))
    return outbound


def _enqueue(outbound_id: int) -> None:
    from redress.notify.tasks import email_send

    email_send.enqueue(outbound_id=outbound_id)


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


class StaffNotifier(Protocol):
    """A way to reach a member of staff. The console inbox and e-mail are built in; a
    WeCom or DingTalk webhook is another class with this method, listed in
    `REDRESS_STAFF_NOTIFIERS`."""

    def deliver(self, *, recipient_id: int, email: str, text: str, link: str) -> None: ...


class InboxNotifier:
    """The bell in the console."""

    def deliver(self, *, recipient_id: int, email: str, text: str, link: str) -> None:
        StaffNotification.objects.create(recipient_id=recipient_id, text=text[:500], link=link)


class EmailNotifier:
    """The same text by e-mail, when the member of staff has an address."""

    def deliver(self, *, recipient_id: int, email: str, text: str, link: str) -> None:
        if email:
            url = f"{settings.REDRESS_PUBLIC_URL.rstrip('/')}{link}" if link else ""
            email_queue(to=email, subject=text[:300], body=f"{text}\n\n{url}\n")


@lru_cache(maxsize=1)
def _notifiers(paths: tuple[str, ...]) -> list[StaffNotifier]:
    return [import_string(path)() for path in paths]


def staff_notify(*, recipient_id: int, email: str, text: str, link: str = "") -> None:
    """Tell a member of staff something through every configured notifier."""
    for notifier in _notifiers(tuple(settings.REDRESS_STAFF_NOTIFIERS)):
        notifier.deliver(recipient_id=recipient_id, email=email, text=text, link=link)


def staff_notifications_read(*, recipient_id: int, ids: list[int] | None = None) -> int:
    """Mark a member of staff's notifications read (all of them, or those in `ids`)."""
    unread = StaffNotification.objects.filter(recipient_id=recipient_id, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=clock.now())
