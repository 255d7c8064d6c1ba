"""A realistic history of N cases, two years long, written straight into the database.

    .venv/bin/python bench/generate.py [--cases 1000000] [--seed 2026] [--days 730]
                                       [--data-dir DIR] [--jobs 2] [--extra-text FILE]

The demo's three organisations and its staff (plus more agents, so each handles a
believable number of cases a day), then N complaints received over the last `--days` days
(more at weekends, on holidays and as the business grows), each taken as far through the
lifecycle of DESIGN.md as the time since it arrived allows: received, read by triage,
acknowledged (first responses around the 15-minute target, with a tail), investigated,
remedied (values, costs, approvals over the owner's authority, refusals and better second
offers), carried out, resolved, followed up (survey answers with satisfaction and fairness
scores and whether the customer would come back, or no response), given a root cause and
closed; a few per cent reopened for a second recovery, some closed as duplicates or as
invalid. Recent cases are still open, in whatever state their story has reached. Beside
them, answers to the organisations' general satisfaction surveys (about one per four cases)
from customers who never complained: the baseline the recovery paradox compares recovered
customers with. Texts combine the demo's phrase pieces (`config/demo_content.py`): Chinese
about 70%, English about 30%.

The rows are what the services would have written (the timeline, the SLA clocks with their
breaches and escalations, remedies, follow-ups, root causes), but they are inserted in bulk:
playing a million cases through the services would take hours. The counters the services
keep (reference numbers per year, the id sequences on PostgreSQL) are set at the end, so the
console, the API and the workers carry on from the generated state. Recurring-problem
groups are left to the weekly review, as for any import.

Then the dashboard's daily and monthly sums are made (`--no-insights` leaves them to
`redress insights rebuild`), timed apart from the history.

SQLite (the default; `--data-dir` or REDRESS_DATA_DIR, else a new temporary directory) is
loaded with the journal, synchronous writes and CHECK constraints off for the load only
(the write-ahead log comes back at the end); with `--jobs 2` (the default) the story is told
in a second process, which hands each batch over as a small SQLite file of its own that the
writer copies in with INSERT … SELECT. With DATABASE_URL set, PostgreSQL is loaded with
COPY. Prints a progress bar and ends with one JSON line: cases, seconds, cases_per_second,
write_seconds (and per table), CPU seconds of each process, db_bytes, peak_rss_mb. Goal
(issue #8): 1,000,000 cases in under 5 minutes on SQLite.

The same seed and the same `now` give the same history, row for row (tracking codes
aside, which come from the system's random source).
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import multiprocessing
import operator
import os
import random
import resource
import sys
import tempfile
import time
from bisect import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import chain
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

SEED = 2026
DAYS = 730
BATCH = 5000  # cases written per transaction
# The SQLite page cache during the load: the indexes with random keys (tracking codes,
# customers' phones and e-mails) are inserted into all over, and a miss costs a read.
SQLITE_CACHE_MB = 256
ENGLISH_SHARE = 0.3
# A frontline agent handles about this many new cases a day; the demo's staff is topped up
# with generated agents until the load fits.
CASES_PER_AGENT_DAY = 30
ZONE_OFFSET = 8 * 3600  # Asia/Shanghai: no daylight saving, always UTC+8
MINUTE, HOUR, DAY = 60, 3600, 86400

# What becomes of a case, with its share: the ordinary recovery, a second recovery after an
# unsatisfied follow-up, a duplicate of an earlier complaint, a complaint that was not one.
FATES = (("recover", 92), ("reopen", 4), ("duplicate", 2.5), ("invalid", 1.5))
# How quickly a case of each priority moves from step to step, against an ordinary one.
PACE = {"P1": 0.15, "P2": 0.4, "P3": 0.8, "P4": 1.0}
# The triage taxonomy's scenario (TAXONOMY.md §2) of each demo scenario.
SCENARIO_LABEL = {
    "slow_service": "process_system", "hair_in_food": "product_defect",
    "cold_dish": "product_defect", "wrong_bill": "human_error", "rude_waiter": "human_error",
    "food_poisoning": "product_defect", "foreign_object": "product_defect",
    "reservation_lost": "process_system", "takeaway_late": "process_system",
    "takeaway_missing": "human_error", "takeaway_spilled": "product_defect",
    "takeaway_wrong": "human_error", "ac_broken": "product_defect",
    "noisy_room": "product_defect", "dirty_sheets": "human_error",
    "overbooked": "process_system", "lost_luggage": "human_error",
    "deposit_not_refunded": "process_system", "hot_water": "product_defect",
    "water_leak": "product_defect", "lift_broken": "product_defect",
    "parking": "process_system", "neighbour_noise": "process_system",
    "fees": "process_system", "security": "human_error", "garbage": "human_error",
    "repair_no_show": "human_error",
}
SURVEY_COMMENTS = (
    ("处理很及时，谢谢。", "态度很好，问题也解决了。", "补偿到账了，还算满意。",
     "希望以后别再出现同样的问题。", "整体还行，就是等得有点久。", "", "", ""),
    ("Quick and polite, thank you.", "Sorted out in the end.",
     "Fine, but it took a while.", "", ""),
)
UNHAPPY_COMMENTS = (
    ("问题还是没有解决，非常失望。", "补偿根本不够，要求重新处理。", "说好的回电一直没有等到。"),
    ("It is still not fixed.", "The compensation does not cover what we lost."),
)
UNHAPPY_WORDS = ("顾客表示补偿不足，但同意结案。", "顾客认为处理太慢，勉强接受。")
# How often a surveyed customer says they would come back, by how the case went: solved
# within its resolution deadline, after it, not solved (the seeds: 82% return when resolved
# quickly, 54% when resolved; few when not).
WOULD_RETURN = {"quick": 0.85, "slow": 0.55, "unresolved": 0.15}
# General satisfaction surveys: answers per case received, and their scores. Every answer
# is a passive or a promoter: a detractor's answer opens a case (intake.feedback), and these
# respondents are the customers who had no complaint.
FEEDBACK_PER_CASE = 0.25
FEEDBACK_NPS = ((7, 8, 9, 10), (25, 35, 25, 15))  # scores, weights
FEEDBACK_CSAT = ((3, 4, 5), (12, 60, 28))
# One survey per organisation and quarter, answered in the respondent's language.
FEEDBACK_SURVEY = "{organisation} {year}年第{quarter}季度顾客满意度调查"
FEEDBACK_COMMENTS = (
    ("服务不错，下次还来。", "整体满意。", "环境干净，员工热情。", "", "", "", "", ""),
    ("Good service, thank you.", "Everything was fine.", "", "", "", ""),
)


# --- Django -----------------------------------------------------------------------------


def setup_django(data_dir: str) -> None:
    os.environ["REDRESS_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "redress.config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- time as whole seconds since the epoch (UTC) ------------------------------------------


def local_hour(t: int) -> int:
    return (t + ZONE_OFFSET) // HOUR % 24


def local_midnight(t: int) -> int:
    return t - (t + ZONE_OFFSET) % DAY


class _Days(dict[int, str]):
    """The ISO date of each day since the epoch, made the first time it is asked for."""

    def __missing__(self, day: int) -> str:
        text = self[day] = (date(1970, 1, 1) + timedelta(days=day)).isoformat()
        return text


class _Stamp:
    """Seconds to text, from tables: a million cases need some fifty million moments as
    text, and datetime objects and their formatting would cost more than the rest of a
    case's story.

    `stamp`: what the database stores (Django keeps aware datetimes on SQLite as naive UTC
    text; PostgreSQL reads the same text with an explicit offset). `iso`: what
    `datetime.isoformat()` gives for UTC, as the timeline's JSON has it. `local_minute`:
    local "YYYY-MM-DD HH:MM", as messages to customers show a deadline. `local_day`: the
    local date's ISO text."""

    def __init__(self, suffix: str) -> None:
        days = _Days()
        clock = [f"{s // HOUR:02d}:{s % HOUR // MINUTE:02d}:{s % MINUTE:02d}"
                 for s in range(DAY)]
        seconds = [f" {text}{suffix}" for text in clock]
        iso_seconds = [f"T{text}+00:00" for text in clock]
        minutes = [f" {m // 60:02d}:{m % 60:02d}" for m in range(DAY // MINUTE)]
        self.days = days
        self.seconds = seconds

        # Closures rather than methods: each is called tens of millions of times.
        def stamp(t: int) -> str:
            return days[t // DAY] + seconds[t % DAY]

        def iso(t: int) -> str:
            return days[t // DAY] + iso_seconds[t % DAY]

        def local_minute(t: int) -> str:
            t += ZONE_OFFSET
            return days[t // DAY] + minutes[t % DAY // MINUTE]

        def local_day(t: int) -> str:
            return days[(t + ZONE_OFFSET) // DAY]

        self.stamp = stamp
        self.iso = iso
        self.local_minute = local_minute
        self.local_day = local_day


# json.dumps of a single string (ASCII-escaped, as json.dumps writes it), without the
# encoder's set-up for each call.
json_text: Callable[[str], str] = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]
JSON_BOOL = {True: "true", False: "false"}


def to_datetime(t: int) -> datetime:
    return datetime.fromtimestamp(t, UTC)


class _WorkingClock:
    """The sla app's working-time arithmetic (`sla.calendar.WorkingTime`: add, add working
    days, working time between) on whole seconds since the epoch, for a calendar whose zone
    is always UTC+8 (Asia/Shanghai). Each day's opening periods become epoch seconds once;
    the app's version builds aware datetimes for every period of every day it walks, which
    cost a tenth of a case's story. tests/test_generate.py checks both agree."""

    def __init__(self, working: Any) -> None:
        self.working = working
        self.days: dict[int, tuple[tuple[int, int], ...]] = {}

    def periods(self, day: int) -> tuple[tuple[int, int], ...]:
        """The opening periods of local day `day` (days since the epoch), as seconds."""
        found = self.days.get(day)
        if found is None:
            midnight = day * DAY - ZONE_OFFSET
            found = self.days[day] = tuple(
                (midnight + opens.hour * HOUR + opens.minute * MINUTE + opens.second,
                 midnight + (DAY if closes.hour == closes.minute == closes.second == 0
                             else closes.hour * HOUR + closes.minute * MINUTE
                             + closes.second))
                for opens, closes in self.working.periods_on(
                    date(1970, 1, 1) + timedelta(days=day)))
        return found

    def intervals_from(self, start: int) -> Iterator[tuple[int, int]]:
        from redress.sla.calendar import HORIZON_DAYS, NoWorkingTime

        day = (start + ZONE_OFFSET) // DAY
        for _ in range(HORIZON_DAYS):
            for begin, end in self.periods(day):
                if end > start:
                    yield max(begin, start), end
            day += 1
        raise NoWorkingTime("no working time within the horizon")

    def add_micro(self, start: int, micro: int) -> int:
        """`WorkingTime.add` of `micro` microseconds, in microseconds since the epoch."""
        remaining = micro
        for begin, end in self.intervals_from(start):
            span = (end - begin) * 1_000_000
            if remaining <= span:
                return begin * 1_000_000 + remaining
            remaining -= span
        raise AssertionError("unreachable")  # pragma: no cover

    def add(self, start: int, seconds: int) -> int:
        return self.add_micro(start, seconds * 1_000_000) // 1_000_000

    def next_working_day(self, day: int) -> int:
        from redress.sla.calendar import HORIZON_DAYS, NoWorkingTime

        for _ in range(HORIZON_DAYS):
            day += 1
            if self.periods(day):
                return day
        raise NoWorkingTime("no working day within the horizon")

    def add_working_days(self, start: int, days: int) -> int:
        first_begin = next(self.intervals_from(start))[0]
        if first_begin > start:
            # Outside hours: a day's work is the whole first working day.
            day = (first_begin + ZONE_OFFSET) // DAY
            for _ in range(days - 1):
                day = self.next_working_day(day)
            return self.periods(day)[-1][1]
        day = (start + ZONE_OFFSET) // DAY
        for _ in range(days):
            day = self.next_working_day(day)
        target = day * DAY - ZONE_OFFSET + (start + ZONE_OFFSET) % DAY
        return min(target, self.periods(day)[-1][1])

    def between(self, start: int, end: int) -> int:
        total = 0
        if end <= start:
            return total
        for begin, close in self.intervals_from(start):
            if begin >= end:
                break
            total += min(close, end) - begin
        return total

    def deadline(self, start: int, count: int, unit: str) -> int:
        """`sla.services.deadline`."""
        if unit == "days":
            return self.add_working_days(start, count)
        return self.add(start, count * (HOUR if unit == "hours" else MINUTE))


def _micro(delta: timedelta) -> int:
    return (delta.days * DAY + delta.seconds) * 1_000_000 + delta.microseconds


# --- what the generator needs to know, read once ------------------------------------------


@dataclass
class Person:
    pk: int
    username: str
    name: str
    name_en: str
    role: str


@dataclass
class Team:
    """A department with its people."""

    pk: int
    organisation: str  # the demo's key: restaurant, hotel, property
    key: str
    round_the_clock: bool
    agents: list[Person] = field(default_factory=list)
    supervisors: list[Person] = field(default_factory=list)


@dataclass
class Option:
    pk: int
    code: str
    unit: str
    cost_ratio: Decimal
    needs_acceptance: bool
    name_zh: str
    name_en: str


@dataclass
class Policy:
    pk: int
    priority: str
    channel: str
    scenario: str
    around_the_clock: bool
    working: Any  # sla.calendar.WorkingTime
    model: Any  # the SlaPolicy row, for the sla app's own stage arithmetic
    first_response: tuple[int, str]
    next_reply: tuple[int, str]
    resolution: tuple[int, str]


@dataclass
class Setting:
    """Everything read from the database and the settings before the first case."""

    teams: dict[tuple[str, str], Team]
    quality: Person
    integration: Person
    options: dict[str, Option]
    policies: list[Policy]
    limits: dict[str, Decimal | None]
    texts: dict[str, dict[str, str]]
    followup_delay: int
    followup_hours: tuple[int, int]  # sending window, local minutes after midnight
    survey_valid: int
    call_channels: frozenset[str]
    reopen_satisfaction_max: int
    manager_after: int
    next_ids: dict[str, int]
    reference_counters: dict[int, int]
    extra_text: list[str] = field(default_factory=list)
    detractor_max: tuple[int, int] = (6, 2)  # NPS, CSAT: at most these opens a case


def _translated_texts() -> dict[str, dict[str, str]]:
    """The words the services write on a timeline, in both languages, translated once
    (translating per case would cost more than writing it)."""
    from django.utils import translation
    from django.utils.translation import gettext

    from redress.followup import content as followup_content
    from redress.followup.models import Method

    out: dict[str, dict[str, str]] = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            out[language] = {
                "apology": gettext(
                    "We are sorry for the trouble this has caused you. We have received your "
                    "complaint (%(reference)s) and the person writing to you now will see it "
                    "through until it is put right."),
                "auto_ack": gettext(
                    "We have received your complaint (reference %(reference)s). A member of "
                    "our team will answer you by %(due)s at the latest."),
                "offer": gettext("We offer you: %(remedy)s"),
                "given": gettext("Given: %(remedy)s"),
                "done": gettext("Done: %(remedy)s."),
                "done_ref": gettext("Reference: %(reference)s."),
                "thanks": followup_content.text("timeline_thanks", language),
                "thanks_reopened": followup_content.text("thanks_reopened", language),
                "no_response": followup_content.text("no_response", language),
            }
    with translation.override("zh-hans"):
        out["staff"] = {
            "needs_approval": gettext("%(remedy)s needs approval: %(why)s"),
            "approved": gettext("Approved: %(reason)s"),
            "accepted": gettext("The customer accepted %(remedy)s."),
            "declined": gettext("The customer declined %(remedy)s."),
            "carried_out": gettext("Carried out: %(proof)s %(reference)s"),
            "scheduled": gettext("Follow-up scheduled: %(method)s."),
            "sent": gettext("Follow-up sent: %(method)s; answers accepted until %(until)s."),
            "second": gettext(
                "Second recovery (round %(round)d): the customer answered “%(solved)s”, "
                "satisfaction %(satisfaction)d/5. Priority raised to %(priority)s."),
            "over_limit": gettext("over the per-case limit of ¥%(limit)s"),
            "approve_reason": gettext("Within my authority; go ahead."),
            **{f"method_{m.value}": str(m.label) for m in Method},
            **{f"solved_{v}": str(label) for v, label in (
                ("yes", gettext("Yes")), ("partly", gettext("Partly")), ("no", gettext("No")))},
        }
    return out


def _staff_create(cases: int, days: int) -> None:
    """The demo's organisations and staff, if they are not there yet, and enough extra
    agents for the load (without passwords: nobody signs in as them)."""
    from django.contrib.auth.hashers import make_password

    from redress.accounts.models import Department, Organisation, Role, User
    from redress.config import demo_content as content
    from redress.config.management.commands.demo import (
        _guarantees_create,
        _organisations_and_staff_create,
    )
    from redress.lessons.demo import _STEPS
    from redress.lessons.models import ResponsibilityRule
    from redress.triage.demo import demo_routing_rules

    if not Organisation.objects.filter(name=content.ORGANISATIONS[0].name).exists():
        _organisations_and_staff_create()
        organisations = list(Organisation.objects.all())
        demo_routing_rules(organisations)
        _guarantees_create(organisations)
        for organisation in organisations:
            departments = list(organisation.departments.order_by("name"))
            for rank, (step, hours, compensation) in enumerate(_STEPS):
                ResponsibilityRule.objects.get_or_create(
                    organisation=organisation, step=step,
                    defaults={"department": departments[rank % len(departments)],
                              "time_limit_hours": hours, "compensation": compensation,
                              "rank": rank})
    departments = list(Department.objects.select_related("organisation"))
    wanted = max(0, round(cases / max(days, 1) / CASES_PER_AGENT_DAY) - sum(
        1 for spec in content.STAFF if spec.role == Role.AGENT))
    have = User.objects.filter(username__startswith="bench_agent").count()
    rng = random.Random(SEED)
    password = make_password(None)
    new = []
    for n in range(have, wanted):
        surname = rng.choice(content.SURNAMES)
        given = rng.choice(content.GIVEN_FEMALE + content.GIVEN_MALE)
        new.append(User(
            username=f"bench_agent{n + 1}", password=password, role=Role.AGENT,
            first_name=surname[0] + given[0],
            last_name=f"{given[1].title()} {surname[1].title()}",
            department=departments[n % len(departments)],
        ))
    User.objects.bulk_create(new)


def _setting(*, extra_text: str = "") -> Setting:
    from django.conf import settings
    from django.db.models import Max

    from redress.accounts.models import Department, Role, User
    from redress.cases.models import Case, CaseEvent, Customer, ReferenceCounter
    from redress.config import demo_content as content
    from redress.followup.models import FeedbackAnswer, FollowUp, SurveyAnswer
    from redress.followup.services import _sending_hours
    from redress.lessons.models import RootCause
    from redress.remedies.models import AuthorityLimit, Remedy, RemedyOption
    from redress.remedies.services import catalogue_ensure
    from redress.sla.services import _policies, working_time_of

    spec_of = {(o.name, d.name): (o.key, d) for o in content.ORGANISATIONS for d in o.departments}
    teams: dict[tuple[str, str], Team] = {}
    by_pk: dict[int, Team] = {}
    for department in Department.objects.select_related("organisation"):
        found = spec_of.get((department.organisation.name, department.name))
        if found is None:
            continue
        org_key, dept_spec = found
        team = Team(department.pk, org_key, dept_spec.key, dept_spec.round_the_clock)
        teams[(org_key, dept_spec.key)] = by_pk[department.pk] = team
    english = {s.username: s.name_en for s in content.STAFF}
    quality = integration = None
    for user in User.objects.order_by("pk"):
        person = Person(user.pk, user.username, user.first_name or user.username,
                        english.get(user.username) or user.last_name or user.username,
                        user.role)
        if user.username == content.INTEGRATION.username:
            integration = person
        elif user.role == Role.QUALITY and quality is None:
            quality = person
        team = by_pk.get(user.department_id or 0)
        if team is not None and user.role == Role.AGENT:
            team.agents.append(person)
        elif team is not None and user.role == Role.SUPERVISOR:
            team.supervisors.append(person)
    assert quality is not None and integration is not None, "the demo staff is missing"
    for team in teams.values():
        # A team without agents is worked by its supervisors, and the other way round.
        team.agents = team.agents or team.supervisors
        team.supervisors = team.supervisors or team.agents or [quality]
        team.agents = team.agents or [quality]

    catalogue_ensure()
    options = {o.code: Option(o.pk, o.code, o.unit, o.cost_ratio, o.needs_acceptance,
                              o.name_zh, o.name_en) for o in RemedyOption.objects.all()}
    policies = []
    for p in _policies():
        calendar = p.calendar
        policies.append(Policy(
            p.pk, p.priority, p.channel, p.scenario, calendar.around_the_clock,
            working_time_of(calendar), p, (p.first_response, p.first_response_unit),
            (p.next_reply, p.next_reply_unit), (p.resolution, p.resolution_unit)))
    start, end = _sending_hours()
    next_ids = {}
    for name, model in (("customer", Customer), ("case", Case), ("event", CaseEvent),
                        ("remedy", Remedy), ("followup", FollowUp), ("answer", SurveyAnswer),
                        ("root_cause", RootCause), ("feedback", FeedbackAnswer)):
        next_ids[name] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    texts = _translated_texts()
    return Setting(
        teams=teams, quality=quality, integration=integration, options=options,
        policies=policies,
        limits={a.role: a.per_case for a in AuthorityLimit.objects.all()},
        texts=texts,
        followup_delay=settings.REDRESS_FOLLOWUP_DELAY_HOURS * HOUR,
        followup_hours=(start.hour * 60 + start.minute, end.hour * 60 + end.minute),
        survey_valid=settings.REDRESS_SURVEY_VALID_DAYS * DAY,
        call_channels=frozenset(settings.REDRESS_FOLLOWUP_CALL_CHANNELS),
        reopen_satisfaction_max=settings.REDRESS_REOPEN_SATISFACTION_MAX,
        manager_after=settings.REDRESS_SLA_MANAGER_AFTER_MINUTES * MINUTE,
        next_ids=next_ids,
        reference_counters=dict(ReferenceCounter.objects.values_list("year", "last")),
        extra_text=_extra_text(extra_text) if extra_text else [],
        detractor_max=(settings.REDRESS_DETRACTOR_NPS_MAX, settings.REDRESS_DETRACTOR_CSAT_MAX),
    )


def _extra_text(path: str) -> list[str]:
    """Customers' own words from a CSV file with a `text` column (and optionally a `label`
    column, of which only `neg` rows are taken): appended to some Chinese complaints, so
    that search and grouping meet language no template wrote."""
    found = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = (row.get("text") or "").strip()
            if text and row.get("label", "neg") == "neg" and 10 <= len(text) <= 300:
                found.append(text)
    return found


# --- the rows ---------------------------------------------------------------------------

# Row layouts: the fields each generated row gives, in order. Fields not named take their
# model default, so a field added later with a default needs no change here.
LAYOUTS = {
    "customer": ("cases.Customer", "id name phone email external_id tier created_at"),
    "case": ("cases.Case",
             "id reference tracking_code customer_id channel received_at created_at updated_at "
             "description language location order_ref amount_at_stake status "
             "status_before_wait priority owner_id department_id created_by_id escalated kind "
             "scenario emotion risks wants recovery_round needs facts remedy remedy_amount "
             "outcome close_reason acknowledged_at resolved_at closed_at version"),
    "event": ("cases.CaseEvent",
              "id case_id at actor_id kind from_status to_status before after message "
              "visible_to_customer"),
    "clock": ("sla.CaseClock",
              "case_id policy_id started_at first_response_due first_responded_at "
              "last_reply_at next_reply_due resolution_due resolved_at paused_at "
              "paused_seconds breached stages_done next_check_at followed_event_id"),
    "remedy": ("remedies.Remedy",
               "id case_id option_id amount value cost note status proposed_by_id proposed_at "
               "proposed_on authorised_by_id approval_due_at decided_by_id decided_at "
               "decision_reason answered_at executed_by_id executed_at proof proof_reference"),
    "followup": ("followup.FollowUp",
                 "id case_id resolved_at recovery_round method status scheduled_for "
                 "expires_at sent_at answered_at closed_at created_at"),
    "answer": ("followup.SurveyAnswer",
               "id followup_id solved satisfaction outcome_fair process_fair interaction_fair "
               "recommend would_return comment by_phone recorded_by_id reopened answered_at"),
    "feedback": ("followup.FeedbackAnswer",
                 "id survey customer_id nps csat comment language answered_at detractor "
                 "source case_id created_at"),
    "root_cause": ("lessons.RootCause",
                   "id case_id category detail department_id step customer_accepted "
                   "customer_words remedy_given recorded_by_id recorded_at"),
}
# Written in this order, parents before children.
ORDER = ("customer", "case", "event", "clock", "remedy", "followup", "answer", "root_cause",
         "feedback")
# The queue's text search index (redress.cases.search), written beside the cases. The
# story gives, for each case whose customer is new, the customer's details as the complaint
# gave them (case id, name, phone, e-mail); the writer makes the indexed words from those
# and the case's description and order reference (`_search_rows`). Making the words is a
# tenth of the story's cost, and the writer has time to spare while the story is told.
SEARCH = "search"
# The timeline's rows are given without their ids and with their moments as seconds:
# (case id, at, actor id, kind, …), in id order, with the batch's first id under this key
# (`_event_rows` makes them whole). A case has some 26 of them, and making each one again
# with its id and its moment as text was a tenth of the story's cost; on SQLite the writer
# does it in SQL.
EVENT_FIRST = "event_first"
_moment = operator.itemgetter(1)
# Where the case row has the text the search indexes.
CASE_TEXT = tuple(LAYOUTS["case"][1].split().index(name) for name in ("description",
                                                                       "order_ref"))


@dataclass
class Layout:
    table: str
    columns: list[str]
    tail: tuple[Any, ...]  # the defaults of the fields a row does not give
    # The story gives every moment as whole seconds since the epoch (or None); the writer
    # turns them into the text the database stores: these columns hold date-times, and
    # these dates (the local day of the moment given).
    moments: tuple[int, ...] = ()
    dates: tuple[int, ...] = ()


def layouts() -> dict[str, Layout]:
    from django.apps import apps
    from django.db import connection
    from django.db.models import DateField, DateTimeField, JSONField

    out = {}
    for name, (label, given) in LAYOUTS.items():
        model = apps.get_model(label)
        fields = {f.attname: f for f in model._meta.concrete_fields}
        names = given.split()
        unknown = [n for n in names if n not in fields]
        assert not unknown, f"{label} has no field {unknown}"
        rest = [f for attname, f in fields.items() if attname not in names]
        tail = []
        for f in rest:
            default = f.get_default()
            tail.append(json.dumps(default) if isinstance(f, JSONField)
                        else f.get_db_prep_save(default, connection))
        out[name] = Layout(
            model._meta.db_table,
            [fields[n].column for n in names] + [f.column for f in rest], tuple(tail),
            moments=tuple(n for n, attname in enumerate(names)
                          if isinstance(fields[attname], DateTimeField)),
            dates=tuple(n for n, attname in enumerate(names)
                        if isinstance(fields[attname], DateField)
                        and not isinstance(fields[attname], DateTimeField)))
    return out


Batch = dict[str, list[tuple[Any, ...]]]


# --- one case's story -------------------------------------------------------------------


class _Stop(Exception):
    """The story has reached the present: the case stays where it is."""


class _Case:
    """What a case is at the end of its story (mutable while it is told)."""

    __slots__ = (
        "pk", "reference", "received", "created", "english", "lang", "scenario", "team",
        "channel", "slots", "salutation", "priority", "owner", "status", "status_before_wait",
        "acknowledged", "resolved", "closed", "close_reason", "needs", "facts", "remedy_text",
        "remedy_amount", "outcome", "version", "updated", "escalated", "recovery_round",
        "remedies", "complaint", "amount_at_stake", "policy", "clock", "events",
        "last_reply", "paused", "paused_seconds", "resolution_due", "stages_done",
        "breached", "first_resolved", "customer", "description", "fate", "root_caused", "pace",
        "followup", "searchable", "words",
    )


class _Weighted:
    """`rng.choices(items, weights)[0]` with the cumulative weights summed once: the
    same draw from the same random number (so the same seed tells the same history), without
    summing the weights again on every call."""

    def __init__(self, items: Any, weights: Any) -> None:
        from itertools import accumulate

        self.items = list(items)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1] + 0.0
        self.last = len(self.items) - 1

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cumulative, rng.random() * self.total, 0, self.last)]


class Story:
    """Tells the history, case by case, as rows. Pure computation: no database access, so
    it can run in a process of its own while another writes."""

    def __init__(self, setting: Setting, *, seed: int, now: int, cases: int, days: int,
                 suffix: str, sqlite: bool) -> None:
        from redress.cases.models import Channel
        from redress.config import demo_content as content
        from redress.config.management.commands.demo import _catalogue_code, _Planner

        self.s = setting
        self.rng = random.Random(seed)
        self.now = now
        self.cases = cases
        self.days = days
        times = _Stamp(suffix)
        self.times = times
        self.iso = times.iso
        self.local_minute = times.local_minute
        self.local_day = times.local_day
        self.sqlite = sqlite
        # rng.randint and rng.choice go through two layers of Python each; this is the
        # method they end in, so the same seed still tells the same history.
        self.below = below = self.rng._randbelow  # type: ignore[attr-defined]
        # random.randint(a, b) draws exactly this, without its two layers.
        self.randint: Callable[[int, int], int] = lambda a, b: a + below(b - a + 1)
        # Tracking codes: random bytes fetched a few thousand at a time (one system call
        # per case was a measurable part of a case's cost).
        self.tokens: list[str] = []
        self.content = content
        self.Channel = Channel
        self.catalogue_code = _catalogue_code
        # The demo's planner makes up the details of a complaint (slots, customer, amount
        # at stake, place); its staff lookups are not used here. Its hottest helpers are
        # re-told below (`slots`, `customer`, `amount`), drawing the same random numbers in
        # the same order, so the history is the one the planner would have made.
        planner = _Planner.__new__(_Planner)
        planner.rng = self.rng
        self.planner = planner
        self.branch_of = {key: next((b for b in content.BRANCHES if b[0] == branch), None)
                          for key, branch in content.BRANCH_OF_DEPARTMENT.items()}
        self.working_clocks: dict[int, _WorkingClock] = {}
        self.ids = dict(setting.next_ids)
        self.event_first = self.ids["event"]
        self.counters = dict(setting.reference_counters)
        self.team_specs = {(o.key, d.key): d for o in content.ORGANISATIONS
                           for d in o.departments}
        self.recent: dict[tuple[str, bool], list[tuple[int, str, str, int]]] = {}
        self.customers: dict[bool, list[int]] = {True: [], False: []}
        self.api_customers: dict[bool, list[int]] = {True: [], False: []}
        self.policy_cache: dict[tuple[str, str, str], Policy] = {}
        self.batch: Batch = {name: [] for name in (*ORDER, SEARCH)}
        self.fates = _Weighted([name for name, _w in FATES], [w for _n, w in FATES])
        self.emotions = _Weighted(list(content.EMOTION_WEIGHTS),
                                  list(content.EMOTION_WEIGHTS.values()))
        self.nps = _Weighted(*FEEDBACK_NPS)
        self.csat = _Weighted(*FEEDBACK_CSAT)
        self.scenarios_cache: dict[tuple[str, bool], _Weighted] = {}
        self.empty = "{}"
        self.json_lists: dict[tuple[str, ...], str] = {}
        self.causes: dict[str, tuple[str, str, str, str]] = {}

    # --- the calendar of receipts ------------------------------------------------------

    def days_plan(self) -> Iterator[tuple[int, int]]:
        """(local midnight, number of cases received that day), oldest day first: busier at
        weekends and on public holidays, slowly growing over the period."""
        from redress.sla.calendar import statutory_day

        first = local_midnight(self.now) - (self.days - 1) * DAY
        weights = []
        for n in range(self.days):
            day = date(1970, 1, 1) + timedelta(days=(first + ZONE_OFFSET) // DAY + n)
            weight = 0.75 + 0.5 * n / max(self.days - 1, 1)
            if day.weekday() >= 5:
                weight *= 1.25
            if statutory_day(day) is False and day.weekday() < 5:
                weight *= 1.4  # a public holiday: restaurants and hotels are full
            weights.append(weight * self.rng.uniform(0.85, 1.15))
        total = sum(weights)
        done = 0
        running = 0.0
        for n, weight in enumerate(weights):
            running += weight
            upto = round(self.cases * running / total)
            yield first + n * DAY, upto - done
            done = upto

    # --- choosing ----------------------------------------------------------------------

    def sample(self, items: Any, k: int) -> list[Any]:
        """`rng.sample(items, k)` for the short sequences here (the same draws: the
        library's own method for at most 21 items), without its type checks."""
        n = len(items)
        if n > 21 or k > 5:
            return self.rng.sample(items, k)
        below = self.below
        pool = list(items)
        result = []
        for i in range(k):
            j = below(n - i)
            result.append(pool[j])
            pool[j] = pool[n - i - 1]
        return result

    def slots(self, department_key: str, channel: str) -> dict[str, str]:
        """The demo planner's `_slots`: the details a complaint's text is filled with."""
        content, below = self.content, self.below
        branch_pair = self.branch_of.get(department_key)
        if branch_pair is None:
            branches = content.BRANCHES
            branch_pair = branches[below(len(branches))]
        dish, dish2 = self.sample(content.DISHES, 2)
        meals = content.MEALS
        meal = meals[below(len(meals))]
        days = content.DAYS
        on_the_day = channel in (self.Channel.WALK_IN, self.Channel.COMMENT_BOOK)
        day = days[1] if on_the_day else days[below(len(days))]
        room_types, communities = content.ROOM_TYPES, content.COMMUNITIES
        room_type = room_types[below(len(room_types))]
        community = communities[below(len(communities))]
        building, unit = 1 + below(18), 1 + below(4)
        flat = f"{2 + below(31)}{1 + below(4):02d}"
        area_real = 68 + below(78)
        return {
            "branch": branch_pair[0], "branch_en": branch_pair[1],
            "dish": dish[0], "dish_en": dish[1], "dish2": dish2[0], "dish2_en": dish2[1],
            "meal": meal[0], "meal_en": meal[1], "day": day[0], "day_en": day[1],
            "people": str(2 + below(7)), "minutes": str(45 + below(66)),
            "room": f"{3 + below(19)}{1 + below(30):02d}",
            "room_type": room_type[0], "room_type_en": room_type[1],
            "nights": str(1 + below(4)),
            "community": community[0], "community_en": community[1],
            "building": str(building),
            "home": f"{building}栋{unit}单元{flat}",
            "home_en": f"Flat {flat}, Entrance {unit}, Building {building}",
            "spot": f"B{1 + below(2)}-{1 + below(380):03d}",
            "area_real": str(area_real), "area": str(area_real + 3 + below(10)),
            "days": str(3 + below(7)), "code": str(10_000_000 + below(90_000_000)),
            "extra": str(30 + below(171)),
        }

    def amount(self, scenario: Any) -> Decimal | None:
        """The demo planner's `_amount`: the money at stake, if the scenario has any."""
        if scenario.stake is None:
            return None
        low, high = scenario.stake
        cents = ("00", "00", "00", "50", "80", "60")[self.below(6)]
        # to_money: the amount rounded to the cent (these already are).
        return Decimal(f"{low + self.below(high - low + 1)}.{cents}")

    def customer(self, english: bool, channel: str) -> tuple[tuple[str, str, str], str]:
        """The demo planner's `_customer`: (name, phone, e-mail) and how to address them."""
        content, below, random_ = self.content, self.below, self.rng.random
        prefixes = content.MOBILE_PREFIXES
        phone = prefixes[below(len(prefixes))] + f"{below(100_000_000):08d}"
        if english:
            female = random_() < 0.5
            firsts = content.EN_FIRST_FEMALE if female else content.EN_FIRST_MALE
            first = firsts[below(len(firsts))]
            last = content.EN_SURNAMES[below(len(content.EN_SURNAMES))]
            email = f"{first}.{last}{1 + below(99)}@example.com".lower()
            has_email = random_() < 0.6 or channel == self.Channel.EMAIL
            return (f"{first} {last}",
                    phone if not has_email or random_() < 0.4 else "",
                    email if has_email else ""), f"{'Ms' if female else 'Mr'} {last}"
        if channel == self.Channel.COMMENT_BOOK and random_() < 0.4:
            # Comment-book entries are often left unsigned.
            return ("", "", ""), "顾客"
        female = random_() < 0.55
        surname = content.SURNAMES[below(len(content.SURNAMES))]
        givens = content.GIVEN_FEMALE if female else content.GIVEN_MALE
        given = givens[below(len(givens))]
        salutation = surname[0] + ("女士" if female else "先生")
        # On the phone people give a surname; in writing, a full name.
        on_phone = channel == self.Channel.PHONE and random_() < 0.6
        name = salutation if on_phone else surname[0] + given[0]
        has_email = channel == self.Channel.EMAIL or random_() < 0.06
        email = f"{given[1]}{surname[1]}{1 + below(999)}@example.com" if has_email else ""
        has_phone = not has_email or random_() < 0.6 or channel == self.Channel.WEB
        return (name, phone if has_phone else "", email), salutation

    def json_list(self, items: list[str]) -> str:
        """json.dumps of a short list of strings, remembered (a few dozen distinct ones)."""
        key = tuple(items)
        found = self.json_lists.get(key)
        if found is None:
            found = self.json_lists[key] = json.dumps(items)
        return found

    def token(self) -> str:
        """`secrets.token_urlsafe(16)`: 22 URL-safe characters from the system's random
        source, which is not the story's seeded one (tracking codes must not be guessable
        from the seed)."""
        if not self.tokens:
            import base64

            raw = os.urandom(16 * 4096)
            self.tokens = [base64.urlsafe_b64encode(raw[n:n + 16]).rstrip(b"=").decode()
                           for n in range(0, len(raw), 16)]
        return self.tokens.pop()

    def pick(self, items: Any) -> Any:
        return items[int(self.rng.random() * len(items))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def minutes(self, low: int, high: int) -> int:
        return int((low + (high - low) * self.rng.random()) * MINUTE)

    def _scenario(self, fate: str, english: bool) -> Any:
        key = (fate, english)
        found = self.scenarios_cache.get(key)
        if found is None:
            invalid = fate == "invalid"
            complaints_only = fate == "reopen"
            candidates = [
                s for s in self.content.SCENARIOS
                if (s.kind == "invalid") == invalid and (s.en if english else s.zh)
                and not (complaints_only and s.kind != "complaint")
            ]
            if not candidates:  # no invalid texts in English: an invalid one in Chinese
                return None
            found = self.scenarios_cache[key] = _Weighted(
                candidates, [s.weight for s in candidates])
        return found.pick(self.rng)

    def policy_for(self, priority: str, channel: str, scenario: str) -> Policy:
        key = (priority, channel, scenario)
        found = self.policy_cache.get(key)
        if found is None:
            found = next(
                p for p in self.s.policies
                if (not p.priority or p.priority == priority)
                and (not p.channel or p.channel == channel)
                and (not p.scenario or p.scenario == scenario)
            )
            self.policy_cache[key] = found
        return found

    def clock_of(self, policy: Policy) -> _WorkingClock | None:
        """The policy's calendar on whole seconds, or None where its zone is not UTC+8
        (then the sla app's own arithmetic is used)."""
        found = self.working_clocks.get(policy.pk)
        if found is None and policy.working.zone in ("Asia/Shanghai", "Asia/Chongqing",
                                                      "PRC", "Etc/GMT-8"):
            found = self.working_clocks[policy.pk] = _WorkingClock(policy.working)
        return found

    def deadline(self, policy: Policy, start: int, amount: tuple[int, str]) -> int:
        count, unit = amount
        if policy.around_the_clock:
            return start + count * (DAY if unit == "days" else HOUR if unit == "hours"
                                    else MINUTE)
        working = self.clock_of(policy)
        if working is not None:
            return working.deadline(start, count, unit)
        from redress.sla.services import deadline

        return int(deadline(policy.working, to_datetime(start), count, unit).timestamp())

    def working(self, c: _Case, t: int, urgent: bool = False) -> int:
        """Staff act in working hours (08:00–21:00), except round-the-clock desks and
        urgent cases."""
        if c.team.round_the_clock or urgent:
            return t
        hour = local_hour(t)
        if 8 <= hour < 21:
            return t
        midnight = local_midnight(t) + (DAY if hour >= 21 else 0)
        return midnight + 8 * HOUR + self.minutes(0, 75)

    # --- the rows of one case ------------------------------------------------------------

    def event(self, c: _Case, at: int, kind: str, actor: int | None, *, frm: str = "",
              to: str = "", before: str = "{}", after: str = "{}", message: str = "",
              visible: bool = False) -> None:
        c.events.append((c.pk, at, actor, kind, frm, to, before, after, message, visible))

    def step(self, c: _Case, low: int, high: int, *, urgent: bool = False,
             paced: bool = True) -> int:
        """The moment of the next step, `low` to `high` minutes on (sooner for urgent
        cases, later for the few that drag); stops the story when that moment is still to
        come."""
        wait = self.minutes(low, high)
        if paced:
            wait = int(wait * c.pace)
        at = self.working(c, c.updated + wait, urgent or c.priority == "P1")
        if at > self.now:
            raise _Stop
        c.updated = at
        return at

    def say(self, c: _Case, pools: tuple[tuple[str, ...], tuple[str, ...]]) -> str:
        english = c.english
        words = c.words
        if words is None:
            # The slots and what stays the same for the whole case, merged once.
            scenario = c.scenario
            words = c.words = {
                **c.slots, "salutation": c.salutation,
                "issue": scenario.issue_en if english else scenario.issue_zh,
                "wait": scenario.wait_en if english else scenario.wait_zh,
            }
        owner = c.owner
        words["agent"] = owner.name_en if english else owner.name
        words["remedy"] = c.remedy_text
        return self.pick(pools[1] if english else pools[0]).format_map(words)

    def move(self, c: _Case, at: int, to: str, actor: Person | None, *, message: str = "",
             extra_before: str = "", extra_after: str = "") -> None:
        """A transition, and the message that goes with it, as `case_transition` writes
        them."""
        frm = c.status
        c.events.append((c.pk, at, actor.pk if actor else None, "transition", frm, to,
                         f'{{"status": "{frm}"{extra_before}}}',
                         f'{{"status": "{to}"{extra_after}}}', "", True))
        c.status = to
        c.version += 1
        if message:
            self.reply(c, at, message, actor)

    def reply(self, c: _Case, at: int, message: str, actor: Person | None) -> None:
        c.events.append((c.pk, at, actor.pk if actor else None, "message", "", "", "{}", "{}",
                         message, True))
        if actor is not None:
            c.last_reply = at

    def note(self, c: _Case, at: int, message: str, actor: Person) -> None:
        self.event(c, at, "note", actor.pk, message=message)

    # --- the case ------------------------------------------------------------------------

    def day(self, midnight: int, count: int) -> None:
        """Tell every case received on one day, numbered in the order they were recorded."""
        planned = []
        for _ in range(count):
            planned.append(self.plan(midnight))
        planned.sort(key=lambda c: c.created)
        for c in planned:
            self.tell(c)
        self.feedback(midnight, count)

    def feedback(self, midnight: int, cases: int) -> None:
        """The day's answers to the general satisfaction surveys, each from a new customer
        (never one who complained), about one per four cases received that day."""
        rng, content = self.rng, self.content
        count = int(cases * FEEDBACK_PER_CASE + rng.random())
        day = date(1970, 1, 1) + timedelta(days=(midnight + ZONE_OFFSET) // DAY)
        quarter = (day.month - 1) // 3 + 1
        nps_max, csat_max = self.s.detractor_max
        for _ in range(count):
            answered = midnight + self.minutes(8 * 60, 22 * 60)
            if answered > self.now:
                continue
            english = rng.random() < ENGLISH_SHARE
            organisation = self.pick(content.ORGANISATIONS).name
            survey = FEEDBACK_SURVEY.format(
                organisation=organisation, year=day.year, quarter=quarter)
            # Most surveys ask both; a few only one of the two.
            asked = rng.random()
            nps = self.nps.pick(rng) if asked < 0.95 else None
            csat = self.csat.pick(rng) if asked >= 0.05 else None
            if ((nps is not None and nps <= nps_max)
                    or (csat is not None and csat <= csat_max)):
                continue  # a detractor under stricter settings: that would be a complaint
            (name, phone, email), _salutation = self.customer(english, self.Channel.WEB)
            customer_pk = self.ids["customer"]
            self.ids["customer"] += 1
            self.batch["customer"].append((
                customer_pk, name, phone, email, "", "regular", answered))
            source = "import" if rng.random() < 0.6 else "api"
            # A file is imported a day or two after the answers; the API is told at once.
            created = (min(self.now, answered + self.minutes(600, 2 * 24 * 60))
                       if source == "import" else answered)
            feedback_pk = self.ids["feedback"]
            self.ids["feedback"] += 1
            self.batch["feedback"].append((
                feedback_pk, survey, customer_pk, nps, csat,
                self.pick(FEEDBACK_COMMENTS[1 if english else 0]),
                "en" if english else "zh", answered, False, source, None, created))

    def plan(self, midnight: int) -> _Case:
        rng = self.rng
        fate = self.fates.pick(rng)
        english = rng.random() < ENGLISH_SHARE
        scenario = self._scenario(fate, english)
        if scenario is None:
            english = False
            scenario = self._scenario(fate, english)
        c = _Case()
        c.english = english
        c.lang = "en" if english else "zh-hans"
        c.scenario = scenario
        team_key = self.pick(scenario.departments)
        c.team = self.s.teams[(scenario.organisation, team_key)]
        spec = self.team_specs[(scenario.organisation, team_key)]
        channels = scenario.channels or spec.channels
        Channel = self.Channel
        if english:
            channels = tuple(ch for ch in channels
                             if ch not in (Channel.LETTER, Channel.COMMENT_BOOK)) or channels
        c.channel = self.pick(channels)
        c.complaint = scenario.kind == "complaint"
        c.fate = fate  # kept until the case is told
        # Hours of receipt typical of the business, as the demo has them.
        organisation = scenario.organisation
        if c.channel == Channel.LETTER:
            hour = self.pick((9, 10, 11))
        elif organisation == "restaurant":
            hour = self.pick((11, 12, 12, 13, 13, 14, 17, 18, 19, 19, 20, 20, 21, 22))
        elif organisation == "hotel":
            hour = self.pick((0, 1, 7, 8, 9, 10, 14, 16, 18, 20, 21, 22, 22, 23, 23))
        else:
            hour = self.pick((7, 8, 9, 10, 11, 14, 15, 16, 17, 19, 20, 21))
        c.received = midnight + hour * HOUR + int(rng.random() * HOUR)
        c.created = self.recorded(c)
        if c.created > self.now:
            # Today's complaints: only those already received and recorded.
            c.received = midnight + int(rng.random() * max(self.now - HOUR - midnight, 0))
            c.created = min(self.recorded(c), self.now)
        return c

    def recorded(self, c: _Case) -> int:
        """When the complaint was typed in: at once for the web and the API, during a call
        or a visit, soon for messages read by the desk, next morning for the comment book,
        hours later for a letter."""
        Channel = self.Channel
        received, channel = c.received, c.channel
        if channel in (Channel.WEB, Channel.API):
            return received
        if channel in (Channel.PHONE, Channel.WALK_IN):
            return received + self.minutes(1, 8)
        if channel == Channel.COMMENT_BOOK:
            return self.working(c, received + self.minutes(600, 900))
        if channel == Channel.LETTER:
            return self.working(c, received + self.minutes(60, 300))
        return self.working(c, received + self.minutes(1, 15))

    def tell(self, c: _Case) -> None:
        s, rng, content, Channel = self.s, self.rng, self.content, self.Channel
        fate = c.fate
        scenario = c.scenario
        english = c.english
        ids = self.ids
        c.pk = ids["case"]
        ids["case"] += 1
        year = int(self.local_day(c.created)[:4])
        number = self.counters.get(year, 0) + 1
        self.counters[year] = number
        c.reference = f"SR-{year}-{number:06d}"
        c.events = []
        c.version = 1
        c.updated = c.created
        c.status = "new"
        c.status_before_wait = ""
        c.owner = None
        c.acknowledged = c.resolved = c.closed = c.first_resolved = None
        c.close_reason = c.needs = c.facts = c.remedy_text = c.outcome = ""
        c.remedy_amount = None
        c.escalated = False
        c.recovery_round = 1
        c.remedies = []
        c.words = None
        c.root_caused = False
        c.last_reply = None
        c.paused = None
        c.paused_seconds = 0
        c.stages_done = []
        c.breached = []

        # The complaint, its customer and how triage read it.
        planner = self.planner
        c.slots = self.slots(c.team.key, c.channel)
        c.amount_at_stake = self.amount(scenario)
        if c.amount_at_stake is not None:
            c.slots["extra"] = str(c.amount_at_stake)
        location = planner._location(scenario, c.slots)
        duplicate_of = None
        if fate == "duplicate":
            candidates = self.recent.get((scenario.organisation, english))
            if candidates:
                duplicate_of = self.pick(candidates)
            else:
                fate = "recover"
        repeat = False
        customer_pk = 0
        if duplicate_of is not None:
            customer_pk = duplicate_of[3]
            c.salutation = "顾客" if not english else "Customer"
            prefix = self.pick(content.DUPLICATE_PREFIXES[1 if english else 0])
            description = prefix + duplicate_of[2]
            kind, label, emotion, risks, wants = "complaint", SCENARIO_LABEL.get(
                scenario.key, "none"), "anxious", [], ["fix_fast"]
            c.priority = "P3"
        else:
            description, kind, label, emotion, risks, wants, c.priority = self.describe(c)
            pool = self.api_customers if c.channel == Channel.API else self.customers
            known = pool[english]
            if known and rng.random() < 0.12:
                customer_pk = self.pick(known)
                repeat = True
                if "repeat" not in risks:
                    risks = [*risks, "repeat"]
        details, salutation = self.customer(english, c.channel)
        # The queue search indexes the customer's details as the complaint gave them; a
        # returning customer's are on their first case.
        c.searchable = ()
        if customer_pk == 0:
            c.searchable = details
            customer_pk = ids["customer"]
            ids["customer"] += 1
            external = (f"TK-U{10_000_000 + self.below(90_000_000)}"
                        if c.channel == Channel.API else "")
            tier = "vip" if rng.random() < 0.04 else "member" if rng.random() < 0.2 \
                else "regular"
            self.batch["customer"].append((
                customer_pk, *details, external, tier,
                c.created))
            pool = self.api_customers if c.channel == Channel.API else self.customers
            known = pool[english]
            if len(known) < 5000:
                known.append(customer_pk)
            else:
                known[int(rng.random() * 5000)] = customer_pk
        if duplicate_of is None:
            c.salutation = salutation
        c.customer = (customer_pk, details[1], details[2])
        c.description = description
        if not repeat and duplicate_of is None and c.complaint:
            recent = self.recent.setdefault((scenario.organisation, english), [])
            entry = (c.pk, c.reference, description, customer_pk)
            if len(recent) < 50:
                recent.append(entry)
            else:
                recent[int(rng.random() * 50)] = entry

        # How fast this case moves: urgent ones first, and a few drag on.
        c.pace = PACE.get(c.priority, 1.0) * (2.5 if rng.random() < 0.08 else 1.0)
        c.policy = self.policy_for(c.priority, c.channel, label)
        c.resolution_due = self.deadline(c.policy, c.received, c.policy.resolution)
        first_due = self.deadline(c.policy, c.received, c.policy.first_response)
        recorder = None
        if c.channel == Channel.API:
            recorder = s.integration
        elif c.channel != Channel.WEB:
            recorder = self.colleague(c.team, 0.2)
        self.event(c, c.created, "created", recorder.pk if recorder else None, to="new",
                   after=f'{{"channel": "{c.channel}", "received_at": '
                         f'"{self.iso(c.received)}", '
                         f'"priority": "{c.priority}"}}',
                   visible=True)
        # The labels are plain words: the JSON is put together rather than encoded.
        labels_after = (f'{{"kind": "{kind}", "scenario": "{label}", "emotion": "{emotion}", '
                        f'"risks": {self.json_list(risks)}, "wants": {self.json_list(wants)}}}')
        self.event(c, c.created, "labels", None,
                   before='{"kind": "", "scenario": "", "emotion": "", "risks": [], '
                          '"wants": []}',
                   after=labels_after, message="triage")
        c.version += 1
        texts = s.texts[c.lang]
        due_local = self.local_minute(first_due)
        self.event(c, c.created, "auto_ack", None, visible=True,
                   message=texts["auto_ack"] % {"reference": c.reference, "due": due_local})

        try:
            if fate == "invalid":
                self.close_invalid(c)
            elif duplicate_of is not None:
                self.close_duplicate(c, duplicate_of[1])
            else:
                self.recover(c, fate == "reopen")
        except _Stop:
            pass
        self.clock_rows(c, first_due)
        self.case_row(c, description, location, kind, label, emotion,
                      risks, wants, recorder)

    def describe(self, c: _Case) -> tuple[str, str, str, str, list[str], list[str], str]:
        """The customer's words and how triage reads them (the demo's `_description`, with
        the labels kept)."""
        scenario, english, rng, content = c.scenario, c.english, self.rng, self.content
        language = 1 if english else 0
        core = self.pick(scenario.en if english else scenario.zh).format_map(c.slots)
        label = SCENARIO_LABEL.get(scenario.key, "none")
        if scenario.kind == "invalid":
            return core, "complaint", "none", "calm", [], [], "P3"
        if scenario.kind != "complaint":
            return core, scenario.kind, "none", "calm", [], [], "P4"
        emotion = self.emotions.pick(rng)
        if scenario.safety and emotion == "humorous":
            emotion = "anxious"
        parts = [core, self.pick(content.EMOTIONS[emotion][language])]
        wants = self.sample(scenario.wants, min(len(scenario.wants), 1 + self.below(2)))
        parts += [self.pick(content.WANTS[w][language]) for w in wants]
        risks = ["safety"] if scenario.safety else []
        risk = ""
        if rng.random() < 0.25:
            risk = self.pick(("legal_media", "churn", "churn", "repeat"))
            parts.append(self.pick(content.RISKS[risk][scenario.organisation][language]))
            risks.append(risk)
        if not english and self.s.extra_text and rng.random() < 0.15:
            parts.append(self.pick(self.s.extra_text))
        text = (" " if english else "").join(p for p in parts if p)
        if scenario.safety or risk == "legal_media":
            priority = "P1"
        elif emotion in ("angry", "aggrieved") or risk in ("churn", "repeat"):
            priority = "P2"
        else:
            priority = "P3"
        return text, "complaint", label, emotion, sorted(set(risks)), sorted(wants), priority

    def colleague(self, team: Team, supervisors: float) -> Person:
        if self.rng.random() < supervisors:
            return self.pick(team.supervisors)
        return self.pick(team.agents)

    # --- the lifecycle -------------------------------------------------------------------

    def acknowledge(self, c: _Case) -> None:
        """The first response: most within the 15-minute target, a tail beyond it; out of
        hours it waits for the morning unless the desk never closes or it is urgent."""
        r = self.rng.random()
        if c.channel in (self.Channel.PHONE, self.Channel.WALK_IN):
            low, high = 0, 3  # the apology is made while the customer is there
        elif c.priority == "P1":
            low, high = 1, 12
        elif r < 0.6:
            low, high = 2, 10
        elif r < 0.88:
            low, high = 6, 16
        elif r < 0.97:
            low, high = 15, 60
        else:
            low, high = 60, 300
        at = c.updated + self.minutes(low, high)
        # The complaint desks answer from 07:00 to 23:00; at night only the round-the-clock
        # desks and urgent cases.
        if not (c.team.round_the_clock or c.priority == "P1" or 7 <= local_hour(at) < 23):
            at = local_midnight(at) + (DAY if local_hour(at) >= 23 else 0) + 7 * HOUR \
                + self.minutes(0, 40)
        if at > self.now:
            raise _Stop
        c.updated = at
        c.owner = self.colleague(c.team, 0.1)
        if not c.complaint:
            message = self.say(c, self.content.THANK)
        elif self.rng.random() < 0.35:
            message = self.s.texts[c.lang]["apology"] % {"reference": c.reference}
        else:
            message = self.say(c, self.content.ACKNOWLEDGE)
        c.acknowledged = at
        self.move(c, at, "acknowledged", c.owner, message=message,
                  extra_before=', "owner_id": null, "acknowledged_at": null',
                  extra_after=f', "owner_id": {c.owner.pk}, '
                              f'"acknowledged_at": "{self.iso(at)}"')

    def details(self, c: _Case, field_name: str, text: str) -> None:
        at = c.updated
        self.event(c, at, "details", c.owner.pk, before=f'{{"{field_name}": ""}}',
                   after=f'{{"{field_name}": {json_text(text)}}}')
        c.version += 1
        setattr(c, field_name, text)

    def handover(self, c: _Case, to_supervisor: bool = False) -> None:
        team = c.team
        people = team.supervisors if to_supervisor else team.agents + team.supervisors
        people = [p for p in people if p.pk != c.owner.pk]
        if not people:
            return
        at = self.step(c, 20, 300)
        to = self.pick(people)
        content = self.content
        reason = self.pick(content.HANDOVER_TO_SUPERVISOR if to.role == "supervisor"
                           else content.HANDOVER_TO_COLLEAGUE)
        self.event(c, at, "handover", c.owner.pk, message=reason,
                   before=f'{{"owner": "{c.owner.username}"}}',
                   after=f'{{"owner": "{to.username}"}}')
        c.version += 1
        c.owner = to

    def wait(self, c: _Case) -> None:
        at = self.step(c, 30, 600)
        before = c.status
        self.move(c, at, "waiting_on_customer", c.owner, message=self.say(c, self.content.WAIT),
                  extra_before=', "status_before_wait": ""',
                  extra_after=f', "status_before_wait": "{before}"')
        c.status_before_wait = before
        c.paused = at

    def back(self, c: _Case) -> None:
        at = self.step(c, 240, 2880)
        self.note(c, at, self.pick(self.content.WAIT_BACK_NOTES).format(
            wait=c.scenario.wait_zh), c.owner)
        at = self.step(c, 5, 60)
        before = c.status_before_wait
        self.move(c, at, before, c.owner,
                  extra_before=f', "status_before_wait": "{before}"',
                  extra_after=', "status_before_wait": ""')
        c.status_before_wait = ""
        paused = c.paused
        assert paused is not None
        # The resolution clock restarts with the working time it had left (sla `_resume`).
        policy = c.policy
        if c.resolution_due > paused:
            working = None if policy.around_the_clock else self.clock_of(policy)
            if policy.around_the_clock:
                c.resolution_due = at + (c.resolution_due - paused)
            elif working is not None:
                c.resolution_due = working.add(at, working.between(paused, c.resolution_due))
            else:
                left = policy.working.working_between(to_datetime(paused),
                                                      to_datetime(c.resolution_due))
                c.resolution_due = int(policy.working.add(to_datetime(at), left).timestamp())
        c.paused_seconds += at - paused
        c.paused = None

    def propose(self, c: _Case, better: bool = False) -> None:
        """Offer a remedy (approved first when it is over the owner's authority); the case
        moves to remedy_proposed and the customer is told."""
        s, content = self.s, self.content
        if better and c.remedies:
            previous = c.remedies[-1]
            extra = max(20, int(previous["value"] * Decimal("0.3")) // 10 * 10)
            code, amount = "coupon", Decimal(extra)
            sweetener = content.SWEETENER[1 if c.english else 0]
            c.remedy_text += sweetener.format(extra=extra)
            note = c.remedy_text
        else:
            remedy = self.pick(c.scenario.remedies)
            stake = c.amount_at_stake
            amount_or_none: Decimal | None = None
            if remedy.share is not None:
                amount_or_none = ((stake or Decimal(60)) * Decimal(remedy.share)).quantize(
                    Decimal("0.01"))
            elif remedy.low is not None and remedy.high is not None:
                low = remedy.low // 10
                amount_or_none = Decimal((low + self.below(remedy.high // 10 - low + 1)) * 10)
            template = remedy.en if c.english else remedy.zh
            text = template.format_map({**c.slots, "amount": "" if amount_or_none is None else (
                str(int(amount_or_none)) if amount_or_none == amount_or_none.to_integral_value()
                else str(amount_or_none))})
            c.remedy_text = text
            code = self.catalogue_code(text, amount_or_none)
            amount = amount_or_none or Decimal(0)
            note = text
        option = s.options.get(code) or s.options["put-right"]
        if option.unit == "none":
            amount = value = cost = Decimal("0.00")
        else:
            if option.code == "refund-full" and c.amount_at_stake is not None:
                amount = c.amount_at_stake
            amount = amount.quantize(Decimal("0.01"))
            value = amount
            cost = (value * option.cost_ratio).quantize(Decimal("0.01"))
        if c.status in ("acknowledged", "remedy_rejected"):
            self.move(c, c.updated, "investigating", c.owner)
        at = self.step(c, 60, 1800, urgent=c.priority == "P1")
        if not c.facts and self.rng.random() < 0.5:
            self.details(c, "facts", self.pick(
                c.scenario.facts_en if c.english else c.scenario.facts_zh).format_map(c.slots))
        owner = c.owner
        limit = s.limits.get(owner.role)
        remedy_id = self.ids["remedy"]
        self.ids["remedy"] += 1
        name = option.name_en if c.english else option.name_zh
        described = name if option.unit == "none" else f"{name} ¥{amount}"
        described_zh = option.name_zh if option.unit == "none" else f"{option.name_zh} ¥{amount}"
        row = {"id": remedy_id, "option": option, "amount": amount, "value": value,
               "cost": cost, "note": note, "status": "proposed", "proposed_by": owner.pk,
               "proposed_at": at, "authorised_by": owner.pk, "approval_due_at": None,
               "decided_by": None, "decided_at": None, "decision_reason": "",
               "answered_at": None, "executed_by": None, "executed_at": None, "proof": "",
               "proof_reference": "", "described": described, "described_zh": described_zh}
        c.remedies.append(row)
        staff = s.texts["staff"]
        if limit is not None and value > limit:
            why = staff["over_limit"] % {"limit": limit}
            row.update(status="pending_approval", approval_due_at=at + 2 * HOUR,
                       decision_reason=why)
            self.event(c, at, "remedy", owner.pk, message=staff["needs_approval"] % {
                "remedy": described_zh, "why": why},
                after=f'{{"remedy": {remedy_id}, "status": "pending_approval", '
                      f'"value": "{value}"}}')
            approver = self.pick(c.team.supervisors) if owner.role == "agent" else s.quality
            at = self.step(c, 10, 90)
            reason = staff["approve_reason"]
            row.update(status="proposed", authorised_by=approver.pk, decided_by=approver.pk,
                       decided_at=at, decision_reason=reason)
            self.event(c, at, "remedy", approver.pk, message=staff["approved"] % {
                "reason": reason},
                after=f'{{"remedy": {remedy_id}, "status": "proposed", "value": "{value}"}}')
        texts = s.texts[c.lang]
        self.event(c, at, "remedy", owner.pk, visible=True,
                   message=texts["offer"] % {"remedy": described},
                   after=f'{{"remedy": {remedy_id}, "status": "proposed", "value": "{value}"}}')
        self.summary(c)
        self.move(c, at, "remedy_proposed", owner, message=self.say(
            c, content.PROPOSE if c.complaint else content.OFFER))

    def summary(self, c: _Case) -> None:
        active = [r for r in c.remedies if r["status"] in ("proposed", "accepted", "executed")]
        c.remedy_amount = sum((r["value"] for r in active), Decimal("0.00")) if active else None
        c.version += 1

    def answer(self, c: _Case, accepted: bool) -> None:
        content, staff = self.content, self.s.texts["staff"]
        if not accepted:
            at = self.step(c, 60, 1440)
            self.note(c, at, self.pick(content.REJECT_NOTES), c.owner)
        at = self.step(c, 1, 20) if not accepted else self.step(c, 20, 1440)
        row = c.remedies[-1]
        row["status"] = "accepted" if accepted else "declined"
        row["answered_at"] = at
        self.event(c, at, "remedy", c.owner.pk, message=(
            staff["accepted"] if accepted else staff["declined"]) % {
                "remedy": row["described_zh"]},
            after=f'{{"remedy": {row["id"]}, "status": "{row["status"]}", '
                  f'"value": "{row["value"]}"}}')
        self.summary(c)
        self.move(c, at, "remedy_accepted" if accepted else "remedy_rejected", c.owner)
        if not accepted or self.rng.random() < 0.25:
            self.reply(c, at, self.say(c, content.ACCEPT if accepted else content.REJECT),
                       c.owner)

    def execute(self, c: _Case) -> None:
        at = self.step(c, 10, 360)
        row = c.remedies[-1]
        proof = self.say(c, self.content.EXECUTE)
        reference = f"DM-{100000 + self.below(900000)}"
        row.update(status="executed", executed_by=c.owner.pk, executed_at=at, proof=proof,
                   proof_reference=reference)
        staff, texts = self.s.texts["staff"], self.s.texts[c.lang]
        self.event(c, at, "remedy", c.owner.pk,
                   message=staff["carried_out"] % {"proof": proof, "reference": reference},
                   after=f'{{"remedy": {row["id"]}, "status": "executed", '
                         f'"value": "{row["value"]}"}}')
        self.move(c, at, "executing", c.owner)
        done = texts["done"] % {"remedy": row["described"]} + " " + texts["done_ref"] % {
            "reference": reference}
        self.reply(c, at, done, c.owner)

    def resolve(self, c: _Case) -> None:
        if c.scenario.organisation == "property":  # repairs take days, not hours
            at = self.step(c, 120, 4320)
        else:
            at = self.step(c, 30, 1440)
        scenario = c.scenario
        c.outcome = scenario.outcome_en if c.english else scenario.outcome_zh
        c.resolved = at
        if c.first_resolved is None:
            c.first_resolved = at
        self.move(c, at, "resolved", c.owner,
                  message=self.say(c, self.content.RESOLVE if c.complaint else self.content.DONE),
                  extra_before=', "outcome": "", "resolved_at": null',
                  extra_after=f', "outcome": {json_text(c.outcome)}, '
                              f'"resolved_at": "{self.iso(at)}"')
        if not c.root_caused and self.rng.random() < 0.6:
            self.root_cause(c)

    def followup_method(self, c: _Case) -> str | None:
        _pk, phone, email = c.customer
        if phone and c.channel in self.s.call_channels:
            return "call"
        if email:
            return "email"
        if phone:
            return "sms"
        return None

    def send_time(self, t: int) -> int:
        """The follow-up's moment moved into the sending hours (09:00–21:00 by default)."""
        start, end = self.s.followup_hours
        minute = (t + ZONE_OFFSET) % DAY // MINUTE
        if start <= minute < end:
            return t
        midnight = local_midnight(t) + (DAY if minute >= end else 0)
        return midnight + start * MINUTE

    def follow_up(self, c: _Case, method: str, *, unhappy: bool, early: bool = False) -> str:
        """Schedule, send and (perhaps) get the survey answered; returns what became of
        it: "answered", "reopened", "no_response" or "pending", or "scheduled" when the
        owner is to close the case before it goes out (`early`)."""
        s, rng = self.s, self.rng
        staff = s.texts["staff"]
        resolved = c.resolved
        assert resolved is not None
        pk = self.ids["followup"]
        self.ids["followup"] += 1
        scheduled = self.send_time(resolved + s.followup_delay)
        expires = scheduled + s.survey_valid
        row = [pk, c.pk, resolved, c.recovery_round, method, "scheduled", scheduled,
               expires, None, None, None, resolved]
        self.batch["followup"].append(row)  # type: ignore[arg-type]
        method_label = staff[f"method_{method}"]
        self.event(c, resolved, "follow_up", None,
                   message=staff["scheduled"] % {"method": method_label},
                   after=f'{{"followup": {pk}, "method": "{method}", "scheduled_for": '
                         f'"{self.iso(scheduled)}"}}')
        c.followup = (row, scheduled)
        if early:
            return "scheduled"
        if scheduled > self.now:
            return "pending"
        c.updated = scheduled
        self.move(c, scheduled, "follow_up", None)
        until = self.local_minute(expires)
        self.event(c, scheduled, "follow_up", None,
                   message=staff["sent"] % {"method": method_label, "until": until},
                   after=f'{{"followup": {pk}, "method": "{method}", "expires_at": '
                         f'"{self.iso(expires)}"}}')
        row[5], row[8] = "sent", scheduled
        if not unhappy and rng.random() < 0.3:
            if expires > self.now:
                return "pending"
            # Nobody answered: the link expires and the case closes as no response; its
            # owner records the root cause then, if it was not recorded on resolving.
            row[5], row[10] = "no_response", expires
            c.updated = expires
            if not c.root_caused:
                self.root_cause(c)
            self.move(c, expires, "closed", None, message=s.texts[c.lang]["no_response"],
                      extra_after=', "close_reason": "no_response"')
            c.close_reason, c.closed = "no_response", expires
            return "no_response"
        at = scheduled + self.minutes(10, 2 * 24 * 60)
        if at > self.now:
            return "pending"
        c.updated = at
        by_phone = method == "call"
        actor = c.owner if by_phone else None
        if unhappy:
            solved = "no" if rng.random() < 0.6 else "partly"
            satisfaction = 1 + self.below(s.reopen_satisfaction_max)
            comment = self.pick(UNHAPPY_COMMENTS[1 if c.english else 0])
        else:
            solved = "yes" if rng.random() < 0.8 else "partly"
            satisfaction = min(5, max(s.reopen_satisfaction_max + 1,
                                      round(rng.gauss(4.3 if solved == "yes" else 3.4, 0.7))))
            comment = self.pick(SURVEY_COMMENTS[1 if c.english else 0])

        def score() -> int:
            return min(5, max(1, satisfaction + (-1, 0, 0, 0, 1)[self.below(5)]))

        outcome_fair, process_fair, interaction_fair = score(), score(), score()
        recommend = min(10, max(0, satisfaction * 2 - 2 + self.below(4)))
        would_return = self.would_return(c, solved, satisfaction)
        answer_pk = self.ids["answer"]
        self.ids["answer"] += 1
        self.batch["answer"].append((
            answer_pk, pk, solved, satisfaction, outcome_fair, process_fair, interaction_fair,
            recommend, would_return, comment, by_phone, actor.pk if actor else None, unhappy,
            at))
        row[5], row[9] = "answered", at
        self.event(c, at, "follow_up", actor.pk if actor else None, message=comment,
                   after=(f'{{"answer": {{"solved": "{solved}", "satisfaction": {satisfaction}, '
                          f'"outcome_fair": {outcome_fair}, "process_fair": {process_fair}, '
                          f'"interaction_fair": {interaction_fair}, "recommend": {recommend}, '
                          f'"would_return": {JSON_BOOL[would_return]}}}, '
                          f'"by_phone": {JSON_BOOL[by_phone]}, "followup": {pk}}}'))
        texts = s.texts[c.lang]
        self.event(c, at, "follow_up", None, visible=True,
                   message=texts["thanks_reopened" if unhappy else "thanks"])
        if not unhappy:
            return "answered"
        # A second recovery: reopened, one more round, priority raised (never lowered).
        raised = "P1" if c.priority == "P1" else "P2"
        before = (f'{{"status": "{c.status}", "priority": "{c.priority}", '
                  f'"recovery_round": {c.recovery_round}, '
                  f'"resolved_at": "{self.iso(resolved)}"}}')
        c.recovery_round += 1
        self.event(c, at, "transition", actor.pk if actor else None, frm=c.status,
                   to="investigating", before=before, visible=True,
                   after=f'{{"status": "investigating", "priority": "{raised}", '
                         f'"recovery_round": {c.recovery_round}, "resolved_at": null, '
                         f'"reason": "second_recovery"}}')
        self.event(c, at, "follow_up", None, message=staff["second"] % {
            "round": c.recovery_round, "solved": staff[f"solved_{solved}"],
            "satisfaction": satisfaction, "priority": raised},
            after=f'{{"second_recovery": true, "recovery_round": {c.recovery_round}}}')
        c.status = "investigating"
        c.priority = raised
        c.resolved = None
        c.version += 1
        # A second resolution is owed in full from the reopening (sla `_apply`).
        c.resolution_due = self.deadline(c.policy, at, c.policy.resolution)
        return "reopened"

    def would_return(self, c: _Case, solved: str, satisfaction: int) -> bool:
        """Whether the customer says they would come back: likely after a resolution within
        its deadline, less so after a late one, seldom when it was not solved; a little
        more (or less) likely the happier (or unhappier) they are than their like."""
        assert c.resolved is not None
        if solved == "no":
            speed, usual = "unresolved", 1.5
        else:
            speed, usual = ("quick" if c.resolved <= c.resolution_due else "slow"), 4.0
        chance = WOULD_RETURN[speed] + 0.05 * (satisfaction - usual)
        return self.rng.random() < min(0.98, max(0.02, chance))

    def root_cause(self, c: _Case) -> None:
        """Why it happened, recorded by the owner before the case is closed as resolved."""
        lesson = c.scenario.lesson
        cause = self.causes.get(lesson)
        if cause is None:
            from redress.lessons.demo import _STEP_FOR_CAUSE, cause_of

            category = cause_of(lesson)
            detail = lesson.split("纠正措施")[0].removeprefix("根因：").rstrip("。；; ")
            cause = self.causes[lesson] = (category, detail, _STEP_FOR_CAUSE[category],
                                           json_text(detail))
        category, detail, step, detail_json = cause
        at = c.updated
        accepted = "no" if self.rng.random() < 0.05 else "yes"
        words = self.pick(UNHAPPY_WORDS) if accepted == "no" else ""
        summary = self.remedy_summary(c)
        given = f"{summary} (¥{c.remedy_amount})" if c.remedy_amount is not None else summary
        pk = self.ids["root_cause"]
        self.ids["root_cause"] += 1
        c.root_caused = True
        self.batch["root_cause"].append((
            pk, c.pk, category, detail, c.team.pk, step, accepted, words, given, c.owner.pk,
            at))
        self.event(c, at, "root_cause", c.owner.pk, message=detail, after=(
            f'{{"category": "{category}", "detail": {detail_json}, "department": null, '
            f'"step": {json_text(step)}, "customer_accepted": "{accepted}", '
            f'"customer_words": {json_text(words)}, "remedy_given": {json_text(given)}}}'))

    def remedy_summary(self, c: _Case) -> str:
        return "; ".join(r["described"] for r in c.remedies
                         if r["status"] in ("proposed", "accepted", "executed"))

    def close(self, c: _Case, *, after_resolve: bool = False, soon: bool = False) -> None:
        if soon:
            at = self.step(c, 10, 300)
        elif after_resolve:
            at = self.step(c, 1440, 4320)
        else:
            at = self.step(c, 60, 2880)
        if self.rng.random() < 0.25:
            self.note(c, at, self.pick(self.content.CLOSE_NOTES), c.owner)
        at = self.step(c, 1, 10)
        if not c.root_caused:
            self.root_cause(c)
        c.close_reason, c.closed = "resolved", at
        self.move(c, at, "closed", c.owner,
                  extra_before=', "close_reason": "", "closed_at": null',
                  extra_after=f', "close_reason": "resolved", '
                              f'"closed_at": "{self.iso(at)}"')

    def recover(self, c: _Case, reopen: bool) -> None:
        rng, content = self.rng, self.content
        self.acknowledge(c)
        if rng.random() < 0.5:
            self.step(c, 1, 15)
            self.details(c, "needs", self.pick(
                c.scenario.needs_en if c.english else c.scenario.needs_zh).format_map(c.slots))
        if rng.random() < 0.12:
            self.handover(c)
        at = self.step(c, 10, 240)
        self.move(c, at, "investigating", c.owner, message=self.say(
            c, content.INVESTIGATE if c.complaint else content.CONSIDER)
            if rng.random() < 0.4 else "")
        if c.complaint and rng.random() < 0.15:
            at = self.step(c, 20, 600)
            self.note(c, at, self.pick(content.INTERNAL_NOTES), c.owner)
        if rng.random() < 0.12:
            self.wait(c)
            self.back(c)
        self.propose(c)
        if c.complaint and rng.random() < 0.12:
            self.answer(c, accepted=False)
            if rng.random() < 0.5:
                self.handover(c, to_supervisor=True)
            self.step(c, 30, 600)
            self.propose(c, better=True)
        self.answer(c, accepted=True)
        self.execute(c)
        self.resolve(c)
        method = self.followup_method(c)
        if method is None:
            self.close(c, after_resolve=True)
            return
        early = not reopen and rng.random() < 0.35
        result = self.follow_up(c, method, unhappy=reopen, early=early)
        if result == "scheduled":
            # Closed on the spot; the worker cancels the follow-up when its time comes.
            self.close(c, soon=True)
            row, scheduled = c.followup
            if scheduled <= self.now:
                row[5], row[10] = "cancelled", scheduled
            return
        if result in ("pending", "no_response"):
            return
        if result == "reopened":
            at = self.step(c, 30, 600)
            self.note(c, at, self.pick(content.REOPEN_NOTES), c.owner)
            self.reply(c, at, self.say(c, content.REOPEN), c.owner)
            self.propose(c, better=True)
            self.answer(c, accepted=True)
            self.execute(c)
            self.resolve(c)
            result = self.follow_up(c, method, unhappy=False)
            if result in ("pending", "no_response"):
                return
        self.close(c)

    def close_invalid(self, c: _Case) -> None:
        note, message = self.content.INVALID_REASONS.get(
            c.scenario.key, ("无效投诉，按无效关闭。", ""))
        c.owner = self.colleague(c.team, 0.3)
        at = self.step(c, 10, 600)
        self.note(c, at, note, c.owner)
        at = self.step(c, 1, 10)
        c.close_reason, c.closed = "invalid", at
        self.move(c, at, "closed", c.owner, message=message,
                  extra_after=f', "close_reason": "invalid", '
                              f'"closed_at": "{self.iso(at)}"')

    def close_duplicate(self, c: _Case, original: str) -> None:
        content = self.content
        if self.rng.random() < 0.3:
            self.acknowledge(c)
        else:
            c.owner = self.colleague(c.team, 0.2)
        at = self.step(c, 30, 300)
        self.note(c, at, self.pick(content.DUPLICATE_NOTES).format(original=original), c.owner)
        at = self.step(c, 1, 10)
        message = self.pick(content.DUPLICATE[1 if c.english else 0]).format(original=original)
        c.close_reason, c.closed = "duplicate", at
        self.move(c, at, "closed", c.owner, message=message,
                  extra_after=f', "close_reason": "duplicate", '
                              f'"closed_at": "{self.iso(at)}"')

    # --- the clocks, as the sla app keeps them -------------------------------------------

    def stage(self, c: _Case, kind: str, target: str, at: int, due: int) -> None:
        """A warning, a breach or an escalation that happened, on the timeline. One due
        before the case was recorded (a letter, a comment-book entry) is carried out when
        the case is stored, as the worker would on finding it already due."""
        c.stages_done.append(f"{kind}:{target}:{due}")
        at = max(at, c.created)
        after = f'"target": "{target}", "due": "{self.iso(due)}"'
        if kind == "warn":
            self.event(c, at, "sla_warning", None, after=f"{{{after}}}")
            return
        if kind == "breach" and target not in c.breached:
            c.breached.append(target)
        c.escalated = True
        level = 1 if kind == "breach" else 2
        self.event(c, at, "escalation", None, after=f'{{{after}, "level": {level}}}')

    def warn_at(self, policy: Policy, start: int, due: int, amount: tuple[int, str]) -> int:
        if policy.around_the_clock:
            return start + int((due - start) * 0.8)
        clock = self.clock_of(policy)
        if clock is not None:
            # The same timedelta arithmetic as below (rounded to the microsecond).
            if amount[1] == "days":
                used = timedelta(seconds=clock.between(start, due)) * 0.8
            else:
                used = timedelta(minutes=amount[0] * (60 if amount[1] == "hours" else 1) * 0.8)
            return min(clock.add_micro(start, _micro(used)) // 1_000_000, due)
        working = policy.working
        if amount[1] == "days":
            used = working.working_between(to_datetime(start), to_datetime(due)) * 0.8
        else:
            used = timedelta(minutes=amount[0] * (60 if amount[1] == "hours" else 1) * 0.8)
        return min(int(working.add(to_datetime(start), used).timestamp()), due)

    def target_stages(self, c: _Case, target: str, start: int, due: int, met: int | None,
                      amount: tuple[int, str]) -> None:
        """The stages a target went through before it was met (or until now)."""
        until = met if met is not None else self.now + 1
        if until <= start:
            return
        warn = self.warn_at(c.policy, start, due, amount)
        for kind, at in (("warn", warn), ("breach", due), ("escalate", due + self.s.manager_after)):
            if at < until and at <= self.now:
                self.stage(c, kind, target, at, due)

    def clock_rows(self, c: _Case, first_due: int) -> None:
        policy = c.policy
        self.target_stages(c, "first_response", c.received, first_due, c.acknowledged,
                           policy.first_response)
        if c.closed is None or c.close_reason in ("resolved", "no_response"):
            met = c.first_resolved if c.first_resolved is not None else (
                c.closed if c.closed is not None else None)
            # A paused case's deadline moved; its stages are counted against the final one.
            if c.paused is None:
                self.target_stages(c, "resolution", c.received, c.resolution_due, met,
                                   policy.resolution)
        next_reply_due = None
        next_check = None
        open_case = c.closed is None
        if open_case and c.resolved is None and c.last_reply is not None:
            next_reply_due = self.deadline(policy, c.last_reply, policy.next_reply)
        if open_case:
            next_check = self.next_check(c, first_due, next_reply_due)
        # The timeline, in order, then the clock that has read all of it.
        # The rows go as they are (`EVENT_FIRST`): their ids follow from their order.
        events = c.events
        events.sort(key=_moment)
        self.batch["event"].extend(events)
        eid = self.ids["event"] = self.ids["event"] + len(events)
        c.updated = max(c.updated, events[-1][1])
        self.batch["clock"].append((
            c.pk, policy.pk, c.received, first_due, c.acknowledged, c.last_reply,
            next_reply_due, c.resolution_due, c.resolved, c.paused, c.paused_seconds,
            self.json_list(c.breached), self.json_list(self.stage_keys(c)),
            next_check, eid - 1))

    def stage_keys(self, c: _Case) -> list[str]:
        # The sla app keys a stage by the deadline's timestamp in whole seconds.
        return c.stages_done

    def next_check(self, c: _Case, first_due: int, next_reply_due: int | None) -> int | None:
        """The next stage still to come, by the sla app's own arithmetic."""
        from redress.cases.models import Case
        from redress.sla.models import CaseClock
        from redress.sla.services import _next_check

        def dt(t: int | None) -> datetime | None:
            return to_datetime(t) if t is not None else None

        row = CaseClock(
            policy=c.policy.model, started_at=dt(c.received), first_response_due=dt(first_due),
            first_responded_at=dt(c.acknowledged), last_reply_at=dt(c.last_reply),
            next_reply_due=dt(next_reply_due), resolution_due=dt(c.resolution_due),
            resolved_at=dt(c.resolved), paused_at=dt(c.paused), stages_done=c.stages_done)
        moment = _next_check(row, Case(status=c.status))
        if moment is None:
            return None
        if moment.timestamp() <= self.now:
            # Due already (a stage the story did not reach): the worker's sweep handles it
            # at start-up, as after any outage.
            return self.now
        return int(moment.timestamp())

    def case_row(self, c: _Case, description: str, location: str, kind: str, label: str,
                 emotion: str, risks: list[str], wants: list[str],
                 recorder: Person | None) -> None:
        order_ref = self.order_ref(c)
        summary = self.remedy_summary(c)
        self.batch["case"].append((
            c.pk, c.reference, self.token(), c.customer[0], c.channel,
            c.received, c.created, c.updated, description,
            "en" if c.english else "zh", location, order_ref,
            str(c.amount_at_stake) if c.amount_at_stake is not None else None, c.status,
            c.status_before_wait, c.priority, c.owner.pk if c.owner else None, c.team.pk,
            recorder.pk if recorder else None, c.escalated, kind, label, emotion,
            self.json_list(risks), self.json_list(wants), c.recovery_round, c.needs, c.facts,
            summary,
            str(c.remedy_amount) if c.remedy_amount is not None else None, c.outcome,
            c.close_reason, c.acknowledged, c.resolved, c.closed, c.version))
        if c.searchable:
            self.batch[SEARCH].append((c.pk, *c.searchable))
        rows = self.batch["remedy"]
        for r in c.remedies:
            proposed = r["proposed_at"]
            rows.append((
                r["id"], c.pk, r["option"].pk, str(r["amount"]), str(r["value"]), str(r["cost"]),
                r["note"], r["status"], r["proposed_by"], proposed, proposed,
                r["authorised_by"],
                r["approval_due_at"], r["decided_by"], r["decided_at"],
                r["decision_reason"],
                r["answered_at"],
                r["executed_by"],
                r["executed_at"],
                r["proof"], r["proof_reference"]))

    def order_ref(self, c: _Case) -> str:
        kind = c.scenario.order
        if not kind or c.scenario.kind == "invalid" or self.rng.random() < 0.3:
            return ""
        return self.content.order_reference_on(kind, self.local_day(c.received), self.randint)

    # --- batches -------------------------------------------------------------------------

    def batches(self, size: int) -> Iterator[tuple[Batch, int]]:
        """The history, in batches of about `size` cases (whole days), oldest first, each
        with the number of cases it holds. The reference counters are in `self.counters`
        once the last batch is out.

        Python's cyclic garbage collector would walk the young objects again and again
        while a batch is built (hundreds of thousands of row tuples, none in a cycle): it
        is off while a batch is told and run once after each, and what existed before the
        story (Django and all) is left out of those runs (measured: 7% of the story)."""
        enabled = gc.isenabled()
        gc.freeze()
        gc.disable()
        try:
            for midnight, count in self.days_plan():
                self.day(midnight, count)
                if len(self.batch["case"]) >= size:
                    yield self.take()
                    gc.collect()
            yield self.take()
        finally:
            gc.unfreeze()
            if enabled:
                gc.enable()

    def take(self) -> tuple[Batch, int]:
        batch = self.batch
        # Follow-up rows are built as lists, so their status can change as the story goes.
        batch["followup"] = [tuple(r) for r in batch["followup"]]
        batch[EVENT_FIRST] = [(self.event_first,)]
        self.event_first = self.ids["event"]
        self.batch = {name: [] for name in (*ORDER, SEARCH)}
        return batch, len(batch["case"])


# --- writing ------------------------------------------------------------------------------


# Rows bound per INSERT on SQLite: binding a few hundred rows to one multi-row statement
# costs far less per row than one execution per row (measured about 40% less for the
# timeline), and stays under SQLite's 32,766 parameters for the widest table (36 columns).
SQLITE_ROWS_PER_INSERT = 500
SQLITE_MAX_PARAMETERS = 32_000


def _sqlite_chunks(rows: list[tuple[Any, ...]], width: int) -> Iterator[tuple[int, list[Any]]]:
    """The rows as (row count, flat parameter list) pieces for multi-row INSERTs."""
    per = max(1, min(SQLITE_ROWS_PER_INSERT, SQLITE_MAX_PARAMETERS // max(width, 1)))
    for start in range(0, len(rows), per):
        piece = rows[start:start + per]
        yield len(piece), list(chain.from_iterable(piece))


class _Inserts:
    """Multi-row INSERT statements for one table, one per row count (cached: the same
    few shapes are executed thousands of times)."""

    def __init__(self, table: str, columns: list[str]) -> None:
        quoted = ", ".join(f'"{c}"' for c in columns)
        self.head = f'INSERT INTO "{table}" ({quoted}) VALUES '  # noqa: S608
        self.one = "(" + ", ".join("?" * len(columns)) + ")"
        self.width = len(columns)
        self.shapes: dict[int, str] = {}

    def execute(self, cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        for count, values in _sqlite_chunks(rows, self.width):
            statement = self.shapes.get(count)
            if statement is None:
                statement = self.shapes[count] = self.head + ", ".join([self.one] * count)
            cursor.execute(statement, values)


class Stager:
    """Writes each batch into a small SQLite file of its own (plain tables, no indexes,
    no constraints), for the writer to copy into the database with INSERT … SELECT.

    This is how the story crosses from the process that tells it to the one that writes
    it on SQLite: the rows are bound once, here, in the producer; the writer's work is then
    SQLite's alone (no unpickling, no Python objects per row). Measured on the timeline,
    the producer pays about 0.6 µs more per row than pickling the batch would cost, and the
    writer about 1.7 µs less, which matters because the writer is the busier of the two."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.inserts = {name: _Inserts(name, _stage_columns(name))
                        for name in (*ORDER, SEARCH, EVENT_FIRST)}
        self.serial = 0

    def stage(self, batch: Batch) -> tuple[str, dict[str, int]]:
        import sqlite3

        self.serial += 1
        path = os.path.join(self.directory, f"batch{self.serial:05d}.sqlite3")
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=OFF")
            connection.execute("PRAGMA synchronous=OFF")
            cursor = connection.cursor()
            cursor.execute("BEGIN")
            for name, inserts in self.inserts.items():
                columns = _stage_columns(name)
                if name == SEARCH:
                    # A rowid alias: the writer looks each case's details up by its id.
                    columns[0] += " INTEGER PRIMARY KEY"
                cursor.execute(f'CREATE TABLE "{name}" ({", ".join(columns)})')
                inserts.execute(cursor, batch[name])
            cursor.execute("COMMIT")
        finally:
            connection.close()
        return path, {name: len(batch[name]) for name in ORDER}


def _event_rows(batch: Batch, stamp: Callable[[int], str]) -> list[tuple[Any, ...]]:
    """The timeline's rows of a batch as the table has them (see `EVENT_FIRST`)."""
    first = batch[EVENT_FIRST][0][0]
    return [(first + n, pk, stamp(at), *rest)
            for n, (pk, at, *rest) in enumerate(batch["event"])]


def _finish_rows(rows: list[tuple[Any, ...]], layout: Layout,
                 times: _Stamp) -> list[tuple[Any, ...]]:
    """Rows as the table has them: moments given as seconds made into text (see
    `Layout.moments`)."""
    if not layout.moments and not layout.dates:
        return rows
    stamp, local_day = times.stamp, times.local_day
    out = []
    for given in rows:
        row = list(given)
        for n in layout.moments:
            if row[n] is not None:
                row[n] = stamp(row[n])
        for n in layout.dates:
            row[n] = local_day(row[n])
        out.append(tuple(row))
    return out


def _search_rows(batch: Batch) -> list[tuple[int, str]]:
    """(case id, indexed words) for each case of a batch, as the intake indexes them."""
    from redress.cases.search import search_terms

    details = {row[0]: row[1:] for row in batch[SEARCH]}
    description, order_ref = CASE_TEXT
    return [(row[0], search_terms(row[description], row[order_ref], *details.get(row[0], ())))
            for row in batch["case"]]


def _stage_columns(name: str) -> list[str]:
    if name == SEARCH:
        return ["case_id", "name", "phone", "email"]
    if name == EVENT_FIRST:
        return ["first_id"]
    # Named by their place in the layout; the timeline's rows have no id (`EVENT_FIRST`).
    return [f"c{n}" for n in range(len(LAYOUTS[name][1].split()))
            if not (name == "event" and n == 0)]


class Writer:
    """Inserts batches of rows: on SQLite outside a transaction, copies each staged batch
    (`Stager`) with INSERT … SELECT; on SQLite inside one (the tests), multi-row INSERTs;
    COPY on PostgreSQL; the ORM's cursor elsewhere. Each batch is one transaction."""

    def __init__(self, layouts: dict[str, Layout]) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        self.layouts = layouts
        quote = connection.ops.quote_name
        self.statements = {}
        self.copies: dict[str, tuple[str, tuple[Any, ...]]] = {}
        self.inserts: dict[str, _Inserts] = {}
        for name, layout in layouts.items():
            columns = ", ".join(quote(c) for c in layout.columns)
            table = quote(layout.table)
            if self.vendor == "postgresql":
                self.statements[name] = f"COPY {table} ({columns}) FROM STDIN"
            else:
                marks = ", ".join(["?" if self.vendor == "sqlite" else "%s"] * len(
                    layout.columns))
                self.statements[name] = (
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})")  # noqa: S608
            if self.vendor == "sqlite":
                self.inserts[name] = _Inserts(layout.table, layout.columns)
                given = [f"c{n}" for n in range(len(LAYOUTS[name][1].split()))]
                # Moments as SQLite's datetime() writes them: the text Django stores.
                for n in layout.moments:
                    given[n] = f"datetime(c{n}, 'unixepoch')"
                for n in layout.dates:
                    given[n] = f"date(c{n} + {ZONE_OFFSET}, 'unixepoch')"
                if name == "event":
                    # Ids in the rows' order, from the batch's first.
                    given[0] = f'(SELECT first_id FROM stage."{EVENT_FIRST}") + rowid - 1'  # noqa: S608
                defaults = "".join(", ?" for _ in layout.tail)
                self.copies[name] = (
                    f"INSERT INTO {table} ({columns}) "  # noqa: S608
                    f'SELECT {", ".join(given)}{defaults} FROM stage."{name}"', layout.tail)
        self.bulk = False
        self.search_function = False
        self.times = _Stamp("+00:00" if self.vendor == "postgresql" else "")
        # Where the writing time goes, table by table (staged loads only).
        self.table_seconds = dict.fromkeys((*ORDER, SEARCH, "commit"), 0.0)

    @property
    def staged(self) -> bool:
        """Whether batches go through `Stager` files: SQLite, outside a transaction (a
        database cannot be attached inside one)."""
        return self.vendor == "sqlite" and not self.connection.in_atomic_block

    def write(self, batch: Batch) -> None:
        from django.db import transaction

        with transaction.atomic():
            for name in ORDER:
                rows = batch[name]
                if not rows:
                    continue
                if name == "event":
                    rows = _event_rows(batch, self.times.stamp)
                else:
                    rows = _finish_rows(rows, self.layouts[name], self.times)
                tail = self.layouts[name].tail
                if tail:
                    rows = [row + tail for row in rows]
                statement = self.statements[name]
                if self.vendor == "sqlite":
                    # The driver's own cursor: Django's wrapper would add nothing but time.
                    raw = self.connection.connection.cursor()
                    self.inserts[name].execute(raw, rows)
                    raw.close()
                elif self.vendor == "postgresql":
                    with self.connection.connection.cursor() as raw, raw.copy(statement) as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    with self.connection.cursor() as cursor:
                        cursor.executemany(statement, rows)
            if batch["case"]:
                from redress.cases.search import PG_TABLE, index_cases

                if self.vendor == "postgresql":
                    # The ids are new, so COPY instead of the intake's INSERT … ON
                    # CONFLICT: an eighth quicker. The table computes each row's vector
                    # (a generated column) and indexes it either way.
                    with (self.connection.connection.cursor() as raw,
                          raw.copy(f"COPY {PG_TABLE} (case_id, terms) FROM STDIN") as copy):
                        for row in _search_rows(batch):
                            copy.write_row(row)
                else:
                    index_cases(_search_rows(batch))

    def load(self, path: str) -> None:
        """Copy one staged batch (`Stager`) into the database, in one transaction."""
        from django.db import transaction

        from redress.cases.search import FTS_TABLE

        raw = self.connection.connection
        if not self.search_function:
            from redress.cases.search import search_terms

            # The index's words made by the application's own function, called by SQLite
            # for each case as it copies them (None for a detail the case does not have).
            raw.create_function("redress_search_terms", 5, search_terms, deterministic=True)
            self.search_function = True
        raw.execute("ATTACH DATABASE ? AS stage", (path,))
        try:
            with transaction.atomic():
                cursor = raw.cursor()
                seconds = self.table_seconds
                for name in ORDER:
                    began = time.perf_counter()
                    statement, tail = self.copies[name]
                    cursor.execute(statement, tail)
                    seconds[name] += time.perf_counter() - began
                began = time.perf_counter()
                description, order_ref = (f"c.c{n}" for n in CASE_TEXT)
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, terms) "  # noqa: S608
                    f"SELECT c.c0, redress_search_terms({description}, {order_ref}, s.name, "
                    f's.phone, s.email) FROM stage."case" c '
                    f'LEFT JOIN stage."{SEARCH}" s ON s.case_id = c.c0 ORDER BY c.c0')
                cursor.close()
                seconds[SEARCH] += time.perf_counter() - began
                began = time.perf_counter()
            seconds["commit"] += time.perf_counter() - began
        finally:
            raw.execute("DETACH DATABASE stage")
        os.unlink(path)

    def start(self) -> None:
        """Settings for a bulk load, for this connection only. SQLite: no journal and no
        fsync (a crash during the load loses the load, nothing else: the database is the
        generator's own), CHECK constraints not evaluated (the rows' JSON is made here, and
        the tests check it is valid), a larger page cache, and no foreign key look-ups (the
        ids are handed out here, parents first). PostgreSQL: commits do not wait for the
        disk."""
        self.connection.ensure_connection()
        with self.connection.cursor() as cursor:
            if self.staged:
                self.bulk = True
                cursor.execute("PRAGMA foreign_keys=OFF")
                cursor.execute("PRAGMA synchronous=OFF")
                # Without a write-ahead log each page is written once, not to the log and
                # then again by the checkpoint. Only possible with no other connection to
                # the database; the log comes back in `finish`.
                cursor.execute("PRAGMA journal_mode=OFF")
                cursor.execute("PRAGMA ignore_check_constraints=ON")
                cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_MB * 1024}")
                cursor.execute("PRAGMA temp_store=MEMORY")
            elif self.vendor == "postgresql":
                cursor.execute("SET synchronous_commit TO off")

    def finish(self) -> None:
        """Back to the settings the application runs with, and fresh planner statistics."""
        with self.connection.cursor() as cursor:
            if self.bulk:
                self.bulk = False
                cursor.execute("PRAGMA ignore_check_constraints=OFF")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA analysis_limit=1000")
                cursor.execute("ANALYZE")
            elif self.vendor == "postgresql":
                cursor.execute("SET synchronous_commit TO on")
                if not self.connection.in_atomic_block:
                    cursor.execute("ANALYZE")


def _counters_save(counters: dict[int, int]) -> None:
    """The reference numbers carry on after the generated ones; on PostgreSQL the id
    sequences too (rows were inserted with their ids)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    from redress.cases.models import ReferenceCounter

    for year, last in counters.items():
        ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})
    models = [apps.get_model(label) for label, _given in LAYOUTS.values()]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@dataclass
class Result:
    cases: int
    seconds: float
    rows: dict[str, int]
    write_seconds: float  # of `seconds`, spent inserting
    write_tables: dict[str, float] = field(default_factory=dict)  # of those, per table
    generator_cpu: float = 0.0  # CPU seconds of the story's process (`--jobs 2`)


def _produce(story: Story, size: int, queue: Any, stage_dir: str | None) -> None:
    """The story told in a process of its own (`--jobs 2`): batches go to the writer,
    staged into files on SQLite (`Stager`), as rows elsewhere."""
    stager = Stager(stage_dir) if stage_dir else None
    try:
        for batch, count in story.batches(size):
            if stager is not None:
                path, rows = stager.stage(batch)
                queue.put((path, count, rows))
            else:
                queue.put((batch, count, None))
    except BaseException:
        # The writer waits on the queue: tell it, rather than leave it waiting for ever.
        queue.put((None, None, None))
        raise
    queue.put((None, story.counters, None))


def _stage_directory() -> str:
    """Where staged batches go: memory-backed when the system has it (they are written
    once, read once and deleted within seconds)."""
    shm = "/dev/shm"  # noqa: S108 (mkdtemp below makes a private directory in it)
    where = shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
    return tempfile.mkdtemp(prefix="redress-stage-", dir=where)


def generate(*, cases: int, seed: int = SEED, days: int = DAYS, now: datetime | None = None,
             batch: int = BATCH, jobs: int = 1, extra_text: str = "",
             progress: Callable[[int, int], None] | None = None) -> Result:
    """Write a history of `cases` cases received over the last `days` days before `now`.

    Needs a migrated database; adds the demo's organisations and staff when they are
    missing, and carries on from existing ids and reference numbers."""
    import shutil

    from django.db import connection

    from redress.common import clock

    started = time.perf_counter()
    now = now or clock.now()
    _staff_create(cases, days)
    setting = _setting(extra_text=extra_text)
    writer = Writer(layouts())
    story = Story(setting, seed=seed, now=int(now.timestamp()), cases=cases, days=days,
                  suffix="+00:00" if connection.vendor == "postgresql" else "",
                  sqlite=connection.vendor == "sqlite")
    rows = dict.fromkeys(ORDER, 0)
    done = 0
    writer.start()
    stage_dir = _stage_directory() if writer.staged else None
    if progress is not None:
        progress(0, cases)

    writing = 0.0

    def written(item: Batch | str, count: int, counts: dict[str, int] | None) -> None:
        nonlocal done, writing
        began = time.perf_counter()
        if isinstance(item, str):
            writer.load(item)
        else:
            writer.write(item)
            counts = {name: len(item[name]) for name in ORDER}
        writing += time.perf_counter() - began
        assert counts is not None
        for name in ORDER:
            rows[name] += counts[name]
        done += count
        if progress is not None:
            progress(done, cases)

    try:
        if jobs > 1:
            # Telling the story and writing it each take a core: the story is told in a
            # child process (forked, so it shares everything read so far) while this one
            # writes.
            context = multiprocessing.get_context("fork")
            queue = context.Queue(maxsize=2)
            child = context.Process(target=_produce, args=(story, batch, queue, stage_dir),
                                    daemon=True)
            child.start()
            while True:
                item, extra, counts = queue.get()
                if item is None:
                    if extra is None:
                        child.join()
                        raise RuntimeError("the story's process failed (see above)")
                    counters = extra
                    break
                written(item, extra, counts)
            child.join()
            if child.exitcode != 0:
                raise RuntimeError(f"the story's process failed (exit code {child.exitcode})")
        else:
            stager = Stager(stage_dir) if stage_dir else None
            for batch_rows, count in story.batches(batch):
                if stager is not None:
                    path, counts = stager.stage(batch_rows)
                    written(path, count, counts)
                else:
                    written(batch_rows, count, None)
            counters = story.counters
    finally:
        if stage_dir:
            shutil.rmtree(stage_dir, ignore_errors=True)
    _counters_save(counters)
    writer.finish()
    generator_cpu = 0.0
    if jobs > 1:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        generator_cpu = usage.ru_utime + usage.ru_stime
    return Result(cases=rows["case"], seconds=time.perf_counter() - started, rows=rows,
                  write_seconds=writing,
                  write_tables={k: round(v, 1) for k, v in writer.table_seconds.items() if v},
                  generator_cpu=generator_cpu)


# --- the command --------------------------------------------------------------------------


def progress_bar(done: int, total: int, started: list[float] = [],  # noqa: B006
                 label: str = "cases") -> None:
    if not started:
        started.append(time.perf_counter())
    elapsed = time.perf_counter() - started[0]
    width = 30
    filled = int(width * done / max(total, 1))
    rate = done / elapsed if elapsed > 0 else 0.0
    left = (total - done) / rate if rate else 0.0
    print(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done:>9}/{total} "
          f"{rate:8.0f}/s  {left:5.0f} s left", end="", flush=True)
    if done >= total:
        print()


def _db_bytes() -> int:
    from django.db import connection

    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        return sum(p.stat().st_size for p in (name, Path(f"{name}-wal")) if p.exists())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--days", type=int, default=DAYS)
    parser.add_argument("--batch", type=int, default=BATCH)
    parser.add_argument("--jobs", type=int, default=2, choices=(1, 2),
                        help="2: tell the story in a second process while this one writes")
    parser.add_argument("--data-dir", default=os.environ.get("REDRESS_DATA_DIR", ""),
                        help="where the SQLite database goes (ignored with DATABASE_URL)")
    parser.add_argument("--extra-text", default="",
                        help="a CSV file with a `text` column of customers' own words")
    parser.add_argument("--no-insights", action="store_true",
                        help="leave the dashboard's daily sums to `redress insights rebuild`")
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="redress-history-")
    setup_django(data_dir)
    from django.db import connection

    where = (connection.settings_dict["NAME"] if connection.vendor == "sqlite"
             else f"PostgreSQL {connection.settings_dict['NAME']}")
    print(f"Generating {args.cases:,} cases over {args.days} days into {where}", flush=True)
    result = generate(cases=args.cases, seed=args.seed, days=args.days, batch=args.batch,
                      jobs=args.jobs, extra_text=args.extra_text, progress=progress_bar)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    mine = usage.ru_maxrss / 1024
    writer_cpu = usage.ru_utime + usage.ru_stime  # the insights step is not counted
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("rows: " + ", ".join(f"{name} {count:,}" for name, count in result.rows.items()))
    insights_seconds = None
    if not args.no_insights:
        # The dashboard reads daily sums, not the cases: make them, as the demo does.
        from redress.insights.services import rollups_rebuild

        began = time.perf_counter()
        days_started: list[float] = []
        rollups_rebuild(progress=lambda done, total: progress_bar(
            done, total, days_started, label="dashboard days"))
        insights_seconds = round(time.perf_counter() - began, 1)
    print(json.dumps({
        "cases": result.cases,
        "seconds": round(result.seconds, 1),
        "insights_seconds": insights_seconds,
        "cases_per_second": round(result.cases / result.seconds),
        "write_seconds": round(result.write_seconds, 1),
        "write_seconds_by_table": result.write_tables,
        # CPU seconds (user + system) of this process and of the story's, beside the wall
        # time: the machine's two cores are often shared.
        "cpu_seconds_writer": round(writer_cpu, 1),
        "cpu_seconds_generator": round(result.generator_cpu, 1) if args.jobs > 1 else None,
        "db_bytes": _db_bytes(),
        "peak_rss_mb": round(mine),
        "peak_rss_mb_generator": round(children) if args.jobs > 1 else None,
        "database": connection.vendor,
        "rows": result.rows,
    }))


if __name__ == "__main__":
    main()
