"""The root cause over the API: an integrator closes a resolved case the same way the
console does, and meets the same rule."""

from typing import Any

import pytest
from django.test import Client

from redress.accounts.models import User
from redress.accounts.services import api_token_create
from redress.cases.models import Case, Status
from redress.lessons.models import RootCause
from redress.lessons.tests.conftest import full_root_cause, resolved

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user)}"})


def _close(client: Client, case: Case) -> Any:
    return client.post(f"/api/v1/cases/{case.reference}/transitions", {"to": "closed"},
                       content_type=JSON)


class TestRootCauseEndpoint:
    def test_closing_is_refused_without_it_then_allowed(self, agent, department):
        case = resolved(agent)
        client = _api(agent)
        refused = _close(client, case)
        assert refused.status_code == 422
        assert refused.json()["field"] == "root_cause"
        assert Case.objects.get(pk=case.pk).status == Status.RESOLVED

        recorded = client.post(f"/api/v1/cases/{case.reference}/root-cause", {
            "category": "equipment", "detail": "保温灯坏了", "department": department.name,
            "step": "出菜", "customer_accepted": "yes",
        }, content_type=JSON)
        assert recorded.status_code == 200, recorded.content
        body = recorded.json()
        assert body["department"] == department.name
        assert body["remedy_given"] == "退还汤的费用 (¥68.00)"
        assert body["missing_for_closing"] == []
        assert body["recorded_by"] == agent.username

        closed = _close(client, case)
        assert closed.status_code == 200
        assert closed.json()["status"] == "closed"

    def test_what_is_missing_is_listed(self, agent, department):
        case = resolved(agent)
        body = _api(agent).get(f"/api/v1/cases/{case.reference}/root-cause").json()
        assert body["missing_for_closing"] == [
            "cause", "department", "step", "customer_accepted", "remedy"]
        assert body["recorded_by"] is None

    @pytest.mark.parametrize("payload, field", [
        ({"category": "bad luck"}, "category"),
        ({"department": "不存在的部门"}, "department"),
        ({"customer_accepted": "no"}, "customer_words"),
    ])
    def test_bad_input_is_422_naming_the_field_and_stores_nothing(
        self, agent, department, payload, field
    ):
        case = resolved(agent)
        response = _api(agent).post(f"/api/v1/cases/{case.reference}/root-cause", payload,
                                    content_type=JSON)
        assert response.status_code == 422
        assert response.json()["field"] == field
        assert not RootCause.objects.exists()

    def test_an_outsider_gets_404(self, agent, outsider, department):
        case = resolved(agent)
        response = _api(outsider).post(f"/api/v1/cases/{case.reference}/root-cause",
                                       {"category": "human"}, content_type=JSON)
        assert response.status_code == 404
        assert not RootCause.objects.exists()

    def test_no_token_is_401(self, agent, department):
        case = resolved(agent)
        response = Client().post(f"/api/v1/cases/{case.reference}/root-cause", {},
                                 content_type=JSON)
        assert response.status_code == 401


class TestProblemEndpoint:
    def test_a_quality_manager_reads_a_problem(self, agent, quality, department):
        from redress.lessons.services import problem_open

        case = resolved(agent)
        full_root_cause(case, agent)
        problem = problem_open(actor=quality, title="上菜慢", cases=[case])
        body = _api(quality).get(f"/api/v1/problems/{problem.pk}").json()
        assert (body["title"], body["status"], body["cases"]) == (
            "上菜慢", "open", [case.reference])

    def test_an_agent_is_refused(self, agent, quality, department):
        from redress.lessons.services import problem_open

        problem = problem_open(actor=quality, title="上菜慢")
        assert _api(agent).get(f"/api/v1/problems/{problem.pk}").status_code == 403
