"""The playbook on the case page, as an agent uses it: the reading and its correction, the
first move, F.O.R.D ticks, SPIN questions and the reply draft, for a Chinese and an
English case; and the refusals."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from redress.cases.models import CaseEvent, Channel, EventKind
from redress.cases.selectors import case_get_for
from redress.cases.services import (
    CustomerDetails,
    case_create,
    case_record_labels,
    case_transition,
)
from redress.intake.services import staff_case_record
from redress.playbook.models import FordTick
from redress.sla.selectors import case_clocks
from redress.web.views import playbook as playbook_views

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def moment(django_capture_on_commit_callbacks):
    """Do something at a given time and let it commit, as a request would."""

    @contextmanager
    def at_moment(when: datetime) -> Iterator[None]:
        with time_machine.travel(when, tick=False), \
                django_capture_on_commit_callbacks(execute=True):
            yield

    return at_moment


@pytest.fixture
def zh_case(department):
    # No contact details: nothing to send, so tests see only the timeline.
    return case_create(
        channel=Channel.WEB, department=department,
        description="上菜太慢，等了一个小时，汤还是凉的！服务员还说不归她管。",
        customer=CustomerDetails(name="王女士"),
    )


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client: Client, case) -> str:
    response = client.get(f"/console/cases/{case.reference}/")
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str) -> str:
    start = html.index('id="playbook"')
    return html[start:html.index("</section>", html.index('data-testid="reply-draft"'))]


@pytest.fixture
def en_case(agent, moment):
    with moment(at(2026, 11, 24, 10, 0)):
        return staff_case_record(
            user=agent, channel=Channel.PHONE, received_at=at(2026, 11, 24, 10, 0),
            description="I was charged twice for my booking. Please refund the second payment.",
            customer=CustomerDetails(name="Ms Smith"),
        )


class TestCasePage:
    def test_a_chinese_case_gets_chinese_guidance_and_a_chinese_draft(self, agent, moment):
        with moment(at(2026, 11, 24, 10, 0)):
            case = staff_case_record(
                user=agent, channel=Channel.PHONE, received_at=at(2026, 11, 24, 10, 0),
                description="房间空调坏了，一晚上没睡好！这已经是第二次了。",
                customer=CustomerDetails(name="李先生"),
            )
            case_record_labels(case=case, actor=agent, labels={
                "kind": "complaint", "scenario": "product_defect", "emotion": "angry",
                "risks": ["repeat"], "wants": ["repair"]})
        with moment(at(2026, 11, 24, 10, 5)):
            html = _section(_page(_signed_in(agent), case))
        assert "先安抚情绪，再解决问题" in html
        assert "您先别着急" in html
        assert "服务补救悖论不会出现第二次" in html
        assert "快速响应：马上安排检测" in html  # the product-defect handling
        assert "您能描述一下是哪里坏了" in html  # its SPIN questions
        assert "已完成 0/4" in html
        assert html.count('class="tick"') == 4
        # The draft: the customer's name and words, the opening for anger, the deadline
        # from the case's clocks, the agent and the organisation.
        clocks = case_clocks(case=case)
        due = clocks.resolution_due.astimezone(SHANGHAI)
        assert "尊敬的李先生，您好！" in html
        assert "“房间空调坏了，一晚上没睡好！”" in html
        assert "您的心情我完全理解" in html
        assert f"{due.year}年{due.month}月{due.day}日 {due:%H:%M}" in html
        assert "同样的问题让您再次遇到" in html
        assert "小张\n悦来酒店</textarea>" in html
        assert 'name="body"' in html and 'name="to_customer"' in html
        assert f'action="/console/cases/{case.reference}/messages/"' in html

    def test_an_english_case_gets_english_guidance_whatever_the_staff_language(
            self, agent, en_case, moment):
        case_record_labels(case=en_case, actor=agent, labels={
            "scenario": "process_system", "emotion": "anxious"})
        with moment(at(2026, 11, 24, 10, 5)):
            page = _page(_signed_in(agent), en_case)
        html = _section(page)
        assert 'lang="zh-hans"' in page  # the console speaks Chinese …
        assert 'lang="en"' in html  # … the guidance and the draft speak the customer's
        assert "Explain openly and give guarantees" in html
        assert "At which step did you notice the problem?" in html
        assert "Dear Ms Smith," in html
        assert "First, here is what happens next:" in html
        assert "“I was charged twice for my booking.”" in html
        assert "You will hear from us by" in html
        assert "先安抚" not in html and "您好" not in html

    def test_a_case_not_read_yet_says_so_and_gets_neutral_guidance(self, agent, zh_case):
        html = _section(_page(_signed_in(agent), zh_case))
        assert html.count("尚未研判</dd>") == 3
        assert "首句道歉，确认事实" in html
        assert "您能具体说说当时发生了什么吗？" in html  # the generic SPIN set
        assert "尊敬的王女士，您好！" in html
        assert 'data-testid="draft-not-acknowledged"' in html

    def test_someone_who_may_not_act_sees_guidance_but_no_forms(self, agent, agent2, zh_case):
        case_transition(case=zh_case, actor=agent, to="acknowledged")
        html = _page(_signed_in(agent2), zh_case)
        assert "首句道歉" in html
        assert "playbook/ford/" not in html and "playbook/labels/" not in html
        assert 'data-testid="reply-draft"' not in html

    def test_the_section_costs_a_few_queries(self, agent, zh_case, rf):
        request = rf.get("/")
        request.user = agent
        case = case_get_for(user=agent, reference=zh_case.reference)  # as the page reads it
        clocks = case_clocks(case=case)  # the page reads them once for every section
        with CaptureQueriesContext(connection) as queries:
            playbook_views.case_page_context(request, case, agent, clocks=clocks)
        # the ticks, however many there are (the organisation comes with the case)
        assert len(queries) == 1


class TestCorrectTheReading:
    def test_a_correction_is_saved_with_an_event_and_changes_the_guidance(
            self, agent, zh_case):
        response = _signed_in(agent).post(
            f"/console/cases/{zh_case.reference}/playbook/labels/",
            {"kind": "complaint", "scenario": "human_error", "emotion": "aggrieved",
             "risks": ["churn"], "wants": ["apology", "refund"]}, **HTMX)
        assert response.status_code == 200
        zh_case.refresh_from_db()
        assert (zh_case.kind, zh_case.scenario, zh_case.emotion) == (
            "complaint", "human_error", "aggrieved")
        assert zh_case.risks == ["churn"] and zh_case.wants == ["apology", "refund"]
        event = CaseEvent.objects.get(case=zh_case, kind=EventKind.LABELS)
        assert event.actor == agent
        assert event.before["emotion"] == "" and event.after["emotion"] == "aggrieved"
        html = response.content.decode()
        assert "主动致歉，升级服务" in html
        assert "挽留靠解决问题" in html

    def test_without_htmx_it_redirects_back_to_the_case(self, agent, zh_case):
        response = _signed_in(agent).post(
            f"/console/cases/{zh_case.reference}/playbook/labels/", {"emotion": "calm"})
        assert response.status_code == 302
        assert response["Location"] == f"/console/cases/{zh_case.reference}/"

    @pytest.mark.parametrize("form", [
        {"emotion": "furious"},
        {"scenario": "act_of_god"},
        {"risks": ["zombies"]},
    ])
    def test_a_bad_value_is_refused_in_the_staff_language_and_changes_nothing(
            self, agent, zh_case, form):
        response = _signed_in(agent).post(
            f"/console/cases/{zh_case.reference}/playbook/labels/",
            {"kind": "complaint", **form}, **HTMX)
        assert response.status_code == 422
        assert "选择一个有效的选项" in response.content.decode()
        zh_case.refresh_from_db()
        assert (zh_case.kind, zh_case.emotion, zh_case.risks) == ("", "", [])
        assert not CaseEvent.objects.filter(kind=EventKind.LABELS).exists()

    def test_an_outsider_is_refused(self, outsider, zh_case):
        response = _signed_in(outsider).post(
            f"/console/cases/{zh_case.reference}/playbook/labels/", {"emotion": "angry"})
        assert response.status_code == 404
        zh_case.refresh_from_db()
        assert zh_case.emotion == ""

    def test_a_colleague_of_the_owner_is_refused(self, agent, agent2, zh_case):
        case_transition(case=zh_case, actor=agent, to="acknowledged")
        response = _signed_in(agent2).post(
            f"/console/cases/{zh_case.reference}/playbook/labels/", {"emotion": "angry"},
            **HTMX)
        assert response.status_code == 403
        zh_case.refresh_from_db()
        assert zh_case.emotion == ""

    def test_signed_out_goes_to_the_login(self, client, zh_case):
        response = client.post(f"/console/cases/{zh_case.reference}/playbook/labels/",
                               {"emotion": "angry"})
        assert response.status_code == 302 and "/console/login/" in response["Location"]


class TestFordOnThePage:
    def test_tick_and_untick(self, agent, zh_case):
        client = _signed_in(agent)
        url = f"/console/cases/{zh_case.reference}/playbook/ford/"
        response = client.post(url, {"step": "first", "done": "on"}, **HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert "已完成 1/4" in html
        assert 'aria-pressed="true" data-action="ford-first"' in html
        assert "F.O.R.D 步骤已完成：先道歉。" in html  # on the timeline
        assert FordTick.objects.get().ticked_by == agent
        response = client.post(url, {"step": "first"}, **HTMX)
        assert "已完成 0/4" in response.content.decode()
        assert not FordTick.objects.exists()

    def test_an_outsider_cannot_tick(self, outsider, zh_case):
        response = _signed_in(outsider).post(
            f"/console/cases/{zh_case.reference}/playbook/ford/", {"step": "first",
                                                                   "done": "on"})
        assert response.status_code == 404
        assert not FordTick.objects.exists()

    def test_a_closed_case_refuses(self, agent, zh_case):
        case_transition(case=zh_case, actor=agent, to="closed", close_reason="invalid")
        response = _signed_in(agent).post(
            f"/console/cases/{zh_case.reference}/playbook/ford/", {"step": "first",
                                                                   "done": "on"}, **HTMX)
        assert response.status_code == 409
        assert "这张补救单已关闭" in response.content.decode()
        assert not FordTick.objects.exists()

    def test_an_unknown_step_is_refused(self, agent, zh_case):
        response = _signed_in(agent).post(
            f"/console/cases/{zh_case.reference}/playbook/ford/", {"step": "x", "done": "on"},
            **HTMX)
        assert response.status_code == 422
        assert not FordTick.objects.exists()


class TestDraft:
    def test_once_acknowledged_the_draft_follows_the_case(self, agent, zh_case):
        case_transition(case=zh_case, actor=agent, to="acknowledged")
        case_transition(case=zh_case, actor=agent, to="investigating",
                        facts="当晚后厨少了一名厨师。")
        html = _section(_page(_signed_in(agent), zh_case))
        assert 'data-testid="draft-not-acknowledged"' not in html
        assert "经过核实：当晚后厨少了一名厨师。" in html
        assert "我们正在调查核实" in html

    def test_nothing_is_sent_until_the_agent_sends_the_edited_draft(self, agent, zh_case):
        client = _signed_in(agent)
        _page(client, zh_case)
        assert not CaseEvent.objects.filter(kind=EventKind.MESSAGE).exists()
        edited = "王女士，您好！非常抱歉，汤凉了是我们的错，今晚的汤我们请客。"
        response = client.post(f"/console/cases/{zh_case.reference}/messages/",
                               {"body": edited, "to_customer": "on"}, **HTMX)
        assert response.status_code == 200
        message = CaseEvent.objects.get(kind=EventKind.MESSAGE)
        assert message.message == edited and message.visible_to_customer
