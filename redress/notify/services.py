"""Sending to people outside: queue in the caller's transaction, deliver in a task."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from redress.common import clock
from redress.notify.models import DeliveryStatus, OutboundEmail

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
