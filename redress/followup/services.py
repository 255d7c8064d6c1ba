"""Every write about follow-up: scheduling it when a case is resolved, sending the survey
link or the call task, the customer's answer and the second recovery it may start, the
no-response close, and answers to general satisfaction surveys.

The rules, in one place:
- A case resolved gets one follow-up per resolution, `REDRESS_FOLLOWUP_DELAY_HOURS` later,
  moved into `REDRESS_FOLLOWUP_HOURS` of the organisation's day (no survey at 03:00).
- Method: a customer who complained through a channel in `REDRESS_FOLLOWUP_CALL_CHANNELS`
  and left a phone number is called by the case's owner; otherwise an e-mail link when
  there is an address, a text-message link when there is a number; none without either.
- Second recovery: "not solved", or overall satisfaction at most
  `REDRESS_REOPEN_SATISFACTION_MAX` (2), reopens the case: `investigating`, one more
  recovery round, priority raised one step and to at least P2, owner told, the
  department's supervisors copied. "Partly" with satisfaction 3 or more does not reopen:
  the owner reads the comment and decides.
- No answer by the time the link expires (`REDRESS_SURVEY_VALID_DAYS`) closes the case as
  `no_response`, counted apart from cases closed as resolved.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import default_task_backend

from redress.accounts.models import Role, User
from redress.cases.models import (
    Case,
    Channel,
    CloseReason,
    Customer,
    EventKind,
    Priority,
    Status,
)
from redress.cases.selectors import case_actionable_by
from redress.cases.services import (
    case_log,
    case_reopen_for_second_recovery,
    case_system_transition,
)
from redress.cases.validation import (
    MESSAGE_MAX,
    clean_choice,
    clean_email,
    clean_long_text,
    clean_phone,
    clean_short_text,
)
from redress.common import clock
from redress.common.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound
from redress.common.tasks import task_enqueue
from redress.followup import content
from redress.followup.models import (
    FeedbackAnswer,
    FeedbackSource,
    FollowUp,
    FollowUpStatus,
    Method,
    Solved,
    SurveyAnswer,
)
from redress.notify.services import (
    StaffNote,
    email_queue,
    quiet_hours_release,
    sms_queue,
    staff_notify_many,
)

logger = logging.getLogger(__name__)

SALT = "redress.followup.survey"
VIA = "followup"


class LinkExpired(Conflict):
    """The survey link's time is over."""


class AlreadyAnswered(Conflict):
    """This follow-up has its answer already: one answer per link."""


# -- scheduling --------------------------------------------------------------------------


def _zone(case: Case) -> str:
    department = case.department
    return department.organisation.time_zone if department is not None else settings.TIME_ZONE


def _sending_hours() -> tuple[time, time]:
    start, _sep, end = settings.REDRESS_FOLLOWUP_HOURS.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def followup_send_time(moment: datetime, *, zone: str) -> datetime:
    """`moment`, or the start of the next sending window when it falls outside the hours a
    follow-up may go out (09:00–21:00 by default): a survey due at 03:00 goes at 09:00."""
    start, end = _sending_hours()
    # The quiet hours are the complement of the sending hours.
    return quiet_hours_release(moment, zone=zone, quiet=(end, start))


def followup_method(case: Case) -> str | None:
    """How this customer is followed up, or None when there is no way to reach them."""
    customer = case.customer
    if customer.phone and case.channel in settings.REDRESS_FOLLOWUP_CALL_CHANNELS:
        return Method.CALL
    if customer.email:
        return Method.EMAIL
    if customer.phone:
        return Method.SMS
    return None


def followup_schedule(*, case_id: int) -> FollowUp | None:
    """Schedule the follow-up of a case that has just been resolved. Safe to call on every
    change of every case: it does nothing unless the case is resolved and this resolution
    has no follow-up yet. Returns the follow-up scheduled now, if any."""
    # Most changes are not a resolution: answer those with one light query.
    resolved_at = (
        Case.objects.filter(pk=case_id, status=Status.RESOLVED)
        .values_list("resolved_at", flat=True).first()
    )
    if resolved_at is None:
        return None
    if FollowUp.objects.filter(case_id=case_id, resolved_at=resolved_at).exists():
        return None
    case = Case.objects.select_related("customer", "department__organisation").get(pk=case_id)
    if case.resolved_at is None:
        return None
    method = followup_method(case)
    if method is None:
        return None
    due = followup_send_time(
        clock.now() + timedelta(hours=settings.REDRESS_FOLLOWUP_DELAY_HOURS), zone=_zone(case)
    )
    try:
        with transaction.atomic():
            followup = FollowUp.objects.create(
                case=case, resolved_at=case.resolved_at, recovery_round=case.recovery_round,
                method=method, scheduled_for=due,
                expires_at=due + timedelta(days=settings.REDRESS_SURVEY_VALID_DAYS),
            )
            case_log(
                case=case, actor=None, kind=EventKind.FOLLOW_UP,
                message=gettext("Follow-up scheduled: %(method)s.")
                % {"method": Method(method).label},
                after={"followup": followup.pk, "method": method,
                       "scheduled_for": due.isoformat()},
            )
            _later("followup_send_task", followup.pk, due)
    except IntegrityError:
        return None  # the same resolution was scheduled by a concurrent announcement
    return followup


def _later(task_name: str, followup_id: int, run_after: datetime) -> None:
    """Wake a worker at `run_after` for this follow-up, once the transaction commits. A
    backend that cannot wait (tests, a lost queue) relies on `followups_sweep` instead."""
    if not default_task_backend.supports_defer:
        return
    from redress.followup import tasks

    task = getattr(tasks, task_name)
    task_enqueue(task, run_after=run_after, followup_id=followup_id)


# -- the survey link ----------------------------------------------------------------------


def survey_token(followup: FollowUp) -> str:
    """The signed part of the survey link: the follow-up's id and the link's expiry. It
    cannot be guessed or altered; only this server can make one."""
    return signing.Signer(salt=SALT).sign_object(
        {"f": followup.pk, "e": int(followup.expires_at.timestamp())}
    )


def survey_url(followup: FollowUp) -> str:
    return f"{settings.REDRESS_PUBLIC_URL.rstrip('/')}/survey/{survey_token(followup)}/"


def survey_open(*, token: str) -> FollowUp:
    """The follow-up a survey link points to, if it may still be answered.

    Raises `NotFound` for a forged or damaged link, `LinkExpired` once its time is over
    (or the case was closed without an answer), `AlreadyAnswered` when answered."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
        followup_id, expires = int(payload["f"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise NotFound(_("There is no such survey."), field="token") from exc
    followup = (
        FollowUp.objects.select_related("case__customer", "case__department__organisation")
        .filter(pk=followup_id).first()
    )
    if followup is None:
        raise NotFound(_("There is no such survey."), field="token")
    _check_open(followup, expires)
    return followup


def _check_open(followup: FollowUp, expires: float | None = None) -> None:
    if followup.status == FollowUpStatus.ANSWERED:
        raise AlreadyAnswered(_("This survey has been answered already. Thank you."))
    now = clock.now()
    if (
        followup.status in (FollowUpStatus.NO_RESPONSE, FollowUpStatus.CANCELLED)
        or now >= followup.expires_at
        or (expires is not None and now.timestamp() >= expires)
    ):
        raise LinkExpired(_("This survey link has expired."), field="token")


# -- sending ------------------------------------------------------------------------------


def _local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def followup_send(*, followup_id: int) -> FollowUp:
    """Send a scheduled follow-up whose time has come: the survey link by e-mail or text
    message, or the call task to the case's owner; the case moves to `follow_up`. Safe to
    run twice. A case that is no longer resolved (reopened or closed by staff meanwhile),
    or a follow-up whose link would already have expired, is cancelled instead."""
    with transaction.atomic():
        followup = (
            FollowUp.objects.select_for_update().filter(pk=followup_id).first()
        )
        if followup is None or followup.status != FollowUpStatus.SCHEDULED:
            return followup  # type: ignore[return-value]
        now = clock.now()
        if followup.scheduled_for > now:
            return followup
        case = Case.objects.select_related(
            "customer", "owner", "department__organisation"
        ).get(pk=followup.case_id)
        # Not followed up: a case no longer resolved (reopened or closed by staff
        # meanwhile), or a follow-up missed for so long that its link would be dead on
        # arrival (no worker for over a week); asking then would only confuse the customer.
        if (case.status != Status.RESOLVED or case.resolved_at != followup.resolved_at
                or followup.expires_at <= now):
            followup.status, followup.closed_at = FollowUpStatus.CANCELLED, now
            followup.save(update_fields=["status", "closed_at"])
            return followup
        language, zone = case.language_code, _zone(case)
        values = {"reference": case.reference, "url": survey_url(followup),
                  "until": _local(followup.expires_at, zone)}
        customer = case.customer
        if followup.method == Method.EMAIL:
            email_queue(to=customer.email,
                        subject=content.text("email_subject", language, **values),
                        body=content.text("email_body", language, **values))
        elif followup.method == Method.SMS:
            sms_queue(to=customer.phone, body=content.text("sms", language, **values),
                      urgent=customer.contact_at_night)
        else:
            recipients = [case.owner] if case.owner is not None else _supervisors(case)
            _tell(recipients, case, _("%(reference)s: a follow-up call to the customer is due "
                                      "(%(phone)s)."), phone=customer.phone)
        case_system_transition(case=case, to=Status.FOLLOW_UP, via=VIA)
        followup.status, followup.sent_at = FollowUpStatus.SENT, now
        followup.save(update_fields=["status", "sent_at"])
        case_log(
            case=case, actor=None, kind=EventKind.FOLLOW_UP,
            message=gettext("Follow-up sent: %(method)s; answers accepted until %(until)s.")
            % {"method": Method(followup.method).label, "until": values["until"]},
            after={"followup": followup.pk, "method": followup.method,
                   "expires_at": followup.expires_at.isoformat()},
        )
        _later("followup_expire_task", followup.pk, followup.expires_at)
    return followup


def _supervisors(case: Case) -> list[User]:
    if case.department_id is None:
        return list(User.objects.filter(role=Role.QUALITY, is_active=True))
    return list(User.objects.filter(
        department_id=case.department_id, role=Role.SUPERVISOR, is_active=True
    ))


def _tell(recipients: list[User], case: Case, text: Any, **values: Any) -> None:
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        body = str(text) % {"reference": case.reference, **values}
    link = f"/console/cases/{case.reference}/"
    staff_notify_many([
        StaffNote(recipient_id=user.pk, email=user.email, text=body, link=link)
        for user in {u.pk: u for u in recipients}.values()
    ])


# -- the answer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyInput:
    """What the customer answered, as sent."""

    solved: str
    satisfaction: int
    outcome_fair: int | None = None
    process_fair: int | None = None
    interaction_fair: int | None = None
    recommend: int | None = None
    would_return: bool | None = None
    comment: str = ""


# The words a yes/no answer arrives as: JSON's booleans, the survey page's radio buttons,
# a spreadsheet's cell.
_YES = frozenset({"yes", "true", "1", "y", "是", "会"})
_NO = frozenset({"no", "false", "0", "n", "否", "不会"})


def _yes_no(value: object, *, field: str) -> bool | None:
    """True, False, or None when the question was skipped; anything else is `Invalid`."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if not word:
            return None
        if word in _YES:
            return True
        if word in _NO:
            return False
    raise Invalid(_("Answer yes or no, or leave this question out."), field=field)


def _score(value: object, *, field: str, low: int, high: int, required: bool) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(_("Please answer this question."), field=field)
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's 7.0
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise Invalid(
            _("Choose a whole number from %(low)d to %(high)d.") % {"low": low, "high": high},
            field=field,
        )
    return number


def survey_clean(answers: dict[str, Any]) -> SurveyInput:
    """Check an answer before anything is stored; `Invalid` names the question at fault."""
    solved = answers.get("solved")
    if solved not in Solved.values:
        raise Invalid(_("Say whether the problem was solved: yes, partly or no."),
                      field="solved")
    scores = {
        field: _score(answers.get(field), field=field, low=low, high=high, required=required)
        for field, low, high, required in (
            ("satisfaction", 1, 5, True), ("outcome_fair", 1, 5, False),
            ("process_fair", 1, 5, False), ("interaction_fair", 1, 5, False),
            ("recommend", 0, 10, False),
        )
    }
    would_return = _yes_no(answers.get("would_return"), field="would_return")
    comment = clean_long_text(answers.get("comment"), field="comment", max_length=MESSAGE_MAX,
                              required=False)
    return SurveyInput(solved=solved, would_return=would_return, comment=comment,
                       **scores)  # type: ignore[arg-type]


def answer_reopens(answer: SurveyInput) -> bool:
    """The second-recovery rule: not solved, or too dissatisfied."""
    return (answer.solved == Solved.NO
            or answer.satisfaction <= settings.REDRESS_REOPEN_SATISFACTION_MAX)


_ORDER = [Priority.P1, Priority.P2, Priority.P3, Priority.P4]


def priority_raised(priority: str) -> str:
    """One step more urgent, and at least P2: a second failure is never routine."""
    step = max(_ORDER.index(Priority(priority)) - 1, 0)
    return str(_ORDER[min(step, _ORDER.index(Priority.P2))])


def survey_answer(
    *, answers: dict[str, Any], token: str | None = None, followup: FollowUp | None = None,
    actor: User | None = None,
) -> SurveyAnswer:
    """Record the answer to a follow-up: by the customer through the link (`token`), or by
    a member of staff who asked on the phone (`followup` and `actor`, marked as by phone).

    One answer per follow-up (a second is `AlreadyAnswered`, 409); an expired link is
    `LinkExpired`; a bad answer is `Invalid` and stores nothing. The answer goes on the
    timeline (for staff; the customer sees a thank-you) and may reopen the case for a
    second recovery (see the module's rules)."""
    clean = survey_clean(answers)
    if token is not None:
        followup_id = survey_open(token=token).pk
    elif followup is not None and actor is not None:
        followup_id = followup.pk
        if not case_actionable_by(actor, followup.case):
            raise NotAllowed(_("Only the case's owner or a supervisor can record this."))
    else:
        raise NotFound(_("There is no such survey."), field="token")

    with transaction.atomic():
        # The row lock makes two answers sent at once queue: the second finds the first.
        followup = FollowUp.objects.select_for_update().get(pk=followup_id)
        _check_open(followup)
        case = Case.objects.select_related("owner", "customer").get(pk=followup.case_id)
        now = clock.now()
        reopen = answer_reopens(clean) and case.status in (Status.RESOLVED, Status.FOLLOW_UP)
        try:
            with transaction.atomic():
                answer = SurveyAnswer.objects.create(
                    followup=followup, by_phone=actor is not None, recorded_by=actor,
                    reopened=reopen, answered_at=now, **asdict(clean),
                )
        except IntegrityError as exc:
            raise AlreadyAnswered(_("This survey has been answered already. Thank you.")) from exc
        followup.status, followup.answered_at = FollowUpStatus.ANSWERED, now
        followup.save(update_fields=["status", "answered_at"])
        case_log(
            case=case, actor=actor, kind=EventKind.FOLLOW_UP, message=clean.comment,
            after={"answer": {k: v for k, v in asdict(clean).items() if k != "comment"},
                   "by_phone": actor is not None, "followup": followup.pk},
        )
        language = case.language_code
        case_log(
            case=case, actor=None, kind=EventKind.FOLLOW_UP, visible_to_customer=True,
            message=content.text("thanks_reopened" if reopen else "timeline_thanks", language),
        )
        values = {"solved": Solved(clean.solved).label, "satisfaction": clean.satisfaction}
        if reopen:
            case = case_reopen_for_second_recovery(
                case=case, actor=actor, priority=priority_raised(case.priority),
                reason="second_recovery", via=VIA,
            )
            case_log(
                case=case, actor=None, kind=EventKind.FOLLOW_UP,
                message=gettext("Second recovery (round %(round)d): the customer answered "
                                "“%(solved)s”, satisfaction %(satisfaction)d/5. Priority "
                                "raised to %(priority)s.")
                % {**values, "round": case.recovery_round, "priority": case.priority},
                after={"second_recovery": True, "recovery_round": case.recovery_round},
            )
            owner = [case.owner] if case.owner is not None else []
            _tell(owner + _supervisors(case), case,
                  _("%(reference)s reopened for a second recovery: the customer answered "
                    "“%(solved)s”, satisfaction %(satisfaction)d/5."), **values)
        elif case.owner is not None and case.owner != actor:
            _tell([case.owner], case, _("%(reference)s: the customer answered the follow-up "
                                        "(“%(solved)s”, satisfaction %(satisfaction)d/5)."),
                  **values)
    return answer


# -- no response --------------------------------------------------------------------------


def followup_expire(*, followup_id: int) -> FollowUp | None:
    """A follow-up left unanswered when its link expires: the case, still in follow-up, is
    closed as `no_response` and the customer told they may still come back. Safe to run
    twice; does nothing before the expiry or once answered."""
    with transaction.atomic():
        followup = FollowUp.objects.select_for_update().filter(pk=followup_id).first()
        now = clock.now()
        if (followup is None or followup.status != FollowUpStatus.SENT
                or followup.expires_at > now):
            return followup
        followup.status, followup.closed_at = FollowUpStatus.NO_RESPONSE, now
        followup.save(update_fields=["status", "closed_at"])
        case = Case.objects.get(pk=followup.case_id)
        if case.status == Status.FOLLOW_UP:
            try:
                with transaction.atomic():
                    case_system_transition(
                        case=case, to=Status.CLOSED, close_reason=CloseReason.NO_RESPONSE,
                        message=content.text("no_response", case.language_code), via=VIA,
                    )
            except DomainError as error:
                # A guard refused the close: the case stays open for its owner to close,
                # and the follow-up still counts as unanswered.
                logger.warning("no-response close of case %s refused: %s", case.pk,
                               error.message)
    return followup


def followups_sweep() -> tuple[int, int]:
    """Send every follow-up whose time has come and close every one left unanswered past
    its expiry: what the delayed tasks do, and what `redress followup sweep` (run by
    `redress serve` at start-up) does for those a stopped worker missed. Returns (sent,
    expired)."""
    now = clock.now()
    sent = expired = 0
    due = FollowUp.objects.filter(status=FollowUpStatus.SCHEDULED, scheduled_for__lte=now)
    for followup_id in list(due.values_list("pk", flat=True)):
        if followup_send(followup_id=followup_id).status == FollowUpStatus.SENT:
            sent += 1
    over = FollowUp.objects.filter(status=FollowUpStatus.SENT, expires_at__lte=now)
    for followup_id in list(over.values_list("pk", flat=True)):
        result = followup_expire(followup_id=followup_id)
        if result is not None and result.status == FollowUpStatus.NO_RESPONSE:
            expired += 1
    return sent, expired


# -- general satisfaction surveys ---------------------------------------------------------


@dataclass(frozen=True)
class FeedbackInput:
    """One answer to a general survey, checked."""

    survey: str
    external_id: str = ""
    phone: str = ""
    email: str = ""
    name: str = ""
    nps: int | None = None
    csat: int | None = None
    comment: str = ""
    answered_at: datetime | None = None
    language: str = ""

    @property
    def detractor(self) -> bool:
        """NPS at most `REDRESS_DETRACTOR_NPS_MAX` (6) or CSAT at most
        `REDRESS_DETRACTOR_CSAT_MAX` (2)."""
        return (
            (self.nps is not None and self.nps <= settings.REDRESS_DETRACTOR_NPS_MAX)
            or (self.csat is not None and self.csat <= settings.REDRESS_DETRACTOR_CSAT_MAX)
        )

    def description(self) -> str:
        """The answer as a complaint: the respondent's words as sent, then the scores."""
        english = self.language == "en"
        scores = [f"NPS {self.nps}/10" if self.nps is not None else "",
                  f"CSAT {self.csat}/5" if self.csat is not None else ""]
        head = ("Survey “%s”: " if english else "问卷“%s”：") % self.survey
        line = head + " · ".join(s for s in scores if s)
        return f"{self.comment}\n\n{line}" if self.comment.strip() else line


def feedback_clean(raw: dict[str, Any]) -> FeedbackInput:
    """Check a general survey answer; `Invalid` names the field at fault."""
    survey = clean_short_text(str(raw.get("survey") or ""), field="survey", max_length=100)
    if not survey:
        raise Invalid(_("Name the survey this answer belongs to."), field="survey")
    external_id = clean_short_text(str(raw.get("external_id") or ""), field="external_id",
                                   max_length=100)
    phone = clean_phone(str(raw.get("phone") or ""))
    email = clean_email(str(raw.get("email") or ""))
    name = clean_short_text(str(raw.get("name") or ""), field="name", max_length=100)
    if not (external_id or phone or email):
        raise Invalid(_("Give the respondent's customer id, phone number or e-mail address."),
                      field="phone")
    nps = _score(raw.get("nps"), field="nps", low=0, high=10, required=False)
    csat = _score(raw.get("csat"), field="csat", low=1, high=5, required=False)
    if nps is None and csat is None:
        raise Invalid(_("Give a score: nps (0-10) or csat (1-5)."), field="nps")
    comment = clean_long_text(str(raw.get("comment") or ""), field="comment",
                              max_length=MESSAGE_MAX, required=False)
    answered_at = raw.get("answered_at")
    if isinstance(answered_at, str) and answered_at.strip():
        try:
            answered_at = datetime.fromisoformat(answered_at.strip())
        except ValueError as exc:
            raise Invalid(_("Give the time as 2026-11-24 10:30 or in ISO 8601."),
                          field="answered_at") from exc
    elif not isinstance(answered_at, datetime):
        answered_at = None
    if answered_at is not None and answered_at.tzinfo is None:
        answered_at = answered_at.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    if answered_at is not None and answered_at > clock.now() + timedelta(minutes=5):
        raise Invalid(_("The time answered cannot be in the future."), field="answered_at")
    language = str(raw.get("language") or "").strip().lower()
    language = {"zh-hans": "zh", "zh-cn": "zh", "cn": "zh", "中文": "zh",
                "english": "en"}.get(language, language)
    language = clean_choice(language, field="language", choices=["", "zh", "en"])
    return FeedbackInput(survey=survey, external_id=external_id, phone=phone, email=email,
                         name=name, nps=nps, csat=csat, comment=comment,
                         answered_at=answered_at, language=language)


def feedback_respondent(answer: FeedbackInput) -> tuple[Customer, bool]:
    """The customer who answered, and whether they are new: the one with the same
    customer id, else the same phone number, else the same e-mail address; a new customer
    when none is on file. One query to look. Call inside the caller's transaction."""
    keys = [(field, value) for field, value in (
        ("external_id", answer.external_id), ("phone", answer.phone), ("email", answer.email),
    ) if value]
    match = Q()
    for field, value in keys:
        match |= Q(**{field: value})
    found = list(Customer.objects.filter(match).order_by("pk")[:20]) if keys else []
    for field, value in keys:
        for customer in found:
            if getattr(customer, field) == value:
                return customer, False
    return Customer.objects.create(name=answer.name, phone=answer.phone, email=answer.email,
                                   external_id=answer.external_id), True


def feedback_existing(*, customer: Customer, survey: str) -> FeedbackAnswer | None:
    return FeedbackAnswer.objects.filter(customer=customer, survey=survey).first()


def feedback_record(
    *, answer: FeedbackInput, customer: Customer, source: str, case: Case | None,
) -> FeedbackAnswer:
    """Store an answer (and the recovery case it opened). Call inside the caller's
    transaction; the unique constraint refuses a second answer for the same customer and
    survey with `IntegrityError`."""
    return FeedbackAnswer.objects.create(
        survey=answer.survey, customer=customer, nps=answer.nps, csat=answer.csat,
        comment=answer.comment, language=answer.language,
        answered_at=answer.answered_at or clock.now(), detractor=answer.detractor,
        source=clean_choice(source, field="source", choices=list(FeedbackSource.values)),
        case=case,
    )


SURVEY_CHANNEL = Channel.SURVEY
