"""Triage through the API: the receipt carries the priority by the rule (or the one sent),
the case JSON carries the labels with their cues and confidence, and odd or failing input
never turns into a server error."""

from typing import Any

import pytest
from django.test import Client

from redress.accounts.services import api_token_create
from redress.cases.models import Case
from redress.triage import engine
from redress.triage.models import TriageRecord
from redress.triage.tests.conftest import at

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user)}"})


def _body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "api", "description": "外卖里吃出了钢丝球，孩子差点咽下去！我要投诉到12315。",
        "customer": {"name": "孙先生", "phone": "13800138000"},
    }
    body.update(overrides)
    return body


class TestStaffApi:
    def test_the_receipt_and_the_case_show_the_reading(self, agent, read_as, moment):
        read_as(risks=["safety", "legal_media"], emotion="angry",
                confidence={"kind": 0.97, "scenario": 0.81, "emotion": 0.74},
                cues_by_label={"scenario": ["钢丝球"], "safety": ["差点咽下去"],
                               "legal_media": ["12315"], "emotion": ["！"]})
        client = _api(agent)
        with moment(at(2026, 11, 24, 10, 0)):
            response = client.post("/api/v1/cases", _body(), content_type=JSON)
        assert response.status_code == 201
        receipt = response.json()
        assert receipt["priority"] == "P1"
        labels = client.get(f"/api/v1/cases/{receipt['reference']}").json()["labels"]
        assert labels["kind"] == "complaint" and labels["risks"] == ["legal_media", "safety"]
        assert labels["cues"] == {"scenario": ["钢丝球"], "emotion": ["！"],
                                  "legal_media": ["12315"], "safety": ["差点咽下去"]}
        assert labels["confidence"] == {"kind": 0.97, "scenario": 0.81, "emotion": 0.74}
        assert set(labels["all_cues"]) == {"钢丝球", "差点咽下去", "12315", "！"}

    def test_a_priority_sent_by_the_integrator_is_kept(self, agent, read_as, moment):
        read_as(risks=["safety"])
        with moment(at(2026, 11, 24, 10, 0)):
            response = _api(agent).post("/api/v1/cases", _body(priority="P3"),
                                        content_type=JSON)
        assert response.status_code == 201
        assert response.json()["priority"] == "P3"
        assert Case.objects.get().risks == ["safety"]

    def test_a_case_triage_did_not_read_has_empty_cues(self, agent, monkeypatch, moment):
        def broken(text: str):
            raise MemoryError

        monkeypatch.setattr(engine, "triage_text", broken)
        client = _api(agent)
        with moment(at(2026, 11, 24, 10, 0)):
            response = client.post("/api/v1/cases", _body(), content_type=JSON)
        assert response.status_code == 201 and response.json()["priority"] == "P3"
        labels = client.get(f"/api/v1/cases/{response.json()['reference']}").json()["labels"]
        assert labels["kind"] == "" and labels["cues"] == {} and labels["confidence"] == {}


class TestPublicApi:
    url = "/api/v1/public/complaints"

    @pytest.mark.parametrize("text", ["😤😤😤", "\x01\x02\u200b\u202e", "退" * 10_000])
    def test_odd_words_are_accepted_and_read(self, department, moment, text):
        with moment(at(2026, 11, 24, 10, 0)):
            response = Client().post(self.url, {"description": text, "name": "王",
                                                "phone": "13800138000"}, content_type=JSON)
        assert response.status_code == 201
        assert TriageRecord.objects.filter(case__reference=response.json()["reference"]).exists()

    @pytest.mark.parametrize("text", ["退" * 100_000, "空调\x00坏了"])
    def test_too_long_or_unstorable_is_a_clear_refusal(self, department, moment, text):
        with moment(at(2026, 11, 24, 10, 0)):
            response = Client().post(self.url, {"description": text, "name": "王",
                                                "phone": "13800138000"}, content_type=JSON)
        assert response.status_code == 422
        assert response.json()["field"] == "description"
        assert not Case.objects.exists()
