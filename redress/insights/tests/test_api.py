"""GET /api/v1/insights/summary and the panels' JSON, on the hand-made history."""

from typing import Any

import pytest
import time_machine
from django.test import Client

from redress.accounts.models import Department, User
from redress.accounts.services import api_token_create
from redress.cases.models import Case
from redress.insights.services import rollup_refresh_days

from .conftest import NOW
from .test_kpis import MARCH_2, MARCH_3

pytestmark = pytest.mark.django_db
CONTRACT = {"cases", "first_response_attainment", "median_first_response_minutes",
            "median_resolution_hours", "reopen_rate", "csat_avg", "compensation_total",
            "cost_per_case"}


@pytest.fixture(autouse=True)
def _refreshed(march: dict[str, Case]) -> None:
    with time_machine.travel(NOW, tick=False):
        rollup_refresh_days([MARCH_2, MARCH_3])


def _api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user)}"})


def _summary(user: User, **params: Any) -> Any:
    return _api(user).get("/api/v1/insights/summary", params)


def test_summary_carries_the_contract(quality: User) -> None:
    response = _summary(quality, **{"from": "2026-03-02", "to": "2026-03-02"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= CONTRACT
    assert (body["from"], body["to"]) == ("2026-03-02", "2026-03-02")
    assert body["cases"] == 2
    assert body["first_response_attainment"] == 0.5
    assert body["median_first_response_minutes"] == 10.0
    assert body["median_resolution_hours"] == 4.0
    assert body["reopen_rate"] == 0.5
    assert body["csat_avg"] == 4.5
    assert body["compensation_total"] == "300.00"
    assert body["cost_per_case"] == "113.00"


def test_a_supervisor_sees_their_department_only(supervisor: User,
                                                 other_department: Department) -> None:
    assert _summary(supervisor, **{"from": "2026-03-02", "to": "2026-03-03"}).json()[
        "cases"] == 2
    refused = _summary(supervisor, **{"from": "2026-03-02", "to": "2026-03-03",
                                      "department": other_department.pk})
    assert refused.status_code == 422
    assert refused.json()["field"] == "department"


def test_an_agent_is_refused(agent: User) -> None:
    assert _summary(agent).status_code == 403
    assert _api(agent).get("/api/v1/insights/panels/people").status_code == 403


def test_no_token_is_401() -> None:
    assert Client().get("/api/v1/insights/summary").status_code == 401


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "2026-03-05", "to": "2026-03-01"}, "from"),
    ({"from": "2026-02-30"}, "from"),
    ({"channel": "pigeon"}, "channel"),
])
def test_bad_input_is_422_naming_the_field(quality: User, params: dict[str, str],
                                           field: str) -> None:
    response = _summary(quality, **params)
    assert response.status_code == 422
    assert field in (response.json().get("field") or "")


def test_panels_and_an_unknown_one(quality: User) -> None:
    client = _api(quality)
    people = client.get("/api/v1/insights/panels/people",
                        {"from": "2026-03-02", "to": "2026-03-03"})
    assert people.status_code == 200
    assert people.json()["agents"][0]["cases"] == 2
    assert client.get("/api/v1/insights/panels/horoscope").status_code == 404


def test_an_empty_period_answers_with_nulls(quality: User) -> None:
    body = _summary(quality, **{"from": "2025-01-01", "to": "2025-01-31"}).json()
    assert body["cases"] == 0
    assert body["csat_avg"] is None and body["cost_per_case"] is None
