"""WeCom and DingTalk group robots, posted to a real HTTP server on loopback: the exact
JSON of each service's markdown message, DingTalk's signature, and nothing lost when the
robot refuses or the server is down."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from redress.notify.models import DeliveryStatus, OutboundWebhook
from redress.notify.services import StaffNote, staff_notify_many
from redress.notify.webhooks import (
    CONTENT_MAX_BYTES,
    dingtalk_sign,
    webhook_deliver,
    webhooks_retry,
)

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://fuwu.example.cn"
SECRET = "SEC0123456789abcdef"  # a DingTalk signing secret, made up for the test
NOTE = StaffNote(recipient_id=1, email="q@example.com",
                 text="反复出现的问题：上一周有 8 起关于“上菜慢”的投诉（平时每周 1 起）。",
                 link="/console/lessons/recurring/")


class _Robot:
    """What the chat service received, and what it answers next."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.reply: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}


@pytest.fixture
def robot() -> Iterator[tuple[_Robot, str]]:
    state = _Robot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            length = int(self.headers["Content-Length"])
            state.requests.append({
                "path": self.path, "content_type": self.headers["Content-Type"],
                "body": self.rfile.read(length),
            })
            answer = json.dumps(state.reply).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def wecom(settings, robot):
    state, base = robot
    settings.REDRESS_PUBLIC_URL = PUBLIC_URL
    settings.REDRESS_WECOM_WEBHOOK_URL = f"{base}/cgi-bin/webhook/send?key=robot-key-1"
    settings.REDRESS_STAFF_NOTIFIERS = ["redress.notify.webhooks.WeComNotifier"]
    return state


@pytest.fixture
def dingtalk(settings, robot):
    state, base = robot
    settings.REDRESS_PUBLIC_URL = PUBLIC_URL
    settings.REDRESS_DINGTALK_WEBHOOK_URL = f"{base}/robot/send?access_token=tok-1"
    settings.REDRESS_DINGTALK_WEBHOOK_SECRET = ""
    settings.REDRESS_STAFF_NOTIFIERS = ["redress.notify.webhooks.DingTalkNotifier"]
    return state


def _notify(django_capture_on_commit_callbacks, notes: list[StaffNote]) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        staff_notify_many(notes)


class TestWeCom:
    def test_a_markdown_message_with_the_link_reaches_the_group(
        self, wecom, django_capture_on_commit_callbacks
    ):
        _notify(django_capture_on_commit_callbacks, [NOTE])
        (request,) = wecom.requests
        assert request["path"] == "/cgi-bin/webhook/send?key=robot-key-1"
        assert request["content_type"] == "application/json; charset=utf-8"
        assert json.loads(request["body"]) == {
            "msgtype": "markdown",
            "markdown": {"content": (
                f"{NOTE.text}\n\n[{PUBLIC_URL}/console/lessons/recurring/]"
                f"({PUBLIC_URL}/console/lessons/recurring/)"
            )},
        }
        outbound = OutboundWebhook.objects.get()
        assert (outbound.status, outbound.attempts) == (DeliveryStatus.SENT, 1)

    def test_the_same_note_to_several_people_is_posted_once(
        self, wecom, django_capture_on_commit_callbacks
    ):
        other = StaffNote(recipient_id=2, email="", text=NOTE.text, link=NOTE.link)
        _notify(django_capture_on_commit_callbacks, [NOTE, other])
        assert len(wecom.requests) == 1

    def test_a_long_message_is_cut_to_wecoms_limit(
        self, wecom, django_capture_on_commit_callbacks
    ):
        _notify(django_capture_on_commit_callbacks, [StaffNote(1, "", "投诉" * 3000)])
        content = json.loads(wecom.requests[0]["body"])["markdown"]["content"]
        assert len(content.encode()) <= CONTENT_MAX_BYTES

    def test_not_configured_posts_nothing(self, settings, wecom,
                                          django_capture_on_commit_callbacks):
        settings.REDRESS_WECOM_WEBHOOK_URL = ""
        _notify(django_capture_on_commit_callbacks, [NOTE])
        assert wecom.requests == []
        assert not OutboundWebhook.objects.exists()


class TestDingTalk:
    def test_a_markdown_message_with_a_title(self, dingtalk,
                                             django_capture_on_commit_callbacks):
        _notify(django_capture_on_commit_callbacks, [NOTE])
        (request,) = dingtalk.requests
        assert request["path"] == "/robot/send?access_token=tok-1"
        body = json.loads(request["body"])
        assert body == {
            "msgtype": "markdown",
            "markdown": {
                "title": NOTE.text,
                "text": (f"{NOTE.text}\n\n[{PUBLIC_URL}/console/lessons/recurring/]"
                         f"({PUBLIC_URL}/console/lessons/recurring/)"),
            },
        }

    def test_a_signed_robot_gets_timestamp_and_signature(
        self, settings, dingtalk, django_capture_on_commit_callbacks
    ):
        settings.REDRESS_DINGTALK_WEBHOOK_SECRET = SECRET
        _notify(django_capture_on_commit_callbacks, [NOTE])
        (request,) = dingtalk.requests
        path, _sep, query = request["path"].partition("?")
        params = urllib.parse.parse_qs(query)
        assert path == "/robot/send"
        assert params["access_token"] == ["tok-1"]
        timestamp = params["timestamp"][0]
        # What DingTalk's server computes to check it (its public docs): HMAC-SHA256 of
        # "timestamp\nsecret" keyed with the secret, base64.
        expected = base64.b64encode(hmac.new(
            SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256
        ).digest()).decode()
        assert params["sign"] == [expected]
        # the raw query carries it URL-encoded, as the docs say
        assert f"sign={urllib.parse.quote_plus(expected)}" in query

    def test_the_signature_of_a_known_timestamp(self):
        digest = hmac.new(b"secret", b"1700000000000\nsecret", hashlib.sha256).digest()
        assert dingtalk_sign("secret", 1700000000000) == urllib.parse.quote_plus(
            base64.b64encode(digest).decode())


class TestFailures:
    def test_a_refusal_is_kept_with_its_error_and_sent_on_a_later_try(
        self, dingtalk, django_capture_on_commit_callbacks, caplog
    ):
        dingtalk.reply = {"errcode": 310000, "errmsg": "sign not match"}
        _notify(django_capture_on_commit_callbacks, [NOTE])
        outbound = OutboundWebhook.objects.get()
        assert outbound.status == DeliveryStatus.FAILED
        assert "310000" in outbound.last_error
        assert "failed (attempt 1)" in caplog.text

        dingtalk.reply = {"errcode": 0, "errmsg": "ok"}
        assert webhooks_retry() == 1
        outbound.refresh_from_db()
        assert (outbound.status, outbound.attempts, outbound.last_error) == (
            DeliveryStatus.SENT, 2, "")
        assert len(dingtalk.requests) == 2
        # once sent, never again
        webhook_deliver(webhook_id=outbound.pk)
        assert len(dingtalk.requests) == 2

    def test_a_server_error_is_a_failure(self, wecom, django_capture_on_commit_callbacks):
        wecom.status = 500
        _notify(django_capture_on_commit_callbacks, [NOTE])
        outbound = OutboundWebhook.objects.get()
        assert outbound.status == DeliveryStatus.FAILED
        assert "500" in outbound.last_error

    def test_a_server_that_is_down_loses_nothing_and_the_last_failure_is_an_error(
        self, settings, django_capture_on_commit_callbacks, caplog
    ):
        settings.REDRESS_WECOM_WEBHOOK_URL = "http://127.0.0.1:9/send?key=k"  # discard port
        settings.REDRESS_STAFF_NOTIFIERS = ["redress.notify.webhooks.WeComNotifier"]
        settings.REDRESS_WEBHOOK_ATTEMPTS = 2
        _notify(django_capture_on_commit_callbacks, [NOTE])
        outbound = OutboundWebhook.objects.get()
        assert outbound.status == DeliveryStatus.FAILED
        webhooks_retry()
        outbound.refresh_from_db()
        assert (outbound.status, outbound.attempts) == (DeliveryStatus.FAILED, 2)
        assert "giving up" in caplog.text
        assert webhooks_retry() == 0  # no attempts left: it stays for an administrator
        assert outbound.body["markdown"]["content"].startswith(NOTE.text)

