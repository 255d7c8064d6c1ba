"""Every write to a case. Nothing else changes a case's status, owner or details.

Each service runs in one transaction, takes the case's row lock, checks the move against
the lifecycle and the actor's rights, saves only the fields it changed, appends events to
the timeline, and announces the change (`signals.case_changed`) once the transaction commits.
"""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import Department, User
from redress.cases import lifecycle
from redress.cases.models import (
    Case,
    CaseEvent,
    Channel,
    CloseReason,
    Customer,
    Emotion,
    EventKind,
    Kind,
    Priority,
    ReferenceCounter,
    Risk,
    Scenario,
    Status,
    Want,
)
from redress.cases.search import index_cases, search_terms
from redress.cases.selectors import case_actionable_by, case_visible_to
from redress.cases.signals import case_changed, case_moving, case_received
from redress.cases.validation import (
    DESCRIPTION_MAX,
    MESSAGE_MAX,
    NAME_MAX,
    clean_amount,
    clean_choice,
    clean_email,
    clean_long_text,
    clean_phone,
    clean_received_at,
    clean_short_text,
)
from redress.common import clock
from redress.common.errors import Conflict, Invalid, NotAllowed, NotFound
from redress.common.settings_cache import cached
from redress.common.text import guess_language
from redress.notify.services import email_queue, sms_queue


@dataclass(frozen=True)
class CustomerDetails:
    name: str = ""
    phone: str = ""
    email: str = ""
    external_id: str = ""


def _new_reference(moment: datetime) -> str:
    year = moment.astimezone(ZoneInfo(settings.TIME_ZONE)).year
    # One statement (SQLite ≥ 3.35 and PostgreSQL both have upsert with RETURNING): the
    # first case of a year inserts the row, every later one takes its row lock and counts
    # on, so two requests at once never get the same number.
    quote = connection.ops.quote_name
    table = quote(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({quote('year')}, {quote('last')}) VALUES (%s, 1) "  # noqa: S608 - names from the model
            f"ON CONFLICT ({quote('year')}) DO UPDATE SET {quote('last')} = "
            f"{table}.{quote('last')} + 1 RETURNING {quote('last')}",
            [year],
        )
        (number,) = cursor.fetchone()
    return f"SR-{year}-{number:06d}"


def _customer_for(details: CustomerDetails) -> Customer:
    # An integrator's own customer id is authoritative: the same id is the same person.
    if details.external_id:
        existing = Customer.objects.filter(external_id=details.external_id).first()
        if existing:
            return existing
    return Customer.objects.create(
        name=details.name, phone=details.phone, email=details.email,
        external_id=details.external_id,
    )


class _Announcement:
    """`case_changed` for one case, sent once its transaction commits."""

    def __init__(self, case_id: int, event_ids: list[int]) -> None:
        self.case_id = case_id
        self.event_ids = event_ids

    def __call__(self) -> None:
        case_changed.send(sender=Case, case_id=self.case_id, event_ids=self.event_ids)


_batched: ContextVar[dict[int, list[int]] | None] = ContextVar("batched", default=None)


@contextmanager
def case_announcements_batched() -> Iterator[None]:
    """Within this block, changes to a case are announced once, with all their events,
    when the block ends (and then after commit): intake stores a case, triage reads it and
    the acknowledgement goes out, and each listener catches up once instead of three
    times. Use it inside the transaction that makes the changes."""
    if _batched.get() is not None:
        yield
        return
    pending: dict[int, list[int]] = {}
    token = _batched.set(pending)
    try:
        yield
    finally:
        _batched.reset(token)
    for case_id, event_ids in pending.items():
        transaction.on_commit(_Announcement(case_id, event_ids))


def case_received_announce(case: Case) -> None:
    """Announce a new case inside intake's transaction (`signals.case_received`), in place
    of announcing its first entries after commit. Call within `case_announcements_batched`,
    after the case is read, clocked and acknowledged: entries written from here on (a
    receiver keeping a promise already missed) are announced as usual."""
    pending = _batched.get()
    if pending is not None:
        pending.pop(case.pk, None)
    case_received.send(sender=Case, case=case)


def _announce(case: Case, events: list[CaseEvent]) -> None:
    """Tell the other apps, after commit, that these events happened to the case."""
    event_ids = [e.pk for e in events]
    pending = _batched.get()
    if pending is not None:
        pending.setdefault(case.pk, []).extend(event_ids)
        return
    transaction.on_commit(_Announcement(case.pk, event_ids))


def _tracking_url(case: Case) -> str:
    return f"{settings.REDRESS_PUBLIC_URL.rstrip('/')}/track/{case.tracking_code}/"


def _email_customer(case: Case, body: str) -> None:
    """Send what was written to the customer the way they can be reached: by e-mail when
    they left an address, otherwise by text message (held back during the quiet hours
    unless the case is P1 or they agreed to be contacted at night)."""
    customer = case.customer
    with translation.override(case.language_code):
        subject = gettext("[%(reference)s] About your complaint") % {"reference": case.reference}
        footer = gettext("Follow your case here: %(url)s") % {"url": _tracking_url(case)}
    if customer.email:
        email_queue(to=customer.email, subject=subject, body=f"{body}\n\n--\n{footer}\n")
    elif customer.phone:
        sms_queue(
            to=customer.phone, body=f"{subject} {body} {footer}",
            urgent=case.priority == Priority.P1 or customer.contact_at_night,
        )


def case_landing_department(created_by: User | None) -> Department | None:
    """Where a new case lands when no department is named: the recording staff member's
    department, else the default intake department (kept in each process until any
    department changes)."""
    if created_by is not None and created_by.department is not None:
        return created_by.department
    return cached("default_intake",
                  lambda: Department.objects.filter(is_default_intake=True).first())


def case_create(
    *,
    channel: str,
    description: str,
    customer: CustomerDetails,
    received_at: datetime | None = None,
    location: str = "",
    order_ref: str = "",
    amount_at_stake: object = None,
    priority: str | None = None,
    department: Department | None = None,
    created_by: User | None = None,
    require_contact: bool = False,
    existing_customer: Customer | None = None,
) -> Case:
    """Store a complaint exactly as sent and give it a reference and a tracking code.

    The case lands in `department`, else the recording staff member's department, else
    the default intake department. Raises `Invalid` (naming the field) and stores nothing
    when any input is wrong. `existing_customer`, when given, is the person the case is
    for (a survey respondent already on file); `customer` is then only checked.
    """
    channel = clean_choice(channel, field="channel", choices=list(Channel.values))
    description = clean_long_text(
        description, field="description", max_length=DESCRIPTION_MAX, required=True
    )
    name = clean_short_text(customer.name, field="name", max_length=NAME_MAX)
    phone = clean_phone(customer.phone)
    email = clean_email(customer.email)
    external_id = clean_short_text(customer.external_id, field="external_id", max_length=100)
    if require_contact and not name:
        raise Invalid(_("Please tell us your name."), field="name")
    if require_contact and not (phone or email):
        raise Invalid(
            _("Please leave a phone number or an e-mail address so we can reach you."),
            field="phone",
        )
    location = clean_short_text(location, field="location")
    order_ref = clean_short_text(order_ref, field="order_ref", max_length=100)
    amount = clean_amount(amount_at_stake, field="amount_at_stake")
    received = clean_received_at(received_at)
    chosen_priority = clean_choice(
        priority or Priority.P3, field="priority", choices=list(Priority.values)
    )
    if department is None:
        department = case_landing_department(created_by)

    now = clock.now()
    with transaction.atomic():
        case = Case.objects.create(
            reference=_new_reference(now),
            tracking_code=secrets.token_urlsafe(16),
            customer=existing_customer or _customer_for(
                CustomerDetails(name=name, phone=phone, email=email, external_id=external_id)
            ),
            channel=channel,
            received_at=received,
            created_at=now,
            updated_at=now,
            description=description,
            language=guess_language(description),
            location=location,
            order_ref=order_ref,
            amount_at_stake=amount,
            priority=chosen_priority,
            department=department,
            created_by=created_by,
        )
        stored = case.customer
        index_cases([(case.pk, search_terms(description, stored.name, stored.phone,
                                            stored.email, order_ref))])
        event = CaseEvent.objects.create(
            case=case, at=now, actor=created_by, kind=EventKind.CREATED,
            to_status=Status.NEW, visible_to_customer=True,
            after={"channel": channel, "received_at": received.isoformat(),
                   "priority": chosen_priority},
        )
        _announce(case, [event])
    return case


def _locked_case(case: Case, expected_version: int | None) -> Case:
    try:
        locked = Case.objects.select_for_update().select_related("customer").get(pk=case.pk)
    except Case.DoesNotExist as exc:
        raise NotFound(_("No such case.")) from exc
    if expected_version is not None and expected_version != locked.version:
        raise Conflict(
            _("Someone else changed this case a moment ago. Reload it and try again."),
            field="version",
        )
    return locked


def _require_actionable(case: Case, actor: User) -> None:
    if not case_visible_to(actor, case):
        raise NotFound(_("No such case."))
    if not case_actionable_by(actor, case):
        raise NotAllowed(
            _("This case belongs to %(owner)s. Ask them or a supervisor to hand it over.")
            % {"owner": case.owner.display_name if case.owner else "-"}
        )


def _save(case: Case, fields: list[str]) -> None:
    case.version += 1
    case.updated_at = clock.now()
    case.save(update_fields=[*fields, "version", "updated_at"])


def _default_apology(case: Case) -> str:
    with translation.override(case.language_code):
        return gettext(
            "We are sorry for the trouble this has caused you. We have received your "
            "complaint (%(reference)s) and the person writing to you now will see it "
            "through until it is put right."
        ) % {"reference": case.reference}


def _message_event(case: Case, actor: User | None, body: str, *, to_customer: bool) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case, actor=actor, kind=EventKind.MESSAGE if to_customer else EventKind.NOTE,
        message=body, visible_to_customer=to_customer,
    )
    if to_customer:
        _email_customer(case, body)
    return event


def case_transition(
    *,
    case: Case,
    actor: User,
    to: str,
    message: str | None = None,
    expected_version: int | None = None,
    needs: str | None = None,
    facts: str | None = None,
    remedy: str | None = None,
    remedy_amount: object = None,
    close_reason: str | None = None,
    outcome: str | None = None,
    via: str = "",
) -> Case:
    """Move a case to `to`, the one way its status ever changes.

    Refuses with `Conflict` a move the lifecycle does not allow from the current state or a
    stale `expected_version`, with `NotAllowed` an actor who is not the owner (or a
    supervisor), with `Invalid` missing or bad details. Acknowledging records the apology
    sent to the customer (a default one in their language when none is written) and makes
    the actor the owner (首问负责). `message`, when given, is sent to the customer.
    `via` names the app whose service makes the move, for the guards on `case_moving`.
    """
    to = clean_choice(to, field="to", choices=list(Status.values))
    message = clean_long_text(message, field="message", max_length=MESSAGE_MAX, required=False)
    details: dict[str, Any] = {}
    for field, value in (("needs", needs), ("facts", facts), ("remedy", remedy),
                         ("outcome", outcome)):
        if value is not None:
            details[field] = clean_long_text(
                value, field=field, max_length=MESSAGE_MAX, required=False
            )
    amount = clean_amount(remedy_amount, field="remedy_amount")

    with transaction.atomic():
        case = _locked_case(case, expected_version)
        _require_actionable(case, actor)
        allowed = lifecycle.allowed_targets(case.status, case.status_before_wait)
        if to not in allowed:
            raise Conflict(
                _("A case that is “%(current)s” cannot move to “%(target)s”.")
                % {"current": Status(case.status).label, "target": Status(to).label},
                field="to",
            )
        if to == Status.REMEDY_PROPOSED and not (details.get("remedy") or case.remedy):
            raise Invalid(_("Describe the remedy you are offering."), field="remedy")
        if to == Status.CLOSED:
            if case.status in lifecycle.CLOSES_AS_RESOLVED:
                close_reason = close_reason or CloseReason.RESOLVED
            elif close_reason not in (CloseReason.DUPLICATE, CloseReason.INVALID):
                raise Invalid(
                    _("An unfinished case can only be closed as a duplicate or as invalid; "
                      "say which."),
                    field="close_reason",
                )
            close_reason = clean_choice(
                close_reason, field="close_reason", choices=list(CloseReason.values)
            )
        case_moving.send(
            sender=Case, case=case, actor=actor, to=to, close_reason=close_reason, via=via
        )

        before: dict[str, Any] = {"status": case.status}
        after: dict[str, Any] = {"status": to}
        changed = ["status"]

        def change(field: str, value: Any) -> None:
            old = getattr(case, field)
            if old == value:
                return
            before[field] = str(old) if isinstance(old, Decimal) else old
            after[field] = str(value) if isinstance(value, Decimal) else value
            setattr(case, field, value)
            changed.append(field)

        now = clock.now()
        for field, value in details.items():
            change(field, value)
        if amount is not None:
            change("remedy_amount", amount)
        if to == Status.ACKNOWLEDGED and case.status == Status.NEW:
            # The first response only: coming back from waiting on the customer neither
            # restarts the first-response clock nor apologises a second time.
            if case.owner_id is None:
                change("owner_id", actor.pk)
            change("acknowledged_at", now)
            message = message or _default_apology(case)
        if to == Status.WAITING_ON_CUSTOMER:
            change("status_before_wait", case.status)
        elif case.status == Status.WAITING_ON_CUSTOMER:
            change("status_before_wait", "")
        if to == Status.RESOLVED:
            change("resolved_at", now)
        if to == Status.INVESTIGATING and case.status in (Status.RESOLVED, Status.FOLLOW_UP):
            change("resolved_at", None)  # reopened: the earlier resolution did not hold
        if to == Status.CLOSED:
            change("close_reason", close_reason)
            change("closed_at", now)
        from_status = case.status
        case.status = to
        _save(case, changed)

        events = [
            CaseEvent.objects.create(
                case=case, at=now, actor=actor, kind=EventKind.TRANSITION,
                from_status=from_status, to_status=to, before=_jsonable(before),
                after=_jsonable(after), visible_to_customer=True,
            )
        ]
        if message:
            events.append(_message_event(case, actor, message, to_customer=True))
        _announce(case, events)
    return case


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def case_record_details(
    *,
    case: Case,
    actor: User,
    expected_version: int | None = None,
    needs: str | None = None,
    facts: str | None = None,
) -> Case:
    """Record what the customer needs and the facts found, without moving the case."""
    values = {
        field: clean_long_text(value, field=field, max_length=MESSAGE_MAX, required=False)
        for field, value in (("needs", needs), ("facts", facts)) if value is not None
    }
    with transaction.atomic():
        case = _locked_case(case, expected_version)
        _require_actionable(case, actor)
        if not case.is_open:
            raise Conflict(_("This case is closed."))
        before = {f: getattr(case, f) for f, v in values.items() if getattr(case, f) != v}
        if not before:
            return case
        for field in before:
            setattr(case, field, values[field])
        _save(case, list(before))
        event = CaseEvent.objects.create(
            case=case, actor=actor, kind=EventKind.DETAILS, before=before,
            after={f: values[f] for f in before},
        )
        _announce(case, [event])
    return case


def case_record_labels(
    *, case: Case, actor: User | None, labels: dict[str, Any], source: str = "staff",
    priority: str | None = None, just_stored: bool = False,
) -> Case:
    """Record how the complaint reads (kind, scenario, emotion, risks, wants of
    TAXONOMY.md). A member of staff correcting the reading leaves an event with the values
    before and after, which later becomes training data; `actor=None` is triage itself.
    With `priority`, the priority the reading implies is set in the same write, with its
    own timeline entry for the priority.
    `just_stored` says the caller stored `case` in the transaction under way (intake), so
    nobody else can have changed it: it is updated as held, without reading it again, and
    without a savepoint of its own (a failure undoes the caller's, as it must anyway)."""
    choices = {"kind": Kind, "scenario": Scenario, "emotion": Emotion}
    lists = {"risks": Risk, "wants": Want}
    values: dict[str, Any] = {}
    for field, value in labels.items():
        if field in choices:
            values[field] = clean_choice(
                value or "", field=field, choices=["", *choices[field].values]
            )
        elif field in lists:
            items = value if isinstance(value, list | tuple) else [value]
            for item in items:
                clean_choice(item, field=field, choices=list(lists[field].values))
            values[field] = sorted(set(items))
        else:
            raise Invalid(_("“%(field)s” is not a label.") % {"field": field}, field=field)
    if priority is not None:
        priority = clean_choice(priority, field="priority", choices=list(Priority.values))
    with transaction.atomic(savepoint=not just_stored):
        if not just_stored:
            case = _locked_case(case, None)
        if actor is not None:
            _require_actionable(case, actor)
        before = {f: getattr(case, f) for f, v in values.items() if getattr(case, f) != v}
        new_priority = priority is not None and priority != case.priority
        if not before and not new_priority:
            return case
        events = []
        if before:
            for field in before:
                setattr(case, field, values[field])
            events.append(CaseEvent(
                case=case, actor=actor, kind=EventKind.LABELS, before=before,
                after={f: values[f] for f in before}, message=source,
            ))
        if new_priority:
            events.append(CaseEvent(
                case=case, actor=actor, kind=EventKind.DETAILS,
                before={"priority": case.priority}, after={"priority": priority},
                message=source,
            ))
            case.priority = str(priority)
        _save(case, [*before, *(["priority"] if new_priority else [])])
        _announce(case, CaseEvent.objects.bulk_create(events))
    return case


def case_move_department(
    *, case: Case, actor: User | None, department: Department, source: str = "staff"
) -> Case:
    """Move a case to another department of the same organisation; the move is on the
    timeline. Only a supervisor or above who may see the case moves it (`actor=None` is
    automatic routing on intake). The owner, if any, keeps the case."""
    with transaction.atomic():
        case = _locked_case(case, None)
        if actor is not None:
            _require_actionable(case, actor)
            if not actor.is_supervisor_or_above:
                raise NotAllowed(_("Only a supervisor can move a case to another department."))
        if not case.is_open:
            raise Conflict(_("This case is closed."))
        current = case.department
        if current is not None and department.organisation_id != current.organisation_id:
            raise Invalid(_("Choose a department of the same organisation."),
                          field="department")
        if case.department_id == department.pk:
            return case
        before = {"department": current.name if current else None}
        case.department = department
        _save(case, ["department"])
        event = CaseEvent.objects.create(
            case=case, actor=actor, kind=EventKind.DETAILS, before=before,
            after={"department": department.name}, message=source,
        )
        _announce(case, [event])
    return case


def case_handover(
    *, case: Case, actor: User, to_user: User, reason: str, expected_version: int | None = None
) -> Case:
    """Hand a case to another member of staff; the reason goes on the timeline.

    Only the owner or a supervisor may hand over, only to an active colleague who may see
    the case, and never without a reason: first-contact ownership ends only by choice.
    """
    reason = clean_long_text(reason, field="reason", max_length=MESSAGE_MAX, required=True)
    with transaction.atomic():
        case = _locked_case(case, expected_version)
        _require_actionable(case, actor)
        if not case.is_open:
            raise Conflict(_("This case is closed."))
        if case.status == Status.NEW:
            raise Conflict(
                _("Acknowledge the case first: whoever answers the customer first owns it."),
            )
        if not to_user.is_active or not case_visible_to(to_user, case):
            raise Invalid(
                _("%(name)s cannot take this case: they do not work in its department.")
                % {"name": to_user.display_name},
                field="to_user",
            )
        if to_user.pk == case.owner_id:
            raise Invalid(_("%(name)s already owns this case.") % {"name": to_user.display_name},
                          field="to_user")
        before = {"owner": case.owner.username if case.owner else None}
        case.owner = to_user
        _save(case, ["owner"])
        event = CaseEvent.objects.create(
            case=case, actor=actor, kind=EventKind.HANDOVER, message=reason,
            before=before, after={"owner": to_user.username},
        )
        _announce(case, [event])
    return case


def case_add_message(
    *, case: Case, actor: User, body: str, to_customer: bool = True
) -> CaseEvent:
    """Write to the customer (shown on their tracking page and e-mailed when they left an
    address), or, with `to_customer=False`, leave an internal note only staff see."""
    body = clean_long_text(body, field="body", max_length=MESSAGE_MAX, required=True)
    with transaction.atomic():
        case = _locked_case(case, None)
        _require_actionable(case, actor)
        if to_customer and not case.is_open:
            raise Conflict(_("This case is closed."))
        event = _message_event(case, actor, body, to_customer=to_customer)
        Case.objects.filter(pk=case.pk).update(updated_at=clock.now())
        _announce(case, [event])
    return event


def case_log(
    *, case: Case, actor: User | None, kind: str, message: str = "",
    visible_to_customer: bool = False, after: dict[str, Any] | None = None,
) -> CaseEvent:
    """Put something that happened to a case on its timeline without changing the case:
    a reply time agreed with the customer, a deadline about to pass. Call it inside the
    caller's transaction."""
    event = CaseEvent.objects.create(
        case=case, actor=actor, kind=kind, message=message,
        visible_to_customer=visible_to_customer, after=after or {},
    )
    _announce(case, [event])
    return event


@dataclass(frozen=True)
class TimelineEntry:
    """One automatic entry for `case_events_record`."""

    case_id: int
    kind: str
    after: dict[str, Any]
    message: str = ""


def case_events_record(*, entries: list[TimelineEntry], escalate: set[int]) -> None:
    """Deadline checks on many cases at once: flag the `escalate` cases escalated and put
    the entries (warnings, escalations) on their timelines, in a few statements.

    An escalated case's version goes up, so an agent's edit in flight is refused as stale
    rather than silently overwriting the flag. Escalation is a flag with its own events,
    not a state. Call inside the caller's transaction.
    """
    now = clock.now()
    if escalate:
        Case.objects.filter(pk__in=escalate).update(
            escalated=True, version=F("version") + 1, updated_at=now
        )
    CaseEvent.objects.bulk_create([
        CaseEvent(case_id=entry.case_id, at=now, kind=entry.kind, message=entry.message,
                  after=entry.after)
        for entry in entries
    ])


def case_notify_customer(*, case: Case, body: str) -> CaseEvent:
    """Write to the customer on the business's behalf, with no member of staff behind the
    message (a service guarantee kept by itself). Call it inside the caller's transaction."""
    event = _message_event(case, None, body, to_customer=True)
    _announce(case, [event])
    return event


def case_remedy_summary_set(*, case: Case, text: str, amount: Decimal | None) -> None:
    """Keep the case's one-line remedy summary (shown in lists, drafts and the tracking
    page) in step with its remedies. The remedies themselves are on the timeline; this
    writes no event. Call it inside the caller's transaction."""
    Case.objects.filter(pk=case.pk).update(
        remedy=text, remedy_amount=amount, version=F("version") + 1, updated_at=clock.now()
    )
    case.refresh_from_db(fields=["remedy", "remedy_amount", "version", "updated_at"])


def case_auto_acknowledge(*, case: Case, body: str) -> CaseEvent:
    """Tell the customer, within seconds of intake, that the complaint arrived. Recorded as
    its own kind of entry: it is not a person's first response."""
    event = CaseEvent.objects.create(
        case=case, kind=EventKind.AUTO_ACK, message=body, visible_to_customer=True,
    )
    _email_customer(case, body)
    _announce(case, [event])
    return event


# -- moves made by Redress itself (no member of staff) ------------------------------------


def case_system_transition(
    *, case: Case, to: str, via: str, close_reason: str | None = None, message: str = "",
) -> Case:
    """Move a case on Redress's own account (the actor on the timeline is empty): the
    follow-up going out moves a resolved case to `follow_up`; a follow-up left unanswered
    closes it as `no_response`. The lifecycle and the `case_moving` guards apply as to any
    move; the actor's rights do not, there being none."""
    with transaction.atomic():
        case = _locked_case(case, None)
        if to not in lifecycle.allowed_targets(case.status, case.status_before_wait):
            raise Conflict(
                _("A case that is “%(current)s” cannot move to “%(target)s”.")
                % {"current": Status(case.status).label, "target": Status(to).label},
                field="to",
            )
        changed = ["status"]
        before: dict[str, Any] = {"status": case.status}
        after: dict[str, Any] = {"status": to}
        if to == Status.CLOSED:
            close_reason = clean_choice(
                close_reason, field="close_reason", choices=list(CloseReason.values)
            )
        case_moving.send(
            sender=Case, case=case, actor=None, to=to, close_reason=close_reason, via=via
        )
        now = clock.now()
        if to == Status.CLOSED:
            case.close_reason, case.closed_at = close_reason or "", now
            changed += ["close_reason", "closed_at"]
            after["close_reason"] = close_reason
        from_status = case.status
        case.status = to
        _save(case, changed)
        events = [CaseEvent.objects.create(
            case=case, at=now, kind=EventKind.TRANSITION, from_status=from_status,
            to_status=to, before=before, after=after, visible_to_customer=True,
        )]
        if message:
            events.append(CaseEvent.objects.create(
                case=case, at=now, kind=EventKind.MESSAGE, message=message,
                visible_to_customer=True,
            ))
        _announce(case, events)
    return case


def case_reopen_for_second_recovery(
    *, case: Case, actor: User | None, priority: str, reason: str, via: str,
) -> Case:
    """The customer said the recovery did not put things right: reopen the case
    (`investigating`), count one more recovery round, and raise its priority to `priority`
    (never lowered). A second failure needs a stronger recovery: the recovery paradox does
    not hold twice. `actor` is the member of staff who recorded the answer, or None when
    the customer answered themselves. Refused with `Conflict` unless the case is resolved
    or in follow-up."""
    priority = clean_choice(priority, field="priority", choices=list(Priority.values))
    with transaction.atomic():
        case = _locked_case(case, None)
        if case.status not in (Status.RESOLVED, Status.FOLLOW_UP):
            raise Conflict(
                _("A case that is “%(current)s” cannot move to “%(target)s”.")
                % {"current": Status(case.status).label,
                   "target": Status(Status.INVESTIGATING).label},
                field="to",
            )
        case_moving.send(sender=Case, case=case, actor=actor, to=Status.INVESTIGATING,
                         close_reason=None, via=via)
        now = clock.now()
        # P1 sorts first: the smaller of the two is the more urgent.
        raised = min(case.priority, priority)
        before = {"status": case.status, "priority": case.priority,
                  "recovery_round": case.recovery_round,
                  "resolved_at": case.resolved_at.isoformat() if case.resolved_at else None}
        from_status = case.status
        case.status = Status.INVESTIGATING
        case.priority = raised
        case.recovery_round += 1
        case.resolved_at = None
        _save(case, ["status", "priority", "recovery_round", "resolved_at"])
        events = [CaseEvent.objects.create(
            case=case, at=now, actor=actor, kind=EventKind.TRANSITION,
            from_status=from_status, to_status=Status.INVESTIGATING, before=before,
            after={"status": Status.INVESTIGATING, "priority": raised,
                   "recovery_round": case.recovery_round, "resolved_at": None,
                   "reason": reason},
            visible_to_customer=True,
        )]
        _announce(case, events)
    return case
