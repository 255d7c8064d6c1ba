"""Complaints arriving from outside: the public form, the public API, integrators' API
calls and staff recording a call, a visit, a letter or a comment-book entry."""

import hashlib
import json
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import Department, User
from redress.cases.models import Case, Channel
from redress.cases.services import (
    CustomerDetails,
    case_announcements_batched,
    case_auto_acknowledge,
    case_create,
    case_landing_department,
    case_received_announce,
)
from redress.cases.validation import clean_received_at
from redress.common.errors import Conflict, Invalid
from redress.intake.models import IdempotencyRecord
from redress.sla.services import case_clock_start, timezone_local
from redress.triage.services import ReadAhead, case_triage, triage_read_ahead

IDEMPOTENCY_KEY_MAX = 200


def intake_receipt(case: Case) -> dict[str, Any]:
    """What the sender of a complaint is told once it is stored."""
    return {
        "reference": case.reference,
        "tracking_code": case.tracking_code,
        "status": case.status,
        "priority": case.priority,
        # The first-response deadline (ISO 8601 with the offset, so it survives a replay).
        "due": case.clock.first_response_due.isoformat(),
    }


def _received(case: Case, *, explicit_priority: bool = False,
              read_ahead: ReadAhead | None = None) -> Case:
    """Everything that happens the moment a complaint is stored, in the same transaction:
    triage reads it (labels, priority by the rule unless the sender chose one, routing,
    repeats), its clocks start by the policy for that reading, the customer is told it
    arrived and when a person will answer, and the other apps hear of it
    (`case_received`). Call within `case_announcements_batched`, around `case_create` too.

    The clock does not read intake's own entries: none of them moves a deadline, and it
    reads them at the case's next change."""
    case = case_triage(case=case, explicit_priority=explicit_priority, read_ahead=read_ahead)
    clock_row = case_clock_start(case=case, scenario=case.scenario, just_stored=True)
    with translation.override(case.language_code):
        body = gettext(
            "We have received your complaint (reference %(reference)s). A member of our "
            "team will answer you by %(due)s at the latest."
        ) % {
            "reference": case.reference,
            "due": timezone_local(clock_row.first_response_due,
                                  clock_row.policy.calendar.time_zone),
        }
    case_auto_acknowledge(case=case, body=body)
    case_received_announce(case)
    return case


def _read_ahead(
    description: str, customer: CustomerDetails, received_at: datetime | None,
    department: Department | None,
) -> tuple[ReadAhead | None, datetime | None]:
    """Everything about a complaint that can be known before its transaction opens: its
    reading, and the earlier cases it repeats or duplicates. Returns the reading and the
    moment to store as received (now, unless the sender gave one): on SQLite the write
    lock is held from the transaction's first statement, and every intake waits for it.
    A moment `case_create` will refuse is passed on for it to refuse."""
    try:
        received_at = clean_received_at(received_at)
    except Invalid:
        return triage_read_ahead(description), received_at
    organisation_id = department.organisation_id if department is not None else None
    return triage_read_ahead(description, customer=customer, received_at=received_at,
                             organisation_id=organisation_id), received_at


def public_complaint_submit(
    *,
    description: str,
    name: str,
    phone: str = "",
    email: str = "",
    location: str = "",
    order_ref: str = "",
) -> Case:
    """A complaint from the public form or public API: no account, but a way to reach the
    customer is required. Lands in the default intake department."""
    customer = CustomerDetails(name=name, phone=phone, email=email)
    department = case_landing_department(None)
    read_ahead, received = _read_ahead(description, customer, None, department)
    with transaction.atomic(), case_announcements_batched():
        return _received(case_create(
            channel=Channel.WEB, description=description, customer=customer,
            received_at=received, location=location, order_ref=order_ref,
            require_contact=True, department=department,
        ), read_ahead=read_ahead)


def staff_case_record(
    *,
    user: User,
    channel: str,
    description: str,
    customer: CustomerDetails,
    received_at: datetime | None,
    location: str = "",
    order_ref: str = "",
    amount_at_stake: object = None,
    priority: str | None = None,
) -> Case:
    """A member of staff records a complaint received by phone, in person, by letter or in
    the comment book (意见簿), with the time it was really received."""
    if channel in (Channel.WEB, Channel.API, Channel.SURVEY):
        raise Invalid(_("Choose the channel the customer actually used."), field="channel")
    department = case_landing_department(user)
    read_ahead, received = _read_ahead(description, customer, received_at, department)
    with transaction.atomic(), case_announcements_batched():
        return _received(case_create(
            channel=channel, description=description, customer=customer,
            received_at=received, location=location, order_ref=order_ref,
            amount_at_stake=amount_at_stake, priority=priority, created_by=user,
            department=department,
        ), explicit_priority=bool(priority), read_ahead=read_ahead)


def _fingerprint(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def api_case_create(
    *, user: User, payload: dict[str, Any], idempotency_key: str | None = None
) -> tuple[dict[str, Any], bool]:
    """Create a case for an integrator. Returns (receipt, created).

    With an `idempotency_key`, a retry of the same request returns the first receipt and
    `created=False`; reusing the key for a different request is a `Conflict`.
    """
    key = (idempotency_key or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise Invalid(_("The Idempotency-Key header is too long."), field="Idempotency-Key")
    fingerprint = _fingerprint(payload)
    read_ahead: ReadAhead | None = None
    sent_by = payload.get("customer") or {}
    customer = CustomerDetails(
        name=sent_by.get("name") or "", phone=sent_by.get("phone") or "",
        email=sent_by.get("email") or "", external_id=sent_by.get("external_id") or "",
    )
    department = case_landing_department(user)
    received: datetime | None = None

    def create() -> Case:
        with case_announcements_batched():
            return _received(case_create(
                channel=payload.get("channel") or Channel.API,
                description=payload.get("description") or "",
                customer=customer,
                received_at=received,
                location=payload.get("location") or "",
                order_ref=payload.get("order_ref") or "",
                amount_at_stake=payload.get("amount_at_stake"),
                priority=payload.get("priority"),
                created_by=user,
                department=department,
            ), explicit_priority=bool(payload.get("priority")), read_ahead=read_ahead)

    def ahead() -> tuple[ReadAhead | None, datetime | None]:
        return _read_ahead(str(payload.get("description") or ""), customer,
                           payload.get("received_at"), department)

    if not key:
        read_ahead, received = ahead()
        with transaction.atomic():
            return intake_receipt(create()), True

    existing = _replay(user, key, fingerprint)
    if existing is not None:
        return existing, False
    read_ahead, received = ahead()
    try:
        with transaction.atomic():
            case = create()
            receipt = intake_receipt(case)
            IdempotencyRecord.objects.create(
                user=user, key=key, fingerprint=fingerprint, case=case, response=receipt
            )
    except IntegrityError:
        # Two retries raced; the first one's case stands and this one's rolled back.
        existing = _replay(user, key, fingerprint)
        if existing is None:
            raise
        return existing, False
    return receipt, True


def _replay(user: User, key: str, fingerprint: str) -> dict[str, Any] | None:
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise Conflict(
            _("This Idempotency-Key was already used for a different request."),
            field="Idempotency-Key",
        )
    return dict(record.response)
