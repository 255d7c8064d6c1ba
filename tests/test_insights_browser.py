"""The insights dashboard in a real headless Chromium: a supervisor with a month of cases
behind them opens it at a desk and on a phone, every chart is drawn by ECharts (served from
node_modules by the application itself), and switching to English redraws it in English.

ECharts comes from the npm registry (`npm ci`, package.json). Without it this test fails:
it never skips, since CI installs it and a dashboard without charts is a broken one."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from playwright.sync_api import Browser, Page, expect

from redress.accounts.models import User
from redress.cases.models import Case
from redress.common import clock
from redress.insights.services import rollup_refresh_days
from redress.insights.tests.conftest import NOW, history, march
from redress.lessons.models import ActionKind
from redress.lessons.services import problem_action_add, problem_open
from tests.conftest import DESK, PHONE, sign_in

__all__ = ["history", "march"]  # the hand-made history of the insights tests

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
WAIT_MS = 15_000
PASSWORD = "insights-browser-pass-2026"
PERIOD = "?from=2026-03-01&to=2026-03-07"
# Every chart the history has data for: all of them.
CHARTS = {
    "volume.by_channel", "volume.by_scenario", "emotions.mix", "first_response.bands",
    "first_response.sla", "resolution.bands", "satisfaction.items", "compensation.by_month",
    "root_causes.pareto", "root_causes.responsible", "problems.problems", "problems.actions",
    "outcomes.groups", "paradox.groups", "roi.value", "people.agents",
}
expect.set_options(timeout=WAIT_MS)

DRAWN = """() => Array.from(document.querySelectorAll("[data-chart]")).map((el) => {
  const canvas = el.querySelector("canvas");
  const chart = window.echarts && window.echarts.getInstanceByDom(el);
  const option = chart ? chart.getOption() : {series: []};
  return {
    name: el.dataset.chart + "." + el.dataset.view,
    width: canvas ? canvas.getBoundingClientRect().width : 0,
    height: canvas ? canvas.getBoundingClientRect().height : 0,
    series: option.series.length,
    names: option.series.map((s) => s.name),
    left: el.getBoundingClientRect().left,
    top: el.getBoundingClientRect().top,
  };
})"""


@pytest.fixture
def dashboard_history(march: dict[str, Case], supervisor: User, agent: User) -> None:
    """The insights tests' March history (two complaints in the supervisor's department,
    answered, remedied, surveyed and root-caused; one elsewhere), a problem with its
    corrective action, and the rollups refreshed as the background task would."""
    problem = problem_open(actor=supervisor, title="夜班报修无人响应", cases=[march["a"]])
    problem_action_add(problem=problem, actor=supervisor, kind=ActionKind.CORRECTIVE,
                       description="夜班配备值班工程师", owner=agent, due=date(2026, 3, 20))
    with clock.travel_to(NOW):
        rollup_refresh_days([date(2026, 3, 2), date(2026, 3, 3)])


@pytest.fixture
def supervisor_password(supervisor: User) -> str:
    supervisor.set_password(PASSWORD)
    supervisor.save(update_fields=["password"])
    return PASSWORD




def _charts(page: Page) -> list[dict[str, Any]]:
    expect(page.locator("[data-chart]").first).to_be_visible()
    assert page.evaluate("typeof window.echarts") == "object", (
        "ECharts did not load from /static/vendor/echarts/: run `npm ci`")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')]"
        ".every((el) => el.dataset.drawn === 'true')", timeout=WAIT_MS)
    return page.evaluate(DRAWN)


def _all_drawn(charts: list[dict[str, Any]]) -> None:
    assert {c["name"] for c in charts} == CHARTS
    for chart in charts:
        assert chart["width"] > 0 and chart["height"] > 0, chart
        assert chart["series"] > 0, chart


def test_the_dashboard_draws_every_chart_at_a_desk_and_on_a_phone_in_both_languages(
    live_server: Any, dashboard_history: None, supervisor_password: str, browser: Browser,
) -> None:
    assert finders.find("vendor/echarts/echarts.min.js"), (
        "node_modules/echarts is missing: run `npm ci` (package.json pins it)")
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []

    desk = browser.new_context(viewport=DESK).new_page()
    desk.set_default_timeout(WAIT_MS)
    desk.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(desk, live_server.url, "supervisor1", supervisor_password)
    desk.locator("[data-testid=insights-link]").click()
    desk.wait_for_url(f"{live_server.url}/console/insights/")
    desk.goto(f"{live_server.url}/console/insights/{PERIOD}")
    expect(desk.locator("html")).to_have_attribute("lang", "zh-hans")
    charts = _charts(desk)
    _all_drawn(charts)
    by_name = {c["name"]: c for c in charts}
    # The channels' labels come from the data, in the page's language.
    assert set(by_name["volume.by_channel"]["names"]) == {"电话", "网页表单"}
    expect(desk.locator("[data-figure=cases]")).to_have_text("2")
    desk.screenshot(path=ARTIFACTS / "insights-1280.png", full_page=True)

    # English: the headings, and the charts drawn again with English labels.
    desk.locator(".langswitch button[value=en]").click()
    expect(desk.locator("html")).to_have_attribute("lang", "en")
    expect(desk.locator("h1")).to_have_text("Insights dashboard")
    expect(desk.locator("#panel-first_response h2")).to_have_text("First response")
    expect(desk.locator("#panel-paradox h2")).to_have_text("Recovery paradox")
    english = {c["name"]: c for c in _charts(desk)}
    _all_drawn(list(english.values()))
    assert set(english["volume.by_channel"]["names"]) == {"Phone call", "Web form"}

    # On a phone the panels stack in one column and nothing scrolls sideways.
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                has_touch=True).new_page()
    phone.set_default_timeout(WAIT_MS)
    phone.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(phone, live_server.url, "supervisor1", supervisor_password)
    phone.goto(f"{live_server.url}/console/insights/{PERIOD}")
    stacked = {c["name"]: c for c in _charts(phone)}
    _all_drawn(list(stacked.values()))
    assert stacked["emotions.mix"]["left"] == stacked["first_response.bands"]["left"]
    assert stacked["first_response.bands"]["top"] > stacked["emotions.mix"]["top"]
    assert stacked["emotions.mix"]["width"] <= PHONE["width"]
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the dashboard scrolls sideways on a phone: {width}px"
    phone.screenshot(path=ARTIFACTS / "insights-375.png", full_page=True)

    assert errors == []
