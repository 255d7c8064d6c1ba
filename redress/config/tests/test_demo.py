"""`redress demo`: the demo organisations, their people and their cases, loaded once."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from redress.accounts.models import Department, Organisation, Role, User
from redress.cases.models import (
    Case,
    CaseEvent,
    Channel,
    CloseReason,
    Customer,
    EventKind,
    Language,
    Priority,
    Status,
)
from redress.cases.selectors import QueueFilters, case_queue
from redress.common import clock
from redress.intake.services import public_complaint_submit
from redress.notify.models import OutboundEmail, OutboundSms

pytestmark = pytest.mark.django_db

# Small enough to be quick, large enough that every state of the lifecycle appears.
CASES = 60


def _demo(**options: object) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def output(settings) -> str:
    settings.REDRESS_PUBLIC_URL = "http://127.0.0.1:8000"
    return _demo(cases=CASES)


def _printed_password(output: str) -> str:
    found = re.search(r"Password for every account: (\S+)", output)
    assert found, output
    return found.group(1)


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Department, User, Customer, Case, CaseEvent,
                      OutboundEmail, OutboundSms)
    }


class TestPeople:
    def test_the_users_of_design_md_have_their_roles(self, output):
        admin = User.objects.get(username="admin")
        assert admin.role == Role.ADMIN and admin.is_staff and admin.is_superuser
        assert User.objects.get(username="agent1").role == Role.AGENT
        assert User.objects.get(username="supervisor1").role == Role.SUPERVISOR
        quality = User.objects.get(username="quality1")
        assert quality.role == Role.QUALITY and quality.sees_all_departments

    def test_agent1_works_in_supervisor1s_department_which_receives_public_complaints(
        self, output
    ):
        intake = Department.objects.get(is_default_intake=True)
        assert User.objects.get(username="agent1").department == intake
        assert User.objects.get(username="supervisor1").department == intake
        case = public_complaint_submit(
            description="外卖送错了，还晚了一个小时", name="李女士", phone="13800138000"
        )
        assert case.department == intake

    def test_three_organisations_each_with_departments_agents_and_supervisors(self, output):
        assert Organisation.objects.count() == 3
        for organisation in Organisation.objects.all():
            staff = User.objects.filter(department__organisation=organisation)
            assert organisation.departments.count() >= 3
            assert staff.filter(role=Role.AGENT).count() >= 3
            assert staff.filter(role=Role.SUPERVISOR).exists()
        assert User.objects.filter(role=Role.AGENT, username__startswith="agent").count() >= 10
        assert all(u.first_name for u in User.objects.exclude(username="takeaway_platform"))

    def test_the_printed_password_signs_the_demo_users_in(self, output):
        password = _printed_password(output)
        validate_password(password)
        for username in ("agent1", "supervisor1", "quality1"):
            assert Client().login(username=username, password=password), username
        admin = Client()
        assert admin.login(username="admin", password=password)
        assert admin.get("/admin/").status_code == 200

    def test_the_takeaway_platform_posts_through_the_api_but_cannot_sign_in(self, output):
        platform = User.objects.get(username="takeaway_platform")
        assert not platform.has_usable_password()
        assert Case.objects.filter(created_by=platform, channel=Channel.API).exists()


class TestCases:
    def test_as_many_cases_as_asked_in_every_state_of_the_lifecycle(self, output):
        assert Case.objects.count() == CASES
        assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
        closed_as = set(
            Case.objects.filter(status=Status.CLOSED).values_list("close_reason", flat=True)
        )
        assert {CloseReason.RESOLVED, CloseReason.DUPLICATE, CloseReason.INVALID} <= closed_as

    def test_mostly_chinese_with_english_over_many_channels_and_priorities(self, output):
        languages = list(Case.objects.values_list("language", flat=True))
        assert languages.count(Language.EN) >= 3
        assert languages.count(Language.ZH) > 2 * languages.count(Language.EN)
        assert len(set(Case.objects.values_list("channel", flat=True))) >= 6
        priorities = set(Case.objects.values_list("priority", flat=True))
        assert {Priority.P1, Priority.P2, Priority.P3} <= priorities
        assert len(set(Case.objects.values_list("description", flat=True))) >= CASES - 3
        assert Case.objects.filter(amount_at_stake__gt=0).exists()
        assert Case.objects.exclude(order_ref="").exists()

    def test_customers_can_only_be_written_to_at_example_com(self, output):
        emails = set(Customer.objects.exclude(email="").values_list("email", flat=True))
        assert emails and all(e.endswith("@example.com") for e in emails)
        outbound = set(OutboundEmail.objects.values_list("to", flat=True))
        assert outbound and all(e.endswith("@example.com") for e in outbound)

    def test_the_history_s_messages_are_kept_as_sent_not_delivered_now(self, output):
        assert OutboundEmail.objects.exists() and OutboundSms.objects.exists()
        assert not OutboundEmail.objects.exclude(status="sent").exists()
        assert not OutboundSms.objects.exclude(status="sent").exists()

    def test_every_timeline_starts_with_receipt_and_its_moves_lead_to_the_status(self, output):
        now = clock.now()
        for case in Case.objects.prefetch_related("events"):
            events = sorted(case.events.all(), key=lambda e: (e.at, e.pk))
            assert events[0].kind == EventKind.CREATED, case.reference
            assert now - timedelta(days=62) < case.received_at <= case.created_at <= now
            assert all(case.created_at <= e.at <= now for e in events), case.reference
            status = Status.NEW
            for event in (e for e in events if e.kind == EventKind.TRANSITION):
                assert event.from_status == status, case.reference
                status = event.to_status
            assert status == case.status, case.reference

    def test_cases_carry_the_work_done_on_them(self, output):
        assert CaseEvent.objects.filter(kind=EventKind.HANDOVER).exclude(message="").exists()
        assert CaseEvent.objects.filter(kind=EventKind.DETAILS).exists()
        assert CaseEvent.objects.filter(kind=EventKind.NOTE, actor__username="quality1").exists()
        assert CaseEvent.objects.filter(
            kind=EventKind.MESSAGE, visible_to_customer=True, actor__isnull=False
        ).count() > CASES
        proposed = Case.objects.filter(status=Status.REMEDY_PROPOSED)
        assert all(c.remedy and c.facts for c in proposed)
        resolved = Case.objects.filter(status__in=[Status.RESOLVED, Status.FOLLOW_UP])
        assert all(c.outcome and c.resolved_at for c in resolved)
        assert all(
            c.owner_id for c in Case.objects.exclude(status__in=[Status.NEW, Status.CLOSED])
        )
        reopened = CaseEvent.objects.filter(
            kind=EventKind.TRANSITION, from_status=Status.FOLLOW_UP,
            to_status=Status.INVESTIGATING,
        )
        assert reopened.exists()

    def test_duplicates_name_the_case_they_repeat(self, output):
        for case in Case.objects.filter(close_reason=CloseReason.DUPLICATE):
            note = case.events.get(kind=EventKind.NOTE)
            original = re.search(r"SR-\d{4}-\d{6}", note.message)
            assert original, note.message
            repeated = Case.objects.get(reference=original.group(0))
            assert repeated.customer.phone == case.customer.phone
            assert repeated.received_at < case.received_at


class TestRunningItAgain:
    def test_a_second_run_changes_nothing_and_says_so(self, output):
        before = _counts()
        again = _demo(cases=CASES)
        assert _counts() == before
        assert "already loaded" in again
        assert _printed_password(again) == _printed_password(output)
        assert "agent1" in again

    def test_refuses_a_database_that_has_its_own_staff(self, db):
        User.objects.create_user(username="agent1", password="someone-elses-1")
        with pytest.raises(CommandError, match="agent1"):
            _demo(cases=5)
        assert not Organisation.objects.exists()
        assert not Case.objects.exists()

    def test_refuses_when_a_real_text_message_gateway_is_configured(self, settings):
        settings.REDRESS_SMS_BACKEND = "somewhere.sms_gateway_send"
        with pytest.raises(CommandError, match="REDRESS_SMS_BACKEND"):
            _demo(cases=5)
        assert not User.objects.exists()

    def test_a_negative_number_of_cases_is_refused(self, db):
        with pytest.raises(CommandError):
            _demo(cases=-1)
        assert not Organisation.objects.exists()


class TestOutput:
    def test_prints_progress_log_ins_links_and_a_demo_only_warning(self, output):
        assert "25 of 60 cases" in output and "60 of 60 cases" in output
        assert "DEMO ONLY" in output
        for username in ("admin", "agent1", "supervisor1", "quality1", "agent2"):
            assert re.search(rf"^\s+{username}\s", output, re.MULTILINE), username
        assert "http://127.0.0.1:8000/console/" in output
        assert "http://127.0.0.1:8000/complain/" in output


def test_the_default_demo_has_200_cases_to_search_and_group(db):
    _demo()
    assert Case.objects.count() == 200
    quality = User.objects.get(username="quality1")
    # The words the README's tour suggests searching for.
    for words in ("头发", "空调", "refund"):
        found = case_queue(user=quality, filters=QueueFilters(q=words)).count()
        assert 0 < found < 50, words
    agent1 = User.objects.get(username="agent1")
    assert case_queue(user=agent1, filters=QueueFilters(owner="me")).count() >= 10


def test_a_larger_demo_plays_every_story_to_its_end(db):
    """300 cases draw a second-recovery story whose customer no follow-up could reach:
    the owner reopens it as the customer's answer would have, instead of the story
    proposing a remedy on a case still resolved (which stopped the whole load)."""
    _demo(cases=300)
    assert Case.objects.count() == 300
    second = Case.objects.filter(recovery_round=2)
    assert second.exists()
    for case in second:
        assert case.events.filter(kind=EventKind.TRANSITION,
                                  to_status=Status.INVESTIGATING,
                                  from_status__in=[Status.RESOLVED, Status.FOLLOW_UP]).exists()
