"""The Foundation journey in a real headless Chromium: a customer complains from a phone,
an agent at a desk answers the case through the console's htmx buttons, offers a remedy
over their authority that a supervisor approves from the approvals queue, carries it out
with proof, resolves the case, and the customer's tracking page shows the outcome, the
apology and the refund's reference."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from redress.accounts.models import User
from tests.conftest import DESK, PHONE, sign_in

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
WAIT_MS = 15_000  # generous for a busy 2-core machine; a passing run waits far less
AGENT_PASSWORD = "browser-journey-pass-4711"
expect.set_options(timeout=WAIT_MS)

COMPLAINT = "昨晚入住 1208 房间，空调一直不制冷，打了三次前台电话都没人来修，一夜没睡好。"
APOLOGY = "李先生，非常抱歉空调的问题让您一夜没休息好，前台也没有及时回应，这是我们的错。"
NEEDS = "今晚能睡个好觉；希望酒店承认前台没有回应。"
FACTS = "1208 房压缩机故障，夜班工程师当晚请假，前台未转报修。"
REMEDY = "免去昨晚房费，今晚升级到行政套房"
RESOLVED_MESSAGE = "昨晚的房费已经退回您的原付款方式，今晚的行政套房已为您准备好。"


@pytest.fixture
def agent_password(agent: User) -> str:
    agent.set_password(AGENT_PASSWORD)
    agent.save(update_fields=["password"])
    return AGENT_PASSWORD


@pytest.fixture
def supervisor_password(supervisor: User) -> str:
    supervisor.set_password(AGENT_PASSWORD)
    supervisor.save(update_fields=["password"])
    return AGENT_PASSWORD




def _fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def _expect_status(page: Page, status: str) -> None:
    # The htmx swap replaces #case-panel whole; its data-status is the state just saved.
    expect(page.locator("#case-panel")).to_have_attribute("data-status", status)


def _watch_errors(page: Page, errors: list[str]) -> Page:
    page.set_default_timeout(WAIT_MS)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return page


def test_a_complaint_from_a_phone_is_answered_in_the_console_until_resolved(
    live_server, agent: User, agent_password: str, supervisor: User, supervisor_password: str,
    browser: Browser,
):
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []

    # -- the customer, on a phone whose browser asks for English ---------------------------
    customer = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="en-US",
    )
    phone = _watch_errors(customer.new_page(), errors)
    phone.goto(f"{live_server.url}/complain/")
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(phone.locator("h1")).to_have_text("告诉我们哪里出了问题")
    expect(phone.locator("label[for=id_description]")).to_contain_text("遇到了什么问题？")
    _fits_the_phone(phone)
    phone.screenshot(path=ARTIFACTS / "complain-375.png", full_page=True)

    phone.fill("#id_description", COMPLAINT)
    phone.fill("#id_name", "李先生")
    phone.fill("#id_phone", "13800138000")
    phone.locator("main form button[type=submit]").click()

    phone.wait_for_url(re.compile(r"/track/[\w-]+/\?received=1$"))
    received = phone.locator("section.received")
    expect(received.locator("h1")).to_have_text("我们已收到您的投诉")
    reference = received.locator(".reference").inner_text()
    assert re.fullmatch(r"SR-\d{4}-\d{6}", reference), reference
    expect(phone.locator(".status-line [data-status]")).to_have_attribute("data-status", "new")
    expect(phone.locator("blockquote.verbatim")).to_have_text(COMPLAINT)
    _fits_the_phone(phone)
    phone.screenshot(path=ARTIFACTS / "track-received-375.png", full_page=True)

    # -- the agent, at a desk --------------------------------------------------------------
    desk = browser.new_context(viewport=DESK, locale="zh-CN")
    console = _watch_errors(desk.new_page(), errors)
    console.goto(f"{live_server.url}/console/login/")
    console.fill("#id_username", agent.username)
    console.fill("#id_password", agent_password)
    console.locator("main button[type=submit]").click()
    console.wait_for_url(f"{live_server.url}/console/")

    row = console.locator("table.queue tbody tr").filter(has_text=reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("李先生")
    row.get_by_role("link", name=reference).click()
    _expect_status(console, "new")
    assert console.evaluate("typeof window.htmx") == "object", "htmx did not load"
    # A second tab on the same case: it will be out of date after the first action.
    stale = _watch_errors(desk.new_page(), errors)
    stale.goto(console.url)
    _expect_status(stale, "new")
    # Survives only if every step below is an htmx swap, not a page load.
    console.evaluate("window.journeyMarker = 'no reload'")

    console.fill("#ack-message", APOLOGY)
    console.locator("[data-action=acknowledged]").click()
    _expect_status(console, "acknowledged")
    expect(console.get_by_test_id("case-owner")).to_have_text("小张")
    expect(console.locator(".timeline")).to_contain_text(APOLOGY)

    # The stale tab's move is refused with the reason, and shows the case as it now is.
    stale.locator("[data-action=acknowledged]").click()
    expect(stale.get_by_test_id("refusal")).to_have_text(
        "刚才有其他人修改了这张补救单，请刷新后再试。"
    )
    _expect_status(stale, "acknowledged")
    expect(stale.locator(".timeline .kind-transition")).to_have_count(1)
    stale.close()
    console.bring_to_front()  # a background tab gets no animation frames: clicks would crawl

    console.fill("#inv-needs", NEEDS)
    console.fill("#inv-facts", FACTS)
    console.locator("[data-action=investigating]").click()
    _expect_status(console, "investigating")
    expect(console.locator(".understanding")).to_contain_text(NEEDS)
    expect(console.locator(".understanding")).to_contain_text(FACTS)

    # ¥688 is over the agent's ¥500: the offer waits for the supervisor.
    console.select_option("#remedy-type", "refund-partial")
    console.fill("#remedy-amount", "688")
    console.fill("#remedy-note", REMEDY)
    console.locator("[data-action=propose]").click()
    waiting = console.get_by_test_id("remedy").first
    expect(waiting).to_have_attribute("data-status", "pending_approval")
    _expect_status(console, "investigating")
    assert console.evaluate("window.journeyMarker") == "no reload"

    # -- the supervisor approves from the approvals queue -----------------------------------
    boss = _watch_errors(browser.new_context(viewport=DESK, locale="zh-CN").new_page(), errors)
    sign_in(boss, live_server.url, supervisor.username, supervisor_password)
    boss.get_by_test_id("approvals-link").click()
    queued = boss.get_by_test_id("approvals").locator("tbody tr").filter(has_text=reference)
    expect(queued).to_contain_text("688.00")
    queued.locator("input[name=reason]").fill("空调故障加前台失职，同意退房费")
    queued.locator("button[value=approve]").click()
    boss.wait_for_url(f"{live_server.url}/console/approvals/")
    expect(boss.get_by_test_id("approvals")).not_to_contain_text(reference)
    boss.close()

    # -- the agent: the customer accepts, the refund is made with its proof ------------------
    console.bring_to_front()
    console.reload()
    console.evaluate("window.journeyMarker = 'no reload'")
    _expect_status(console, "remedy_proposed")
    expect(console.locator(".case-head .facts")).to_contain_text("¥688.00")
    console.locator("[data-action=customer-accepted]").click()
    _expect_status(console, "remedy_accepted")
    console.locator(".remedy-execute textarea[name=proof]").fill("已原路退还昨晚房费")
    console.locator(".remedy-execute input[name=reference]").fill("RF-20261124-01")
    console.locator("[data-action=execute]").click()
    _expect_status(console, "executing")
    expect(console.get_by_test_id("remedy").first).to_have_attribute("data-status", "executed")
    expect(console.locator(".timeline")).to_contain_text("RF-20261124-01")

    console.fill("#res-outcome", "房费已退，今晚入住行政套房。")
    console.fill("#res-message", RESOLVED_MESSAGE)
    console.locator("[data-action=resolved]").click()
    _expect_status(console, "resolved")
    expect(console.get_by_test_id("refusal")).to_have_count(0)
    assert console.evaluate("window.journeyMarker") == "no reload"
    console.screenshot(path=ARTIFACTS / "console-case-resolved.png", full_page=True)

    # -- the customer looks again ----------------------------------------------------------
    phone.reload()
    status = phone.locator(".status-line [data-status]")
    expect(status).to_have_attribute("data-status", "resolved")
    expect(status).to_have_text("已解决")
    timeline = phone.locator("ol.timeline")
    expect(timeline).to_contain_text(APOLOGY)
    expect(timeline).to_contain_text(RESOLVED_MESSAGE)
    expect(timeline).to_contain_text("RF-20261124-01")  # told when the refund was made
    # What the staff found out is theirs: the customer sees only what was written to them.
    expect(phone.locator("main")).not_to_contain_text(FACTS)
    _fits_the_phone(phone)
    phone.screenshot(path=ARTIFACTS / "track-resolved-375.png", full_page=True)

    assert errors == []
