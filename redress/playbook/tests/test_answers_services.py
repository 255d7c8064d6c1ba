"""Writes of the playbook: standard answers, using one on a case, and sending a message
through the wording check."""

import pytest
from django.core import mail

from redress.cases.models import Case, CaseEvent, Channel, EventKind, Status
from redress.cases.services import CustomerDetails, case_create, case_transition
from redress.common.errors import Invalid, NotAllowed, NotFound
from redress.playbook.models import Article, ArticleCaseLink
from redress.playbook.services import (
    WordingFlagged,
    article_create,
    article_link_case,
    article_update,
    customer_message_send,
)

pytestmark = pytest.mark.django_db


def _case(agent, django_capture_on_commit_callbacks, **overrides) -> Case:
    values: dict = {
        "channel": Channel.WEB,
        "description": "退房时多扣了一晚的房费，退款什么时候能到账？",
        "customer": CustomerDetails(name="赵女士", phone="13912345678", email="zhao@example.com"),
        "department": agent.department,
    }
    values.update(overrides)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_create(**values)
        return case_transition(case=case, actor=agent, to=Status.ACKNOWLEDGED,
                               message="非常抱歉，我们马上处理。")


class TestArticleCreate:
    def test_written_by_a_supervisor_and_found_at_once(self, supervisor):
        article = article_create(
            actor=supervisor, title="  退款多久到账 ", question="退款多久到账？",
            answer="一般 1 到 3 个工作日。", tags="退款，到账、 退钱  退款", published=True,
        )
        article.refresh_from_db()
        assert article.title == "退款多久到账"
        assert article.tags == "退款, 到账, 退钱"
        assert article.updated_by == supervisor
        assert "退款" in article.search_title.split()

    @pytest.mark.parametrize("change, field", [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "<b>退款</b>"}, "title"),
        ({"answer": "   "}, "answer"),
        ({"question": ""}, "question"),
        ({"language": "fr"}, "language"),
        ({"scenario": "weather"}, "scenario"),
        ({"tags": ",".join(f"标签{i}" for i in range(100))}, "tags"),
    ])
    def test_bad_input_is_named_and_stores_nothing(self, supervisor, change, field):
        values = {"title": "退款", "question": "多久到账", "answer": "三天", **change}
        with pytest.raises(Invalid) as refused:
            article_create(actor=supervisor, **values)
        assert refused.value.field == field
        assert Article.objects.count() == 0

    def test_an_agent_may_not_write_the_standard_answers(self, agent):
        with pytest.raises(NotAllowed):
            article_create(actor=agent, title="退款", question="多久", answer="三天")
        assert Article.objects.count() == 0

    def test_an_update_that_fails_changes_nothing(self, supervisor, write_article):
        article = write_article(title="退款多久到账", answer="三天")
        with pytest.raises(Invalid):
            article_update(article=article, actor=supervisor, answer="", title="新标题")
        article.refresh_from_db()
        assert (article.title, article.answer) == ("退款多久到账", "三天")


class TestArticleLinkCase:
    def test_linking_records_a_note_on_the_timeline_once(
        self, agent, write_article, django_capture_on_commit_callbacks
    ):
        case = _case(agent, django_capture_on_commit_callbacks)
        article = write_article(title="退款多久到账", answer="一般 1 到 3 个工作日。")
        link = article_link_case(article=article, case=case, actor=agent)
        again = article_link_case(article=article, case=case, actor=agent)
        assert again.pk == link.pk and link.linked_by == agent
        [note] = CaseEvent.objects.filter(case=case, kind=EventKind.NOTE)
        assert "退款多久到账" in note.message
        assert note.after == {"article": article.pk}
        assert not note.visible_to_customer

    def test_someone_from_another_department_cannot_link(
        self, agent, outsider, write_article, django_capture_on_commit_callbacks
    ):
        case = _case(agent, django_capture_on_commit_callbacks)
        article = write_article(title="退款多久到账")
        with pytest.raises(NotFound):
            article_link_case(article=article, case=case, actor=outsider)
        assert not ArticleCaseLink.objects.exists()

    def test_a_colleague_who_does_not_own_the_case_cannot_link(
        self, agent, agent2, write_article, django_capture_on_commit_callbacks
    ):
        case = _case(agent, django_capture_on_commit_callbacks)
        with pytest.raises(NotAllowed):
            article_link_case(article=write_article(title="退款"), case=case, actor=agent2)

    def test_a_draft_cannot_be_used(self, agent, write_article, django_capture_on_commit_callbacks):
        case = _case(agent, django_capture_on_commit_callbacks)
        draft = write_article(title="退款", published=False)
        with pytest.raises(NotFound):
            article_link_case(article=draft, case=case, actor=agent)
        assert not CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).exists()


class TestCustomerMessageSend:
    BLAME = "您好，这是合作伙伴的问题，我们也没办法。"

    def test_flagged_wording_is_refused_and_nothing_is_sent(
        self, agent, default_phrases, django_capture_on_commit_callbacks
    ):
        case = _case(agent, django_capture_on_commit_callbacks)
        mail.outbox.clear()
        events = CaseEvent.objects.count()
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(WordingFlagged) as refused,
        ):
            customer_message_send(case=case, actor=agent, body=self.BLAME)
        assert [f.phrase for f in refused.value.flags] == ["这是合作伙伴的问题"]
        assert refused.value.field == "body"
        assert CaseEvent.objects.count() == events
        assert mail.outbox == []

    def test_confirmed_it_goes_out_and_the_timeline_says_so(
        self, agent, default_phrases, django_capture_on_commit_callbacks
    ):
        case = _case(agent, django_capture_on_commit_callbacks)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            message = customer_message_send(
                case=case, actor=agent, body=self.BLAME, confirm_wording=True
            )
        assert message.kind == EventKind.MESSAGE and message.visible_to_customer
        [note] = CaseEvent.objects.filter(case=case, kind=EventKind.NOTE)
        assert "这是合作伙伴的问题" in note.message
        assert note.after["wording_flags"][0]["phrase"] == "这是合作伙伴的问题"
        assert note.after["message"] == message.pk
        assert not note.visible_to_customer
        [sent] = mail.outbox
        assert self.BLAME in sent.body

    def test_clean_wording_goes_out_without_a_note(
        self, agent, default_phrases, django_capture_on_commit_callbacks
    ):
        case = _case(agent, django_capture_on_commit_callbacks)
        customer_message_send(case=case, actor=agent, body="非常抱歉，退款今天下午到账。")
        assert not CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).exists()
        assert CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE).count() == 2

    def test_internal_notes_are_not_checked(
        self, agent, default_phrases, django_capture_on_commit_callbacks
    ):
        case = _case(agent, django_capture_on_commit_callbacks)
        note = customer_message_send(case=case, actor=agent, body=self.BLAME, to_customer=False)
        assert note.kind == EventKind.NOTE and note.message == self.BLAME

    def test_an_english_customer_is_checked_against_the_english_list(
        self, agent, default_phrases, django_capture_on_commit_callbacks
    ):
        case = _case(agent, django_capture_on_commit_callbacks,
                     description="The room was not cleaned and nobody answered the phone.")
        assert case.language == "en"
        with pytest.raises(WordingFlagged) as refused:
            customer_message_send(case=case, actor=agent, body="System error, not our fault!")
        assert [f.matched for f in refused.value.flags] == ["System error", "not our fault"]
