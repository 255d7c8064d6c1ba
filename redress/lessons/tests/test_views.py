"""The lessons pages of the console, as an agent and a quality manager use them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from redress.cases.models import Case, Status
from redress.lessons.models import ActionStatus, Problem, RootCause, SpikeAlert
from redress.lessons.services import problem_action_add, problem_open, spikes_scan
from redress.lessons.tests.conftest import complaint, full_root_cause, resolved

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestRootCauseOnTheCasePage:
    def test_the_form_shows_once_resolved_prefilled_with_the_remedy(self, agent):
        case = resolved(agent)
        page = _signed_in(agent).get(f"/console/cases/{case.reference}/").content.decode()
        assert 'data-testid="root-cause"' in page
        assert "退还汤的费用 (¥68.00)" in page
        assert 'data-testid="root-cause-missing"' in page

    def test_not_before(self, agent):
        page = _signed_in(agent).get(f"/console/cases/{complaint().reference}/")
        assert 'data-testid="root-cause"' not in page.content.decode()

    def test_the_close_button_is_refused_with_the_message_then_works(self, agent):
        case = resolved(agent)
        client = _signed_in(agent)
        refused = client.post(f"/console/cases/{case.reference}/move/",
                              {"to": "closed", "version": case.version}, **HTMX)
        assert refused.status_code == 422
        assert 'data-testid="refusal"' in refused.content.decode()
        assert Case.objects.get(pk=case.pk).status == Status.RESOLVED

        recorded = client.post(f"/console/cases/{case.reference}/root-cause/", {
            "category": "human", "detail": "传菜员漏单", "step": "出菜",
            "department": case.department_id, "customer_accepted": "no",
            "customer_words": "券我不要，下次不来了", "remedy_given": "退款68元",
        }, **HTMX)
        assert recorded.status_code == 200
        assert "券我不要，下次不来了" in recorded.content.decode()
        record = RootCause.objects.get(case=case)
        assert (record.category, record.customer_accepted) == ("human", "no")

        closed = client.post(f"/console/cases/{case.reference}/move/",
                             {"to": "closed", "version": case.version}, **HTMX)
        assert closed.status_code == 200
        page = closed.content.decode()
        assert 'data-status="closed"' in page
        # read-only once closed: the record is shown, the form is gone
        assert "券我不要，下次不来了" in page
        assert "action-root-cause" not in page

    def test_bad_input_is_refused_on_the_page_and_stores_nothing(self, agent):
        case = resolved(agent)
        response = _signed_in(agent).post(f"/console/cases/{case.reference}/root-cause/", {
            "category": "human", "customer_accepted": "no", "customer_words": "",
        }, **HTMX)
        assert response.status_code == 422
        assert 'data-testid="refusal"' in response.content.decode()
        assert not RootCause.objects.exists()

    def test_an_outsider_gets_404(self, agent, outsider):
        case = resolved(agent)
        response = _signed_in(outsider).post(
            f"/console/cases/{case.reference}/root-cause/", {"category": "human"})
        assert response.status_code == 404
        assert not RootCause.objects.exists()


class TestRecurringPage:
    @pytest.fixture
    def alert(self, department, quality) -> SpikeAlert:
        now = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)
        reviewed = datetime(2026, 11, 17, 10, 0, tzinfo=SHANGHAI)
        with time_machine.travel(now, tick=False):
            for i in range(6):
                complaint("房间空调坏了，一晚上没睡好", received_at=reviewed + timedelta(hours=i))
            complaint("账单多收了一晚房费", received_at=reviewed - timedelta(weeks=2))
            return spikes_scan()[0]

    def test_quality_sees_the_alert_and_opens_a_problem_from_it(self, alert, quality):
        client = _signed_in(quality)
        page = client.get("/console/lessons/recurring/").content.decode()
        assert 'data-testid="alert"' in page and "空调" in page
        response = client.post(f"/console/lessons/alerts/{alert.pk}/problem/")
        problem = Problem.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/console/lessons/problems/{problem.pk}/"
        assert problem.cases.count() == 6
        detail = client.get(response["Location"]).content.decode()
        assert "空调" in detail

    @pytest.mark.parametrize("url", ["/console/lessons/recurring/",
                                     "/console/lessons/problems/"])
    def test_an_agent_is_refused(self, agent, url):
        assert _signed_in(agent).get(url).status_code == 403

    def test_an_agent_cannot_open_a_problem(self, alert, agent):
        response = _signed_in(agent).post(f"/console/lessons/alerts/{alert.pk}/problem/")
        assert response.status_code == 403
        assert not Problem.objects.exists()

    def test_the_page_reads_in_a_fixed_number_of_queries(self, alert, quality):
        client = _signed_in(quality)
        client.get("/console/lessons/recurring/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/console/lessons/recurring/").status_code == 200
        assert len(queries) <= 10


class TestProblemPages:
    def test_open_a_problem_add_an_action_finish_it_and_see_the_check(self, quality, agent):
        client = _signed_in(quality)
        response = client.post("/console/lessons/problems/",
                               {"title": "退房结账多收费", "description": "三家门店都有"})
        problem = Problem.objects.get()
        assert response["Location"] == f"/console/lessons/problems/{problem.pk}/"
        response = client.post(f"/console/lessons/problems/{problem.pk}/actions/", {
            "kind": "preventive", "description": "收银系统增加复核", "owner": agent.pk,
            "due": "2026-12-01",
        })
        assert response.status_code == 302
        action = problem.actions.get()
        # the owner, an agent, marks it done on the problem's page
        owner = _signed_in(agent)
        assert owner.get(f"/console/lessons/problems/{problem.pk}/").status_code == 200
        assert owner.post(f"/console/lessons/actions/{action.pk}/status/",
                          {"status": "done"}).status_code == 302
        action.refresh_from_db()
        assert action.status == ActionStatus.DONE
        page = client.get(f"/console/lessons/problems/{problem.pk}/").content.decode()
        assert 'data-testid="check"' in page and "28" in page  # too early, 28 days left

    def test_a_bad_action_is_refused_and_adds_nothing(self, quality, agent):
        problem = problem_open(actor=quality, title="上菜慢")
        response = _signed_in(quality).post(
            f"/console/lessons/problems/{problem.pk}/actions/",
            {"kind": "corrective", "description": "", "owner": agent.pk, "due": "x"})
        assert response.status_code == 422
        assert not problem.actions.exists()

    def test_another_agent_cannot_see_or_move_the_action(self, quality, agent, agent2):
        problem = problem_open(actor=quality, title="上菜慢")
        action = problem_action_add(problem=problem, actor=quality, kind="corrective",
                                    description="增加传菜员", owner=agent,
                                    due=datetime(2026, 12, 1).date())
        client = _signed_in(agent2)
        assert client.get(f"/console/lessons/problems/{problem.pk}/").status_code == 403
        response = client.post(f"/console/lessons/actions/{action.pk}/status/",
                               {"status": "done"})
        assert response.status_code == 403
        action.refresh_from_db()
        assert action.status == ActionStatus.PLANNED

    def test_the_case_page_links_its_problem(self, quality, agent):
        case = resolved(agent)
        full_root_cause(case, agent)
        problem = problem_open(actor=quality, title="上菜慢", cases=[case])
        page = _signed_in(agent).get(f"/console/cases/{case.reference}/").content.decode()
        assert f"/console/lessons/problems/{problem.pk}/" in page
