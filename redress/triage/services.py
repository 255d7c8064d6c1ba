"""Every write triage makes: reading a new case on intake (labels, priority, routing,
repeats and duplicates) and merging a duplicate into the case it repeats.

`case_triage` runs inside intake's transaction, after the case is stored and before its
clocks start, so the first screen, the receipt and the SLA policy all see the reading.
It never breaks intake: whatever goes wrong is logged and rolled back to a savepoint,
and the case is stored unread.
"""

import logging
import math
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz, process

from redress.accounts.models import Department, Organisation, User
from redress.cases.models import (
    Case,
    CloseReason,
    Customer,
    EventKind,
    Kind,
    Risk,
    Scenario,
    Status,
)
from redress.cases.selectors import case_visible_to
from redress.cases.services import (
    case_log,
    case_move_department,
    case_record_labels,
    case_transition,
)
from redress.cases.validation import clean_choice, clean_email, clean_phone, clean_short_text
from redress.common.errors import Conflict, Invalid, NotFound
from redress.common.settings_cache import cached
from redress.triage import engine
from redress.triage.models import CaseLink, LinkKind, PriorityRule, RoutingRule, TriageRecord
from redress.triage.priority import priority_of
from redress.triage.reading import Reading

logger = logging.getLogger(__name__)

DUPLICATE_SCORE = 90.0  # rapidfuzz ratio on the normalised texts, 0–100
# The most recent readings looked at for duplicates; those of the same organisation and
# within the window are compared with the new text.
DUPLICATE_CANDIDATES = 200
REPEAT_CANDIDATES = 200  # the same customer's most recent cases looked at for repeats
DUPLICATE_SUGGESTIONS = 5  # the most alike of them offered to merge
# Shorter than this after normalising ("😡😡", "??") is too little to call a duplicate.
DUPLICATE_MIN_LENGTH = 6
# Long complaints are compared on their beginning: the same complaint sent twice starts
# the same way, and the comparison stays within the intake budget.
COMPARE_CHARS = 1000
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def text_normalise(text: str) -> str:
    """The text as compared: full-width folded to half-width, lower case, and only letters
    and digits kept (no spaces, punctuation, emoji or control characters)."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "").casefold())


# -- the priority rule ---------------------------------------------------------------------


def priority_by_rule(labels: dict[str, Any], rule: PriorityRule | None) -> str:
    """The priority the labels imply under the organisation's rule; with none, the
    installation's rule (`priority.priority_of`: TAXONOMY.md's unless a setting names
    another)."""
    if rule is None:
        return priority_of(labels.get("kind") or Kind.COMPLAINT, labels.get("emotion") or "",
                           list(labels.get("risks") or []))
    risks = set(labels.get("risks") or [])
    if risks & set(rule.p1_risks):
        return "P1"
    if labels.get("emotion") in rule.p2_emotions or risks & set(rule.p2_risks):
        return "P2"
    if labels.get("kind") in ("", None, Kind.COMPLAINT):
        return rule.complaint_priority
    return rule.other_priority


def _organisation_id(case: Case) -> int | None:
    # The id is on the department intake already holds: no query for the organisation.
    return case.department.organisation_id if case.department_id and case.department else None


# -- routing -------------------------------------------------------------------------------


def routing_suggest(
    *, organisation: Organisation | int, labels: dict[str, Any], text: str, location: str,
    normalised: str | None = None,
) -> RoutingRule | None:
    """The first active rule, by rank, whose every filled-in condition holds.
    `normalised` is `text` already passed through `text_normalise`, when the caller has it."""
    normalised = text_normalise(text) if normalised is None else normalised
    place = text_normalise(location)
    risks = set(labels.get("risks") or [])
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    for rule in _routing_rules().get(organisation_id, []):
        if rule.scenario and rule.scenario != labels.get("scenario"):
            continue
        if rule.risk and rule.risk not in risks:
            continue
        keywords = [text_normalise(k) for k in rule.keyword_list()]
        keywords = [k for k in keywords if k]
        if keywords and not any(k in normalised for k in keywords):
            continue
        wanted_place = text_normalise(rule.location_contains)
        if wanted_place and wanted_place not in place:
            continue
        return rule
    return None


def _routing_rules() -> dict[int, list[RoutingRule]]:
    """The active rules of every organisation, by rank (kept in memory until one changes)."""
    def load() -> dict[int, list[RoutingRule]]:
        rules: dict[int, list[RoutingRule]] = {}
        for rule in (RoutingRule.objects.filter(active=True).select_related("department")
                     .order_by("rank", "id")):
            rules.setdefault(rule.organisation_id, []).append(rule)
        return rules

    return cached("routing_rules", load)


def priority_rule_of(organisation_id: int) -> PriorityRule | None:
    """The organisation's priority rule, if it has its own (kept in memory until one
    changes)."""
    rules = cached("priority_rules", lambda: {
        rule.organisation_id: rule for rule in PriorityRule.objects.all()})
    return rules.get(organisation_id)


def routing_rule_create(
    *, organisation: Organisation, department: Department, name: str, rank: int = 100,
    scenario: str = "", risk: str = "", keywords: list[str] | None = None,
    location_contains: str = "",
) -> RoutingRule:
    """Add a routing rule. Refuses (`Invalid`, naming the field) a department of another
    organisation, an unknown scenario or risk, and a rule with no condition at all (it
    would send every complaint to one department)."""
    name = clean_short_text(name, field="name")
    if not name:
        raise Invalid(_("Please give the rule a name."), field="name")
    if department.organisation_id != organisation.pk:
        raise Invalid(_("Choose a department of the same organisation."), field="department")
    scenario = clean_choice(scenario, field="scenario", choices=["", *Scenario.values])
    risk = clean_choice(risk, field="risk", choices=["", *Risk.values])
    words = [clean_short_text(word, field="keywords", max_length=100)
             for word in keywords or []]
    words = [word for word in words if word]
    location_contains = clean_short_text(location_contains, field="location_contains")
    if not (scenario or risk or words or location_contains):
        raise Invalid(_("Give the rule at least one condition."), field="keywords")
    return RoutingRule.objects.create(
        organisation=organisation, department=department, name=name, rank=rank,
        scenario=scenario, risk=risk, keywords="\n".join(words),
        location_contains=location_contains,
    )


# -- repeats and duplicates ----------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """Who sent a complaint, when, to which organisation: what repeats are found by."""

    phone: str
    email: str
    external_id: str
    received_at: datetime
    organisation_id: int | None

    @classmethod
    def of(cls, case: Case, organisation_id: int | None) -> "Contact":
        customer = case.customer
        return cls(customer.phone.strip(), customer.email.strip(),
                   customer.external_id.strip(), case.received_at, organisation_id)


def _tables(*models: type[Any]) -> list[str]:
    return [connection.ops.quote_name(model._meta.db_table) for model in models]


def _in_organisation(organisation_id: int | None) -> tuple[str, list[int]]:
    """The condition on a joined department `d` that its case is of this organisation; a
    case with no department belongs to no organisation, so None matches None."""
    if organisation_id is None:
        return "d.organisation_id IS NULL", []
    return "d.organisation_id = %s", [organisation_id]


def _repeats_of(contact: Contact, exclude: int | None = None) -> list[int]:
    """Earlier cases of the same customer (the same phone, e-mail or external id, whoever
    recorded them) received within the repeat window, in the same organisation, the
    latest first (at most 20).

    Written out, as `_duplicates_of` is, and in the same two steps: the customer's
    latest cases first (through the contact details, each indexed), then the window and
    the organisation. Filtering on them beside the contact details made SQLite walk
    every case of the organisation in the window instead, a cost that grew with the
    day's volume."""
    same: list[str] = []
    params: list[Any] = []
    if contact.phone:
        same.append("phone = %s")
        params.append(contact.phone)
    if contact.email:
        same.append("LOWER(email) = %s")  # the expression of cases_customer_email_folded
        params.append(contact.email.lower())
    if contact.external_id:
        same.append("external_id = %s")
        params.append(contact.external_id)
    if not same:
        return []
    cases, customers, departments = _tables(Case, Customer, Department)
    organisation, organisation_params = _in_organisation(contact.organisation_id)
    since = contact.received_at - timedelta(days=settings.REDRESS_REPEAT_WINDOW_DAYS)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.id FROM ("  # noqa: S608
            f"SELECT id, received_at, department_id FROM {cases} WHERE customer_id IN "
            f"(SELECT id FROM {customers} WHERE {' OR '.join(same)}) AND id <> %s "
            "ORDER BY id DESC LIMIT %s) r "
            f"LEFT OUTER JOIN {departments} d ON d.id = r.department_id "
            f"WHERE r.received_at BETWEEN %s AND %s AND {organisation} "
            "ORDER BY r.received_at DESC, r.id DESC LIMIT 20",
            [*params, -1 if exclude is None else exclude, REPEAT_CANDIDATES,
             adapt(since), adapt(contact.received_at), *organisation_params])
        return [row[0] for row in cursor.fetchall()]


def _duplicates_of(
    contact: Contact, text_key: str, exclude: int | None = None
) -> list[tuple[int, float]]:
    """Cases of the same organisation received within the duplicate window whose words
    are (nearly) the same as this one's: (case id, similarity 0–100), best first.

    Compares the normalised text kept with each earlier reading, so no earlier complaint
    is normalised again. The candidates are the most recently read complaints (at most
    DUPLICATE_CANDIDATES of them, by the reading's id, newest first), kept if they are of
    the same organisation and within the window: the same complaint sent twice arrives
    close together. Reading them in id order costs the same at any daily volume. Of those,
    only the texts whose length could reach the score are read out of the database."""
    if len(text_key) < DUPLICATE_MIN_LENGTH:
        return []
    window = timedelta(hours=settings.REDRESS_DUPLICATE_WINDOW_HOURS)
    earliest, latest = contact.received_at - window, contact.received_at + window
    shortest, longest = comparable_lengths(len(text_key))
    # One statement, written out: every complaint pays for it, and building it with the
    # ORM cost several times what the database does. The latest readings are taken
    # first, by id (their lengths only), and only then joined to their cases and
    # filtered: with the window and the organisation beside the limit the database could
    # start from every case of the window instead.
    readings, cases, departments = _tables(TriageRecord, Case, Department)
    adapt = connection.ops.adapt_datetimefield_value
    organisation, organisation_params = _in_organisation(contact.organisation_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.case_id, t.text_key FROM ("  # noqa: S608
            f"SELECT id, case_id, length(text_key) AS size FROM {readings} "
            "WHERE case_id <> %s ORDER BY id DESC LIMIT %s) r "
            f"INNER JOIN {readings} t ON t.id = r.id "
            f"INNER JOIN {cases} c ON c.id = r.case_id "
            f"LEFT OUTER JOIN {departments} d ON d.id = c.department_id "
            "WHERE r.size BETWEEN %s AND %s AND c.received_at BETWEEN %s AND %s "
            f"AND c.close_reason <> %s AND {organisation} ORDER BY r.id DESC",
            [-1 if exclude is None else exclude, DUPLICATE_CANDIDATES, shortest, longest,
             adapt(earliest), adapt(latest), CloseReason.DUPLICATE.value,
             *organisation_params])
        candidates = cursor.fetchall()
    if not candidates:
        return []
    # score_cutoff lets rapidfuzz skip texts of very different length without comparing.
    found = process.extract(text_key, [key for _pk, key in candidates], scorer=fuzz.ratio,
                            score_cutoff=DUPLICATE_SCORE, limit=DUPLICATE_SUGGESTIONS)
    return [(candidates[index][0], round(score, 1)) for _key, score, index in found]


def comparable_lengths(length: int) -> tuple[int, int]:
    """The shortest and longest texts that can score DUPLICATE_SCORE against a text of
    `length` characters. rapidfuzz's ratio is 100 × (1 − d / (a + b)) for texts of a and b
    characters at indel distance d, and d ≥ |a − b|; so with t = 1 − score / 100 the other
    text has between a(1 − t)/(1 + t) and a(1 + t)/(1 − t) characters."""
    t = 1 - DUPLICATE_SCORE / 100
    return math.floor(length * (1 - t) / (1 + t)), math.ceil(length * (1 + t) / (1 - t))


# -- intake --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadAhead:
    """A complaint read before its transaction opens: reading is CPU work, and on SQLite
    every millisecond inside the transaction holds the one write lock all intake shares.
    When intake knew who sent it, when and to which organisation, the earlier cases it
    repeats or duplicates were looked up ahead too (`contact`, `repeats`, `duplicates`).

    Looked up ahead, a complaint sent twice within the same few milliseconds may miss its
    twin, which is not stored yet; any later one finds it."""

    text: str
    reading: Reading
    contact: Contact | None = None
    repeats: list[int] = field(default_factory=list)
    duplicates: list[tuple[int, float]] = field(default_factory=list)


def triage_read_ahead(
    text: str, *, customer: Any = None, received_at: datetime | None = None,
    organisation_id: int | None = None,
) -> ReadAhead | None:
    """Read ahead, or None if reading fails here: `case_triage` then reads inside the
    transaction, where a failure leaves the case stored unread. With the customer's
    details (`CustomerDetails`) and the moment received, repeats and duplicates are
    looked up too; details that do not clean (intake will refuse them) skip that."""
    try:
        reading = engine.triage_text(text)
    except Exception:
        logger.exception("Reading a complaint ahead of intake failed.")
        return None
    if customer is None or received_at is None:
        return ReadAhead(text, reading)
    try:
        contact = Contact(
            clean_phone(customer.phone), clean_email(customer.email),
            clean_short_text(customer.external_id, field="external_id", max_length=100),
            received_at, organisation_id,
        )
    except Invalid:
        return ReadAhead(text, reading)
    text_key = text_normalise(text)[:COMPARE_CHARS]
    return ReadAhead(text, reading, contact, _repeats_of(contact),
                     _duplicates_of(contact, text_key))


def case_triage(*, case: Case, explicit_priority: bool = False,
                read_ahead: ReadAhead | None = None) -> Case:
    """Read a newly stored case and act on the reading, inside the caller's transaction.

    Records the labels (as triage, no actor), links earlier cases of the same customer
    (flagging `repeat`) and near-identical complaints (as duplicates to suggest), sets the
    priority by the organisation's rule unless the sender chose one, suggests a department
    by the routing rules (moving the case there only with REDRESS_TRIAGE_AUTO_ROUTE), and
    keeps the whole reading in a `TriageRecord`. Returns the case as it now is.

    Never raises: on any error nothing of this is stored and the case is returned as it
    was, unread; the error is logged.
    """
    try:
        with transaction.atomic():
            return _triage(case, explicit_priority, read_ahead)
    except Exception:
        logger.exception("Triage failed for case %s; it is stored unread.", case.pk)
        return case


def _triage(case: Case, explicit_priority: bool, read_ahead: ReadAhead | None) -> Case:
    # The case as intake created it: its department (and organisation) already loaded.
    organisation_id = _organisation_id(case)
    landed_in = case.department
    started = time.perf_counter()
    if read_ahead is not None and read_ahead.text == case.description:
        reading = read_ahead.reading
    else:  # not read ahead, or the stored text is not the text that was read
        reading = engine.triage_text(case.description)
    read_ms = (time.perf_counter() - started) * 1000
    normalised = text_normalise(case.description)
    text_key = normalised[:COMPARE_CHARS]  # what duplicates are compared on
    labels = reading.labels()
    contact = Contact.of(case, organisation_id)
    if (read_ahead is not None and read_ahead.contact == contact
            and read_ahead.text == case.description):
        repeats, duplicates = read_ahead.repeats, read_ahead.duplicates
    else:  # looked up here: another customer record, or no details ahead
        repeats = _repeats_of(contact, exclude=case.pk)
        duplicates = _duplicates_of(contact, text_key, exclude=case.pk)
    if repeats and "repeat" not in labels["risks"]:
        labels["risks"] = [*labels["risks"], "repeat"]
    rule_priority = ""
    if not explicit_priority:
        rule = priority_rule_of(organisation_id) if organisation_id else None
        rule_priority = priority_by_rule(labels, rule)
    # Labels and the priority they imply in one write (two events on the timeline).
    case = case_record_labels(case=case, actor=None, labels=labels, source="triage",
                              priority=rule_priority or None, just_stored=True)
    routing = (routing_suggest(organisation=organisation_id, labels=labels,
                               text=case.description, location=case.location,
                               normalised=normalised)
               if organisation_id else None)
    if (routing is not None and settings.REDRESS_TRIAGE_AUTO_ROUTE
            and landed_in is not None and landed_in.is_default_intake):
        case = case_move_department(case=case, actor=None, department=routing.department,
                                    source="triage")
    CaseLink.objects.bulk_create(
        [CaseLink(case=case, other_id=pk, kind=LinkKind.REPEAT) for pk in repeats]
        + [CaseLink(case=case, other_id=pk, kind=LinkKind.DUPLICATE_SUGGESTED, score=score)
           for pk, score in duplicates]
    )
    TriageRecord.objects.create(
        case=case, reading=reading.as_json(),
        model_version=str(getattr(engine, "MODEL_VERSION", "")), duration_ms=read_ms,
        priority=rule_priority, text_key=text_key,
        suggested_department=routing.department if routing else None, routing_rule=routing,
    )
    return case


# -- staff actions -------------------------------------------------------------------------


def case_department_accept(*, case: Case, actor: User) -> Case:
    """Move a case to the department triage suggested for it (supervisors decide)."""
    record = TriageRecord.objects.select_related("suggested_department").filter(
        case=case).first()
    if record is None or record.suggested_department is None:
        raise Conflict(_("Triage suggested no department for this case."))
    return case_move_department(case=case, actor=actor,
                                department=record.suggested_department)


def case_merge_duplicate(*, case: Case, into: Case, actor: User) -> Case:
    """Close `case` as a duplicate of `into`. Both stay, with everything the customer
    sent; each timeline gets a note naming the other. Only someone who may act on `case`
    (its owner, or a supervisor) merges it, and only into a case they can see."""
    if into.pk == case.pk:
        raise Invalid(_("A case cannot be merged into itself."), field="into")
    into = Case.objects.select_related("department").get(pk=into.pk)  # as it is now
    if not case_visible_to(actor, into):
        raise NotFound(_("No such case."))
    if into.close_reason == CloseReason.DUPLICATE:
        raise Conflict(_("%(reference)s is itself closed as a duplicate; merge into the case "
                         "it duplicates.") % {"reference": into.reference})
    with transaction.atomic():
        closed = case_transition(
            case=case, actor=actor, to=Status.CLOSED, close_reason=CloseReason.DUPLICATE,
            via="triage",
        )
        CaseLink.objects.get_or_create(case=closed, other=into, kind=LinkKind.MERGED,
                                       defaults={"created_by": actor})
        case_log(case=closed, actor=actor, kind=EventKind.NOTE,
                 message=gettext("Closed as a duplicate of %(other)s.")
                 % {"other": into.reference},
                 after={"merged_into": into.reference})
        case_log(case=into, actor=actor, kind=EventKind.NOTE,
                 message=gettext("%(other)s was closed as a duplicate of this case.")
                 % {"other": closed.reference},
                 after={"merged_from": closed.reference})
    return closed

