"""Every write of the lessons app: root causes, the close guard, recurring groups and
their spike alerts, problems, corrective and preventive actions, effectiveness checks.

Each service runs in one transaction and checks who is acting. Case timelines are written
through `cases.services.case_log`; staff are told through `notify.staff_notify_many`.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import Department, Organisation, Role, User
from redress.cases import lifecycle
from redress.cases.models import Case, CloseReason, EventKind, Kind, Scenario, Status
from redress.cases.selectors import case_actionable_by, case_visible_to
from redress.cases.services import case_log
from redress.cases.validation import MESSAGE_MAX, clean_choice, clean_long_text, clean_short_text
from redress.common import clock
from redress.common.errors import Conflict, Invalid, NotAllowed, NotFound
from redress.common.tasks import task_enqueue
from redress.lessons import grouping, spikes
from redress.lessons.models import (
    Accepted,
    ActionKind,
    ActionStatus,
    CaseGrouping,
    CauseCategory,
    CorrectiveAction,
    EffectivenessCheck,
    Problem,
    ProblemStatus,
    RecurringGroup,
    ResponsibilityRule,
    RootCause,
    SpikeAlert,
    WeeklyScan,
)
from redress.notify.services import StaffNote, staff_notify_many

logger = logging.getLogger(__name__)

# What closing a resolved case may require, by the names REDRESS_CLOSE_REQUIRES uses.
CLOSE_FIELDS: dict[str, Any] = {
    "cause": _("the cause"),
    "department": _("the responsible department"),
    "step": _("the problem step"),
    "customer_accepted": _("whether the customer accepted the outcome"),
    "remedy": _("the remedy given"),
}
STEP_MAX = 100
# Cases that are not about a failure do not make a problem recur.
_NOT_A_FAILURE_KINDS = (Kind.INQUIRY, Kind.SUGGESTION, Kind.PRAISE)
_NOT_COUNTED_CLOSES = (CloseReason.DUPLICATE, CloseReason.INVALID)


# --- root causes and the close guard ----------------------------------------------------


def close_requirements() -> list[str]:
    """The root-cause fields closing a resolved case needs (REDRESS_CLOSE_REQUIRES)."""
    return list(getattr(settings, "REDRESS_CLOSE_REQUIRES", list(CLOSE_FIELDS)))


def root_cause_missing(root_cause: RootCause | None, required: Iterable[str]) -> list[str]:
    """The required fields `root_cause` does not fill, in the order of `CLOSE_FIELDS`."""
    present = {
        "cause": bool(root_cause and root_cause.category),
        "department": bool(root_cause and root_cause.department_id),
        "step": bool(root_cause and root_cause.step.strip()),
        "customer_accepted": bool(
            root_cause and root_cause.customer_accepted != Accepted.UNKNOWN
        ),
        "remedy": bool(root_cause and root_cause.remedy_given.strip()),
    }
    wanted = set(required)
    return [name for name in CLOSE_FIELDS if name in wanted and not present[name]]


def case_close_guard(*, case: Case, to: str, close_reason: str | None) -> None:
    """Refuse to close a resolved case whose root cause lacks a required field.

    Called inside `case_transition`'s transaction (`cases.signals.case_moving`), so the
    console, the API and every other caller meet the same rule. A case closed as a
    duplicate, invalid or for no response needs no root cause: there was no failure to
    learn from, or nobody to ask.
    """
    if to != Status.CLOSED:
        return
    resolving = close_reason in (None, "", CloseReason.RESOLVED)
    if not resolving or case.status not in lifecycle.CLOSES_AS_RESOLVED:
        return
    required = close_requirements()
    if not required:
        return
    root_cause = RootCause.objects.filter(case_id=case.pk).first()
    missing = root_cause_missing(root_cause, required)
    if missing:
        raise Invalid(
            _("Record the root cause before closing. Still missing: %(missing)s.")
            % {"missing": ", ".join(str(CLOSE_FIELDS[name]) for name in missing)},
            field="root_cause",
        )


def _organisation_of(case: Case) -> Organisation | None:
    return case.department.organisation if case.department_id and case.department else None


def remedy_summary(case: Case) -> str:
    """What the case records as given, to pre-fill "remedy given"."""
    if not case.remedy:
        return ""
    if case.remedy_amount is not None:
        return f"{case.remedy} (¥{case.remedy_amount})"
    return case.remedy


@dataclass(frozen=True)
class RootCauseInput:
    category: str = ""
    detail: str = ""
    department_id: int | None = None
    department_name: str = ""  # the API names departments; the console picks an id
    step: str = ""
    customer_accepted: str = Accepted.UNKNOWN
    customer_words: str = ""
    remedy_given: str | None = None  # None: take it from the case's remedy


def case_root_cause_record(*, case: Case, actor: User, values: RootCauseInput) -> RootCause:
    """Record why `case` happened and who answers for it (责任界定表), replacing an earlier
    recording; the timeline gets an entry with the values before and after.

    Anyone who may act on the case may record it, while it is open. A problem step found in
    the organisation's responsibility table fills in its department when none is given.
    A customer who did not accept the outcome has their words recorded (ISO 10002): "no"
    without them is refused. Raises `Invalid` (naming the field) and stores nothing on bad
    input.
    """
    category = clean_choice(values.category or "", field="category",
                            choices=["", *CauseCategory.values])
    detail = clean_long_text(values.detail, field="detail", max_length=MESSAGE_MAX,
                             required=False)
    step = clean_short_text(values.step, field="step", max_length=STEP_MAX)
    accepted = clean_choice(values.customer_accepted or Accepted.UNKNOWN,
                            field="customer_accepted", choices=list(Accepted.values))
    words = clean_long_text(values.customer_words, field="customer_words",
                            max_length=MESSAGE_MAX, required=False)
    if accepted == Accepted.NO and not words.strip():
        raise Invalid(
            _("The customer did not accept the outcome: write down what they said."),
            field="customer_words",
        )
    remedy = (
        clean_long_text(values.remedy_given, field="remedy_given", max_length=MESSAGE_MAX,
                        required=False)
        if values.remedy_given is not None else None
    )
    organisation = _organisation_of(case)
    department = None
    name = (values.department_name or "").strip()
    if values.department_id is not None or name:
        candidates = Department.objects.filter(
            organisation=organisation) if organisation else Department.objects.all()
        department = (candidates.filter(pk=values.department_id).first()
                      if values.department_id is not None
                      else candidates.filter(name=name).first())
        if department is None or (
            organisation is not None and department.organisation_id != organisation.pk
        ):
            raise Invalid(_("Choose one of the organisation's departments."),
                          field="department")
    if department is None and step and organisation is not None:
        rule = ResponsibilityRule.objects.filter(organisation=organisation, step=step).first()
        if rule is not None:
            department = rule.department

    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not case_visible_to(actor, locked):
            raise NotFound(_("No such case."))
        if not case_actionable_by(actor, locked):
            raise NotAllowed(_("Only the case's owner or a supervisor may record its root "
                               "cause."))
        if not locked.is_open:
            raise Conflict(_("This case is closed."))
        existing = RootCause.objects.filter(case=locked).first()
        record = existing or RootCause(case=locked)
        before = _root_cause_values(existing) if existing else {}
        record.category = category
        record.detail = detail
        record.department = department
        record.step = step
        record.customer_accepted = accepted
        record.customer_words = words
        if remedy is not None:
            record.remedy_given = remedy
        elif not record.remedy_given:
            record.remedy_given = remedy_summary(locked)
        record.recorded_by = actor
        record.recorded_at = clock.now()
        record.save()
        after = _root_cause_values(record)
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        if changed or not existing:
            event = case_log(case=locked, actor=actor, kind=EventKind.ROOT_CAUSE,
                             message=detail, after=changed)
            event.before = {k: before.get(k) for k in changed} if existing else {}
            event.save(update_fields=["before"])
    return record


def _root_cause_values(record: RootCause) -> dict[str, Any]:
    return {
        "category": record.category, "detail": record.detail,
        "department": record.department.name if record.department else None,
        "step": record.step, "customer_accepted": record.customer_accepted,
        "customer_words": record.customer_words, "remedy_given": record.remedy_given,
    }


# --- recurring groups and spikes ---------------------------------------------------------


def _countable() -> Q:
    """Cases that say a failure happened (see `_NOT_A_FAILURE_KINDS`), not closed as a
    duplicate or invalid, and not read as "not a failure"."""
    return (
        ~Q(kind__in=_NOT_A_FAILURE_KINDS) & ~Q(close_reason__in=_NOT_COUNTED_CLOSES)
        & ~Q(scenario=Scenario.NONE)
    )


def cases_group(*, cases: Iterable[Case]) -> int:
    """Put each case not in a group yet into its group (`grouping`), oldest first, so a
    group's centroid grows in the order its complaints came. Returns how many were put."""
    done = 0
    for case in sorted(cases, key=lambda c: (c.received_at, c.pk)):
        with transaction.atomic():
            if CaseGrouping.objects.filter(case_id=case.pk).exists():
                continue
            organisation = _organisation_of(case)
            place = grouping.normalise_place(case.location)
            candidates = RecurringGroup.objects.select_for_update().filter(
                organisation=organisation, scenario=case.scenario, place=place,
            )
            text_terms = grouping.terms(case.description)
            by_id = {group.pk: group for group in candidates}
            group_id, score = grouping.best_match(
                text_terms, ((pk, g.centroid) for pk, g in by_id.items())
            )
            if group_id is None:
                # Named after its first complaint, in the customer's words: a reader
                # recognises a problem from an example better than from key words.
                group = RecurringGroup.objects.create(
                    organisation=organisation, scenario=case.scenario, place=place,
                    headline=grouping.example(case.description),
                )
                score = 1.0
            else:
                group = by_id[group_id]
            group.centroid = grouping.centroid_add(group.centroid, group.members, text_terms)
            group.members += 1
            group.save(update_fields=["centroid", "members"])
            CaseGrouping.objects.create(case=case, group=group, received_at=case.received_at,
                                        similarity=round(score, 4))
            done += 1
    return done


def cases_group_pending(*, until: datetime) -> int:
    """Group every countable case received before `until` that has no group yet."""
    pending = (
        Case.objects.filter(_countable(), received_at__lt=until)
        .exclude(pk__in=CaseGrouping.objects.values("case_id"))
        .select_related("department__organisation")
    )
    return cases_group(cases=pending.iterator(chunk_size=500))


def week_start(moment: datetime, zone: str) -> date:
    """The Monday of the ISO week `moment` falls in, in `zone`."""
    local = moment.astimezone(ZoneInfo(zone)).date()
    return local - timedelta(days=local.weekday())


def _week_bounds(monday: date, zone: str) -> tuple[datetime, datetime]:
    start = datetime.combine(monday, time(0), ZoneInfo(zone))
    return start, datetime.combine(monday + timedelta(days=7), time(0), ZoneInfo(zone))


def zone_of(organisation: Organisation | None) -> str:
    return organisation.time_zone if organisation else settings.TIME_ZONE


def group_weekly_counts(*, group_ids: list[int], first: date, weeks: int, zone: str
                        ) -> dict[int, list[int]]:
    """Countable cases per group in `weeks` ISO weeks from the Monday `first`, in `zone`."""
    start, _end = _week_bounds(first, zone)
    end = start + timedelta(weeks=weeks)
    counts: dict[int, list[int]] = {gid: [0] * weeks for gid in group_ids}
    rows = CaseGrouping.objects.filter(
        group_id__in=group_ids, received_at__gte=start, received_at__lt=end,
        case__in=Case.objects.filter(_countable()),
    ).values_list("group_id", "received_at")
    for group_id, received in rows:
        index = (week_start(received, zone) - first).days // 7
        if 0 <= index < weeks:
            counts[group_id][index] += 1
    return counts


def quality_managers() -> list[User]:
    """Who hears of recurring problems: the quality managers, else the administrators."""
    people = list(User.objects.filter(is_active=True, role=Role.QUALITY))
    return people or list(User.objects.filter(is_active=True, role=Role.ADMIN))


# When the weekly review runs: Monday morning in the business's time zone, once the week
# before is complete.
WEEKLY_SCAN_WEEKDAY, WEEKLY_SCAN_HOUR = 0, 6


def weekly_scan_next(now: datetime) -> datetime:
    """The next Monday 06:00 local time after `now`."""
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    days = (WEEKLY_SCAN_WEEKDAY - local.weekday()) % 7
    candidate = (local + timedelta(days=days)).replace(
        hour=WEEKLY_SCAN_HOUR, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += timedelta(days=7)
    return candidate


def weekly_scan_arm(*, now: datetime | None = None) -> datetime | None:
    """Make sure a worker wakes for the next weekly review (and only one does). Without
    deferred tasks (tests), nothing is armed: run `redress lessons scan` from cron."""
    from django_tasks import default_task_backend

    if not default_task_backend.supports_defer:
        return None
    at = weekly_scan_next(now or clock.now())
    _alarm, created = WeeklyScan.objects.get_or_create(at=at)
    if created:
        from redress.lessons.tasks import lessons_scan

        task_enqueue(lessons_scan, run_after=at)
    return at


def spikes_scan(*, now: datetime | None = None) -> list[SpikeAlert]:
    """Review the last complete ISO week of every recurring group (groups the cases not
    grouped yet first) and raise an alert for each spike (`spikes.spike_test`) to the
    quality managers. Safe to run twice: one alert per group and week."""
    now = now or clock.now()
    raised: list[SpikeAlert] = []
    organisations: list[Organisation | None] = [*Organisation.objects.all(), None]
    zones = {zone_of(organisation) for organisation in organisations}
    for zone in sorted(zones):
        this_monday = week_start(now, zone)
        reviewed = this_monday - timedelta(weeks=1)
        cases_group_pending(until=_week_bounds(this_monday, zone)[0])
        in_zone = [o.pk for o in organisations if o is not None and zone_of(o) == zone]
        groups = RecurringGroup.objects.filter(
            Q(organisation_id__in=in_zone)
            | (Q(organisation__isnull=True) if zone == settings.TIME_ZONE else Q(pk__in=[]))
        )
        start, end = _week_bounds(reviewed, zone)
        busy = list(
            CaseGrouping.objects.filter(group__in=groups, received_at__gte=start,
                                        received_at__lt=end)
            .values_list("group_id", flat=True).distinct()
        )
        if not busy:
            continue
        first = reviewed - timedelta(weeks=spikes.BASELINE_WEEKS)
        counts = group_weekly_counts(group_ids=busy, first=first,
                                     weeks=spikes.BASELINE_WEEKS + 1, zone=zone)
        for group_id, series in counts.items():
            result = spikes.spike_test(series[:-1], series[-1])
            if result.spike:
                alert = _alert_raise(group_id, reviewed, result)
                if alert is not None:
                    raised.append(alert)
    return raised


def _alert_raise(group_id: int, monday: date, result: spikes.SpikeResult) -> SpikeAlert | None:
    try:
        with transaction.atomic():
            alert, created = SpikeAlert.objects.get_or_create(
                group_id=group_id, week_start=monday,
                defaults={"count": result.count, "baseline": round(result.baseline, 2),
                          "p_value": result.p_value},
            )
            if not created:
                return None
            group = alert.group
            link = reverse("web:lessons_recurring")
            notes = []
            for person in quality_managers():
                # Staff keep no language of their own: write in the product's language.
                with translation.override(settings.LANGUAGE_CODE):
                    text = gettext(
                        "Recurring problem: %(count)d complaints in the week of %(week)s "
                        "about “%(topic)s” (usually %(baseline).1f a week)."
                    ) % {"count": result.count, "week": monday.isoformat(),
                         "topic": group.headline or group.place or "—",
                         "baseline": result.baseline}
                notes.append(StaffNote(recipient_id=person.pk, email=person.email, text=text,
                                       link=link))
            staff_notify_many(notes)
    except IntegrityError:  # another scan raised it a moment ago
        return None
    return alert


# --- problems and corrective actions -----------------------------------------------------


def _require_quality(actor: User) -> None:
    if not actor.is_active or not actor.is_supervisor_or_above:
        raise NotAllowed(_("Only quality managers, supervisors and administrators may do "
                           "this."))


def problem_open(
    *, actor: User, title: str, description: str = "", group: RecurringGroup | None = None,
    cases: Iterable[Case] = (),
) -> Problem:
    """Open a problem, linking `cases` (and, when opened from a group, the group's cases)."""
    _require_quality(actor)
    title = clean_short_text(title, field="title")
    if not title:
        raise Invalid(_("Please write something here."), field="title")
    description = clean_long_text(description, field="description", max_length=MESSAGE_MAX,
                                  required=False)
    with transaction.atomic():
        problem = Problem.objects.create(title=title, description=description, group=group,
                                         opened_by=actor)
        linked = {case.pk for case in cases}
        if group is not None:
            linked |= set(
                CaseGrouping.objects.filter(group=group, case__in=Case.objects.filter(
                    _countable())).values_list("case_id", flat=True)
            )
        problem.cases.add(*linked)
    return problem


def problem_open_from_alert(*, actor: User, alert: SpikeAlert) -> Problem:
    """Open the problem behind a spike alert, linking its group's cases. An alert that
    already has its problem returns it instead of opening a second."""
    _require_quality(actor)
    with transaction.atomic():
        locked = SpikeAlert.objects.select_for_update(of=("self",)).select_related(
            "group").get(pk=alert.pk)
        if locked.problem_id is not None:
            return Problem.objects.get(pk=locked.problem_id)
        group = locked.group
        with translation.override(settings.LANGUAGE_CODE):
            title = gettext("Recurring: %(topic)s") % {
                "topic": group.headline or group.place or f"#{group.pk}"
            }
            description = gettext(
                "%(count)d complaints in the week of %(week)s, against a baseline of "
                "%(baseline).1f a week (p = %(p).4f)."
            ) % {"count": locked.count, "week": locked.week_start.isoformat(),
                 "baseline": locked.baseline, "p": locked.p_value}
        problem = problem_open(actor=actor, title=title[:200], description=description,
                               group=group)
        locked.problem = problem
        locked.save(update_fields=["problem"])
    return problem


def _locked_problem(problem: Problem) -> Problem:
    try:
        return Problem.objects.select_for_update().get(pk=problem.pk)
    except Problem.DoesNotExist as exc:
        raise NotFound(_("No such problem.")) from exc


def problem_action_add(
    *, problem: Problem, actor: User, kind: str, description: str, owner: User, due: date,
) -> CorrectiveAction:
    """Give a problem a corrective or preventive action, with an owner and a due date; the
    owner is told. A problem with actions is being acted on."""
    _require_quality(actor)
    kind = clean_choice(kind, field="kind", choices=list(ActionKind.values))
    description = clean_long_text(description, field="description", max_length=MESSAGE_MAX,
                                  required=True)
    if not owner.is_active:
        raise Invalid(_("Choose an active member of staff."), field="owner")
    if not isinstance(due, date):
        raise Invalid(_("Give a due date."), field="due")
    with transaction.atomic():
        problem = _locked_problem(problem)
        if problem.status == ProblemStatus.CLOSED:
            raise Conflict(_("This problem is closed."))
        action = CorrectiveAction.objects.create(problem=problem, kind=kind,
                                                 description=description, owner=owner, due=due)
        if problem.status in (ProblemStatus.OPEN, ProblemStatus.VERIFYING):
            problem.status = ProblemStatus.ACTING
            problem.save(update_fields=["status"])
        with translation.override(settings.LANGUAGE_CODE):
            text = gettext("Action for you on “%(problem)s”, due %(due)s: %(action)s") % {
                "problem": problem.title, "due": due.isoformat(), "action": description[:200]}
        staff_notify_many([StaffNote(
            recipient_id=owner.pk, email=owner.email, text=text,
            link=reverse("web:lessons_problem", args=[problem.pk]),
        )])
    return action


def action_status_set(*, action: CorrectiveAction, actor: User, status: str
                      ) -> CorrectiveAction:
    """Move an action to planned, doing or done (its owner or a quality manager may).

    When the last action of a problem is done, the problem goes to verifying and its
    effectiveness is checked (and checked again when the after-window has passed).
    """
    status = clean_choice(status, field="status", choices=list(ActionStatus.values))
    with transaction.atomic():
        action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
        if action.owner_id != actor.pk:
            _require_quality(actor)
        problem = _locked_problem(action.problem)
        if problem.status == ProblemStatus.CLOSED:
            raise Conflict(_("This problem is closed."))
        if action.status == status:
            return action
        action.status = status
        action.done_at = clock.now() if status == ActionStatus.DONE else None
        action.save(update_fields=["status", "done_at"])
        open_actions = problem.actions.exclude(status=ActionStatus.DONE).exists()
        if open_actions and problem.status == ProblemStatus.VERIFYING:
            problem.status = ProblemStatus.ACTING
            problem.save(update_fields=["status"])
        elif not open_actions:
            problem.status = ProblemStatus.VERIFYING
            problem.save(update_fields=["status"])
            check = problem_effectiveness_check(problem=problem, actor=actor)
            if check.too_early:
                due = check.reference_at + timedelta(weeks=check.weeks)
                problem_id = problem.pk
                _schedule_check(problem_id, due)
    return action


def _schedule_check(problem_id: int, due: datetime) -> None:
    from django_tasks import default_task_backend

    from redress.lessons.tasks import problem_check

    # Without deferred tasks (tests, the immediate backend) the check waits for a person
    # to ask for it on the problem's page.
    if default_task_backend.supports_defer:
        task_enqueue(problem_check, run_after=due, problem_id=problem_id)


def capa_window_weeks() -> int:
    return int(getattr(settings, "REDRESS_CAPA_WINDOW_WEEKS", 4))


def problem_cases(problem: Problem) -> Any:
    """The cases that count for a problem: linked to it, or in its recurring group."""
    linked = Q(problems=problem)
    if problem.group_id is not None:
        linked |= Q(pk__in=CaseGrouping.objects.filter(group_id=problem.group_id)
                    .values("case_id"))
    return Case.objects.filter(linked).filter(_countable()).distinct()


def problem_effectiveness_check(*, problem: Problem, actor: User | None = None,
                                now: datetime | None = None) -> EffectivenessCheck:
    """Compare the problem's complaints in equal windows (REDRESS_CAPA_WINDOW_WEEKS, 4
    weeks) before and after its last action was done; record the figures and whether
    they fell (`spikes.rate_change`). Before the after-window has passed, the check
    records "too early" and how many days are left. `actor`, when given, must be a
    quality manager, a supervisor or an administrator (or the owner who just finished)."""
    now = now or clock.now()
    actions = list(problem.actions.all())
    if actor is not None and not any(a.owner_id == actor.pk for a in actions):
        _require_quality(actor)
    if not actions:
        raise Conflict(_("This problem has no actions yet: there is nothing to check."))
    if any(a.status != ActionStatus.DONE for a in actions):
        raise Conflict(_("Some actions are not done yet: check once they all are."))
    done_at = max(a.done_at or now for a in actions)
    weeks = capa_window_weeks()
    window = timedelta(weeks=weeks)
    if now < done_at + window:
        left = done_at + window - now
        days_left = left.days + (1 if left.seconds or left.microseconds else 0)
        return EffectivenessCheck.objects.create(
            problem=problem, checked_by=actor, reference_at=done_at, weeks=weeks,
            too_early=True, days_left=days_left,
        )
    matching = problem_cases(problem)
    before = matching.filter(received_at__gte=done_at - window, received_at__lt=done_at).count()
    after = matching.filter(received_at__gte=done_at, received_at__lt=done_at + window).count()
    result = spikes.rate_change(before=before, after=after, weeks=weeks)
    check = EffectivenessCheck.objects.create(
        problem=problem, checked_by=actor, reference_at=done_at, weeks=weeks,
        before=before, after=after, before_per_week=result.before_per_week,
        after_per_week=result.after_per_week, change_percent=result.change_percent,
        p_value=result.p_value, fell=result.fell,
    )
    opener = problem.opened_by
    with translation.override(settings.LANGUAGE_CODE):
        text = effectiveness_summary(check)
    staff_notify_many([StaffNote(recipient_id=opener.pk, email=opener.email,
                                 text=f"{problem.title}: {text}"[:500],
                                 link=reverse("web:lessons_problem", args=[problem.pk]))])
    return check


def effectiveness_summary(check: EffectivenessCheck) -> str:
    """The check in one sentence, with its figures, in the active language."""
    if check.too_early:
        return gettext("Too early to tell: %(days)d days left until the after-window of "
                       "%(weeks)d weeks has passed.") % {"days": check.days_left,
                                                         "weeks": check.weeks}
    figures = gettext(
        "%(before)s a week before (%(n_before)d in %(weeks)d weeks), %(after)s a week "
        "after (%(n_after)d)"
    ) % {"before": check.before_per_week, "after": check.after_per_week,
         "n_before": check.before, "n_after": check.after, "weeks": check.weeks}
    change = (f", {check.change_percent:+}%" if check.change_percent is not None else "")
    verdict = (gettext("the complaints fell.") if check.fell
               else gettext("no clear fall in the complaints."))
    return f"{figures}{change}, p = {check.p_value:.3f}: {verdict}"


def problem_check_due(*, problem_id: int) -> EffectivenessCheck | None:
    """The deferred check, once the after-window has passed. Safe to run twice."""
    problem = Problem.objects.filter(pk=problem_id).first()
    if problem is None or problem.status != ProblemStatus.VERIFYING:
        return None
    try:
        return problem_effectiveness_check(problem=problem)
    except Conflict:
        return None


def problem_close(*, problem: Problem, actor: User) -> Problem:
    """Close a problem. Allowed once all its actions are done (or it has none: opened in
    error); the last effectiveness check stays with it as the record."""
    _require_quality(actor)
    with transaction.atomic():
        problem = _locked_problem(problem)
        if problem.status == ProblemStatus.CLOSED:
            raise Conflict(_("This problem is closed."))
        if problem.actions.exclude(status=ActionStatus.DONE).exists():
            raise Conflict(_("Some actions are not done yet: check once they all are."))
        problem.status = ProblemStatus.CLOSED
        problem.closed_at = clock.now()
        problem.save(update_fields=["status", "closed_at"])
    return problem

