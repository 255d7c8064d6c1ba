"""Deadlines in the console: the clocks on a case, the at-risk, breached and escalated
queues, promises to the customer, and the bell."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from redress.cases.models import Case, Channel, Priority
from redress.cases.services import CustomerDetails
from redress.intake.services import staff_case_record
from redress.notify.models import StaffNotification
from redress.sla.services import case_clock_check

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
HTMX = {"HTTP_HX_REQUEST": "true"}


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def _record(agent, priority: str, received: datetime, words: str = "电梯又坏了") -> Case:
    return staff_case_record(
        user=agent, channel=Channel.PHONE, description=words,
        customer=CustomerDetails(name="刘阿姨", phone="13912345678"), received_at=received,
        priority=priority,
    )


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_case_page_shows_its_deadlines(agent):
    with time_machine.travel(at(2026, 11, 24, 17, 0), tick=False):
        case = _record(agent, Priority.P3, at(2026, 11, 24, 17, 0))
        page = _signed_in(agent).get(f"/console/cases/{case.reference}/").content.decode()
    assert 'data-testid="clocks"' in page
    assert "P3 · normal" in page
    assert "2026-11-25 10:00" in page  # first response: two business hours from 17:00
    assert "还剩 17" in page  # …which is 17 hours away on the clock


def test_queue_views_for_breached_and_at_risk(agent):
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        late = _record(agent, Priority.P2, at(2026, 11, 24, 9, 0), "早上九点打过电话，没人回")
        soon = _record(agent, Priority.P2, at(2026, 11, 24, 9, 50), "门禁卡失灵")
        calm = _record(agent, Priority.P4, at(2026, 11, 24, 9, 55), "建议增加快递柜")
        client = _signed_in(agent)
        breached = client.get("/console/?sla=breached").content.decode()
        at_risk = client.get("/console/?sla=at_risk").content.decode()
    assert late.reference in breached
    assert soon.reference not in breached and calm.reference not in breached
    assert soon.reference in at_risk
    assert late.reference not in at_risk and calm.reference not in at_risk


def test_an_agreed_reply_time_is_recorded_and_shown_to_the_customer(agent, client):
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        case = _record(agent, Priority.P3, at(2026, 11, 24, 10, 0))
        response = _signed_in(agent).post(f"/console/cases/{case.reference}/agree/", {
            "due": "2026-11-25T17:00", "promise": "工程部明天下午五点前给您回电",
        }, **HTMX)
        assert response.status_code == 200
        assert "2026-11-25 17:00" in response.content.decode()
        page = client.get(f"/track/{case.tracking_code}/").content.decode()
    assert "2026-11-25 17:00" in page
    assert "工程部明天下午五点前给您回电" in page


def test_a_promise_in_the_past_is_refused_with_the_reason(agent):
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        case = _record(agent, Priority.P3, at(2026, 11, 24, 10, 0))
        response = _signed_in(agent).post(f"/console/cases/{case.reference}/agree/", {
            "due": "2026-11-23T17:00",
        }, **HTMX)
    assert response.status_code == 422
    assert "必须是将来的时间" in response.content.decode()


def test_the_bell_counts_unread_and_clears_when_read(agent, supervisor):
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        case = _record(agent, Priority.P2, at(2026, 11, 24, 10, 0))
    with time_machine.travel(at(2026, 11, 24, 10, 20), tick=False):
        case_clock_check(case_id=case.pk)
    client = _signed_in(supervisor)
    queue = client.get("/console/").content.decode()
    unread = StaffNotification.objects.filter(recipient=supervisor, read_at=None).count()
    assert unread == 2  # warned at 80%, then the breach
    assert f'<span class="count">{unread}</span>' in queue
    listing = client.get("/console/notifications/").content.decode()
    assert case.reference in listing
    client.post("/console/notifications/")
    assert StaffNotification.objects.filter(recipient=supervisor, read_at=None).count() == 0
    assert '<span class="count">' not in client.get("/console/").content.decode()


def test_escalations_view_is_offered_to_supervisors_not_agents(agent, supervisor):
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        case = _record(agent, Priority.P2, at(2026, 11, 24, 10, 0))
    with time_machine.travel(at(2026, 11, 24, 10, 20), tick=False):
        case_clock_check(case_id=case.pk)
        escalations = _signed_in(supervisor).get("/console/?sla=escalated").content.decode()
        agent_queue = _signed_in(agent).get("/console/").content.decode()
    assert case.reference in escalations
    assert "?sla=escalated" in escalations
    assert "?sla=escalated" not in agent_queue


def test_another_department_cannot_agree_on_a_case(agent, outsider):
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        case = _record(agent, Priority.P3, at(2026, 11, 24, 10, 0))
        response = _signed_in(outsider).post(f"/console/cases/{case.reference}/agree/", {
            "due": "2026-11-25T17:00",
        })
    assert response.status_code == 404
    assert case.clock.agreed_due is None


def _row_of(page: str, case: Case) -> str:
    return next(row for row in page.split("<tr") if f">{case.reference}</a>" in row)


@pytest.mark.parametrize(("language", "texts"), [
    ("zh-hans", {"left": "还剩 17", "nobody": "<em>暂无</em>", "breached": ">已超时</span>",
                 "status": "新建"}),
    ("en", {"left": "17\xa0hours left", "nobody": "<em>nobody yet</em>",
            "breached": ">Breached</span>", "status": "New"}),
])
def test_queue_rows_show_each_case_and_its_next_deadline(agent, language, texts):
    """The queue's rows (a Jinja2 partial): the link, the moment in the organisation's
    time, the labels and the deadline cell in the reader's language, values escaped."""
    with time_machine.travel(at(2026, 11, 24, 17, 0), tick=False):
        calm = _record(agent, Priority.P3, at(2026, 11, 24, 17, 0), "空调<b>不制冷</b>")
        late = _record(agent, Priority.P2, at(2026, 11, 24, 9, 0), "早上九点打过电话，没人回")
        case_clock_check(case_id=late.pk)
        client = _signed_in(agent)
        client.cookies["django_language"] = language
        page = client.get("/console/").content.decode()
    row = _row_of(page, calm)
    assert f'<a href="/console/cases/{calm.reference}/">{calm.reference}</a>' in row
    assert '<time datetime="2026-11-24T17:00:00+08:00">11-24 17:00</time>' in row
    assert texts["status"] in row and texts["nobody"] in row
    assert "空调&lt;b&gt;不制冷&lt;/b&gt;" in row
    assert '<time datetime="2026-11-25T10:00:00+08:00" class="">11-25 10:00</time>' in row
    assert texts["left"] in row
    late_row = _row_of(page, late)
    assert "breached" in late_row and texts["breached"] in late_row
