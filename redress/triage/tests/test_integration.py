"""Triage on intake, as a complaint arrives: labels and the whole reading stored in the
same request, the priority by the organisation's rule (or the sender's own), routing
suggestions, repeats of the same customer, duplicates and their merge, and the training
data staff corrections leave behind. The model is replaced by chosen readings, except in
one end-to-end test that only checks what the reading led to."""

import logging
from datetime import timedelta

import pytest
from rapidfuzz import fuzz

from redress.accounts.models import Department, Organisation
from redress.cases.models import Case, CaseEvent, Channel, CloseReason, EventKind, Status
from redress.cases.services import CustomerDetails, case_record_labels, case_transition
from redress.cases.validation import DESCRIPTION_MAX
from redress.common.errors import Invalid, NotAllowed, NotFound
from redress.intake.services import public_complaint_submit, staff_case_record
from redress.sla.models import CaseClock, SlaPolicy
from redress.triage.demo import demo_routing_rules
from redress.triage.models import CaseLink, LinkKind, PriorityRule, RoutingRule, TriageRecord
from redress.triage.selectors import case_triage_view, corrected_cases
from redress.triage.services import (
    COMPARE_CHARS,
    DUPLICATE_MIN_LENGTH,
    DUPLICATE_SCORE,
    case_department_accept,
    case_merge_duplicate,
    comparable_lengths,
    priority_by_rule,
    routing_rule_create,
    text_normalise,
)
from redress.triage.tests.conftest import at

pytestmark = pytest.mark.django_db

WORDS = "房间空调坏了，一晚上没睡好！我要求退款。"


def every_complaint_is_urgent(kind: str, emotion: str, risks: list[str]) -> str:
    return "P1" if kind == "complaint" else "P4"


def _public(description: str = WORDS, **extra: str) -> Case:
    values = {"name": "李先生", "phone": "13912345678", **extra}
    return public_complaint_submit(description=description, **values)


def _staff(user, description: str = WORDS, *, channel: str = Channel.PHONE,
           customer: CustomerDetails | None = None, **extra) -> Case:
    return staff_case_record(
        user=user, channel=channel, description=description,
        customer=customer or CustomerDetails(name="李先生", phone="13912345678"),
        received_at=extra.pop("received_at", None), **extra,
    )


class TestIntakeReadsTheComplaint:
    def test_labels_and_the_whole_reading_are_stored_with_the_case(
        self, department, read_as, moment
    ):
        seen = read_as(emotion="angry", wants=["refund"], cues_by_label={
            "kind": ["坏了"], "scenario": ["空调坏了"], "emotion": ["！"], "refund": ["退款"]})
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public()
        assert seen == [WORDS]
        case.refresh_from_db()
        assert (case.kind, case.scenario, case.emotion, case.risks, case.wants) == (
            "complaint", "product_defect", "angry", [], ["refund"])
        record = TriageRecord.objects.get(case=case)
        assert record.reading["cues_by_label"]["scenario"] == ["空调坏了"]
        assert record.reading["confidence"] == {"kind": 0.9, "scenario": 0.8, "emotion": 0.7}
        assert record.model_version and record.duration_ms >= 0
        labels_event = CaseEvent.objects.get(case=case, kind=EventKind.LABELS)
        assert labels_event.actor is None and labels_event.message == "triage"
        assert labels_event.after["emotion"] == "angry"

    def test_reading_a_repeat_complaint_costs_a_fixed_number_of_queries(
        self, department, read_as, django_assert_num_queries, monkeypatch
    ):
        """Triage on intake is paid by every complaint: its statements are counted, so a
        query added by accident (an organisation fetched, a second write of the case)
        shows here. Its savepoint 2, priority rule 1, labels and priority in one write 2
        (update, events: the case was stored in this transaction, so it is neither read
        again nor given a savepoint of its own), routing rules 1, links 1, record 1. The
        repeats and duplicates were looked up before the transaction opened, with the
        reading."""
        from redress.intake import services as intake

        read_as(emotion="angry")
        _public()  # the same customer's earlier complaint: a repeat to link
        calls: list[object] = []
        real = intake.case_triage

        def counted(**kwargs):  # type: ignore[no-untyped-def]
            with django_assert_num_queries(8):
                calls.append(real(**kwargs))
            return calls[-1]

        monkeypatch.setattr(intake, "case_triage", counted)
        case = _public(description="又是这样！" + WORDS)
        assert calls and CaseLink.objects.filter(case=case, kind=LinkKind.REPEAT).count() == 1
        case.refresh_from_db()
        assert case.priority == "P2" and "repeat" in case.risks
        events = CaseEvent.objects.filter(case=case, message="triage").order_by("id")
        assert [e.kind for e in events] == [EventKind.LABELS, EventKind.DETAILS]
        assert events[1].after == {"priority": "P2"}

    def test_priority_follows_the_rule_and_the_clock_uses_it(self, department, read_as, moment):
        read_as(risks=["safety"])
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public()
        case.refresh_from_db()
        assert case.priority == "P1"
        assert TriageRecord.objects.get(case=case).priority == "P1"
        clock = CaseClock.objects.select_related("policy").get(case=case)
        assert clock.policy.priority == "P1"
        assert clock.first_response_due == at(2026, 11, 24, 10, 15)
        change = CaseEvent.objects.get(case=case, kind=EventKind.DETAILS)
        assert (change.before, change.after, change.actor) == (
            {"priority": "P3"}, {"priority": "P1"}, None)

    def test_an_inquiry_is_low_priority(self, department, read_as, moment):
        read_as(kind="inquiry", scenario="none")
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public("请问你们几点关门？")
        assert Case.objects.get(pk=case.pk).priority == "P4"

    def test_without_an_organisation_rule_the_installations_rule_decides(
        self, department, read_as, moment, settings
    ):
        # The setting that names the reading's priority rule also decides intake's, so the
        # two cannot disagree.
        settings.REDRESS_TRIAGE_PRIORITY_RULE = (
            "redress.triage.tests.test_integration.every_complaint_is_urgent")
        read_as(emotion="calm")
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public()
        assert Case.objects.get(pk=case.pk).priority == "P1"

    def test_a_priority_chosen_by_staff_is_kept(self, agent, read_as, moment):
        read_as(risks=["legal_media"])
        with moment(at(2026, 11, 24, 10, 0)):
            case = _staff(agent, priority="P4")
        case.refresh_from_db()
        assert case.priority == "P4"
        assert case.risks == ["legal_media"]
        assert TriageRecord.objects.get(case=case).priority == ""
        assert not CaseEvent.objects.filter(case=case, kind=EventKind.DETAILS).exists()

    def test_staff_leaving_the_priority_empty_get_the_rule(self, agent, read_as, moment):
        read_as(emotion="aggrieved")
        with moment(at(2026, 11, 24, 10, 0)):
            case = _staff(agent, priority="")
        assert Case.objects.get(pk=case.pk).priority == "P2"

    def test_the_organisation_can_change_the_rule(self, organisation, department, read_as,
                                                  moment):
        PriorityRule.objects.create(organisation=organisation, p1_risks=["churn"],
                                    p2_emotions=[], complaint_priority="P2")
        read_as(risks=["churn"])
        with moment(at(2026, 11, 24, 10, 0)):
            churn = _public()
        read_as(emotion="angry")
        with moment(at(2026, 11, 24, 10, 5)):
            angry = _public("菜里有头发！", phone="13800138000")
        assert Case.objects.get(pk=churn.pk).priority == "P1"
        assert Case.objects.get(pk=angry.pk).priority == "P2"  # complaint_priority

    def test_the_sla_policy_sees_the_scenario(self, department, read_as, moment):
        SlaPolicy.objects.all().delete()  # the defaults come back on the next intake
        with moment(at(2026, 11, 24, 9, 0)):
            _public("第一单", phone="13800138001")
        read_as(scenario="human_error")
        default = SlaPolicy.objects.order_by("rank").first()
        staff_policy = SlaPolicy.objects.create(
            name="态度问题", rank=1, scenario="human_error", calendar=default.calendar,
            first_response=5, first_response_unit="minutes", next_reply=1,
            next_reply_unit="hours", resolution=8, resolution_unit="hours",
        )
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public("前台态度很差", phone="13800138002")
        assert CaseClock.objects.get(case=case).policy == staff_policy

    def test_the_stand_in_or_the_model_end_to_end(self, department, moment):
        # Whatever the model reads: labels are recorded and the priority follows the rule.
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public("服务员态度太差了！！菜里还有头发，我要投诉到12315，要求退款。")
        case.refresh_from_db()
        assert case.kind and case.emotion
        labels = {f: getattr(case, f) for f in ("kind", "scenario", "emotion", "risks",
                                                 "wants")}
        assert case.priority == priority_by_rule(labels, None)
        assert TriageRecord.objects.filter(case=case).exists()


class TestTriageNeverBreaksIntake:
    def test_a_failing_model_leaves_the_case_stored_unread(
        self, department, monkeypatch, moment, caplog
    ):
        from redress.triage import engine

        def broken(text: str):
            raise RuntimeError("model file missing")

        monkeypatch.setattr(engine, "triage_text", broken)
        with caplog.at_level(logging.ERROR, logger="redress.triage.services"), \
                moment(at(2026, 11, 24, 10, 0)):
            case = _public()
        case.refresh_from_db()
        assert case.reference and case.status == Status.NEW and case.priority == "P3"
        assert (case.kind, case.risks) == ("", [])
        assert not TriageRecord.objects.exists()
        assert CaseClock.objects.filter(case=case).exists()
        assert CaseEvent.objects.filter(case=case, kind=EventKind.AUTO_ACK).exists()
        assert "Triage failed for case" in caplog.text

    def test_a_reading_with_unknown_labels_stores_nothing_of_it(self, department, read_as,
                                                                moment):
        read_as(kind="rant", risks=["safety"])
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public()
        case.refresh_from_db()
        assert (case.kind, case.risks, case.priority) == ("", [], "P3")
        assert not TriageRecord.objects.exists()
        assert not CaseEvent.objects.filter(case=case, kind=EventKind.LABELS).exists()

    @pytest.mark.parametrize("text", [
        "😡😡😡", "\x07\x1b[31m控制字符\u202e反向\x7f", "   \t  x", "a" * DESCRIPTION_MAX,
        "！！！？？？" * 50, "退款" * 5000,
    ])
    def test_odd_words_are_stored_and_read(self, department, moment, text):
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public(text)
        case.refresh_from_db()
        assert case.description == text
        assert TriageRecord.objects.filter(case=case).exists()

    def test_a_nul_character_is_refused_on_every_database(self, department, moment):
        with pytest.raises(Invalid) as refused, moment(at(2026, 11, 24, 10, 0)):
            _public("空调坏了\x00")
        assert refused.value.field == "description"
        assert not Case.objects.exists()

    def test_too_long_a_complaint_is_refused_by_intake_itself(self, department, moment):
        with pytest.raises(Invalid) as refused, moment(at(2026, 11, 24, 10, 0)):
            _public("投诉" * 50_000)
        assert refused.value.field == "description"
        assert not Case.objects.exists() and not TriageRecord.objects.exists()


class TestRouting:
    @pytest.fixture
    def kitchen(self, organisation) -> Department:
        return Department.objects.create(organisation=organisation, name="厨房")

    def _rule(self, organisation, department, rank=10, **conditions) -> RoutingRule:
        return RoutingRule.objects.create(organisation=organisation, department=department,
                                          rank=rank, name=f"rule {rank}", **conditions)

    def _suggested(self, case: Case) -> Department | None:
        return TriageRecord.objects.get(case=case).suggested_department

    def test_by_scenario(self, organisation, department, kitchen, read_as, moment):
        self._rule(organisation, kitchen, scenario="product_defect")
        read_as(scenario="product_defect")
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public()
        assert self._suggested(case) == kitchen
        # Suggested only: the complaint stays where public complaints land.
        assert Case.objects.get(pk=case.pk).department == department

    def test_by_risk(self, organisation, department, kitchen, read_as, moment):
        self._rule(organisation, kitchen, risk="safety")
        read_as(risks=["churn"])
        with moment(at(2026, 11, 24, 10, 0)):
            calm = _public()
        read_as(risks=["churn", "safety"])
        with moment(at(2026, 11, 24, 10, 5)):
            unsafe = _public("吃完拉肚子", phone="13800138000")
        assert self._suggested(calm) is None
        assert self._suggested(unsafe) == kitchen

    def test_a_keyword_far_into_a_long_letter(self, organisation, department, kitchen,
                                              read_as, moment):
        """The whole complaint is searched for the keywords, not only the beginning that
        duplicates are compared on."""
        self._rule(organisation, kitchen, keywords="后厨")
        read_as()
        letter = "我们一家四口上周六晚上在贵店用餐，" * 80 + "最后我想说，后厨的卫生必须整改。"
        assert len(text_normalise(letter)) > COMPARE_CHARS
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public(letter)
        assert self._suggested(case) == kitchen

    def test_by_any_keyword_ignoring_case_width_and_spacing(
        self, organisation, department, kitchen, read_as, moment
    ):
        self._rule(organisation, kitchen, keywords="头发\nＷｉ－Ｆｉ, 后厨")
        read_as()
        with moment(at(2026, 11, 24, 10, 0)):
            wifi = _public("房间的 wi-fi 连不上", phone="13800138000")
            other = _public("电梯坏了", phone="13800138001")
        assert self._suggested(wifi) == kitchen
        assert self._suggested(other) is None

    def test_by_location(self, organisation, department, kitchen, read_as, moment):
        self._rule(organisation, kitchen, location_contains="春熙路")
        read_as()
        with moment(at(2026, 11, 24, 10, 0)):
            there = _public(location="成都春熙路店")
            elsewhere = _public("另一件事", phone="13800138000", location="天府广场店")
        assert self._suggested(there) == kitchen
        assert self._suggested(elsewhere) is None

    def test_all_conditions_must_hold_and_the_lowest_rank_wins(
        self, organisation, department, other_department, kitchen, read_as, moment
    ):
        self._rule(organisation, other_department, rank=20, scenario="product_defect")
        self._rule(organisation, kitchen, rank=5, scenario="product_defect",
                   keywords="空调")
        self._rule(organisation, department, rank=1, scenario="human_error")
        self._rule(organisation, department, rank=2, scenario="product_defect",
                   active=False)
        read_as(scenario="product_defect")
        with moment(at(2026, 11, 24, 10, 0)):
            aircon = _public()
            leak = _public("卫生间漏水", phone="13800138000")
        assert self._suggested(aircon) == kitchen
        assert self._suggested(leak) == other_department

    def test_another_organisations_rules_do_not_apply(self, department, read_as, moment):
        elsewhere = Organisation.objects.create(name="别家")
        self._rule(elsewhere, Department.objects.create(organisation=elsewhere, name="x"))
        read_as()
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public()
        assert self._suggested(case) is None

    def test_auto_route_moves_public_complaints_only_when_turned_on(
        self, organisation, department, kitchen, read_as, moment, settings
    ):
        settings.REDRESS_TRIAGE_AUTO_ROUTE = True
        self._rule(organisation, kitchen, scenario="product_defect")
        read_as()
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public()
        assert Case.objects.get(pk=case.pk).department == kitchen
        moved = CaseEvent.objects.get(case=case, kind=EventKind.DETAILS,
                                      after__department="厨房")
        assert moved.before == {"department": "前台"} and moved.actor is None

    def test_a_supervisor_moves_the_case_to_the_suggestion(
        self, organisation, department, kitchen, agent, supervisor, read_as, moment
    ):
        self._rule(organisation, kitchen, scenario="product_defect")
        read_as()
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public()
        with pytest.raises(NotAllowed):
            case_department_accept(case=case, actor=agent)
        assert Case.objects.get(pk=case.pk).department == department
        with moment(at(2026, 11, 24, 10, 5)):
            case_department_accept(case=case, actor=supervisor)
        case.refresh_from_db()
        assert case.department == kitchen
        event = CaseEvent.objects.filter(case=case, kind=EventKind.DETAILS).last()
        assert event.actor == supervisor and event.after == {"department": "厨房"}


class TestRepeats:
    def _links(self, case: Case) -> list[str]:
        return sorted(CaseLink.objects.filter(case=case, kind=LinkKind.REPEAT)
                      .values_list("other__reference", flat=True))

    def test_same_phone_within_the_window_is_a_repeat(self, department, read_as, moment):
        read_as()
        with moment(at(2026, 11, 1, 10, 0)):
            first = _public("上周的早餐是凉的")
        with moment(at(2026, 11, 24, 10, 0)):
            again = _public("这次房间空调又不行", name="李", phone="13912345678")
        again.refresh_from_db()
        assert again.customer_id != first.customer_id  # a different customer row
        assert self._links(again) == [first.reference]
        assert again.risks == ["repeat"] and again.priority == "P2"
        view = case_triage_view(case=first)
        assert view.repeats == []  # the link is shown on the newer case

    def test_outside_the_window_is_not(self, department, read_as, moment, settings):
        settings.REDRESS_REPEAT_WINDOW_DAYS = 7
        read_as()
        with moment(at(2026, 11, 1, 10, 0)):
            _public("上周的早餐是凉的")
        with moment(at(2026, 11, 24, 10, 0)):
            again = _public("这次房间空调又不行")
        again.refresh_from_db()
        assert self._links(again) == [] and again.risks == [] and again.priority == "P3"

    def test_same_email_in_another_case_is_a_repeat(self, agent, department, read_as,
                                                     moment):
        read_as()
        with moment(at(2026, 11, 20, 10, 0)):
            first = _public("早餐是凉的", phone="", email="Li@Example.com")
        with moment(at(2026, 11, 24, 10, 0)):
            again = _staff(agent, "电话投诉：空调坏了", customer=CustomerDetails(
                name="李先生", email="li@example.com"))
        assert self._links(again) == [first.reference]

    def test_same_external_id_is_a_repeat(self, agent, department, read_as, moment):
        read_as()
        with moment(at(2026, 11, 20, 10, 0)):
            first = _staff(agent, "外卖洒了", channel=Channel.APP,
                           customer=CustomerDetails(name="A", external_id="mt-778"))
        with moment(at(2026, 11, 24, 10, 0)):
            again = _staff(agent, "外卖又洒了", channel=Channel.APP,
                           customer=CustomerDetails(name="A", external_id="mt-778"))
            other = _staff(agent, "外卖晚了", channel=Channel.APP,
                           customer=CustomerDetails(name="B", external_id="mt-779"))
        assert self._links(again) == [first.reference]
        assert self._links(other) == []

    def test_a_customer_without_contact_details_is_never_a_repeat(
        self, agent, department, read_as, moment
    ):
        read_as()
        nobody = CustomerDetails(name="匿名")
        with moment(at(2026, 11, 24, 10, 0)):
            _staff(agent, "意见簿：菜凉", channel=Channel.COMMENT_BOOK, customer=nobody)
            second = _staff(agent, "意见簿：汤咸", channel=Channel.COMMENT_BOOK,
                            customer=nobody)
        assert self._links(second) == []

    def test_another_organisation_is_not_a_repeat(self, agent, department, read_as, moment):
        elsewhere = Department.objects.create(
            organisation=Organisation.objects.create(name="别家"), name="前台")
        read_as()
        with moment(at(2026, 11, 20, 10, 0)):
            from redress.cases.services import case_create
            case_create(channel=Channel.PHONE, description="别家的事", department=elsewhere,
                        customer=CustomerDetails(name="李", phone="13912345678"))
        with moment(at(2026, 11, 24, 10, 0)):
            again = _public()
        assert self._links(again) == []


class TestDuplicates:
    def _suggested(self, case: Case) -> list[str]:
        return list(CaseLink.objects.filter(case=case, kind=LinkKind.DUPLICATE_SUGGESTED)
                    .values_list("other__reference", flat=True))

    def test_the_same_complaint_by_form_and_by_email(self, agent, department, read_as,
                                                      moment):
        read_as()
        with moment(at(2026, 11, 24, 10, 0)):
            form = _public("房间空调坏了，一晚上没睡好！我要求退款。", phone="13800138000")
        with moment(at(2026, 11, 24, 11, 0)):
            mail = _staff(agent, "房间空调坏了 一晚上没睡好!! 我要求退款", channel=Channel.EMAIL,
                          customer=CustomerDetails(name="李", email="li@example.com"))
        assert self._suggested(mail) == [form.reference]
        assert CaseLink.objects.get(case=mail).score == 100.0
        view = case_triage_view(case=form)
        assert [d.reference for d in view.duplicated_by] == [mail.reference]

    def test_nearly_the_same_words_are_suggested(self, department, read_as, moment):
        read_as()
        text = "昨晚入住的1203房间空调完全不制冷，前台说没有空房可以换，一整夜都没睡着，非常失望。"
        with moment(at(2026, 11, 24, 10, 0)):
            first = _public(text, phone="13800138000")
            near = _public(text.replace("非常失望", "很失望"), phone="13800138001")
            different = _public("早餐的鸡蛋是生的，服务员还不承认，要求道歉。",
                                phone="13800138002")
        assert self._suggested(near) == [first.reference]
        assert self._suggested(different) == []

    def test_outside_the_window_or_too_short_is_not(self, department, read_as, moment,
                                                    settings):
        settings.REDRESS_DUPLICATE_WINDOW_HOURS = 24
        read_as()
        with moment(at(2026, 11, 20, 10, 0)):
            _public(phone="13800138000")
            _public("😡😡😡！", phone="13800138001")
        with moment(at(2026, 11, 24, 10, 0)):
            late = _public(phone="13800138002")
            _public("😡😡😡！", phone="13800138003")
            emoji = _public("😡😡😡", phone="13800138004")
        assert self._suggested(late) == [] and self._suggested(emoji) == []

    def test_received_long_before_an_earlier_stored_one_is_not(
        self, agent, department, read_as, moment, settings
    ):
        """The window lies on both sides of the new complaint's moment: a letter
        recorded today with the day it was really received is compared with the cases
        received around that day, not with today's."""
        settings.REDRESS_DUPLICATE_WINDOW_HOURS = 24
        read_as()
        with moment(at(2026, 11, 24, 10, 0)):
            today = _public(phone="13800138000")
            old_letter = _staff(agent, channel=Channel.LETTER,
                                received_at=at(2026, 11, 21, 10, 0))
            this_morning = _staff(agent, channel=Channel.LETTER,
                                  received_at=at(2026, 11, 24, 8, 0))
        assert self._suggested(old_letter) == []
        assert self._suggested(this_morning) == [today.reference]

    def test_not_from_another_organisation_nor_one_merged_already(
        self, agent, department, read_as, moment
    ):
        from redress.cases.services import case_create
        from redress.triage.services import case_triage

        read_as()
        elsewhere = Department.objects.create(
            organisation=Organisation.objects.create(name="别家"), name="前台")
        with moment(at(2026, 11, 24, 10, 0)):
            theirs = case_triage(case=case_create(
                channel=Channel.PHONE, description=WORDS, department=elsewhere,
                customer=CustomerDetails(name="王", phone="13900000000")))
            first = _public(phone="13800138000")
            second = _public(phone="13800138001")
        assert self._suggested(second) == [first.reference]
        with moment(at(2026, 11, 24, 10, 30)):
            case_merge_duplicate(case=second, into=first, actor=agent)
            third = _public(phone="13800138002")
        assert self._suggested(third) == [first.reference]
        assert TriageRecord.objects.filter(case=theirs).exists()

    def test_only_texts_of_a_length_that_can_score_are_compared(self):
        """The length bounds read out of the database hold every text that can reach
        DUPLICATE_SCORE, and (within a character of rounding) no other."""
        for length in range(DUPLICATE_MIN_LENGTH, 400):
            shortest, longest = comparable_lengths(length)
            reach = [other for other in range(1, 600)
                     if fuzz.ratio("字" * length, "字" * other) >= DUPLICATE_SCORE]
            assert shortest <= min(reach) <= shortest + 1
            assert longest - 1 <= max(reach) <= longest

    def test_text_normalise(self):
        assert text_normalise("Ｗｉ－Ｆｉ 坏了！😡\x00\n") == "wifi坏了"


class TestMerge:
    @pytest.fixture
    def pair(self, agent, department, read_as, moment):
        read_as()
        with moment(at(2026, 11, 24, 10, 0)):
            original = _public(phone="13800138000")
        with moment(at(2026, 11, 24, 10, 30)):
            second = _staff(agent, channel=Channel.EMAIL, customer=CustomerDetails(
                name="李", email="li@example.com"))
        return original, second

    def test_merging_closes_this_case_and_notes_both(self, pair, agent, moment):
        original, second = pair
        with moment(at(2026, 11, 24, 11, 0)):
            closed = case_merge_duplicate(case=second, into=original, actor=agent)
        assert (closed.status, closed.close_reason) == (Status.CLOSED, CloseReason.DUPLICATE)
        original.refresh_from_db()
        assert original.status == Status.NEW and original.description == WORDS
        assert Case.objects.get(pk=second.pk).description == WORDS
        mine = CaseEvent.objects.filter(case=second, kind=EventKind.NOTE).get()
        theirs = CaseEvent.objects.filter(case=original, kind=EventKind.NOTE).get()
        assert original.reference in mine.message and mine.actor == agent
        assert second.reference in theirs.message
        assert CaseLink.objects.filter(case=second, other=original,
                                       kind=LinkKind.MERGED).exists()
        view = case_triage_view(case=original, user=agent)
        assert [m.reference for m in view.merged_from] == [second.reference]

    def test_an_outsider_cannot_merge(self, pair, outsider):
        original, second = pair
        with pytest.raises(NotFound):
            case_merge_duplicate(case=second, into=original, actor=outsider)
        assert Case.objects.get(pk=second.pk).status == Status.NEW
        assert not CaseLink.objects.filter(kind=LinkKind.MERGED).exists()

    def test_only_the_owner_or_a_supervisor_once_someone_owns_it(
        self, pair, agent, agent2, supervisor, moment
    ):
        original, second = pair
        with moment(at(2026, 11, 24, 10, 40)):
            case_transition(case=second, actor=agent, to=Status.ACKNOWLEDGED)
        with pytest.raises(NotAllowed):
            case_merge_duplicate(case=second, into=original, actor=agent2)
        with moment(at(2026, 11, 24, 11, 0)):
            case_merge_duplicate(case=second, into=original, actor=supervisor)
        assert Case.objects.get(pk=second.pk).close_reason == CloseReason.DUPLICATE

    def test_not_into_itself_nor_into_a_duplicate(self, pair, agent, moment):
        original, second = pair
        with pytest.raises(Invalid):
            case_merge_duplicate(case=second, into=second, actor=agent)
        with moment(at(2026, 11, 24, 11, 0)):
            case_merge_duplicate(case=original, into=second, actor=agent)
        with pytest.raises(Exception) as refused:
            case_merge_duplicate(case=second, into=original, actor=agent)
        assert refused.value.status == 409  # type: ignore[attr-defined]


class TestTrainingData:
    def test_staff_corrections_are_training_data_triage_own_reading_is_not(
        self, agent, department, read_as, moment
    ):
        read_as(emotion="calm")
        with moment(at(2026, 11, 24, 10, 0)):
            read_only = _public(phone="13800138000")
            corrected = _public("菜里有头发，太恶心了", phone="13800138001")
        assert corrected_cases() == []
        with moment(at(2026, 11, 24, 10, 5)):
            case_record_labels(case=corrected, actor=agent, labels={
                "emotion": "angry", "risks": ["safety"]})
        assert corrected_cases() == [("菜里有头发，太恶心了", {
            "kind": "complaint", "scenario": "product_defect", "emotion": "angry",
            "risks": ["safety"], "wants": []})]
        assert read_only.pk != corrected.pk


def test_the_windows_are_measured_from_receipt(agent, department, read_as, moment):
    # A phone call recorded late still counts from when the customer really called.
    read_as()
    with moment(at(2026, 11, 1, 9, 0)):
        first = _public()
    with moment(at(2026, 12, 2, 9, 0)):
        late = _staff(agent, "补录的电话投诉", received_at=at(2026, 11, 30, 9, 0))
    assert CaseLink.objects.filter(case=late, other=first, kind=LinkKind.REPEAT).exists()
    assert late.received_at - first.received_at < timedelta(days=30)


class TestRoutingRuleCreate:
    def test_bad_rules_are_refused_and_nothing_is_stored(self, organisation, department):
        elsewhere = Department.objects.create(
            organisation=Organisation.objects.create(name="别家"), name="前台")
        for kwargs, field in (
            ({"department": elsewhere, "keywords": ["空调"]}, "department"),
            ({"department": department}, "keywords"),
            ({"department": department, "scenario": "weather"}, "scenario"),
            ({"department": department, "risk": "boredom"}, "risk"),
            ({"department": department, "keywords": ["<b>"]}, "keywords"),
        ):
            with pytest.raises(Invalid) as refused:
                routing_rule_create(organisation=organisation, name="r", **kwargs)
            assert refused.value.field == field
        assert not RoutingRule.objects.exists()

    def test_the_demo_rules_route_the_demo_organisations(self, read_as, moment):
        hotel = Organisation.objects.create(name="悦来酒店")
        desk = Department.objects.create(organisation=hotel, name="前台",
                                         is_default_intake=True)
        engineering = Department.objects.create(organisation=hotel, name="工程部")
        Department.objects.create(organisation=hotel, name="客房部")
        # The restaurant chain has no departments here: its rules are skipped.
        chain = Organisation.objects.create(name="川味坊餐饮连锁")
        assert demo_routing_rules([hotel, chain]) == 3
        read_as(scenario="product_defect")
        with moment(at(2026, 11, 24, 10, 0)):
            case = _public("房间空调不制冷")
        record = TriageRecord.objects.get(case=case)
        assert record.suggested_department == engineering
        assert Case.objects.get(pk=case.pk).department == desk


class TestAdmin:
    def test_an_administrator_adds_a_rule_and_a_wrong_department_is_refused(
        self, admin_user, organisation, department
    ):
        from django.test import Client

        client = Client()
        client.force_login(admin_user)
        assert client.get("/admin/triage/routingrule/add/").status_code == 200
        elsewhere = Department.objects.create(
            organisation=Organisation.objects.create(name="别家"), name="前台")
        form = {"organisation": organisation.pk, "rank": 10, "name": "维修",
                "keywords": "空调", "department": elsewhere.pk, "active": "on"}
        response = client.post("/admin/triage/routingrule/add/", form)
        assert response.status_code == 200 and not RoutingRule.objects.exists()
        response = client.post("/admin/triage/routingrule/add/",
                               {**form, "department": department.pk})
        assert response.status_code == 302
        assert RoutingRule.objects.get().keyword_list() == ["空调"]
        assert client.get("/admin/triage/triagerecord/").status_code == 200
        assert client.get("/admin/triage/caselink/").status_code == 200
