"""Every write to a remedy: propose, approve, reject, counter-propose, record the customer's
answer, carry it out, keep a service guarantee; and the limits themselves.

The authority check lives here, not in a view, so the console and the API give the same
answers. An agent is never stopped from giving what is within their authority (000: staff
must not be punished for using it); what is over it waits for someone whose authority
covers it. Refused attempts change nothing and are kept in `RemedyRefusal`.
"""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import default_task_backend

from redress.accounts.models import Role, User
from redress.cases import lifecycle
from redress.cases.models import Case, CloseReason, EventKind, Status
from redress.cases.selectors import case_actionable_by, case_visible_to
from redress.cases.services import (
    case_add_message,
    case_log,
    case_notify_customer,
    case_remedy_summary_set,
    case_transition,
)
from redress.cases.validation import MESSAGE_MAX, clean_long_text, clean_short_text
from redress.common import clock
from redress.common.errors import (
    Conflict,
    DomainError,
    Invalid,
    NotAllowed,
    NotFound,
    OverAuthority,
)
from redress.common.money import CENT, MAX_AMOUNT, to_money
from redress.common.settings_cache import cached
from redress.common.tasks import task_enqueue
from redress.notify.services import StaffNote, staff_notify_many
from redress.remedies.defaults import install_defaults
from redress.remedies.models import (
    COMMITTED,
    AuthorityLimit,
    Metric,
    Remedy,
    RemedyKind,
    RemedyOption,
    RemedyRefusal,
    RemedyStatus,
    ServiceGuarantee,
    Unit,
)

VIA = "remedies"
HUNDRED = Decimal(100)
# Proportionality (Haesevoets et al. 2017): beyond about 150% of what was lost, more
# compensation stops helping; above it a second person decides.
POLICY_CAP_RATIO = Decimal("1.5")


# --- limits -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Limits:
    per_case: Decimal | None
    per_day: Decimal | None


def limits_for(user: User) -> Limits:
    if user.is_superuser:
        return Limits(None, None)
    catalogue_ensure()
    row = AuthorityLimit.objects.filter(role=user.role).first()
    if row is None:
        return Limits(Decimal(0), Decimal(0))
    return Limits(row.per_case, row.per_day)


def authority_limit_set(
    *, actor: User, role: str, per_case: object, per_day: object
) -> AuthorityLimit:
    """Change a role's limits. Only administrators may; the change is kept with who made it."""
    request = {"role": role, "per_case": per_case, "per_day": per_day}
    with _recorded(actor, "limit_set", request):
        if not (actor.is_superuser or actor.role == Role.ADMIN):
            raise NotAllowed(_("Only an administrator may change authority limits."))
        if role not in Role.values:
            raise Invalid(_("“%(role)s” is not a role.") % {"role": role}, field="role")
        values = {"per_case": _optional_limit(per_case, "per_case"),
                  "per_day": _optional_limit(per_day, "per_day")}
    row, _created = AuthorityLimit.objects.update_or_create(
        role=role, defaults={**values, "updated_by": actor, "updated_at": clock.now()},
    )
    return row


def _optional_limit(value: object, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = to_money(value)
    except ValueError as exc:
        raise Invalid(_("Write the limit as a number of yuan, e.g. 500."), field=field) from exc
    if amount < 0 or amount > MAX_AMOUNT:
        raise Invalid(_("A limit is zero or more yuan (empty: no limit)."), field=field)
    return amount


def local_day(moment: datetime, case: Case) -> date:
    """The calendar day a moment falls on where the case's organisation works."""
    zone = settings.TIME_ZONE
    if case.department is not None:
        zone = case.department.organisation.time_zone
    return moment.astimezone(ZoneInfo(zone)).date()


def _committed_on_case(case: Case) -> Decimal:
    return Remedy.objects.filter(case=case, status__in=COMMITTED).aggregate(
        total=Coalesce(Sum("value"), Decimal(0)))["total"]


def _authorised_on_day(user: User, day: date) -> Decimal:
    return Remedy.objects.filter(
        authorised_by=user, proposed_on=day, status__in=COMMITTED
    ).aggregate(total=Coalesce(Sum("value"), Decimal(0)))["total"]


def _over_limit(user: User, case: Case, value: Decimal, day: date) -> str:
    """Why `value` more on this case is beyond the user's own authority, or "" if it is not."""
    limits = limits_for(user)
    on_case = _committed_on_case(case) + value
    if limits.per_case is not None and on_case > limits.per_case:
        return gettext(
            "¥%(total)s on this case is over the ¥%(limit)s a %(role)s may give per case."
        ) % {"total": on_case, "limit": limits.per_case, "role": Role(user.role).label}
    if limits.per_day is not None and value > 0:
        today = _authorised_on_day(user, day) + value
        if today > limits.per_day:
            return gettext(
                "¥%(total)s today is over the ¥%(limit)s a %(role)s may give per day."
            ) % {"total": today, "limit": limits.per_day, "role": Role(user.role).label}
    return ""


def _over_policy_cap(case: Case, value: Decimal) -> str:
    if case.amount_at_stake is None or value == 0:
        return ""
    cap = (case.amount_at_stake * POLICY_CAP_RATIO).quantize(CENT)
    on_case = _committed_on_case(case) + value
    if on_case > cap:
        return gettext(
            "¥%(total)s is more than 1.5 times the ¥%(stake)s at stake (¥%(cap)s); a second "
            "person decides."
        ) % {"total": on_case, "stake": case.amount_at_stake, "cap": cap}
    return ""


# --- values -------------------------------------------------------------------------------

def remedy_value(option: RemedyOption, amount: object, case: Case) -> tuple[Decimal, Decimal,
                                                                            Decimal]:
    """Check an amount in the option's unit; return (amount, value to the customer in yuan,
    cost to the business in yuan)."""
    if option.unit == Unit.NONE:
        if amount not in (None, "") and to_money_or_none(amount) != 0:
            raise Invalid(_("%(remedy)s has no amount; leave it empty.")
                          % {"remedy": option.name_for(translation.get_language() or "zh")},
                          field="amount")
        return Decimal("0.00"), Decimal("0.00"), Decimal("0.00")
    parsed = to_money_or_none(amount)
    if parsed is None:
        raise Invalid(_("Write the amount as a number, e.g. 50 or 12.50."), field="amount")
    if parsed <= 0:
        raise Invalid(_("The amount must be more than zero."), field="amount")
    if option.unit == Unit.PERCENT:
        if parsed > HUNDRED:
            raise Invalid(_("A discount cannot be more than 100%."), field="amount")
        if case.amount_at_stake is None:
            raise Invalid(
                _("A percentage needs the amount at stake; record it on the case first."),
                field="amount",
            )
        value = (case.amount_at_stake * parsed / HUNDRED).quantize(CENT)
    else:
        value = (parsed * option.yuan_per_unit).quantize(CENT)
    if parsed > MAX_AMOUNT or value > MAX_AMOUNT:
        raise Invalid(_("That amount is not plausible; check it."), field="amount")
    if option.kind == RemedyKind.REFUND_FULL and case.amount_at_stake is not None \
            and value != case.amount_at_stake:
        raise Invalid(
            _("A full refund is the amount at stake, ¥%(stake)s.")
            % {"stake": case.amount_at_stake}, field="amount",
        )
    return parsed, value, (value * option.cost_ratio).quantize(CENT)


def to_money_or_none(value: object) -> Decimal | None:
    try:
        return to_money(value)
    except ValueError:
        return None


def remedy_describe(remedy: Remedy, language_code: str) -> str:
    """The remedy as the customer reads it: “代金券 ¥50.00”, “Discount (percentage) 20%”."""
    name = remedy.option.name_for(language_code)
    unit = remedy.option.unit
    if unit == Unit.NONE:
        return name
    if unit == Unit.PERCENT:
        return f"{name} {remedy.amount.normalize():f}%"
    if unit == Unit.POINTS:
        points = f"{remedy.amount.normalize():f}"
        return f"{name} {points} {'points' if language_code == 'en' else '分'}"
    return f"{name} ¥{remedy.amount}"


# --- refusals are recorded ----------------------------------------------------------------

@contextmanager
def _recorded(actor: User | None, action: str, request: dict[str, Any], *,
              case: Case | None = None, remedy: Remedy | None = None) -> Iterator[None]:
    """Run a write; when the rules refuse it, keep the attempt (after the write's own
    transaction rolled back, so nothing else is left behind) and re-raise."""
    try:
        yield
    except DomainError as error:
        RemedyRefusal.objects.create(
            actor=actor if actor is not None and actor.pk else None,
            case=case, remedy=remedy, action=action, reason=str(error.message),
            request={k: str(v) for k, v in request.items()},
        )
        raise


# --- moving the case along ----------------------------------------------------------------

_REMEDY_PATH_STATES = {Status.INVESTIGATING, Status.REMEDY_PROPOSED, Status.REMEDY_ACCEPTED,
                       Status.REMEDY_REJECTED, Status.EXECUTING}


def _path(start: str, target: str) -> list[str]:
    """The shortest forward path between two states of the remedy part of the lifecycle."""
    if start == target:
        return []
    queue: list[tuple[str, list[str]]] = [(start, [])]
    seen = {start}
    while queue:
        state, path = queue.pop(0)
        for nxt in lifecycle.TRANSITIONS.get(state, frozenset()):
            if nxt in seen or nxt not in _REMEDY_PATH_STATES:
                continue
            if nxt == target:
                return [*path, nxt]
            seen.add(nxt)
            queue.append((nxt, [*path, nxt]))
    return []


def _case_target(case: Case) -> str | None:
    statuses = set(Remedy.objects.filter(case=case).values_list("status", flat=True))
    if RemedyStatus.PROPOSED in statuses:
        return Status.REMEDY_PROPOSED
    if RemedyStatus.ACCEPTED in statuses:
        return Status.REMEDY_ACCEPTED
    if RemedyStatus.EXECUTED in statuses:
        return Status.EXECUTING
    if RemedyStatus.PENDING_APPROVAL in statuses:
        return None
    if RemedyStatus.DECLINED in statuses and case.status == Status.REMEDY_PROPOSED:
        return Status.REMEDY_REJECTED
    return None


def _sync_case(case: Case, actor: User) -> Case:
    """Walk the case to the state its remedies put it in, through the lifecycle's own
    moves, and keep its remedy summary current."""
    active = list(
        Remedy.objects.filter(case=case, status__in=COMMITTED).select_related("option")
    )
    text = "; ".join(remedy_describe(r, case.language_code) for r in active)
    total = sum((r.value for r in active), Decimal("0.00")) if active else None
    if text != case.remedy or total != case.remedy_amount:
        case_remedy_summary_set(case=case, text=text, amount=total)
    target = _case_target(case)
    if target is not None:
        for step in _path(case.status, target):
            case = case_transition(case=case, actor=actor, to=step, via=VIA)
    return case


def _prepare_case(case: Case, actor: User) -> Case:
    """A remedy is offered once the case is being looked into: acknowledge first (F.O.R.D:
    First apologise), and a case whose last offer was refused goes back to investigating."""
    if case.status == Status.NEW:
        raise Conflict(_("Acknowledge and apologise first; then offer a remedy."))
    if case.status in (Status.ACKNOWLEDGED, Status.REMEDY_REJECTED):
        case = case_transition(case=case, actor=actor, to=Status.INVESTIGATING, via=VIA)
    if case.status not in _REMEDY_PATH_STATES:
        raise Conflict(
            _("A case that is “%(status)s” takes no new remedy.")
            % {"status": Status(case.status).label}
        )
    return case


def _log(case: Case, actor: User | None, remedy: Remedy, text: str, *, public: bool) -> None:
    case_log(case=case, actor=actor, kind=EventKind.REMEDY, message=text,
             visible_to_customer=public,
             after={"remedy": remedy.pk, "status": remedy.status, "value": str(remedy.value)})


def _locked(case: Case) -> Case:
    try:
        return Case.objects.select_for_update(of=("self",)).select_related(
            "customer", "department__organisation").get(pk=case.pk)
    except Case.DoesNotExist as exc:
        raise NotFound(_("No such case.")) from exc


def catalogue_ensure() -> None:
    """The default catalogue and limits come with the migrations; an emptied table (a
    database flushed and reloaded) gets them back rather than refusing every remedy."""
    if not RemedyOption.objects.exists() or not AuthorityLimit.objects.exists():
        install_defaults(RemedyOption, AuthorityLimit)


def _option(code: str) -> RemedyOption:
    catalogue_ensure()
    option = RemedyOption.objects.filter(code=code, active=True).first()
    if option is None:
        raise Invalid(_("“%(code)s” is not in the remedy catalogue.") % {"code": code},
                      field="type")
    return option


# --- propose ------------------------------------------------------------------------------

def remedy_propose(
    *, case: Case, actor: User, code: str, amount: object = None, note: str = "",
    message: str | None = None,
) -> Remedy:
    """Offer a remedy on a case. Within the proposer's authority (and the proportionality
    cap) it goes to the customer at once; over either it waits for approval and goes to
    the approvers' queue."""
    request = {"type": code, "amount": amount, "note": note}
    with _recorded(actor, "propose", request, case=case):
        note = clean_long_text(note, field="note", max_length=MESSAGE_MAX, required=False)
        message = clean_long_text(message, field="message", max_length=MESSAGE_MAX,
                                  required=False)
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=actor.pk).first()  # one day total
            case = _locked(case)
            if not case_visible_to(actor, case):
                raise NotFound(_("No such case."))
            if not case_actionable_by(actor, case):
                raise NotAllowed(_("Only the case's owner or a supervisor offers remedies."))
            option = _option(code)
            parsed, value, cost = remedy_value(option, amount, case)
            case = _prepare_case(case, actor)
            now = clock.now()
            day = local_day(now, case)
            reason = _over_policy_cap(case, value)
            over_cap = bool(reason)
            reason = reason or _over_limit(actor, case, value, day)
            remedy = Remedy(
                case=case, option=option, amount=parsed, value=value, cost=cost, note=note,
                proposed_by=actor, proposed_at=now, proposed_on=day, over_policy_cap=over_cap,
            )
            if reason:
                remedy.status = RemedyStatus.PENDING_APPROVAL
                remedy.approval_due_at = now + timedelta(hours=settings.REDRESS_APPROVAL_HOURS)
                remedy.decision_reason = reason
                remedy.save()
                _log(case, actor, remedy, gettext("%(remedy)s needs approval: %(why)s")
                     % {"remedy": remedy_describe(remedy, "zh-hans"), "why": reason},
                     public=False)
                _ask_approvers(remedy, case)
                _arm_approval(remedy)
            else:
                remedy.authorised_by = actor
                remedy.status = (RemedyStatus.PROPOSED if option.needs_acceptance
                                 else RemedyStatus.ACCEPTED)
                remedy.save()
                _offered(case, actor, remedy)
            case = _sync_case(case, actor)
            if message:
                case_add_message(case=case, actor=actor, body=message)
    return remedy


def _offered(case: Case, actor: User | None, remedy: Remedy) -> None:
    with translation.override(case.language_code):
        text = remedy_describe(remedy, case.language_code)
        line = (gettext("We offer you: %(remedy)s") if remedy.status == RemedyStatus.PROPOSED
                else gettext("Given: %(remedy)s")) % {"remedy": text}
    _log(case, actor, remedy, line, public=True)


# --- approvals ----------------------------------------------------------------------------

def may_approve(user: User, remedy: Remedy) -> bool:
    """Whether `user` may decide this remedy: a supervisor or above who sees the case, is
    not its proposer, and whose own authority covers it."""
    case = remedy.case
    return (
        user.is_active and user.is_supervisor_or_above and remedy.proposed_by_id != user.pk
        and case_visible_to(user, case)
        and not _over_limit(user, case, remedy.value, local_day(clock.now(), case))
    )


def approvers_for(remedy: Remedy) -> list[User]:
    """Everyone who may decide a remedy waiting for approval (`may_approve`)."""
    people = User.objects.filter(is_active=True).filter(
        Q(role__in=[Role.SUPERVISOR, Role.MANAGER, Role.QUALITY, Role.ADMIN])
        | Q(is_superuser=True)
    )
    return [p for p in people if may_approve(p, remedy)]


def _ask_approvers(remedy: Remedy, case: Case) -> None:
    people = [p for p in approvers_for(remedy) if p.role != Role.ADMIN and not p.is_superuser]
    staff_notify_many([
        StaffNote(recipient_id=p.pk, email=p.email,
                  text=gettext("%(case)s: a remedy of ¥%(value)s waits for your approval.")
                  % {"case": case.reference, "value": remedy.value},
                  link=f"/console/cases/{case.reference}/")
        for p in people
    ])


def _arm_approval(remedy: Remedy) -> None:
    if remedy.approval_due_at is None or not default_task_backend.supports_defer:
        return
    from redress.remedies.tasks import approval_overdue_check

    due, remedy_id = remedy.approval_due_at, remedy.pk
    task_enqueue(approval_overdue_check, run_after=due, remedy_id=remedy_id)


def _pending(remedy: Remedy, actor: User, *, action: str) -> tuple[Remedy, Case]:
    """Lock a remedy waiting for approval and check the actor may decide it."""
    case = _locked(remedy.case)
    remedy = Remedy.objects.select_for_update(of=("self",)).select_related("option").get(
        pk=remedy.pk)
    if not case_visible_to(actor, case):
        raise NotFound(_("No such remedy."))
    if remedy.status != RemedyStatus.PENDING_APPROVAL:
        raise Conflict(
            _("This remedy was already decided: %(status)s.")
            % {"status": RemedyStatus(remedy.status).label}
        )
    if remedy.proposed_by_id == actor.pk:
        raise NotAllowed(_("You cannot approve or reject your own request."))
    if not (actor.is_supervisor_or_above):
        raise NotAllowed(_("Only a supervisor or a manager decides on remedies."))
    return remedy, case


def _decided(remedy: Remedy, actor: User, status: str, reason: str) -> None:
    remedy.status = status
    remedy.decided_by = actor
    remedy.decided_at = clock.now()
    remedy.decision_reason = reason
    remedy.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])


def _tell_proposer(remedy: Remedy, case: Case, text: str) -> None:
    proposer = remedy.proposed_by
    if proposer is not None:
        staff_notify_many([StaffNote(recipient_id=proposer.pk, email=proposer.email, text=text,
                                     link=f"/console/cases/{case.reference}/")])


def remedy_approve(*, remedy: Remedy, actor: User, reason: str) -> Remedy:
    """Approve a remedy over its proposer's authority, under the approver's own."""
    with _recorded(actor, "approve", {"reason": reason}, case=remedy.case, remedy=remedy):
        reason = clean_long_text(reason, field="reason", max_length=MESSAGE_MAX, required=True)
        with transaction.atomic():
            remedy, case = _pending(remedy, actor, action="approve")
            over = _over_limit(actor, case, remedy.value, local_day(clock.now(), case))
            if over:
                raise OverAuthority(over + " " + gettext("Ask a manager to decide."))
            remedy.authorised_by = actor
            remedy.save(update_fields=["authorised_by"])
            _decided(remedy, actor, RemedyStatus.PROPOSED if remedy.option.needs_acceptance
                     else RemedyStatus.ACCEPTED, reason)
            _log(case, actor, remedy, gettext("Approved: %(reason)s") % {"reason": reason},
                 public=False)
            _offered(case, actor, remedy)
            _sync_case(case, actor)
            _tell_proposer(remedy, case, gettext("%(case)s: your remedy was approved.")
                           % {"case": case.reference})
    return remedy


def remedy_reject(*, remedy: Remedy, actor: User, reason: str) -> Remedy:
    """Refuse a remedy waiting for approval; the proposer is told why."""
    with _recorded(actor, "reject", {"reason": reason}, case=remedy.case, remedy=remedy):
        reason = clean_long_text(reason, field="reason", max_length=MESSAGE_MAX, required=True)
        with transaction.atomic():
            remedy, case = _pending(remedy, actor, action="reject")
            _decided(remedy, actor, RemedyStatus.REJECTED, reason)
            _log(case, actor, remedy, gettext("Not approved: %(reason)s") % {"reason": reason},
                 public=False)
            _sync_case(case, actor)
            _tell_proposer(remedy, case, gettext("%(case)s: your remedy was not approved: "
                                                 "%(reason)s")
                           % {"case": case.reference, "reason": reason})
    return remedy


def remedy_counter(*, remedy: Remedy, actor: User, reason: str, amount: object,
                   code: str | None = None) -> Remedy:
    """Replace a remedy waiting for approval by another the approver gives under their own
    authority (a smaller amount, or another kind of remedy)."""
    request = {"reason": reason, "amount": amount, "type": code or ""}
    with _recorded(actor, "counter", request, case=remedy.case, remedy=remedy):
        reason = clean_long_text(reason, field="reason", max_length=MESSAGE_MAX, required=True)
        with transaction.atomic():
            remedy, case = _pending(remedy, actor, action="counter")
            option = _option(code) if code else remedy.option
            parsed, value, cost = remedy_value(option, amount, case)
            now = clock.now()
            day = local_day(now, case)
            over = _over_limit(actor, case, value, day)
            if over:
                raise OverAuthority(over + " " + gettext("Ask a manager to decide."))
            _decided(remedy, actor, RemedyStatus.COUNTERED, reason)
            counter = Remedy.objects.create(
                case=case, option=option, amount=parsed, value=value, cost=cost,
                note=remedy.note, proposed_by=actor, proposed_at=now, proposed_on=day,
                authorised_by=actor, counter_of=remedy,
                over_policy_cap=bool(_over_policy_cap(case, value)),
                status=(RemedyStatus.PROPOSED if option.needs_acceptance
                        else RemedyStatus.ACCEPTED),
            )
            _log(case, actor, remedy, gettext("Counter-proposed %(remedy)s: %(reason)s")
                 % {"remedy": remedy_describe(counter, "zh-hans"), "reason": reason},
                 public=False)
            _offered(case, actor, counter)
            _sync_case(case, actor)
            _tell_proposer(remedy, case, gettext("%(case)s: your remedy was replaced by "
                                                 "%(remedy)s: %(reason)s")
                           % {"case": case.reference, "remedy": remedy_describe(counter, "zh-hans"),
                              "reason": reason})
    return counter


# --- the customer's answer and execution --------------------------------------------------

def _own(remedy: Remedy, actor: User) -> tuple[Remedy, Case]:
    case = _locked(remedy.case)
    remedy = Remedy.objects.select_for_update(of=("self",)).select_related("option").get(
        pk=remedy.pk)
    if not case_visible_to(actor, case):
        raise NotFound(_("No such remedy."))
    if not case_actionable_by(actor, case):
        raise NotAllowed(_("Only the case's owner or a supervisor does this."))
    return remedy, case


def remedy_answer(*, remedy: Remedy, actor: User, accepted: bool, note: str = "") -> Remedy:
    """Record whether the customer took the remedy offered."""
    with _recorded(actor, "answer", {"accepted": accepted, "note": note}, case=remedy.case,
                   remedy=remedy):
        note = clean_long_text(note, field="note", max_length=MESSAGE_MAX, required=False)
        with transaction.atomic():
            remedy, case = _own(remedy, actor)
            if remedy.status != RemedyStatus.PROPOSED:
                raise Conflict(
                    _("Only a remedy offered to the customer can be accepted or declined; "
                      "this one is “%(status)s”.") % {"status": RemedyStatus(remedy.status).label}
                )
            remedy.status = RemedyStatus.ACCEPTED if accepted else RemedyStatus.DECLINED
            remedy.answered_at = clock.now()
            remedy.save(update_fields=["status", "answered_at"])
            text = (gettext("The customer accepted %(remedy)s.") if accepted
                    else gettext("The customer declined %(remedy)s.")) % {
                "remedy": remedy_describe(remedy, "zh-hans")}
            _log(case, actor, remedy, f"{text} {note}".strip(), public=False)
            _sync_case(case, actor)
    return remedy


def remedy_execute(*, remedy: Remedy, actor: User, proof: str, reference: str = "") -> Remedy:
    """Carry out an accepted remedy, with proof (a coupon code, a refund reference, a
    shipment number, a note of the photo taken), and tell the customer. Once only."""
    request = {"proof": proof, "reference": reference}
    with _recorded(actor, "execute", request, case=remedy.case, remedy=remedy):
        proof = clean_long_text(proof, field="proof", max_length=MESSAGE_MAX, required=True)
        reference = clean_short_text(reference, field="reference", max_length=100)
        with transaction.atomic():
            remedy, case = _own(remedy, actor)
            if remedy.status == RemedyStatus.EXECUTED:
                raise Conflict(_("This remedy was already carried out on %(at)s.")
                               % {"at": f"{remedy.executed_at:%Y-%m-%d %H:%M}"})
            if remedy.status != RemedyStatus.ACCEPTED:
                raise Conflict(
                    _("Only an accepted remedy can be carried out; this one is “%(status)s”.")
                    % {"status": RemedyStatus(remedy.status).label}
                )
            remedy.status = RemedyStatus.EXECUTED
            remedy.executed_by = actor
            remedy.executed_at = clock.now()
            remedy.proof = proof
            remedy.proof_reference = reference
            remedy.save(update_fields=["status", "executed_by", "executed_at", "proof",
                                       "proof_reference"])
            _log(case, actor, remedy, gettext("Carried out: %(proof)s %(reference)s")
                 % {"proof": proof, "reference": reference}, public=False)
            case = _sync_case(case, actor)
            case_add_message(case=case, actor=actor, body=_done_message(case, remedy))
    return remedy


def _done_message(case: Case, remedy: Remedy) -> str:
    with translation.override(case.language_code):
        text = gettext("Done: %(remedy)s.") % {
            "remedy": remedy_describe(remedy, case.language_code)}
        if remedy.proof_reference:
            text += " " + gettext("Reference: %(reference)s.") % {
                "reference": remedy.proof_reference}
        return text


def remedies_unfinished_guard(
    sender: Any, *, case: Case, actor: User | None, to: str, via: str, **kwargs: Any
) -> None:
    """Remedy states are reached only through this module, so its limits cannot be walked
    around by a plain transition (console or API); and a case is not resolved while a
    remedy the customer accepted is still to be carried out."""
    if to in (Status.REMEDY_PROPOSED, Status.REMEDY_ACCEPTED, Status.REMEDY_REJECTED,
              Status.EXECUTING) and via != VIA:
        raise Conflict(
            _("Offer, answer and carry out remedies in the case's remedy section, so "
              "authority limits apply."), field="to",
        )
    if to == Status.RESOLVED and Remedy.objects.filter(
        case=case, status__in=[RemedyStatus.ACCEPTED, RemedyStatus.PENDING_APPROVAL]
    ).exists():
        raise Conflict(
            _("A remedy is still waiting for approval or to be carried out; finish it "
              "first."), field="to",
        )


# --- overdue approvals --------------------------------------------------------------------

def approvals_overdue_notify(*, remedy_ids: list[int] | None = None) -> int:
    """Tell the department's manager (or every manager) about approvals past their time.
    Once per remedy."""
    now = clock.now()
    overdue = Remedy.objects.filter(
        status=RemedyStatus.PENDING_APPROVAL, approval_due_at__lte=now,
        approval_overdue_told=False,
    ).select_related("case__department")
    if remedy_ids is not None:
        overdue = overdue.filter(pk__in=remedy_ids)
    told = 0
    for remedy in overdue:
        with transaction.atomic():
            if not Remedy.objects.filter(pk=remedy.pk, approval_overdue_told=False).update(
                approval_overdue_told=True
            ):
                continue
            department = remedy.case.department
            people = (
                [department.manager] if department is not None and department.manager
                else list(User.objects.filter(role=Role.MANAGER, is_active=True))
            )
            staff_notify_many([
                StaffNote(recipient_id=p.pk, email=p.email,
                          text=gettext("%(case)s: a remedy of ¥%(value)s has waited for "
                                       "approval past its time.")
                          % {"case": remedy.case.reference, "value": remedy.value},
                          link="/console/approvals/")
                for p in people
            ])
            told += 1
    return told


# --- service guarantees -------------------------------------------------------------------

def _broken(guarantee: ServiceGuarantee, case: Case, now: datetime) -> bool:
    deadline = case.received_at + timedelta(hours=guarantee.within_hours)
    done = case.acknowledged_at if guarantee.metric == Metric.FIRST_RESPONSE \
        else case.resolved_at
    if case.close_reason in (CloseReason.DUPLICATE, CloseReason.INVALID):
        return False
    if case.received_at < guarantee.in_force_from:
        return False
    if done is not None:
        return done > deadline
    return now > deadline


def guarantees_keep(*, case_ids: list[int] | None = None) -> int:
    """Give what each broken promise says, once per case and promise, and tell the
    customer; no claim form. Returns how many were kept now."""
    now = clock.now()
    kept = 0
    guarantees = ServiceGuarantee.objects.filter(active=True).select_related("option")
    for guarantee in guarantees:
        # A promise covers complaints received since it was made, not the years before.
        cases = Case.objects.filter(
            department__organisation_id=guarantee.organisation_id,
            received_at__gte=guarantee.in_force_from,
            received_at__lte=now - timedelta(hours=guarantee.within_hours),
        ).exclude(close_reason__in=[CloseReason.DUPLICATE, CloseReason.INVALID])
        if case_ids is not None:
            cases = cases.filter(pk__in=case_ids)
        cases = cases.exclude(remedies__guarantee=guarantee)
        done_field = ("acknowledged_at" if guarantee.metric == Metric.FIRST_RESPONSE
                      else "resolved_at")
        late = Q(**{f"{done_field}__isnull": True}) | Q(
            **{f"{done_field}__gt": _deadline_expression(guarantee)})
        for case in cases.filter(late).select_related("customer", "department__organisation"):
            if _broken(guarantee, case, now) and _guarantee_pay(guarantee, case, now):
                kept += 1
    return kept


def _deadline_expression(guarantee: ServiceGuarantee) -> Any:
    from django.db.models import DateTimeField, ExpressionWrapper, F

    return ExpressionWrapper(F("received_at") + timedelta(hours=guarantee.within_hours),
                             output_field=DateTimeField())


def _guarantee_pay(guarantee: ServiceGuarantee, case: Case, now: datetime) -> bool:
    try:
        with transaction.atomic():
            case = _locked(case)
            parsed, value, cost = remedy_value(guarantee.option, guarantee.amount, case)
            remedy = Remedy.objects.create(
                case=case, option=guarantee.option, amount=parsed, value=value, cost=cost,
                status=RemedyStatus.EXECUTED, proposed_at=now, proposed_on=local_day(now, case),
                executed_at=now, guarantee=guarantee,
                proof=guarantee.name_zh, proof_reference=_voucher_code(),
            )
            with translation.override(case.language_code):
                body = gettext(
                    "We promise: %(promise)s. This time we did not keep it, so as promised "
                    "you have %(remedy)s (code %(code)s). There is nothing you need to do."
                ) % {"promise": guarantee.name_for(case.language_code),
                     "remedy": remedy_describe(remedy, case.language_code),
                     "code": remedy.proof_reference}
            _log(case, None, remedy, gettext("Service guarantee kept: %(promise)s")
                 % {"promise": guarantee.name_zh}, public=False)
            case_notify_customer(case=case, body=body)
    except IntegrityError:
        return False  # another worker kept this promise a moment ago
    except DomainError:
        return False  # e.g. a percentage on a case with no amount at stake
    return True


def _voucher_code() -> str:
    return "G" + secrets.token_hex(5).upper()


def guarantees_follow_new_case(*, case: Case) -> None:
    """A new case under its organisation's promises: keep at once any promise it has
    already missed (a letter typed in days after it was received), and wake a worker at
    each promise's deadline; with no deferred tasks (tests, the sweep at start-up) the
    sweep finds them instead. One query when the organisation promises nothing."""
    if case.department is None:
        return
    promises = cached("service_guarantees", lambda: list(
        ServiceGuarantee.objects.filter(active=True)
        .values_list("organisation_id", "within_hours", "in_force_from")))
    hours = {within for organisation, within, since in promises
             if organisation == case.department.organisation_id and since <= case.received_at}
    if not hours:
        return
    now = clock.now()
    if any(case.received_at + timedelta(hours=h) <= now for h in hours):
        guarantees_keep(case_ids=[case.pk])
    if default_task_backend.supports_defer:
        for h in hours:
            _arm_guarantee(case.pk, case.received_at + timedelta(hours=h, seconds=1))


def _arm_guarantee(case_id: int, at: datetime) -> None:
    from redress.remedies.tasks import guarantee_check

    task_enqueue(guarantee_check, run_after=at, case_id=case_id)


def remedies_sweep() -> tuple[int, int]:
    """Catch up on what a stopped worker missed: broken promises, overdue approvals."""
    return guarantees_keep(), approvals_overdue_notify()

