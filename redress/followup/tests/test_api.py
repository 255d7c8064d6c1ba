"""The follow-up's JSON: the public survey endpoint of DESIGN.md ("Contracts"), the staff
case JSON's `followup`, and general survey answers posted to `/api/v1/feedback`."""

from typing import Any

import pytest
from django.test import Client

from redress.accounts.models import User
from redress.accounts.services import api_token_create
from redress.cases.models import Case, Channel, Customer, Status
from redress.followup.models import FeedbackAnswer, FollowUpStatus, SurveyAnswer
from redress.followup.services import followups_sweep, survey_token
from redress.followup.tests.conftest import at, followup_of

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user)}"})


def _sent_token(case: Case, moment: Any) -> str:
    followup = followup_of(case)
    with moment(followup.scheduled_for):
        followups_sweep()
    return survey_token(followup)


class TestPublicSurvey:
    def url(self, token: str) -> str:
        return f"/api/v1/public/surveys/{token}"

    def test_the_questions_come_in_the_case_language(self, client, resolved_case, moment):
        token = _sent_token(resolved_case(), moment)
        with moment(at(2026, 11, 26, 10, 0)):
            response = client.get(self.url(token))
        assert response.status_code == 200
        body = response.json()
        assert body["language"] == "zh-hans"
        assert body["questions"]["solved"] == "您的问题解决了吗？"

    def test_an_answer_is_201_and_a_second_one_409(self, client, resolved_case, moment):
        case = resolved_case()
        token = _sent_token(case, moment)
        with moment(at(2026, 11, 26, 10, 0)):
            first = client.post(self.url(token), {
                "solved": "yes", "satisfaction": 5, "outcome_fair": 4, "process_fair": 4,
                "interaction_fair": 5, "recommend": 10, "comment": "很满意",
            }, content_type=JSON)
            second = client.post(self.url(token), {"solved": "no", "satisfaction": 1},
                                 content_type=JSON)
        assert first.status_code == 201, first.content
        assert first.json()["status"] == FollowUpStatus.ANSWERED
        assert second.status_code == 409
        assert SurveyAnswer.objects.get().comment == "很满意"
        case.refresh_from_db()
        assert case.status == Status.FOLLOW_UP

    @pytest.mark.parametrize("would_return", [True, False])
    def test_would_come_back_is_stored_as_answered(
        self, client, resolved_case, moment, would_return
    ):
        token = _sent_token(resolved_case(), moment)
        with moment(at(2026, 11, 26, 10, 0)):
            response = client.post(self.url(token), {
                "solved": "yes", "satisfaction": 4, "would_return": would_return,
            }, content_type=JSON)
        assert response.status_code == 201, response.content
        assert SurveyAnswer.objects.get().would_return is would_return

    def test_would_come_back_left_out_is_stored_as_unknown(self, client, resolved_case, moment):
        token = _sent_token(resolved_case(), moment)
        with moment(at(2026, 11, 26, 10, 0)):
            response = client.post(self.url(token), {"solved": "yes", "satisfaction": 4},
                                   content_type=JSON)
        assert response.status_code == 201
        assert SurveyAnswer.objects.get().would_return is None

    def test_the_questions_include_would_come_back(self, client, resolved_case, moment):
        token = _sent_token(resolved_case(), moment)
        with moment(at(2026, 11, 26, 10, 0)):
            questions = client.get(self.url(token)).json()["questions"]
        assert questions["would_return"] == "如果再有需要，您还会选择我们吗？"

    def test_a_bad_answer_reopens_the_case_and_says_so(self, client, resolved_case, moment):
        case = resolved_case(description="The room was never cleaned during my stay.")
        token = _sent_token(case, moment)
        with moment(at(2026, 11, 26, 10, 0)):
            response = client.post(self.url(token), {"solved": "no", "satisfaction": 2},
                                   content_type=JSON)
        assert response.status_code == 201
        assert "reopened" in response.json()["message"]
        case.refresh_from_db()
        assert (case.status, case.recovery_round) == (Status.INVESTIGATING, 2)

    @pytest.mark.parametrize(("body", "field"), [
        ({"solved": "yes", "satisfaction": 7}, "satisfaction"),
        ({"solved": "yes", "satisfaction": 3, "recommend": 11}, "recommend"),
        ({"solved": "yes", "satisfaction": 3, "would_return": "maybe"}, "would_return"),
        ({"solved": "yes", "satisfaction": 3, "would_return": 1}, "would_return"),
        ({"solved": "yes", "satisfaction": 3, "would_return": "yes"}, "would_return"),
        ({"solved": "sort of", "satisfaction": 3}, "solved"),
        ({"solved": "yes", "satisfaction": "lots"}, "satisfaction"),
        ({"solved": "yes"}, "satisfaction"),
    ])
    def test_out_of_range_is_422_naming_the_question(
        self, client, resolved_case, moment, body, field
    ):
        token = _sent_token(resolved_case(), moment)
        with moment(at(2026, 11, 26, 10, 0)):
            response = client.post(self.url(token), body, content_type=JSON)
        assert response.status_code == 422
        assert response.json()["field"] == field
        assert not SurveyAnswer.objects.exists()

    def test_a_forged_link_is_404(self, client, resolved_case, moment):
        token = _sent_token(resolved_case(), moment)
        forged = token.replace(token.split(":")[0], token.split(":")[0][:-1] + "x")
        with moment(at(2026, 11, 26, 10, 0)):
            assert client.post(self.url(forged), {"solved": "yes", "satisfaction": 5},
                               content_type=JSON).status_code == 404
            assert client.get(self.url("not-a-token")).status_code == 404

    def test_an_expired_link_is_409(self, client, resolved_case, moment):
        token = _sent_token(resolved_case(), moment)
        with moment(at(2026, 12, 5, 10, 0)):
            response = client.post(self.url(token), {"solved": "yes", "satisfaction": 5},
                                   content_type=JSON)
        assert response.status_code == 409
        assert response.json()["field"] == "token"


class TestCaseJson:
    def test_the_staff_case_json_carries_the_follow_up_and_its_link(
        self, client, resolved_case, moment, agent
    ):
        case = resolved_case()
        api = _api(agent)
        data = api.get(f"/api/v1/cases/{case.reference}").json()["followup"]
        assert data["status"] == "scheduled"
        assert data["method"] == "email"
        assert data["sent_at"] is None
        token = survey_token(followup_of(case))
        assert data["survey_url"] == f"https://fuwu.example.cn/survey/{token}/"

        _sent_token(case, moment)
        with moment(at(2026, 11, 26, 10, 0)):
            client.post(f"/api/v1/public/surveys/{token}", {"solved": "partly", "satisfaction": 4,
                                                            "would_return": False},
                        content_type=JSON)
        data = api.get(f"/api/v1/cases/{case.reference}").json()["followup"]
        assert data["status"] == "answered"
        assert data["answer"]["solved"] == "partly"
        assert data["answer"]["would_return"] is False
        assert data["answered_at"].startswith("2026-11-26T02:00")

    def test_null_before_any_follow_up(self, agent):
        api = _api(agent)
        created = api.post("/api/v1/cases", {
            "description": "预订的房型到店没有了", "customer": {"name": "吴先生",
                                                         "phone": "13800138000"},
        }, content_type=JSON).json()
        assert api.get(f"/api/v1/cases/{created['reference']}").json()["followup"] is None


class TestFeedback:
    url = "/api/v1/feedback"

    def test_a_detractor_opens_a_case_on_the_survey_channel(self, agent, department):
        response = _api(agent).post(self.url, {
            "survey": "2026年11月住客满意度", "nps": 3, "comment": "早餐太差，服务员态度冷淡。",
            "respondent": {"phone": "13912345678", "name": "钱女士"},
        }, content_type=JSON)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["detractor"] and not body["duplicate"]
        case = Case.objects.get(reference=body["case"])
        assert case.channel == Channel.SURVEY
        assert case.description.startswith("早餐太差，服务员态度冷淡。")
        assert "NPS 3/10" in case.description
        assert case.department == department
        assert case.customer.phone == "13912345678" and case.customer.name == "钱女士"
        assert FeedbackAnswer.objects.get().case == case

    def test_an_unknown_customer_is_created_and_a_promoter_opens_no_case(self, agent):
        before = Customer.objects.count()
        response = _api(agent).post(self.url, {
            "survey": "NPS-Q4", "nps": 9, "csat": 5,
            "respondent": {"email": "new.guest@example.com", "external_id": "M-0042"},
        }, content_type=JSON)
        assert response.status_code == 201
        assert response.json()["case"] is None and not response.json()["detractor"]
        assert Customer.objects.count() == before + 1
        assert Customer.objects.get(external_id="M-0042").email == "new.guest@example.com"
        assert not Case.objects.exists()

    def test_the_same_answer_twice_is_one_case(self, agent):
        api = _api(agent)
        body = {"survey": "NPS-Q4", "csat": 1, "comment": "再也不来了",
                "respondent": {"external_id": "M-7"}}
        first = api.post(self.url, body, content_type=JSON)
        again = api.post(self.url, body, content_type=JSON)
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json()["case"] == first.json()["case"] is not None
        assert again.json()["duplicate"]
        assert Case.objects.count() == 1
        assert FeedbackAnswer.objects.count() == 1

    def test_a_known_customer_is_matched(self, agent, resolved_case):
        case = resolved_case()
        response = _api(agent).post(self.url, {
            "survey": "S1", "nps": 2, "respondent": {"phone": "13912345678"},
        }, content_type=JSON)
        opened = Case.objects.get(reference=response.json()["case"])
        assert opened.customer == case.customer

    def test_the_detractor_thresholds_are_settings(self, agent, settings):
        settings.REDRESS_DETRACTOR_NPS_MAX = 4
        response = _api(agent).post(self.url, {
            "survey": "S1", "nps": 5, "respondent": {"phone": "13912345678"},
        }, content_type=JSON)
        assert response.json()["case"] is None

    @pytest.mark.parametrize(("body", "field"), [
        ({"survey": "S1", "nps": 11, "respondent": {"phone": "13912345678"}}, "nps"),
        ({"survey": "S1", "csat": 0, "respondent": {"phone": "13912345678"}}, "csat"),
        ({"survey": "S1", "respondent": {"phone": "13912345678"}}, "nps"),
        ({"survey": "S1", "nps": 3, "respondent": {}}, "phone"),
        ({"survey": "S1", "nps": 3, "respondent": {"phone": "12"}}, "phone"),
        ({"survey": "", "nps": 3, "respondent": {"phone": "13912345678"}}, "survey"),
        ({"survey": "S1", "nps": 3, "language": "fr",
          "respondent": {"phone": "13912345678"}}, "language"),
    ])
    def test_bad_input_is_422_and_stores_nothing(self, agent, body, field):
        response = _api(agent).post(self.url, body, content_type=JSON)
        assert response.status_code == 422
        assert response.json()["field"] == field
        assert not FeedbackAnswer.objects.exists() and not Customer.objects.exists()

    def test_without_a_token_it_is_401(self, client):
        response = client.post(self.url, {"survey": "S1", "nps": 1,
                                          "respondent": {"phone": "13912345678"}},
                               content_type=JSON)
        assert response.status_code == 401
        assert not FeedbackAnswer.objects.exists()
