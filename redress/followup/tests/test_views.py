"""Follow-up pages: the customer's survey by its link (zh and en), the case page's section
with the phone answer form, and the follow-up calls due."""

from typing import Any

import pytest
from django.test import Client

from redress.accounts.models import User
from redress.cases.models import Case, Channel, Status
from redress.followup.models import FollowUpStatus, SurveyAnswer
from redress.followup.services import followups_sweep, survey_token
from redress.followup.tests.conftest import at, followup_of

pytestmark = pytest.mark.django_db


def _sent_token(case: Case, moment: Any) -> str:
    followup = followup_of(case)
    with moment(followup.scheduled_for):
        followups_sweep()
    return survey_token(followup)


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestSurveyPage:
    def test_a_chinese_customer_gets_the_survey_in_chinese(self, client, resolved_case, moment):
        case = resolved_case()
        token = _sent_token(case, moment)
        with moment(at(2026, 11, 26, 10, 0)):
            response = client.get(f"/survey/{token}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "您的问题解决了吗？" in page
        assert case.reference in page
        assert 'name="satisfaction" value="5"' in page
        assert 'name="recommend" value="10"' in page
        assert "如果再有需要，您还会选择我们吗？" in page
        assert 'name="would_return" value="yes"' in page
        assert 'name="would_return" value="no"' in page
        assert 'name="viewport"' in page

    def test_an_english_customer_gets_it_in_english_whatever_the_cookie(
        self, client, resolved_case, moment
    ):
        case = resolved_case(description="Nobody fixed the heating in my room.")
        token = _sent_token(case, moment)
        client.cookies["django_language"] = "zh-hans"
        with moment(at(2026, 11, 26, 10, 0)):
            page = client.get(f"/survey/{token}/").content.decode()
        assert "Was your problem solved?" in page
        assert "Would you come back to us next time?" in page
        assert "您的问题解决了吗" not in page

    def test_answering_thanks_the_customer_and_keeps_the_answer(
        self, client, resolved_case, moment
    ):
        case = resolved_case()
        token = _sent_token(case, moment)
        with moment(at(2026, 11, 26, 10, 0)):
            response = client.post(f"/survey/{token}/", {
                "solved": "yes", "satisfaction": "4", "outcome_fair": "4",
                "process_fair": "", "interaction_fair": "5", "recommend": "8",
                "comment": "处理得不错",
            })
        assert response.status_code == 201
        assert "谢谢您的回复" in response.content.decode()
        answer = SurveyAnswer.objects.get()
        assert (answer.satisfaction, answer.process_fair, answer.recommend) == (4, None, 8)
        assert answer.would_return is None  # not asked for: left empty

    @pytest.mark.parametrize(("choice", "kept"), [("yes", True), ("no", False)])
    def test_would_come_back_is_kept_as_chosen(
        self, client, resolved_case, moment, choice, kept
    ):
        token = _sent_token(resolved_case(), moment)
        with moment(at(2026, 11, 26, 10, 0)):
            response = client.post(f"/survey/{token}/", {
                "solved": "yes", "satisfaction": "5", "would_return": choice,
            })
        assert response.status_code == 201
        assert SurveyAnswer.objects.get().would_return is kept

    def test_a_forged_would_come_back_is_refused_with_the_choice_kept(
        self, client, resolved_case, moment
    ):
        token = _sent_token(resolved_case(), moment)
        with moment(at(2026, 11, 26, 10, 0)):
            response = client.post(f"/survey/{token}/", {
                "solved": "partly", "satisfaction": "4", "would_return": "perhaps",
            })
        assert response.status_code == 422
        page = response.content.decode()
        assert "请回答“是”或“否”" in page
        assert 'value="partly" checked' in page
        assert not SurveyAnswer.objects.exists()

    def test_not_solved_says_the_complaint_is_reopened(self, client, resolved_case, moment):
        case = resolved_case(description="My refund never arrived.")
        token = _sent_token(case, moment)
        with moment(at(2026, 11, 26, 10, 0)):
            response = client.post(f"/survey/{token}/", {"solved": "no", "satisfaction": "3"})
        assert response.status_code == 201
        assert "We have reopened your complaint" in response.content.decode()
        case.refresh_from_db()
        assert case.status == Status.INVESTIGATING

    def test_a_bad_answer_is_shown_again_with_the_error(self, client, resolved_case, moment):
        token = _sent_token(resolved_case(), moment)
        with moment(at(2026, 11, 26, 10, 0)):
            response = client.post(f"/survey/{token}/", {
                "solved": "yes", "satisfaction": "9", "comment": "别丢了我的话",
            })
        assert response.status_code == 422
        page = response.content.decode()
        assert 'data-testid="survey-error"' in page
        assert "别丢了我的话" in page
        assert 'value="yes" checked' in page
        assert not SurveyAnswer.objects.exists()

    def test_a_used_link_says_already_answered(self, client, resolved_case, moment):
        token = _sent_token(resolved_case(), moment)
        with moment(at(2026, 11, 26, 10, 0)):
            client.post(f"/survey/{token}/", {"solved": "yes", "satisfaction": "5"})
            again = client.post(f"/survey/{token}/", {"solved": "no", "satisfaction": "1"})
            opened = client.get(f"/survey/{token}/")
        assert again.status_code == opened.status_code == 409
        assert "您已经回复过了" in opened.content.decode()
        assert SurveyAnswer.objects.count() == 1

    def test_an_expired_link_says_so_in_the_customers_language(
        self, client, resolved_case, moment
    ):
        token = _sent_token(resolved_case(description="The lift was broken."), moment)
        with moment(at(2026, 12, 9, 10, 0)):
            response = client.get(f"/survey/{token}/")
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()

    def test_too_many_answers_from_one_address_are_held_back(
        self, client, resolved_case, moment, settings
    ):
        settings.REDRESS_PUBLIC_RATE = "2/m"
        from django.core.cache import cache

        cache.clear()
        token = _sent_token(resolved_case(), moment)
        with moment(at(2026, 11, 26, 10, 0)):
            statuses = [client.post(f"/survey/{token}/", {"solved": "x"}).status_code
                        for _ in range(3)]
        assert statuses == [422, 422, 429]
        assert not SurveyAnswer.objects.exists()

    def test_a_forged_link_is_not_found(self, client):
        response = client.get("/survey/eyJmIjoxfQ:forged/")
        assert response.status_code == 404
        assert "找不到这份问卷" in response.content.decode()


class TestConsole:
    def test_the_case_page_shows_the_follow_up_and_its_link(self, resolved_case, agent):
        case = resolved_case()
        page = _signed_in(agent).get(f"/console/cases/{case.reference}/").content.decode()
        assert 'data-testid="followup"' in page
        assert f"/survey/{survey_token(followup_of(case))}/" in page

    def test_a_call_shows_the_script_in_the_customers_language(
        self, resolved_case, moment, agent
    ):
        case = resolved_case(channel=Channel.PHONE,
                             description="The taxi you booked for me never came.")
        _sent_token(case, moment)
        page = _signed_in(agent).get(f"/console/cases/{case.reference}/").content.decode()
        assert "Is the problem solved now" in page
        assert 'data-action="followup-answer"' in page

    def test_the_owner_records_the_answer_given_on_the_phone(
        self, resolved_case, moment, agent
    ):
        case = resolved_case(channel=Channel.PHONE)
        _sent_token(case, moment)
        with moment(at(2026, 11, 25, 15, 0)):
            response = _signed_in(agent).post(
                f"/console/cases/{case.reference}/followup/answer/",
                {"solved": "no", "satisfaction": "2", "would_return": "no",
                 "comment": "电话里说还是没修好"},
            )
        assert response.status_code == 302
        answer = SurveyAnswer.objects.get()
        assert answer.by_phone and answer.recorded_by == agent
        assert answer.comment == "电话里说还是没修好"
        assert answer.would_return is False
        case.refresh_from_db()
        assert case.status == Status.INVESTIGATING and case.recovery_round == 2

    def test_the_phone_form_asks_and_the_panel_shows_would_come_back(
        self, resolved_case, moment, agent
    ):
        case = resolved_case(channel=Channel.PHONE)
        _sent_token(case, moment)
        client = _signed_in(agent)
        page = client.get(f"/console/cases/{case.reference}/").content.decode()
        assert 'name="would_return"' in page
        with moment(at(2026, 11, 25, 15, 0)):
            client.post(f"/console/cases/{case.reference}/followup/answer/",
                        {"solved": "yes", "satisfaction": "5", "would_return": "yes"})
            page = client.get(f"/console/cases/{case.reference}/").content.decode()
        assert SurveyAnswer.objects.get().would_return is True
        assert 'data-testid="would-return">是<' in page

    def test_a_bad_phone_answer_is_refused_in_the_panel(self, resolved_case, moment, agent):
        case = resolved_case(channel=Channel.PHONE)
        _sent_token(case, moment)
        with moment(at(2026, 11, 25, 15, 0)):
            response = _signed_in(agent).post(
                f"/console/cases/{case.reference}/followup/answer/",
                {"solved": "yes", "satisfaction": "0"}, HTTP_HX_REQUEST="true",
            )
        assert response.status_code == 422
        assert 'data-testid="refusal"' in response.content.decode()
        assert not SurveyAnswer.objects.exists()

    def test_an_outsider_can_neither_see_nor_record(self, resolved_case, moment, outsider):
        case = resolved_case(channel=Channel.PHONE)
        _sent_token(case, moment)
        client = _signed_in(outsider)
        with moment(at(2026, 11, 25, 15, 0)):
            response = client.post(f"/console/cases/{case.reference}/followup/answer/",
                                   {"solved": "yes", "satisfaction": "5"})
        assert response.status_code == 404
        assert not SurveyAnswer.objects.exists()
        assert case.reference not in client.get("/console/followups/calls/").content.decode()

    def test_the_calls_due_page_lists_the_owners_calls(self, resolved_case, moment, agent):
        case = resolved_case(channel=Channel.PHONE)
        client = _signed_in(agent)
        assert case.reference not in client.get("/console/followups/calls/").content.decode()
        _sent_token(case, moment)
        page = client.get("/console/followups/calls/").content.decode()
        assert case.reference in page
        assert "您的问题现在解决了吗" in page
        assert followup_of(case).status == FollowUpStatus.SENT

    def test_the_calls_page_costs_the_same_few_queries_for_many_calls(
        self, resolved_case, moment, agent, django_assert_max_num_queries
    ):
        for _ in range(4):
            _sent_token(resolved_case(channel=Channel.PHONE), moment)
        client = _signed_in(agent)
        with django_assert_max_num_queries(8):
            page = client.get("/console/followups/calls/").content.decode()
        assert page.count('data-testid="followup-call"') == 4

    def test_the_calls_page_needs_a_sign_in(self, client):
        response = client.get("/console/followups/calls/")
        assert response.status_code == 302
