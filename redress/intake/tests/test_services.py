"""Intake: the same complaint sent twice is one case, staff record what came in by phone or
letter with the time it really came in, and the public side is open but bounded."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from redress.cases.models import Case, CaseEvent, Channel, Customer, EventKind, Status
from redress.cases.services import CustomerDetails, case_transition
from redress.cases.tests.concurrency import at_once, shared_database
from redress.common import clock
from redress.common.errors import Conflict, Invalid
from redress.intake.models import IdempotencyRecord
from redress.intake.services import (
    api_case_create,
    public_complaint_submit,
    staff_case_record,
)
from redress.notify.models import OutboundSms

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    # Nobody signs in here: spare every persona the production password hasher's cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "channel": "api",
        "description": "外卖少送了一份米饭，打电话给门店没人接。",
        "customer": {"name": "陈先生", "phone": "13700137000", "external_id": "M-1001"},
        "order_ref": "WM20260301-88",
    }
    payload.update(overrides)
    return payload


class TestIdempotency:
    def test_a_retry_with_the_same_key_gets_the_first_receipt(self, agent):
        first, created = api_case_create(user=agent, payload=_payload(), idempotency_key="k-1")
        again, created_again = api_case_create(
            user=agent, payload=_payload(), idempotency_key="k-1"
        )
        assert (created, created_again) == (True, False)
        assert again == first
        assert Case.objects.count() == 1
        assert Case.objects.get().reference == first["reference"]

    def test_the_first_receipt_is_returned_even_after_the_case_moved_on(self, agent):
        first, _ = api_case_create(user=agent, payload=_payload(), idempotency_key="k-1")
        case_transition(case=Case.objects.get(), actor=agent, to=Status.ACKNOWLEDGED)
        again, _ = api_case_create(user=agent, payload=_payload(), idempotency_key="k-1")
        assert again == first
        assert again["status"] == Status.NEW

    def test_the_same_key_for_a_different_complaint_is_refused(self, agent):
        api_case_create(user=agent, payload=_payload(), idempotency_key="k-1")
        with pytest.raises(Conflict) as refused:
            api_case_create(
                user=agent, payload=_payload(description="另一件事：发票开错了"),
                idempotency_key="k-1",
            )
        assert refused.value.field == "Idempotency-Key"
        assert Case.objects.count() == 1
        assert Case.objects.get().description == _payload()["description"]

    def test_without_a_key_every_call_is_a_new_case(self, agent):
        first, _ = api_case_create(user=agent, payload=_payload())
        second, _ = api_case_create(user=agent, payload=_payload())
        assert first["reference"] != second["reference"]
        assert Case.objects.count() == 2
        assert IdempotencyRecord.objects.count() == 0

    def test_a_key_belongs_to_the_user_who_sent_it(self, agent, agent2):
        mine, _ = api_case_create(user=agent, payload=_payload(), idempotency_key="k-1")
        theirs, created = api_case_create(user=agent2, payload=_payload(), idempotency_key="k-1")
        assert created
        assert mine["reference"] != theirs["reference"]
        assert Case.objects.count() == 2

    def test_a_refused_complaint_does_not_use_up_the_key(self, agent):
        with pytest.raises(Invalid):
            api_case_create(user=agent, payload=_payload(description=""), idempotency_key="k-1")
        receipt, created = api_case_create(
            user=agent, payload=_payload(), idempotency_key="k-1"
        )
        assert created
        assert Case.objects.get().reference == receipt["reference"]

    def test_an_overlong_key_is_refused(self, agent):
        with pytest.raises(Invalid) as refused:
            api_case_create(user=agent, payload=_payload(), idempotency_key="k" * 201)
        assert refused.value.field == "Idempotency-Key"
        assert Case.objects.count() == 0

    @pytest.mark.django_db(transaction=True)
    def test_two_retries_racing_make_one_case(self, agent, tmp_path):
        with shared_database(tmp_path):
            outcomes = at_once(*[
                lambda: api_case_create(user=agent, payload=_payload(), idempotency_key="k-1")
            ] * 3)
            assert all(isinstance(o, tuple) for o in outcomes), outcomes
            assert sorted(created for _, created in outcomes) == [False, False, True]
            assert len({receipt["reference"] for receipt, _ in outcomes}) == 1
            assert Case.objects.count() == 1
            assert CaseEvent.objects.filter(kind=EventKind.CREATED).count() == 1
            # The customer is told once that the complaint arrived, not once per retry.
            assert CaseEvent.objects.filter(kind=EventKind.AUTO_ACK).count() == 1
            assert OutboundSms.objects.count() == 1


class TestApiCreate:
    def test_the_case_is_stored_as_sent_and_belongs_to_the_senders_department(
        self, agent, department
    ):
        receipt, _ = api_case_create(user=agent, payload=_payload(amount_at_stake="32"))
        case = Case.objects.get()
        assert receipt == {
            "reference": case.reference, "tracking_code": case.tracking_code,
            "status": "new", "priority": "P3", "due": receipt["due"],
        }
        due = datetime.fromisoformat(receipt["due"])
        assert due.tzinfo is not None
        assert due > case.received_at
        assert (case.channel, case.created_by, case.department) == (
            Channel.API, agent, department)
        assert case.description == _payload()["description"]
        assert str(case.amount_at_stake) == "32.00"
        assert case.customer.external_id == "M-1001"

    def test_an_integrators_customer_id_finds_the_same_customer(self, agent):
        api_case_create(user=agent, payload=_payload())
        api_case_create(user=agent, payload=_payload(description="第二次投诉：又少送了"))
        assert Customer.objects.count() == 1
        assert Customer.objects.get().cases.count() == 2


class TestStaffRecord:
    @pytest.mark.parametrize("channel", [Channel.WEB, Channel.API, Channel.SURVEY])
    def test_channels_the_customer_uses_alone_are_refused(self, agent, channel):
        with pytest.raises(Invalid) as refused:
            staff_case_record(
                user=agent, channel=channel, description="顾客说菜咸了",
                customer=CustomerDetails(), received_at=None,
            )
        assert refused.value.field == "channel"
        assert Case.objects.count() == 0

    @pytest.mark.parametrize("channel", [
        Channel.PHONE, Channel.WALK_IN, Channel.LETTER, Channel.COMMENT_BOOK, Channel.EMAIL,
        Channel.WECHAT, Channel.APP, Channel.OTHER,
    ])
    def test_the_real_time_of_receipt_is_kept(self, agent, department, channel):
        came_in = clock.now() - timedelta(days=2, hours=3)
        case = staff_case_record(
            user=agent, channel=channel, description="意见簿：洗手间没有纸巾",
            customer=CustomerDetails(), received_at=came_in,
        )
        stored = Case.objects.get(pk=case.pk)
        assert stored.received_at == came_in
        assert stored.created_at > came_in + timedelta(days=2)
        assert (stored.channel, stored.created_by, stored.department) == (
            channel, agent, department)
        created = stored.events.get(kind=EventKind.CREATED)
        assert created.actor == agent
        assert created.after["received_at"] == came_in.isoformat()

    def test_a_time_in_the_future_is_refused(self, agent):
        with pytest.raises(Invalid) as refused:
            staff_case_record(
                user=agent, channel=Channel.LETTER, description="来信",
                customer=CustomerDetails(), received_at=clock.now() + timedelta(hours=1),
            )
        assert refused.value.field == "received_at"
        assert Case.objects.count() == 0


class TestPublicComplaint:
    def test_it_lands_in_the_default_intake_department(self, department, other_department):
        case = public_complaint_submit(description="前台态度差", name="刘女士",
                                       email="liu@example.com")
        stored = Case.objects.get(pk=case.pk)
        assert (stored.channel, stored.department, stored.created_by) == (
            Channel.WEB, department, None)
        assert (stored.customer.name, stored.customer.email) == ("刘女士", "liu@example.com")

    @pytest.mark.parametrize(("field", "details"), [
        ("name", {"name": "", "phone": "13800138000"}),
        ("name", {"name": "   ", "email": "a@example.com"}),
        ("phone", {"name": "刘女士"}),
        ("phone", {"name": "刘女士", "phone": "  ", "email": ""}),
        ("phone", {"name": "刘女士", "phone": "110"}),
        ("email", {"name": "刘女士", "email": "liu at example"}),
    ])
    def test_a_name_and_a_way_to_reach_the_customer_are_required(
        self, department, field, details
    ):
        with pytest.raises(Invalid) as refused:
            public_complaint_submit(description="前台态度差", **details)
        assert refused.value.field == field
        assert Case.objects.count() == 0
        assert Customer.objects.count() == 0

    @pytest.mark.parametrize("details", [
        {"name": "刘女士", "phone": "13800138000"},
        {"name": "刘女士", "phone": "+86 138 0013 8000"},
        {"name": "Ms Liu", "email": "liu@example.com"},
    ])
    def test_either_a_phone_or_an_email_is_enough(self, department, details):
        public_complaint_submit(description="前台态度差", **details)
        assert Case.objects.count() == 1


class TestOneAnnouncementPerComplaint:
    """Storing, reading and acknowledging a complaint are announced to the other apps
    (promises, the day's figures) once, inside intake's own transaction
    (`case_received`), and not again after the commit: one write transaction per
    complaint."""

    @pytest.fixture
    def heard(self):
        from redress.cases.signals import case_changed, case_received

        heard: dict[str, list[Any]] = {"changed": [], "received": []}

        def changed(sender: Any, **kwargs: Any) -> None:
            heard["changed"].append(kwargs)

        def received(sender: Any, *, case: Case, **kwargs: Any) -> None:
            heard["received"].append((case.pk, transaction.get_connection().in_atomic_block,
                                      set(case.risks), case.priority))

        case_changed.connect(changed, dispatch_uid="test.changed")
        case_received.connect(received, dispatch_uid="test.received")
        yield heard
        case_changed.disconnect(dispatch_uid="test.changed")
        case_received.disconnect(dispatch_uid="test.received")

    def test_public_and_api_intake_announce_once_inside_the_transaction(
        self, department, agent, heard, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            case = public_complaint_submit(description="前台态度差，还多收了钱，我要投诉到12315",
                                           name="刘女士", phone="13800138000")
        with django_capture_on_commit_callbacks(execute=True):
            receipt, _created = api_case_create(user=agent, payload=_payload(),
                                                idempotency_key="k-announce")
        other = Case.objects.get(reference=receipt["reference"])
        assert [pk for pk, *_rest in heard["received"]] == [case.pk, other.pk]
        # Heard inside the transaction, with the reading and its priority already set.
        assert heard["received"][0][1] is True
        assert "legal_media" in heard["received"][0][2]
        assert heard["received"][0][3] == "P1"
        assert heard["changed"] == []

    def test_entries_after_intake_are_announced_after_commit(
        self, department, agent, heard, django_capture_on_commit_callbacks
    ):
        from redress.cases.services import case_add_message

        case = public_complaint_submit(description="前台态度差", name="刘女士",
                                       phone="13800138000")
        with django_capture_on_commit_callbacks(execute=True):
            case_add_message(case=case, actor=agent, body="您好，我们马上核实。",
                             to_customer=True)
        assert [h["case_id"] for h in heard["changed"]] == [case.pk]
        # The clock catches up intake's entries with the reply: first response met.
        from redress.sla.models import CaseClock

        assert CaseClock.objects.get(case=case).first_responded_at is not None

    def test_outside_intake_each_change_is_announced_on_its_own(
        self, department, heard, django_capture_on_commit_callbacks
    ):
        from redress.cases.services import case_record_labels

        case = public_complaint_submit(description="前台态度差", name="刘女士",
                                       phone="13800138000")
        with django_capture_on_commit_callbacks(execute=True):
            case_record_labels(case=case, actor=None, labels={"emotion": "humorous"})
            case_record_labels(case=case, actor=None, labels={"emotion": "confused"})
        assert [len(h["event_ids"]) for h in heard["changed"]] == [1, 1]


class TestPublicRateLimit:
    @pytest.fixture(autouse=True)
    def _fresh_counts(self) -> Any:
        cache.clear()
        yield
        cache.clear()

    def test_the_third_complaint_in_a_minute_is_refused_and_not_stored(
        self, settings: Any, department: Any
    ):
        settings.REDRESS_PUBLIC_RATE = "2/m"
        client = Client()
        statuses = []
        for n in range(3):
            response = client.post(
                "/api/v1/public/complaints",
                {"description": f"第{n + 1}次：房间太吵", "name": "周先生",
                 "phone": "13600136000"},
                content_type="application/json",
            )
            statuses.append(response.status_code)
        assert statuses == [201, 201, 429]
        assert sorted(Case.objects.values_list("description", flat=True)) == [
            "第1次：房间太吵", "第2次：房间太吵"]

    def test_the_limit_is_per_address(self, settings: Any, department: Any):
        settings.REDRESS_PUBLIC_RATE = "1/m"
        body = {"description": "房间太吵", "name": "周先生", "phone": "13600136000"}
        first = Client(REMOTE_ADDR="203.0.113.7")
        other = Client(REMOTE_ADDR="198.51.100.2")
        assert first.post("/api/v1/public/complaints", body,
                          content_type="application/json").status_code == 201
        assert first.post("/api/v1/public/complaints", body,
                          content_type="application/json").status_code == 429
        assert other.post("/api/v1/public/complaints", body,
                          content_type="application/json").status_code == 201
        assert Case.objects.count() == 2

    def test_no_limit_when_the_setting_is_empty(self, settings: Any, department: Any):
        settings.REDRESS_PUBLIC_RATE = None
        client = Client()
        for _ in range(5):
            response = client.post(
                "/api/v1/public/complaints",
                {"description": "房间太吵", "name": "周先生", "phone": "13600136000"},
                content_type="application/json",
            )
            assert response.status_code == 201
        assert Case.objects.count() == 5

