"""What the end-to-end tests share: free ports on loopback, a real SMTP server there that
keeps every message it is sent, and Debian's Chromium driven by Playwright."""

import email
import email.policy
import logging
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Background networking off: this machine's closed network refuses Chromium's own calls.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
DESK = {"width": 1280, "height": 900}


@pytest.fixture
def browser() -> Iterator[Browser]:
    # No database work in this test thread while Playwright runs: its sync API keeps an
    # event loop here, and Django then either refuses the ORM (SynchronousOnlyOperation)
    # or, with DJANGO_ALLOW_ASYNC_UNSAFE, quietly opens a second connection that is never
    # closed (on PostgreSQL the test database then cannot be dropped). Fixtures that write
    # come before this one; what happened is checked in the pages.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, timeout=60_000,
        )
        yield chromium
        chromium.close()


def sign_in(page: Page, url: str, username: str, password: str) -> None:
    """Sign in to the console of the live server at `url` and land on the queue."""
    page.goto(f"{url}/console/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{url}/console/")


def _free_port() -> int:
    # The port is free when this returns; a server bound a moment later gets it unless
    # something else raced for it, which on loopback in a test run does not happen.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def free_port() -> Callable[[], int]:
    return _free_port


@dataclass(frozen=True)
class Delivered:
    """One message as the SMTP server received it: envelope recipients and parsed message."""

    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        """The plain-text body, decoded from whatever transfer encoding and charset."""
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, "no text/plain part"
        return str(part.get_content())


class MailSink:
    """An SMTP server on 127.0.0.1 (aiosmtpd) that accepts everything and keeps it.

    It can be stopped and started again on the same port, to play a mail server that is
    down for a while.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[Delivered] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Delivered(rcpt_tos=list(envelope.rcpt_tos), message=message))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Delivered]:
        return [d for d in self.received if address in d.rcpt_tos]

    def wait_for(self, address: str, *, containing: str, timeout: float) -> list[Delivered]:
        """Messages to `address` whose text holds `containing`, waiting up to `timeout`
        seconds for the first one (a background worker sends them)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [d for d in self.to(address) if containing in d.text]
            if found or time.monotonic() >= deadline:
                return found
            time.sleep(0.1)


@pytest.fixture
def mail_sink() -> Iterator[MailSink]:
    # aiosmtpd logs every SMTP command at INFO: a failing test's report would drown in it.
    log = logging.getLogger("mail.log")
    level = log.level
    log.setLevel(logging.WARNING)
    sink = MailSink(_free_port())
    sink.start()
    yield sink
    sink.stop()
    log.setLevel(level)


# The knowledge base's fixtures, for the browser journey through the help pages.
from redress.playbook.tests.conftest import default_phrases, write_article  # noqa: E402

__all__ = ["default_phrases", "write_article"]
