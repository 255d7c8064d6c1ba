"""Staff notes posted to a chat group through its robot: WeCom (企业微信群机器人) and
DingTalk (钉钉自定义机器人).

The message formats are those of the services' public documentation:

* WeCom: POST `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY` with
  `{"msgtype": "markdown", "markdown": {"content": TEXT}}` (content at most 4096 bytes).
* DingTalk: POST `https://oapi.dingtalk.com/robot/send?access_token=TOKEN` with
  `{"msgtype": "markdown", "markdown": {"title": TITLE, "text": TEXT}}`; a robot with
  signing (加签) also needs `&timestamp=T&sign=S` where T is the time in milliseconds and
  S = urlencode(base64(HMAC-SHA256(key=secret, message=f"{T}\\n{secret}"))). The
  signature is made when posting (DingTalk accepts it for an hour), not when queueing.

Both answer HTTP 200 with `{"errcode": 0, "errmsg": "ok"}` on success; anything else is a
failure. As for e-mail, the message is a row first (`OutboundWebhook`), written in the
caller's transaction, and posted by a task after commit; a failed post keeps its error,
is logged, and is tried again later (doubling the wait) up to REDRESS_WEBHOOK_ATTEMPTS
times in all. A group robot posts to a group, not to a person: notes with the same text
for several people are posted once.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from redress.common import clock
from redress.common.tasks import task_enqueue
from redress.notify.models import DeliveryStatus, OutboundWebhook
from redress.notify.services import StaffNote

logger = logging.getLogger(__name__)

WECOM = "wecom"
DINGTALK = "dingtalk"
# WeCom's limit on a markdown message, in UTF-8 bytes; DingTalk's is larger.
CONTENT_MAX_BYTES = 4096
TIMEOUT_SECONDS = 10
TITLE_MAX = 60


def _truncate_bytes(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode("utf-8", errors="ignore") + "…"


def _markdown(note: StaffNote) -> str:
    base = settings.REDRESS_PUBLIC_URL.rstrip("/")
    text = note.text.replace("\r", "")
    if note.link:
        text = f"{text}\n\n[{base}{note.link}]({base}{note.link})"
    return _truncate_bytes(text, CONTENT_MAX_BYTES)


def wecom_body(note: StaffNote) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"content": _markdown(note)}}


def dingtalk_body(note: StaffNote) -> dict[str, Any]:
    title = note.text.splitlines()[0] if note.text else "Redress"
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    return {"msgtype": "markdown", "markdown": {"title": title, "text": _markdown(note)}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's `sign` parameter, already URL-encoded."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def _signed_dingtalk_url(url: str, secret: str, timestamp_ms: int) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


class _RobotNotifier(ABC):
    """A group robot: each kind says only how a note is worded for it (`body`)."""

    service = ""

    @abstractmethod
    def body(self, note: StaffNote) -> dict[str, Any]: ...

    def configured(self) -> bool:
        return bool(_url_for(self.service))

    def deliver(self, notes: list[StaffNote]) -> None:
        if not self.configured():
            return
        seen: set[tuple[str, str]] = set()
        for note in notes:
            if (note.text, note.link) in seen:
                continue
            seen.add((note.text, note.link))
            webhook_queue(service=self.service, body=self.body(note))


class WeComNotifier(_RobotNotifier):
    """Posts staff notes to a WeCom group (REDRESS_WECOM_WEBHOOK_URL)."""

    service = WECOM

    def body(self, note: StaffNote) -> dict[str, Any]:
        return wecom_body(note)


class DingTalkNotifier(_RobotNotifier):
    """Posts staff notes to a DingTalk group (REDRESS_DINGTALK_WEBHOOK_URL, signed with
    REDRESS_DINGTALK_WEBHOOK_SECRET when set)."""

    service = DINGTALK

    def body(self, note: StaffNote) -> dict[str, Any]:
        return dingtalk_body(note)


def _url_for(service: str) -> str:
    if service == WECOM:
        return str(settings.REDRESS_WECOM_WEBHOOK_URL or "")
    if service == DINGTALK:
        return str(settings.REDRESS_DINGTALK_WEBHOOK_URL or "")
    return ""


def webhook_queue(*, service: str, body: dict[str, Any]) -> OutboundWebhook:
    """Record a robot message and post it once the surrounding transaction commits."""
    outbound = OutboundWebhook.objects.create(service=service, body=body)
    _enqueue(outbound.pk, None)
    return outbound


def _enqueue(webhook_id: int, run_after: datetime | None) -> None:
    from django_tasks import default_task_backend

    from redress.notify.tasks import webhook_send

    if run_after is None:
        task_enqueue(webhook_send, webhook_id=webhook_id)
    elif default_task_backend.supports_defer:
        task_enqueue(webhook_send, run_after=run_after, webhook_id=webhook_id)
    # Otherwise the failed row waits for `webhooks_retry` (or the admin) to try again.


def _post(url: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(  # noqa: S310 - the URL is the administrator's setting
        url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        answer = response.read()
    try:
        reply = json.loads(answer or b"{}")
    except ValueError as exc:
        raise OSError(f"not a JSON answer: {answer[:200]!r}") from exc
    if not isinstance(reply, dict) or reply.get("errcode") != 0:
        raise OSError(f"refused: {answer[:500].decode('utf-8', errors='replace')}")


def webhook_deliver(*, webhook_id: int) -> OutboundWebhook:
    """Post one queued robot message. Safe to run twice: a sent message is not sent again.
    A failure is recorded and logged, and the next attempt scheduled (waiting 2, 4, 8 …
    minutes) until REDRESS_WEBHOOK_ATTEMPTS is reached; then it is logged as an error and
    the row stays failed, for the administrator to see."""
    outbound = OutboundWebhook.objects.get(pk=webhook_id)
    if outbound.status == DeliveryStatus.SENT:
        return outbound
    url = _url_for(outbound.service)
    outbound.attempts += 1
    try:
        if not url:
            raise OSError(f"no URL configured for {outbound.service}")
        if outbound.service == DINGTALK and settings.REDRESS_DINGTALK_WEBHOOK_SECRET:
            url = _signed_dingtalk_url(url, settings.REDRESS_DINGTALK_WEBHOOK_SECRET,
                                       int(time.time() * 1000))
        _post(url, outbound.body)
    except (OSError, urllib.error.URLError) as exc:
        outbound.status = DeliveryStatus.FAILED
        outbound.last_error = str(exc)[:2000]
        if outbound.attempts < settings.REDRESS_WEBHOOK_ATTEMPTS:
            logger.warning("%s message %s failed (attempt %d): %s", outbound.service,
                           outbound.pk, outbound.attempts, exc)
            retry_at = clock.now() + timedelta(minutes=2 ** outbound.attempts)
            _enqueue(outbound.pk, retry_at)
        else:
            logger.error("%s message %s failed %d times, giving up: %s", outbound.service,
                         outbound.pk, outbound.attempts, exc)
    else:
        outbound.status = DeliveryStatus.SENT
        outbound.sent_at = clock.now()
        outbound.last_error = ""
    outbound.save(update_fields=["status", "attempts", "last_error", "sent_at"])
    return outbound


def webhooks_retry() -> int:
    """Try again every failed robot message that has attempts left (for a deployment
    without deferred tasks, or after the chat service was down for long)."""
    failed = list(
        OutboundWebhook.objects.filter(
            status=DeliveryStatus.FAILED, attempts__lt=settings.REDRESS_WEBHOOK_ATTEMPTS
        ).values_list("pk", flat=True)
    )
    for webhook_id in failed:
        webhook_deliver(webhook_id=webhook_id)
    return len(failed)
