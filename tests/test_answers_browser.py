"""The standard answers and the wording check in a real headless Chromium: a customer
finds an answer on a phone before complaining; an agent puts a suggested answer into the
message, is stopped by blame-shifting wording, and sends it as written on purpose."""


import pytest
from playwright.sync_api import Browser, Page, expect

from redress.accounts.models import User
from redress.cases.models import Case, Channel, Status
from redress.cases.services import CustomerDetails, case_create, case_transition
from tests.conftest import DESK, PHONE

pytestmark = pytest.mark.browser

WAIT_MS = 15_000
PASSWORD = "answers-browser-pass-2718"
ANSWER = "多扣的房费会在核实后原路退回，一般 1 到 3 个工作日到账。"
BLAME = "这是合作伙伴的问题，不归我们管。"
expect.set_options(timeout=WAIT_MS)


@pytest.fixture
def scene(agent: User, write_article, default_phrases) -> Case:
    # Everything is written before the browser starts: no ORM work while Playwright runs
    # (see tests/test_browser.py).
    agent.set_password(PASSWORD)
    agent.save(update_fields=["password"])
    write_article(title="退房多扣了房费", question="退房时多扣了一晚房费怎么退？",
                  answer=ANSWER, tags="退款, 多扣, 到账")
    write_article(title="早餐时间", answer="早餐在二楼餐厅，6:30–10:00。")
    case = case_create(
        channel=Channel.WEB, description="退房时多扣了一晚的房费，退款什么时候到账？",
        customer=CustomerDetails(name="赵女士", email="zhao@example.com"),
        department=agent.department,
    )
    return case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)




def _watch(page: Page, errors: list[str]) -> Page:
    page.set_default_timeout(WAIT_MS)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return page


def test_a_customer_finds_an_answer_and_an_agent_is_stopped_before_shifting_blame(
    live_server, agent: User, scene: Case, browser: Browser
):
    errors: list[str] = []
    phone = _watch(browser.new_context(viewport=PHONE, is_mobile=True).new_page(), errors)
    phone.goto(f"{live_server.url}/complain/")
    phone.locator("a[href='/help/']").click()
    phone.fill("input[name=q]", "退款多久到账")
    phone.locator("form.help-search button").click()
    results = phone.get_by_test_id("help-results")
    expect(results.locator("a").first).to_have_text("退房多扣了房费")
    results.locator("a").first.click()
    expect(phone.locator("article.help-article")).to_contain_text(ANSWER)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.locator("a[href='/complain/']").last.click()
    phone.wait_for_url(f"{live_server.url}/complain/")

    console = _watch(browser.new_context(viewport=DESK).new_page(), errors)
    console.goto(f"{live_server.url}/console/login/")
    console.fill("#id_username", agent.username)
    console.fill("#id_password", PASSWORD)
    console.locator("main button[type=submit]").click()
    console.wait_for_url(f"{live_server.url}/console/")
    console.goto(f"{live_server.url}/console/cases/{scene.reference}/")

    suggestion = console.get_by_test_id("answer-suggestions").locator(".answer-card").first
    expect(suggestion).to_contain_text("退房多扣了房费")
    box = console.locator("form.action-message textarea[name=body]")
    box.fill("赵女士您好，")
    suggestion.locator("[data-insert-answer]").click()
    expect(box).to_have_value(f"赵女士您好，\n{ANSWER}")  # on a line of its own, at the end

    suggestion.locator("[data-action=link-answer]").click()
    expect(console.get_by_test_id("answer-links")).to_contain_text("退房多扣了房费")
    expect(console.locator(".timeline")).to_contain_text("退房多扣了房费")

    box = console.locator("form.action-message textarea[name=body]")
    box.fill(BLAME)
    console.locator("[data-action=message]").click()
    review = console.get_by_test_id("wording-review")
    expect(review.locator("mark")).to_have_text(["这是合作伙伴的问题", "不归我们管"])
    expect(console.locator(".timeline .kind-message")).to_have_count(1)  # the apology only
    # An answer goes into the message under review, where the agent is now writing.
    review.locator("textarea[name=body]").fill("")
    console.get_by_test_id("answer-links").locator("[data-insert-answer]").click()
    expect(review.locator("textarea[name=body]")).to_have_value(ANSWER)
    review.locator("textarea[name=body]").fill(BLAME)
    review.locator("input[name=send_as_written]").check()
    review.locator("[data-action=message-review]").click()
    expect(console.get_by_test_id("wording-review")).to_have_count(0)
    expect(console.locator(".timeline .kind-message")).to_have_count(2)
    expect(console.locator(".timeline .kind-message").last).to_contain_text(BLAME)
    expect(console.locator(".timeline .kind-note").last).to_contain_text("这是合作伙伴的问题")
    assert errors == []
