"""Root causes (责任界定表) and the rule that a resolved case closes only with one."""

from decimal import Decimal

import pytest
from django.utils import translation

from redress.accounts.models import Department, Organisation
from redress.cases.models import Case, CaseEvent, CloseReason, EventKind, Status
from redress.cases.services import case_transition
from redress.common.errors import Conflict, Invalid, NotFound
from redress.lessons.models import Accepted, ResponsibilityRule, RootCause
from redress.lessons.services import RootCauseInput, case_root_cause_record
from redress.lessons.tests.conftest import complaint, full_root_cause, resolved

pytestmark = pytest.mark.django_db

ALL = ["cause", "department", "step", "customer_accepted", "remedy"]


def _close(case: Case, actor, **extra) -> Case:
    return case_transition(case=case, actor=actor, to=Status.CLOSED, **extra)


class TestClosingNeedsARootCause:
    def test_without_one_closing_is_refused_naming_what_is_missing_and_nothing_changes(
        self, agent, resolved_case
    ):
        events = resolved_case.events.count()
        with translation.override("en"), pytest.raises(Invalid) as refused:
            _close(resolved_case, agent)
        assert refused.value.field == "root_cause"
        message = str(refused.value.message)
        assert message == (
            "Record the root cause before closing. Still missing: the cause, the responsible "
            "department, the problem step, whether the customer accepted the outcome, the "
            "remedy given."
        )
        stored = Case.objects.get(pk=resolved_case.pk)
        assert stored.status == Status.RESOLVED
        assert stored.events.count() == events

    def test_with_a_complete_one_the_case_closes(self, agent, resolved_case):
        full_root_cause(resolved_case, agent)
        closed = _close(resolved_case, agent)
        assert (closed.status, closed.close_reason) == (Status.CLOSED, CloseReason.RESOLVED)

    def test_also_from_follow_up(self, agent, resolved_case):
        case = case_transition(case=resolved_case, actor=agent, to=Status.FOLLOW_UP)
        with pytest.raises(Invalid):
            _close(case, agent)
        full_root_cause(case, agent)
        assert _close(case, agent).status == Status.CLOSED

    @pytest.mark.parametrize("field, blank, words", [
        ("cause", {"category": ""}, "the cause"),
        ("department", {"department_id": None}, "responsible department"),
        ("step", {"step": ""}, "problem step"),
        ("customer_accepted", {"customer_accepted": "unknown"}, "accepted the outcome"),
        ("remedy", {"remedy_given": ""}, "remedy given"),
    ])
    def test_each_required_field_is_checked(self, agent, resolved_case, field, blank, words):
        full_root_cause(resolved_case, agent, **blank)
        with translation.override("en"), pytest.raises(Invalid) as refused:
            _close(resolved_case, agent)
        assert words in str(refused.value.message)

    @pytest.mark.parametrize("field, blank", [
        ("cause", {"category": ""}),
        ("department", {"department_id": None}),
        ("step", {"step": ""}),
        ("customer_accepted", {"customer_accepted": "unknown"}),
        ("remedy", {"remedy_given": ""}),
    ])
    def test_a_field_the_setting_leaves_out_is_optional(
        self, settings, agent, resolved_case, field, blank
    ):
        settings.REDRESS_CLOSE_REQUIRES = [name for name in ALL if name != field]
        full_root_cause(resolved_case, agent, **blank)
        assert _close(resolved_case, agent).status == Status.CLOSED

    def test_requiring_nothing_needs_no_record(self, settings, agent, resolved_case):
        settings.REDRESS_CLOSE_REQUIRES = []
        assert _close(resolved_case, agent).status == Status.CLOSED
        assert not RootCause.objects.exists()

    @pytest.mark.parametrize("reason", [CloseReason.DUPLICATE, CloseReason.INVALID])
    def test_duplicates_and_invalid_complaints_close_without_one(self, agent, reason):
        case = case_transition(case=complaint(), actor=agent, to=Status.ACKNOWLEDGED)
        assert _close(case, agent, close_reason=reason).status == Status.CLOSED

    def test_a_resolved_case_closed_as_duplicate_needs_none_either(self, agent, resolved_case):
        closed = _close(resolved_case, agent, close_reason=CloseReason.DUPLICATE)
        assert closed.close_reason == CloseReason.DUPLICATE


class TestRecording:
    def test_it_is_kept_with_who_and_when_and_goes_on_the_timeline(self, agent, resolved_case):
        record = full_root_cause(resolved_case, agent)
        assert record.recorded_by == agent
        assert record.remedy_given == "退还汤的费用 (¥68.00)"  # pre-filled from the case
        event = CaseEvent.objects.get(case=resolved_case, kind=EventKind.ROOT_CAUSE)
        assert event.actor == agent
        assert event.after["category"] == "process"
        assert event.after["department"] == resolved_case.department.name
        assert event.visible_to_customer is False

    def test_recording_again_replaces_the_values_and_keeps_both_on_the_timeline(
        self, agent, resolved_case
    ):
        full_root_cause(resolved_case, agent)
        full_root_cause(resolved_case, agent, category="human")
        assert RootCause.objects.get(case=resolved_case).category == "human"
        second = CaseEvent.objects.filter(case=resolved_case, kind=EventKind.ROOT_CAUSE
                                          ).order_by("-id").first()
        assert second.before == {"category": "process"}
        assert second.after == {"category": "human"}

    def test_it_may_be_recorded_before_the_case_is_resolved(self, agent):
        case = case_transition(case=complaint(), actor=agent, to=Status.ACKNOWLEDGED)
        assert full_root_cause(case, agent).case_id == case.pk

    def test_a_rejected_outcome_is_kept_in_the_customers_words(self, agent, resolved_case):
        with pytest.raises(Invalid) as refused:
            full_root_cause(resolved_case, agent, customer_accepted="no")
        assert refused.value.field == "customer_words"
        assert not RootCause.objects.exists()
        record = full_root_cause(resolved_case, agent, customer_accepted="no",
                                 customer_words="赔偿太少，我不接受")
        assert (record.customer_accepted, record.customer_words) == (
            Accepted.NO, "赔偿太少，我不接受")
        # a customer who did not accept still lets the case close: it is recorded, not hidden
        assert _close(resolved_case, agent).status == Status.CLOSED

    def test_the_responsibility_table_fills_in_the_department(
        self, agent, resolved_case, organisation, other_department
    ):
        ResponsibilityRule.objects.create(
            organisation=organisation, step="订单录入", department=other_department,
            time_limit_hours=Decimal("1"), compensation="免费重做",
        )
        record = full_root_cause(resolved_case, agent, department_id=None, step="订单录入")
        assert record.department == other_department

    @pytest.mark.parametrize("values, field", [
        ({"category": "bad luck"}, "category"),
        ({"customer_accepted": "maybe"}, "customer_accepted"),
        ({"step": "<b>x</b>"}, "step"),
        ({"step": "x" * 101}, "step"),
        ({"detail": "x" * 5001}, "detail"),
    ])
    def test_bad_input_is_refused_and_stores_nothing(self, agent, resolved_case, values,
                                                     field):
        with pytest.raises(Invalid) as refused:
            full_root_cause(resolved_case, agent, **values)
        assert refused.value.field == field
        assert not RootCause.objects.exists()
        assert not resolved_case.events.filter(kind=EventKind.ROOT_CAUSE).exists()

    def test_a_department_of_another_organisation_is_refused(self, agent, resolved_case):
        elsewhere = Department.objects.create(
            organisation=Organisation.objects.create(name="别家公司"), name="客服部")
        with pytest.raises(Invalid) as refused:
            full_root_cause(resolved_case, agent, department_id=elsewhere.pk)
        assert refused.value.field == "department"

    def test_staff_of_another_department_cannot_record_it(self, agent, outsider,
                                                          resolved_case):
        with pytest.raises(NotFound):
            full_root_cause(resolved_case, outsider)
        assert not RootCause.objects.exists()

    def test_not_once_the_case_is_closed(self, agent, resolved_case):
        full_root_cause(resolved_case, agent)
        _close(resolved_case, agent)
        with pytest.raises(Conflict):
            case_root_cause_record(case=resolved_case, actor=agent,
                                   values=RootCauseInput(category="human"))


def test_a_second_resolved_case_is_independent(agent):
    first, second = resolved(agent), resolved(agent)
    full_root_cause(first, agent)
    assert _close(first, agent).status == Status.CLOSED
    with pytest.raises(Invalid):
        _close(second, agent)
