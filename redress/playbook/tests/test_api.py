"""The wording check and the standard answers over the API."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from redress.accounts.models import User
from redress.accounts.services import api_token_create
from redress.cases.models import Case, CaseEvent, Channel, EventKind, Status
from redress.cases.services import CustomerDetails, case_create, case_transition
from redress.playbook.models import ArticleCaseLink

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture(autouse=True)
def _setup(settings: Any, default_phrases: None) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user)}"})


@pytest.fixture
def case(agent, django_capture_on_commit_callbacks) -> Case:
    with django_capture_on_commit_callbacks(execute=True):
        case = case_create(
            channel=Channel.API, description="The room smelled of smoke and nobody helped.",
            customer=CustomerDetails(name="Ms Smith", email="smith@example.com"),
            department=agent.department,
        )
        return case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED)


class TestMessageCase:
    def _url(self, case: Case) -> str:
        return f"/api/v1/cases/{case.reference}/messages"

    def test_flagged_wording_is_refused_with_the_flags(self, agent, case):
        mail.outbox.clear()
        before = CaseEvent.objects.count()
        response = _api(agent).post(
            self._url(case), {"body": "That was a system error, not our fault."},
            content_type=JSON,
        )
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "WordingFlagged" and body["field"] == "body"
        assert [(f["matched"], f["kind"]) for f in body["flags"]] == [
            ("system error", "blame"), ("not our fault", "blame"),
        ]
        assert body["flags"][0]["start"] == 11 and body["flags"][0]["suggestion"]
        assert CaseEvent.objects.count() == before
        assert mail.outbox == []

    def test_confirmed_it_is_sent_and_noted(self, agent, case, django_capture_on_commit_callbacks):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = _api(agent).post(
                self._url(case),
                {"body": "We guarantee this will never happen again.", "confirm_wording": True},
                content_type=JSON,
            )
        assert response.status_code == 201
        kinds = [e["kind"] for e in response.json()["timeline"]]
        assert kinds[-2:] == ["message", "note"]
        note = CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).get()
        assert note.after["wording_flags"][0]["kind"] == "over_promise"
        assert len(mail.outbox) == 1

    def test_a_neutral_message_needs_no_confirmation(self, agent, case):
        response = _api(agent).post(
            self._url(case), {"body": "We are sorry. Your refund will arrive by Friday."},
            content_type=JSON,
        )
        assert response.status_code == 201

    def test_an_internal_note_is_not_checked(self, agent, case):
        response = _api(agent).post(
            self._url(case), {"body": "Courier says: not our fault.", "to_customer": False},
            content_type=JSON,
        )
        assert response.status_code == 201

    def test_an_outsider_is_refused_before_any_check(self, outsider, case):
        response = _api(outsider).post(
            self._url(case), {"body": "not our fault"}, content_type=JSON
        )
        assert response.status_code == 404


class TestAnswers:
    def test_staff_search_the_answers(self, agent, write_article):
        write_article(title="退款多久到账", answer="一般 1 到 3 个工作日。")
        write_article(title="内部口径", answer="退款超时主管垫付。", public=False)
        response = _api(agent).get("/api/v1/answers", {"q": "退款到账"})
        assert response.status_code == 200
        titles = [a["title"] for a in response.json()]
        assert titles[0] == "退款多久到账" and "内部口径" in titles

    def test_a_search_needs_a_token(self, client):
        assert client.get("/api/v1/answers", {"q": "退款"}).status_code == 401

    def test_an_answer_is_linked_to_a_case(self, agent, case, write_article):
        article = write_article(title="Smoke in the room", answer="We move you at once.",
                                language="en")
        response = _api(agent).post(f"/api/v1/cases/{case.reference}/answers/{article.pk}")
        assert response.status_code == 201
        assert ArticleCaseLink.objects.filter(case=case, article=article).exists()
        assert _api(agent).post(
            f"/api/v1/cases/{case.reference}/answers/999999"
        ).status_code == 404

    def test_the_wording_check_on_its_own(self, agent):
        response = _api(agent).post(
            "/api/v1/wording-check", {"text": "这不是我们的责任", "language": "zh"},
            content_type=JSON,
        )
        assert response.status_code == 200
        [flag] = response.json()
        assert flag["phrase"] == "这不是我们的责任" and flag["start"] == 0 and flag["end"] == 8
