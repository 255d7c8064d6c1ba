"""The insights dashboard, its people view, exports and the monthly report, over HTTP.

The history is made the way it happens: complaints recorded by an agent through intake,
answered through the lifecycle, with the clocks following each change after commit; then
the day's rollups are refreshed, as the background task does."""

import csv
import io
import json
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.test import Client
from openpyxl import load_workbook

from redress.accounts.models import Department, User
from redress.cases.models import Case, Channel, Status
from redress.cases.services import CustomerDetails, case_transition
from redress.common import clock
from redress.insights import report
from redress.insights.services import rollup_refresh_days
from redress.intake.services import staff_case_record

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH_2 = date(2026, 3, 2)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=SHANGHAI)
PERIOD = {"from": "2026-03-01", "to": "2026-03-07"}
PANELS = ("summary", "volume", "emotions", "first_response", "resolution", "satisfaction",
          "compensation", "root_causes", "problems", "outcomes", "paradox", "roi")


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=SHANGHAI)


def _record(agent: User, *, channel: str, received: datetime, answered_after: int | None,
            location: str = "南京路店", name: str = "顾客") -> Case:
    with clock.travel_to(received):
        case = staff_case_record(
            user=agent, channel=channel, received_at=received, location=location,
            description="房间空调坏了，打了三次电话都没人来修。",
            customer=CustomerDetails(name=name, phone="13800138000"))
    if answered_after is not None:
        with clock.travel_to(received + timedelta(minutes=answered_after)):
            case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED,
                            message="非常抱歉，我们马上派工程师上门。")
    return case


@pytest.fixture
def history(agent: User, django_capture_on_commit_callbacks: Any) -> dict[str, Case]:
    """Three complaints received on 2 March (Shanghai) in the agent's department:
    A by phone at 09:00, answered after 10 minutes; B by phone at 20:00, answered after
    40; C in person at 23:50, never answered. On 10 March one of three was answered within
    15 minutes; the answered two fall in the 5–10 and 30–60 minute bands."""
    with django_capture_on_commit_callbacks(execute=True):
        cases = {
            "a": _record(agent, channel=Channel.PHONE, received=_at(9), answered_after=10),
            "b": _record(agent, channel=Channel.PHONE, received=_at(20), answered_after=40),
            "c": _record(agent, channel=Channel.WALK_IN, received=_at(23, 50),
                         answered_after=None, location="人民广场店"),
        }
    with clock.travel_to(NOW):
        rollup_refresh_days([MARCH_2])
    return cases


def _client(user: User, language: str = "") -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.post("/i18n/setlang/", {"language": language, "next": "/console/"})
    return client


def _panels(page: Any) -> dict[str, Any]:
    found = re.search(r'<script id="insights-data" type="application/json">(.*?)</script>',
                      page.content.decode(), re.S)
    assert found, "the panels' data are in the page"
    return json.loads(found.group(1))


def _figure(page: Any, name: str) -> str:
    found = re.search(rf'data-figure="{name}">(.*?)</dd>', page.content.decode(), re.S)
    assert found, name
    return found.group(1).strip()


def _csv(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(response: Any) -> list[tuple[Any, ...]]:
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


class TestDashboard:
    def test_a_supervisor_sees_every_panel_with_the_figures_of_the_history(
            self, supervisor: User, history: dict[str, Case]) -> None:
        page = _client(supervisor).get("/console/insights/", PERIOD)
        assert page.status_code == 200
        html = page.content.decode()
        assert "数据看板" in html or "Insights dashboard" in html
        assert _figure(page, "cases") == "3"
        assert _figure(page, "first_response_attainment") == "33.3%"  # A only, of three
        # The middle of two answered cases is the top of A's 5–10 minute band.
        assert _figure(page, "median_first_response_minutes") == "10.0"
        panels = _panels(page)
        assert set(PANELS) | {"people"} == set(panels)
        by_channel = {s["key"]: s["counts"] for s in panels["volume"]["by_channel"]}
        assert by_channel == {"phone": [0, 2, 0, 0, 0, 0, 0], "walk_in": [0, 1, 0, 0, 0, 0, 0]}
        for name in PANELS[1:]:
            assert f'data-panel="{name}"' in html, name
        # Charts are drawn where there are data, with the panel's name on the container.
        charts = set(re.findall(r'data-chart="(\w+)" data-view="(\w+)"', html))
        assert {("volume", "by_channel"), ("volume", "by_scenario"), ("emotions", "mix"),
                ("first_response", "bands"), ("first_response", "sla")} <= charts
        # Nothing was resolved or surveyed: those panels say so instead of drawing zeros.
        assert ("resolution", "bands") not in charts
        assert ("satisfaction", "items") not in charts
        assert "暂无数据" in html or "No data yet" in html
        assert 'src="/static/vendor/echarts/echarts.min.js"' in html
        assert 'src="/static/web/insights.js"' in html
        # Every table has its exports beside it, carrying the same filters.
        assert 'href="/console/insights/export/sla.xlsx?from=2026-03-01&amp;to=2026-03-07"' \
            in html
        assert 'data-export="cases.csv"' in html

    def test_the_page_reads_the_rollups_in_a_fixed_number_of_queries(
            self, supervisor: User, history: dict[str, Case],
            django_assert_max_num_queries: Any) -> None:
        client = _client(supervisor)
        with django_assert_max_num_queries(36):  # 32 today: the panels, the lists, the user
            assert client.get("/console/insights/", PERIOD).status_code == 200

    def test_the_chart_library_is_served_from_node_modules(self) -> None:
        response = Client().get("/static/vendor/echarts/echarts.min.js")
        assert response.status_code == 200, "run `npm ci`: package.json pins echarts"
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert len(body) > 500_000 and b"echarts" in body[:5000].lower()

    def test_the_figures_follow_the_filters(self, supervisor: User,
                                            history: dict[str, Case]) -> None:
        client = _client(supervisor)
        walk_in = client.get("/console/insights/", {**PERIOD, "channel": "walk_in"})
        assert _figure(walk_in, "cases") == "1"
        assert _figure(walk_in, "first_response_attainment") == "0.0%"
        branch = client.get("/console/insights/", {**PERIOD, "location": "南京路店"})
        assert _figure(branch, "cases") == "2"
        assert 'value="南京路店" selected' in branch.content.decode()

    def test_an_empty_period_says_no_data_yet_and_draws_nothing(
            self, supervisor: User, history: dict[str, Case]) -> None:
        page = _client(supervisor).get("/console/insights/",
                                       {"from": "2025-01-01", "to": "2025-01-31"})
        assert page.status_code == 200
        html = page.content.decode()
        assert _figure(page, "cases") == "0"
        assert "暂无数据" in _figure(page, "first_response_attainment") or \
            "No data yet" in _figure(page, "first_response_attainment")
        assert "data-chart=" not in html

    def test_an_agent_is_refused(self, agent: User, history: dict[str, Case]) -> None:
        client = _client(agent)
        page = client.get("/console/insights/", PERIOD)
        assert page.status_code == 403
        assert "insights-data" not in page.content.decode()
        assert "/console/insights/" not in client.get("/console/").content.decode()

    def test_the_console_links_to_it_for_supervisors(self, supervisor: User) -> None:
        queue = _client(supervisor).get("/console/").content.decode()
        assert 'href="/console/insights/"' in queue

    def test_a_visitor_is_sent_to_sign_in(self, client: Client) -> None:
        response = client.get("/console/insights/")
        assert response.status_code == 302 and "/console/login/" in response["Location"]

    @pytest.mark.parametrize(("query", "field", "message"), [
        ({"from": "2026-03-07", "to": "2026-03-01"}, "from", "The period starts after it ends."),
        ({**PERIOD, "channel": "pigeon"}, "channel", "Unknown channel."),
        ({"from": "yesterday"}, "from", "Enter a valid date."),
    ])
    def test_bad_filters_are_explained_and_nothing_is_shown(
            self, supervisor: User, query: dict[str, str], field: str, message: str) -> None:
        page = _client(supervisor, "en").get("/console/insights/", query)
        assert page.status_code == 400
        html = page.content.decode()
        assert re.search(rf'data-field="{field}">{re.escape(message)}</p>', html), html
        assert "insights-data" not in html

    def test_a_department_the_supervisor_may_not_see_is_refused(
            self, supervisor: User, other_department: Department) -> None:
        page = _client(supervisor, "en").get(
            "/console/insights/", {**PERIOD, "department": other_department.pk})
        assert page.status_code == 400
        assert "You can only see your own department&#x27;s figures." in page.content.decode()

    def test_the_page_is_in_chinese_and_english(self, supervisor: User,
                                                history: dict[str, Case]) -> None:
        chinese = _client(supervisor).get("/console/insights/", PERIOD).content.decode()
        english = _client(supervisor, "en").get("/console/insights/", PERIOD).content.decode()
        assert 'lang="zh-hans"' in chinese and 'lang="en"' in english
        assert "<h1>Insights dashboard</h1>" in english
        assert "Phone call" in english and "电话" in chinese  # the data's labels too

    def test_without_the_chart_library_the_tables_remain_with_a_note(
            self, supervisor: User, history: dict[str, Case], settings: Any) -> None:
        settings.STATICFILES_DIRS = []
        html = _client(supervisor, "en").get("/console/insights/", PERIOD).content.decode()
        assert 'data-testid="charts-missing"' in html and "npm ci" in html
        assert "echarts.min.js" not in html
        assert 'data-table="sla"' in html and 'data-table="volume"' in html


class TestPeople:
    def test_a_supervisor_sees_figures_per_person(self, supervisor: User, agent: User,
                                                  history: dict[str, Case]) -> None:
        client = _client(supervisor)
        page = client.get("/console/insights/people/", PERIOD)
        assert page.status_code == 200
        html = page.content.decode()
        row = re.search(r'data-table="people".*?<tbody>\s*<tr>(.*?)</tr>', html, re.S)
        assert row and "小张" in row.group(1)
        cells = re.findall(r"<td>(.*?)</td>", row.group(1))
        assert cells[2] == "2"  # A and B, which the agent answered; C has no owner yet
        assert cells[3] == "50.0%"  # A within 15 minutes, B not
        assert 'data-panel="people"' in client.get("/console/insights/", PERIOD).content.decode()

    def test_an_agent_is_refused_the_people_view(self, agent: User,
                                                 history: dict[str, Case]) -> None:
        page = _client(agent).get("/console/insights/people/", PERIOD)
        assert page.status_code == 403
        assert 'data-table="people"' not in page.content.decode()


class TestExports:
    def test_volume_as_csv(self, supervisor: User, history: dict[str, Case]) -> None:
        response = _client(supervisor, "en").get("/console/insights/export/volume.csv", PERIOD)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="redress-volume-20260301-20260307.csv"' in \
            response["Content-Disposition"]
        rows = _csv(response)
        assert rows[0] == ["Day", "Phone call", "Walk-in", "Total"]
        assert rows[1] == ["2026-03-01", "0", "0", "0"]
        assert rows[2] == ["2026-03-02", "2", "1", "3"]
        assert len(rows) == 1 + 7

    def test_sla_and_first_response_as_xlsx(self, supervisor: User,
                                            history: dict[str, Case]) -> None:
        client = _client(supervisor, "en")
        response = client.get("/console/insights/export/first_response.xlsx", PERIOD)
        assert response.status_code == 200
        assert isinstance(response, FileResponse)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = _xlsx(response)
        assert rows[0] == ("Time to first response", "Up to (minutes)", "Cases",
                           "Within the target")
        counts = {label: cases for label, _up, cases, _ok in rows[1:]}
        assert counts["5–10 min"] == 1 and counts["30–60 min"] == 1
        assert sum(counts.values()) == 2
        assert rows[1][3] == "yes" and rows[-1][3] == "no"

        sla = _xlsx(client.get("/console/insights/export/sla.xlsx", PERIOD))
        assert sla[0][0] == "Priority" and len(sla) == 1 + 4
        due = sum(row[1] for row in sla[1:])
        assert due == 3  # every case's first response is due by now

    def test_every_case_as_a_csv_stream_with_translated_headers(
            self, quality: User, history: dict[str, Case]) -> None:
        response = _client(quality).get("/console/insights/export/cases.csv", PERIOD)
        assert response.status_code == 200
        assert isinstance(response, StreamingHttpResponse)
        rows = _csv(response)
        header = rows[0]
        assert header[0] == "编号" and "渠道" in header and "部门" in header
        by_reference = {row[0]: row for row in rows[1:]}
        assert set(by_reference) == {c.reference for c in history.values()}
        a = by_reference[history["a"].reference]
        assert a[1] == "2026-03-02 09:00"  # local time
        assert a[2] == "电话" and a[3] == "前台" and a[4] == "南京路店"
        assert a[9] == "10.0"  # minutes to the first response
        assert by_reference[history["c"].reference][9] == ""  # never answered

    def test_every_case_as_xlsx(self, supervisor: User, history: dict[str, Case]) -> None:
        response = _client(supervisor, "en").get("/console/insights/export/cases.xlsx",
                                                 {**PERIOD, "channel": "phone"})
        assert isinstance(response, FileResponse)
        rows = _xlsx(response)
        assert rows[0][:3] == ("Reference", "Received (local time)", "Channel")
        assert sorted(row[0] for row in rows[1:]) == sorted(
            [history["a"].reference, history["b"].reference])
        assert {row[9] for row in rows[1:]} == {10.0, 40.0}

    def test_text_is_never_a_formula(self, supervisor: User, agent: User,
                                     django_capture_on_commit_callbacks: Any) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            _record(agent, channel=Channel.PHONE, received=_at(9), answered_after=None,
                    location='=HYPERLINK("http://evil.example","点我")')
        client = _client(supervisor)
        rows = _csv(client.get("/console/insights/export/cases.csv", PERIOD))
        assert rows[1][4].startswith("'=HYPERLINK")
        body = b"".join(client.get("/console/insights/export/cases.xlsx", PERIOD)
                        .streaming_content)
        cell = load_workbook(io.BytesIO(body)).active.cell(row=2, column=5)
        assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")

    def test_people_export_only_for_those_who_may_see_people(
            self, agent: User, supervisor: User, history: dict[str, Case]) -> None:
        assert _client(agent).get("/console/insights/export/people.csv",
                                  PERIOD).status_code == 403
        assert _client(agent).get("/console/insights/export/volume.csv",
                                  PERIOD).status_code == 403
        rows = _csv(_client(supervisor).get("/console/insights/export/people.csv", PERIOD))
        assert [row[0] for row in rows[1:]] == ["小张"]

    def test_unknown_tables_formats_and_bad_filters(self, supervisor: User) -> None:
        client = _client(supervisor, "en")
        assert client.get("/console/insights/export/secrets.csv").status_code == 404
        assert client.get("/console/insights/export/volume.pdf").status_code == 404
        bad = client.get("/console/insights/export/volume.csv",
                         {"from": "2026-03-07", "to": "2026-03-01"})
        assert bad.status_code == 400
        assert bad.content.decode() == "The period starts after it ends."

    @pytest.mark.parametrize("table", ["volume_scenario", "emotions", "resolution",
                                       "satisfaction", "cost_per_case", "root_causes",
                                       "responsible", "problems", "outcomes", "paradox",
                                       "roi", "people_departments"])
    def test_every_other_table_exports(self, supervisor: User, history: dict[str, Case],
                                       table: str) -> None:
        client = _client(supervisor, "en")
        rows = _csv(client.get(f"/console/insights/export/{table}.csv", PERIOD))
        assert rows[0] and all(rows[0]), "every column has a header"
        sheet = _xlsx(client.get(f"/console/insights/export/{table}.xlsx", PERIOD))
        assert list(sheet[0]) == rows[0]
        assert len(sheet) == len(rows)


class TestMonthlyReport:
    @pytest.fixture
    def calls(self, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
        """`insights.report` makes the PDF (tested in its own tests); here a stand-in
        records what the page asks of it."""
        seen: list[dict[str, Any]] = []

        def report_monthly_pdf(*, month: date, filters_user: User, language: str) -> bytes:
            seen.append({"month": month, "user": filters_user, "language": language})
            return b"%PDF-1.7 stand-in"

        monkeypatch.setattr(report, "report_monthly_pdf", report_monthly_pdf)
        return seen

    def test_a_supervisor_downloads_the_month_as_pdf(
            self, supervisor: User, calls: list[dict[str, Any]]) -> None:
        response = _client(supervisor, "en").get("/console/insights/report/",
                                                 {"month": "2026-02"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == \
            'attachment; filename="redress-report-2026-02.pdf"'
        assert response.content.startswith(b"%PDF")
        assert calls == [{"month": date(2026, 2, 1), "user": supervisor, "language": "en"}]

    @pytest.mark.parametrize("month", ["", "2026-13", "March", "2026-02-30"])
    def test_a_bad_month_is_explained(self, supervisor: User, month: str,
                                      calls: list[dict[str, Any]]) -> None:
        response = _client(supervisor, "en").get("/console/insights/report/",
                                                 {"month": month})
        assert response.status_code == 400
        assert "Choose a month (YYYY-MM)." in response.content.decode()
        assert calls == []

    def test_an_agent_is_refused(self, agent: User, calls: list[dict[str, Any]]) -> None:
        assert _client(agent).get("/console/insights/report/",
                                  {"month": "2026-02"}).status_code == 403
        assert calls == []

    def test_the_real_report_of_a_month_is_a_pdf(self, supervisor: User,
                                                 history: dict[str, Case]) -> None:
        client = _client(supervisor)
        with clock.travel_to(NOW):
            response = client.get("/console/insights/report/", {"month": "2026-03"})
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF") and len(response.content) > 2000

    def test_a_month_not_begun_is_refused_by_the_report(self, supervisor: User) -> None:
        client = _client(supervisor, "en")
        with clock.travel_to(NOW):
            response = client.get("/console/insights/report/", {"month": "2026-04"})
        assert response.status_code == 400
        assert 'data-field="month">That month has not begun yet' in response.content.decode()

    def test_the_dashboard_offers_it(self, supervisor: User) -> None:
        html = _client(supervisor).get("/console/insights/").content.decode()
        assert 'action="/console/insights/report/"' in html and 'type="month"' in html
