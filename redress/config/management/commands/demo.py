"""`redress demo`: load a demo organisation set, its staff and a few hundred cases, once.

Every case is built the way it would have happened: received in the past, then
acknowledged, investigated, remedied, handed over and closed through the same services the
console and the API call, each step at its own moment (`clock.travel_to`), so the timeline,
reference numbers and clocks of the demo are those of real work, not rows written directly.
The data is generated from a fixed seed: every load tells the same stories, dated back from
the moment it runs.
"""

import random
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from redress.accounts.models import Department, Organisation, Role, User
from redress.cases.models import Case, Channel, CloseReason, Priority, Status
from redress.cases.services import (
    CustomerDetails,
    case_add_message,
    case_handover,
    case_record_details,
    case_reopen_for_second_recovery,
    case_transition,
)
from redress.common import clock
from redress.common.money import to_money
from redress.config import demo_content as content
from redress.config.demo_content import Scenario
from redress.followup.demo import demo_load as followup_demo_load
from redress.followup.models import FollowUpStatus, Method
from redress.followup.services import VIA as FOLLOWUP_VIA
from redress.followup.services import (
    followup_schedule,
    followup_send,
    priority_raised,
    survey_answer,
    survey_token,
)
from redress.insights.services import rollups_rebuild
from redress.intake.services import (
    api_case_create,
    public_complaint_submit,
    staff_case_record,
)
from redress.lessons.demo import demo_load as lessons_demo_load
from redress.lessons.demo import demo_root_cause
from redress.notify.models import OutboundEmail, OutboundSms
from redress.notify.services import history_recorded
from redress.playbook.demo_answers import demo_load_answers
from redress.remedies.models import Metric, Remedy, RemedyOption, RemedyStatus, ServiceGuarantee
from redress.remedies.services import (
    approvers_for,
    catalogue_ensure,
    remedy_answer,
    remedy_approve,
    remedy_execute,
    remedy_propose,
)
from redress.triage.demo import demo_load as triage_demo_load
from redress.triage.demo import demo_routing_rules

DEFAULT_CASES = 200
PROGRESS_EVERY = 25
SEED = 2026
HISTORY_DAYS = 60
ZONE = ZoneInfo("Asia/Shanghai")  # the demo organisations' zone (Organisation.time_zone)
# The text-message gateway that only writes to the log (see settings).
LOG_ONLY_SMS = "redress.notify.services.sms_log_backend"
# Share of the cases written in English; the rest are in Chinese.
ENGLISH_SHARE = 0.2

# How the demo's cases end up, with their share of the whole. "closed" is closed after the
# customer was satisfied; the other closed_* endings show a reopened case, a duplicate and
# an invalid complaint.
ENDINGS: tuple[tuple[str, int], ...] = (
    ("new", 18), ("acknowledged", 12), ("investigating", 16), ("remedy_proposed", 12),
    ("remedy_rejected", 7), ("remedy_accepted", 7), ("executing", 10),
    ("waiting_on_customer", 12), ("resolved", 12), ("follow_up", 12), ("closed", 60),
    ("closed_reopened", 8), ("closed_duplicate", 7), ("closed_invalid", 7),
)
# Answers to the follow-up surveys of the demo's closed complaints: mostly put right and
# coming back, some only partly and a few who will not (the 82% / 54% comparison).
SURVEY_ANSWERS: tuple[dict[str, Any], ...] = (
    {"solved": "yes", "satisfaction": 5, "outcome_fair": 5, "process_fair": 5,
     "interaction_fair": 5, "recommend": 10, "would_return": True},
    {"solved": "yes", "satisfaction": 5, "outcome_fair": 4, "process_fair": 4,
     "interaction_fair": 5, "recommend": 9, "would_return": True},
    {"solved": "yes", "satisfaction": 4, "outcome_fair": 4, "process_fair": 3,
     "interaction_fair": 5, "recommend": 8, "would_return": True},
    {"solved": "yes", "satisfaction": 4, "outcome_fair": 4, "process_fair": 4,
     "interaction_fair": 4, "recommend": 7, "would_return": False},
    {"solved": "partly", "satisfaction": 3, "outcome_fair": 3, "process_fair": 3,
     "interaction_fair": 4, "recommend": 6, "would_return": True},
    {"solved": "partly", "satisfaction": 3, "outcome_fair": 2, "process_fair": 3,
     "interaction_fair": 4, "recommend": 5, "would_return": False},
)
NOT_SOLVED: dict[str, Any] = {
    "solved": "no", "satisfaction": 2, "outcome_fair": 2, "process_fair": 2,
    "interaction_fair": 3, "recommend": 3, "would_return": False}
CLOSED_ENDINGS = frozenset({"closed", "closed_reopened", "closed_duplicate", "closed_invalid"})
# Cases that were far enough along for a second complaint about them to be a duplicate.
DUPLICATE_OF = frozenset({"closed", "closed_reopened", "follow_up", "resolved", "executing"})

T = TypeVar("T")


@dataclass
class _Step:
    at: datetime
    run: Callable[[], None]


@dataclass
class _Story:
    """One demo case, planned before anything is written."""

    index: int
    ending: str
    scenario: Scenario
    english: bool
    department: Department
    department_key: str
    round_the_clock: bool
    channel: str
    customer: CustomerDetails
    salutation: str
    slots: dict[str, str]
    description: str
    location: str
    amount_at_stake: Decimal | None
    priority: str
    recorder: User | None
    received_at: datetime
    created_at: datetime
    order_ref: str = ""
    duplicate_of: "_Story | None" = None
    steps: list[_Step] = field(default_factory=list)
    case: Case | None = None

    @property
    def organisation(self) -> str:
        return self.scenario.organisation

    @property
    def last_at(self) -> datetime:
        return self.steps[-1].at

    def current(self) -> Case:
        assert self.case is not None, "a step ran before the case was created"
        return self.case


def _catalogue_code(text: str, amount: Decimal | None) -> str:
    """The catalogue entry a demo story's remedy is recorded under."""
    if amount is None:
        return "put-right"
    for words, code in ((("代金券", "红包", "房券", "voucher", "credit"), "coupon"),
                        (("全额退款", "full refund"), "refund-full"),
                        (("减免", "off"), "discount-amount"),
                        (("维修", "修好", "repair"), "repair")):
        if any(w in text for w in words):
            return code
    return "refund-partial"


def _guarantees_create(organisations: list[Organisation]) -> None:
    """Each organisation's promise to its customers (服务承诺). In force from now: the
    demo's history was made before it, so no old case is paid out when a worker starts."""
    catalogue_ensure()  # a flushed database has lost the catalogue its migration installed
    coupon = RemedyOption.objects.get(code="coupon")
    for organisation in organisations:
        ServiceGuarantee.objects.get_or_create(
            organisation=organisation, metric=Metric.RESOLUTION, within_hours=72,
            defaults={"name_zh": "72小时内解决，否则赠送50元代金券",
                      "name_en": "Resolved within 72 hours, or a ¥50 coupon",
                      "option": coupon, "amount": Decimal(50)},
        )


class Command(BaseCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set here, not as a lazy class attribute: argparse needs a real string.
        self.help = _(
            "Load a demo organisation set (a restaurant chain, a hotel, a property manager), "
            "its staff and realistic cases. Runs once: a second run only prints the log-ins."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases", type=int, default=DEFAULT_CASES,
            help=_("How many demo cases to create (default %(default)s)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wanted: int = options["cases"]
        if wanted < 0:
            raise CommandError(_("The number of cases cannot be negative."))
        if _demo_loaded():
            self._already_loaded()
            return
        started = time.perf_counter()
        emails_before = OutboundEmail.objects.count()
        texts_before = OutboundSms.objects.count()
        # One transaction: a load that fails half-way leaves nothing behind, so the next run
        # starts clean instead of finding half a demo. It is also much faster on SQLite.
        with transaction.atomic():
            if _demo_loaded():  # another process loaded it while we were starting
                self._already_loaded()
                return
            _refuse_foreign_setup()
            self.stdout.write(
                _("Loading the demo: three organisations, %(staff)d staff, %(cases)d cases…")
                % {"staff": len(content.STAFF), "cases": wanted}
            )
            staff = _organisations_and_staff_create()
            demo_routing_rules(list(Organisation.objects.all()))
            # Every complaint is read on intake: have the model ready before the first.
            self.stdout.write(_("Preparing triage…"))
            triage_demo_load()
            stories = _Planner(staff=staff, rng=random.Random(SEED)).plan(wanted)
            # The demo's messages went out when its cases happened: keep them as sent then,
            # rather than delivering two months of apologies when the worker starts.
            with history_recorded():
                self._play(stories)
                organisations = list(Organisation.objects.all())
                demo_load_answers(organisations=organisations, now=clock.now())
                lessons_demo_load(organisations=organisations, now=clock.now())
                followup_demo_load(organisations=organisations, now=clock.now())
                _guarantees_create(organisations)
        # The dashboard reads daily sums: make them now rather than when the worker gets
        # to the days the load marked.
        self.stdout.write(_("Summing the figures for the dashboard…"))
        rollups_rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(_("Demo loaded in %(seconds).1f s.") % {"seconds": seconds})
        self._summary(
            emails=OutboundEmail.objects.count() - emails_before,
            texts=OutboundSms.objects.count() - texts_before,
        )
        self._logins()

    def _play(self, stories: list[_Story]) -> None:
        """Run every story's steps in the order they happened, across all cases, so that
        references are handed out in order of receipt, as they would have been."""
        ordered = sorted(
            ((step.at, story.index, n, step, story)
             for story in stories for n, step in enumerate(story.steps)),
            key=lambda item: (item[0], item[1], item[2]),
        )
        done = 0
        for _at, _index, n, step, story in ordered:
            with clock.travel_to(step.at):
                step.run()
            if n == len(story.steps) - 1:
                done += 1
                if done % PROGRESS_EVERY == 0 or done == len(stories):
                    self.stdout.write(
                        "  " + _("%(done)d of %(total)d cases")
                        % {"done": done, "total": len(stories)}
                    )

    def _already_loaded(self) -> None:
        self.stdout.write(_("The demo is already loaded; nothing was changed."))
        self._logins()

    def _summary(self, *, emails: int, texts: int) -> None:
        counts = Counter(Case.objects.values_list("status", flat=True))
        self.stdout.write(_("Cases by status:"))
        for status in Status:
            self.stdout.write(f"  {_pad(str(status.label), 24)}{counts.get(status.value, 0)}")
        self.stdout.write(
            _("Messages to demo customers in their history: %(emails)d e-mails and %(texts)d "
              "text messages, kept as sent at the time; none is delivered now.")
            % {"emails": emails, "texts": texts}
        )

    def _logins(self) -> None:
        base = settings.REDRESS_PUBLIC_URL.rstrip("/")
        users = {
            u.username: u for u in User.objects.filter(
                username__in=[s.username for s in content.STAFF]
            ).select_related("department__organisation")
        }
        self.stdout.write("")
        self.stdout.write(_("DEMO ONLY: these accounts share a published password. Never use "
                            "them on a system that holds real complaints."))
        self.stdout.write(_("Password for every account: %(password)s")
                          % {"password": content.DEMO_PASSWORD})
        self.stdout.write(
            "  " + _pad(_("user name"), 14) + _pad(_("name"), 12) + _pad(_("role"), 18)
            + _("department")
        )
        for spec in content.STAFF:
            user = users.get(spec.username)
            if user is None:
                continue
            where = str(user.department) if user.department else _("all departments")
            self.stdout.write(
                "  " + _pad(user.username, 14) + _pad(user.display_name, 12)
                + _pad(str(user.get_role_display()), 18) + where
            )
        self.stdout.write(_("Agent console: %(url)s") % {"url": f"{base}/console/"})
        self.stdout.write(_("Complaint form: %(url)s") % {"url": f"{base}/complain/"})
        self.stdout.write(_("Administration: %(url)s") % {"url": f"{base}/admin/"})


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal, where a Chinese character takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - columns)


def _demo_loaded() -> bool:
    return Organisation.objects.filter(name=content.ORGANISATIONS[0].name).exists()


def _refuse_foreign_setup() -> None:
    """The demo goes into an empty database only: it would clash with staff or a default
    intake department someone already set up, and must never mix with real complaints."""
    if settings.REDRESS_SMS_BACKEND != LOG_ONLY_SMS:
        # Demo customers' mobile numbers are made up, but a made-up number may well be
        # someone's real one: never let a real gateway text them.
        raise CommandError(
            _("Cannot load the demo: a text-message gateway is configured "
              "(REDRESS_SMS_BACKEND), and the demo's made-up mobile numbers may belong to "
              "real people. Load the demo where text messages only go to the log.")
        )
    usernames = [s.username for s in (*content.STAFF, content.INTEGRATION)]
    taken = list(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if Department.objects.filter(is_default_intake=True).exists():
        taken.append(_("a default intake department"))
    if Case.objects.exists():
        taken.append(_("cases"))
    if taken:
        raise CommandError(
            _("Cannot load the demo: this database already has %(what)s. Load the demo into "
              "an empty database.") % {"what": ", ".join(taken)}
        )


def _organisations_and_staff_create() -> dict[str, User]:
    departments: dict[tuple[str, str], Department] = {}
    for org_spec in content.ORGANISATIONS:
        organisation = Organisation.objects.create(
            name=org_spec.name, industry=org_spec.industry, time_zone=str(ZONE)
        )
        for dept_spec in org_spec.departments:
            departments[(org_spec.key, dept_spec.key)] = Department.objects.create(
                organisation=organisation, name=dept_spec.name,
                is_default_intake=dept_spec.default_intake,
            )
    # One hash for every demo account: hashing is deliberately slow (about a third of a
    # second each), the password is printed on the console anyway, and a per-user salt
    # protects nothing here.
    password = make_password(content.DEMO_PASSWORD)
    staff: dict[str, User] = {}
    # No e-mail addresses: many demo cases are overdue by design, and staff are told so in
    # the console's bell; an e-mail copy of each notice would only flood the server log.
    for spec in content.STAFF:
        staff[spec.username] = User.objects.create(
            username=spec.username, password=password, first_name=spec.name, role=spec.role,
            department=departments.get((spec.organisation, spec.department)),
            is_staff=spec.role == Role.ADMIN, is_superuser=spec.role == Role.ADMIN,
        )
    integration = content.INTEGRATION
    staff[integration.username] = User.objects.create(
        username=integration.username, password=make_password(None),
        first_name=integration.name, role=integration.role,
    )
    return staff


class _Planner:
    """Turns the seed into stories: who complained about what, how, and every step taken
    afterwards, each with its moment. Nothing is written until the steps are played."""

    def __init__(self, *, staff: dict[str, User], rng: random.Random) -> None:
        self.rng = rng
        self.now = clock.now()
        self.english_name = {s.username: s.name_en for s in content.STAFF}
        self.departments: dict[tuple[str, str], Department] = {}
        self.department_specs: dict[tuple[str, str], content.DepartmentSpec] = {}
        for org_spec in content.ORGANISATIONS:
            for dept_spec in org_spec.departments:
                key = (org_spec.key, dept_spec.key)
                self.department_specs[key] = dept_spec
                self.departments[key] = Department.objects.get(
                    organisation__name=org_spec.name, name=dept_spec.name
                )
        self.members: dict[int, list[User]] = {}
        for user in staff.values():
            if user.department_id is not None:
                self.members.setdefault(user.department_id, []).append(user)
        self.quality = staff["quality1"]
        self.integration = staff[content.INTEGRATION.username]
        self.api_customers: dict[str, tuple[CustomerDetails, str]] = {}

    # --- choosing -------------------------------------------------------------------

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def minutes(self, low: int, high: int) -> timedelta:
        return timedelta(minutes=self.rng.randint(low, high))

    def text(self, pools: tuple[tuple[str, ...], tuple[str, ...]], story: _Story,
             **slots: str) -> str:
        template = self.pick(pools[1] if story.english else pools[0])
        return template.format(**{**story.slots, **slots})

    # --- the plan -------------------------------------------------------------------

    def plan(self, wanted: int) -> list[_Story]:
        endings = self._endings(wanted)
        stories: list[_Story] = []
        duplicates: list[int] = []
        for index, ending in enumerate(endings):
            if ending == "closed_duplicate":
                duplicates.append(index)
                continue
            story = self._story(index, ending)
            self._plan_steps(story)
            self._place(story)
            stories.append(story)
        for index in duplicates:
            # Someone who left a name: an unsigned comment-book entry is nobody to call back.
            originals = [
                s for s in stories if s.ending in DUPLICATE_OF and s.customer.name
                and s.created_at < self.now - timedelta(days=2)
            ]
            if originals:
                stories.append(self._duplicate(index, self.pick(originals)))
            else:  # too few cases asked for to have anything to duplicate
                story = self._story(index, "closed_invalid")
                self._plan_steps(story)
                self._place(story)
                stories.append(story)
        for story in stories:
            story.order_ref = self._order_ref(story)
        for story in stories:
            if story.duplicate_of is not None:
                story.order_ref = story.duplicate_of.order_ref
        return stories

    def _endings(self, wanted: int) -> list[str]:
        """`wanted` endings in the shares of ENDINGS, each one at least once when there is
        room, so even a small demo shows every state."""
        names = [name for name, _weight in ENDINGS]
        counts = dict.fromkeys(names, 0)
        for name in names[:wanted]:
            counts[name] += 1
        rest = wanted - sum(counts.values())
        if rest > 0:
            total = sum(weight for _name, weight in ENDINGS)
            shares = {name: rest * weight / total for name, weight in ENDINGS}
            for name in names:
                counts[name] += int(shares[name])
            leftover = rest - sum(int(s) for s in shares.values())
            by_remainder = sorted(names, key=lambda n: shares[n] - int(shares[n]), reverse=True)
            for name in by_remainder[:leftover]:
                counts[name] += 1
        endings = [name for name in names for _i in range(counts[name])]
        self.rng.shuffle(endings)
        return endings

    def _scenario(self, ending: str, english: bool) -> Scenario:
        invalid = ending == "closed_invalid"
        # Nobody rejects the answer to a suggestion or reopens it.
        complaints_only = ending in ("remedy_rejected", "closed_reopened")
        candidates = [
            s for s in content.SCENARIOS
            if (s.kind == "invalid") == invalid and (s.en if english else s.zh)
            and not (complaints_only and s.kind != "complaint")
        ]
        weights = [s.weight for s in candidates]
        return self.rng.choices(candidates, weights=weights)[0]

    def _story(self, index: int, ending: str) -> _Story:
        english = self.chance(ENGLISH_SHARE)
        scenario = self._scenario(ending, english)
        department_key = self.pick(scenario.departments)
        spec = self.department_specs[(scenario.organisation, department_key)]
        department = self.departments[(scenario.organisation, department_key)]
        channels = scenario.channels or spec.channels
        if english:
            # Visitors write, call or walk in; they do not leave letters or comment books.
            channels = tuple(
                c for c in channels if c not in (Channel.LETTER, Channel.COMMENT_BOOK)
            ) or channels
        channel = self.pick(channels)
        slots = self._slots(scenario.organisation, department_key, channel)
        customer, salutation = self._customer(english, channel)
        amount = self._amount(scenario)
        if amount is not None:
            slots["extra"] = str(amount)
        story = _Story(
            index=index, ending=ending, scenario=scenario, english=english,
            department=department, department_key=department_key,
            round_the_clock=spec.round_the_clock, channel=channel, customer=customer,
            salutation=salutation, slots=slots, description="",
            location=self._location(scenario, slots), amount_at_stake=amount,
            priority=Priority.P3, recorder=None,
            received_at=self.now, created_at=self.now,
        )
        story.description, story.priority = self._description(story)
        if channel not in (Channel.WEB, Channel.API):
            story.recorder = self._colleague(department, supervisors=0.2)
        if channel == Channel.API:
            story.customer, story.salutation = self._api_customer(story)
        return story

    def _slots(self, organisation: str, department_key: str, channel: str) -> dict[str, str]:
        rng = self.rng
        branch = content.BRANCH_OF_DEPARTMENT.get(department_key)
        branch_pair = next(
            (b for b in content.BRANCHES if b[0] == branch), None
        ) or self.pick(content.BRANCHES)
        dish, dish2 = rng.sample(content.DISHES, 2)
        meal = self.pick(content.MEALS)
        on_the_day = channel in (Channel.WALK_IN, Channel.COMMENT_BOOK)
        day = content.DAYS[1] if on_the_day else self.pick(content.DAYS)
        room_type = self.pick(content.ROOM_TYPES)
        community = self.pick(content.COMMUNITIES)
        building, unit = rng.randint(1, 18), rng.randint(1, 4)
        flat = f"{rng.randint(2, 32)}{rng.randint(1, 4):02d}"
        area_real = rng.randint(68, 145)
        return {
            "branch": branch_pair[0], "branch_en": branch_pair[1],
            "dish": dish[0], "dish_en": dish[1], "dish2": dish2[0], "dish2_en": dish2[1],
            "meal": meal[0], "meal_en": meal[1], "day": day[0], "day_en": day[1],
            "people": str(rng.randint(2, 8)), "minutes": str(rng.randint(45, 110)),
            "room": f"{rng.randint(3, 21)}{rng.randint(1, 30):02d}",
            "room_type": room_type[0], "room_type_en": room_type[1],
            "nights": str(rng.randint(1, 4)),
            "community": community[0], "community_en": community[1],
            "building": str(building),
            "home": f"{building}栋{unit}单元{flat}",
            "home_en": f"Flat {flat}, Entrance {unit}, Building {building}",
            "spot": f"B{rng.randint(1, 2)}-{rng.randint(1, 380):03d}",
            "area_real": str(area_real), "area": str(area_real + rng.randint(3, 12)),
            "days": str(rng.randint(3, 9)), "code": str(rng.randint(10_000_000, 99_999_999)),
            "extra": str(rng.randint(30, 200)),
        }

    def _location(self, scenario: Scenario, slots: dict[str, str]) -> str:
        if scenario.kind == "invalid":
            return ""
        if scenario.organisation == content.RESTAURANT:
            return slots["branch"]
        if scenario.organisation == content.HOTEL:
            if scenario.key in ("lost_luggage", "deposit_not_refunded", "overbooked",
                                "inquiry_invoice"):
                return "悦来酒店 前台"
            return f"悦来酒店 {slots['room']}房"
        return f"{slots['community']}{slots['home']}"

    def _amount(self, scenario: Scenario) -> Decimal | None:
        if scenario.stake is None:
            return None
        low, high = scenario.stake
        cents = self.pick(("00", "00", "00", "50", "80", "60"))
        return to_money(f"{self.rng.randint(low, high)}.{cents}")

    def _customer(self, english: bool, channel: str) -> tuple[CustomerDetails, str]:
        rng = self.rng
        phone = self.pick(content.MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
        if english:
            female = self.chance(0.5)
            first = self.pick(content.EN_FIRST_FEMALE if female else content.EN_FIRST_MALE)
            last = self.pick(content.EN_SURNAMES)
            email = f"{first}.{last}{rng.randint(1, 99)}@example.com".lower()
            has_email = self.chance(0.6) or channel == Channel.EMAIL
            return CustomerDetails(
                name=f"{first} {last}",
                phone=phone if not has_email or self.chance(0.4) else "",
                email=email if has_email else "",
            ), f"{'Ms' if female else 'Mr'} {last}"
        if channel == Channel.COMMENT_BOOK and self.chance(0.4):
            # Comment-book entries are often left unsigned.
            return CustomerDetails(), "顾客"
        female = self.chance(0.55)
        surname = self.pick(content.SURNAMES)
        given = self.pick(content.GIVEN_FEMALE if female else content.GIVEN_MALE)
        salutation = surname[0] + ("女士" if female else "先生")
        # On the phone people give a surname; in writing, a full name.
        on_phone = channel == Channel.PHONE and self.chance(0.6)
        name = salutation if on_phone else surname[0] + given[0]
        has_email = channel == Channel.EMAIL or self.chance(0.06)
        email = f"{given[1]}{surname[1]}{rng.randint(1, 999)}@example.com" if has_email else ""
        has_phone = not has_email or self.chance(0.6) or channel == Channel.WEB
        return CustomerDetails(name=name, phone=phone if has_phone else "", email=email), \
            salutation

    def _api_customer(self, story: _Story) -> tuple[CustomerDetails, str]:
        """Takeaway platform customers arrive with the platform's own id; a few complain
        more than once, and the same id is the same customer."""
        language = "en" if story.english else "zh"
        known = [key for key in self.api_customers if key.startswith(language)]
        if known and self.chance(0.3):
            return self.api_customers[self.pick(known)]
        external_id = f"TK-U{self.rng.randint(10_000_000, 99_999_999)}"
        details = story.customer
        found = (
            CustomerDetails(name=details.name, phone=details.phone, email=details.email,
                            external_id=external_id),
            story.salutation,
        )
        self.api_customers[f"{language}:{external_id}"] = found
        return found

    def _description(self, story: _Story) -> tuple[str, str]:
        """The customer's words, and the priority a duty manager would give them."""
        scenario = story.scenario
        english = story.english
        language = 1 if english else 0
        core = self.pick(scenario.en if english else scenario.zh).format(**story.slots)
        if scenario.kind != "complaint":
            priority = Priority.P3 if scenario.kind == "invalid" else Priority.P4
            return core, priority
        emotions = list(content.EMOTION_WEIGHTS)
        emotion = self.rng.choices(
            emotions, weights=[content.EMOTION_WEIGHTS[e] for e in emotions]
        )[0]
        if scenario.safety and emotion == "humorous":
            emotion = "anxious"
        parts = [core, self.pick(content.EMOTIONS[emotion][language])]
        wants = self.rng.sample(scenario.wants, k=min(len(scenario.wants), self.rng.randint(1, 2)))
        parts += [self.pick(content.WANTS[w][language]) for w in wants]
        risk = ""
        if self.chance(0.25):
            risk = self.pick(("legal_media", "churn", "churn", "repeat"))
            parts.append(self.pick(content.RISKS[risk][scenario.organisation][language]))
        text = (" " if english else "").join(p for p in parts if p)
        if scenario.safety or risk == "legal_media":
            priority = Priority.P1
        elif emotion in ("angry", "aggrieved") or risk in ("churn", "repeat"):
            priority = Priority.P2
        else:
            priority = Priority.P3
        return text, priority

    def _colleague(self, department: Department, *, supervisors: float) -> User:
        members = self.members[department.pk]
        agents = [u for u in members if u.role == Role.AGENT]
        bosses = [u for u in members if u.role == Role.SUPERVISOR]
        if bosses and (not agents or self.chance(supervisors)):
            return self.pick(bosses)
        # agent1 answers most of the default intake's cases, so the demo log-in has a queue.
        weights = [3 if u.username == "agent1" else 1 for u in agents]
        return self.rng.choices(agents, weights=weights)[0]

    def _order_ref(self, story: _Story) -> str:
        kind = story.scenario.order
        if not kind or story.scenario.kind == "invalid" or self.chance(0.3):
            return ""
        return content.order_reference(kind, story.received_at.astimezone(ZONE).date(),
                                       self.rng)

    # --- time -------------------------------------------------------------------------

    def _received(self, story: _Story) -> datetime:
        """A provisional moment of receipt, about HISTORY_DAYS + 15 days ago at an hour
        typical for the business; `_place` moves the whole story by whole days later."""
        organisation = story.organisation
        if organisation == content.RESTAURANT:
            hour = self.pick((11, 12, 12, 13, 13, 14, 17, 18, 19, 19, 20, 20, 21, 22))
        elif organisation == content.HOTEL:
            hour = self.pick((0, 1, 7, 8, 9, 10, 14, 16, 18, 20, 21, 22, 22, 23, 23))
        else:
            hour = self.pick((7, 8, 9, 10, 11, 14, 15, 16, 17, 19, 20, 21))
        if story.channel == Channel.LETTER:
            hour = self.pick((9, 10, 11))
        day = (self.now.astimezone(ZONE) - timedelta(days=HISTORY_DAYS + 15)).date()
        return _local(day, hour, self.rng.randint(0, 59))

    def _recorded(self, story: _Story) -> datetime:
        """When the complaint was typed in: at once for the web and the API, minutes after a
        call or a visit, later for e-mail, letters and comment-book entries."""
        received = story.received_at
        channel = story.channel
        if channel in (Channel.WEB, Channel.API):
            return received
        if channel == Channel.PHONE:
            return received + self.minutes(2, 12)
        if channel == Channel.WALK_IN:
            return received + self.minutes(5, 30)
        if channel == Channel.COMMENT_BOOK:
            # Read when the shift closes the book, typed in the next morning.
            return self._working(story, received + self.minutes(600, 900))
        if channel == Channel.LETTER:
            return self._working(story, received + self.minutes(60, 300))
        return self._working(story, received + self.minutes(5, 180))

    def _working(self, story: _Story, moment: datetime, *, urgent: bool = False) -> datetime:
        """Staff act in working hours, except the hotel's round-the-clock desks and urgent
        safety cases."""
        if story.round_the_clock or urgent:
            return moment
        local = moment.astimezone(ZONE)
        if 8 <= local.hour < 21:
            return moment
        day = local.date() if local.hour < 8 else local.date() + timedelta(days=1)
        return _local(day, 8, self.rng.randint(0, 75))

    def _place(self, story: _Story) -> None:
        """Move a planned story by whole days (so its hours of day stay true) to where its
        ending belongs: open cases recently, closed ones anywhere in the last two months,
        new ones within the last day or so."""
        now = self.now
        span = story.last_at - story.received_at
        last = story.last_at
        ending = story.ending
        if ending == "new" and self.chance(0.15):  # a few left unanswered for days
            low, high = now - timedelta(days=4), now - timedelta(days=2)
        elif ending == "new":
            low, high = now - timedelta(hours=20), now - timedelta(minutes=15)
        elif ending in CLOSED_ENDINGS:
            low, high = now - timedelta(days=HISTORY_DAYS) + span, now - timedelta(hours=2)
        elif ending in ("resolved", "follow_up"):
            low, high = now - timedelta(days=5), now - timedelta(hours=1)
        elif self.chance(0.2):  # an open case that has been dragging on
            low, high = now - timedelta(days=12), now - timedelta(days=4)
        else:
            low, high = now - timedelta(days=4), now - timedelta(minutes=15)
        target = low + (high - low) * self.rng.random() if high > low else high
        days = round((target - last) / timedelta(days=1))
        if last + timedelta(days=days) > now - timedelta(minutes=10):
            days -= 1
        shift = timedelta(days=days)
        story.received_at += shift
        story.created_at += shift
        for step in story.steps:
            step.at += shift

    # --- steps ------------------------------------------------------------------------

    def _create_step(self, story: _Story) -> None:
        def run() -> None:
            if story.channel == Channel.WEB:
                story.case = public_complaint_submit(
                    description=story.description, name=story.customer.name or "匿名",
                    phone=story.customer.phone, email=story.customer.email,
                    location=story.location, order_ref=story.order_ref,
                )
            elif story.channel == Channel.API:
                # The takeaway platform posts complaints with its own customer id, keyed by
                # its order so a retry is not a second case.
                customer = story.customer
                receipt, _created = api_case_create(
                    user=self.integration,
                    payload={
                        "channel": Channel.API, "description": story.description,
                        "customer": {"name": customer.name, "phone": customer.phone,
                                     "email": customer.email,
                                     "external_id": customer.external_id},
                        "received_at": story.received_at, "location": story.location,
                        "order_ref": story.order_ref,
                        "amount_at_stake": story.amount_at_stake, "priority": story.priority,
                    },
                    idempotency_key=f"complaint-{story.order_ref or story.index}",
                )
                story.case = Case.objects.get(reference=receipt["reference"])
            else:
                assert story.recorder is not None
                story.case = staff_case_record(
                    user=story.recorder, channel=story.channel, description=story.description,
                    customer=story.customer, received_at=story.received_at,
                    location=story.location, order_ref=story.order_ref,
                    amount_at_stake=story.amount_at_stake, priority=story.priority,
                )

        story.steps.append(_Step(story.created_at, run))

    def _plan_steps(self, story: _Story) -> None:
        story.received_at = self._received(story)
        story.created_at = self._recorded(story)
        self._create_step(story)
        if story.ending == "new":
            return
        if story.ending == "closed_invalid":
            _Path(self, story).close_invalid()
            return
        _Path(self, story).recover()

    def _duplicate(self, index: int, original: _Story) -> _Story:
        """The same customer complaining again through another channel before hearing
        back; closed as a duplicate of the first case."""
        spec = self.department_specs[(original.organisation, original.department_key)]
        channels = [
            c for c in (original.scenario.channels or spec.channels)
            if c != original.channel and c not in (Channel.WEB, Channel.API)
        ] or [Channel.PHONE]
        channel = self.pick(channels)
        scenario = original.scenario
        core = self.pick(scenario.en if original.english else scenario.zh).format(
            **original.slots
        )
        prefix = self.pick(content.DUPLICATE_PREFIXES[1 if original.english else 0])
        story = _Story(
            index=index, ending="closed_duplicate", scenario=scenario,
            english=original.english, department=original.department,
            department_key=original.department_key, round_the_clock=original.round_the_clock,
            channel=channel, customer=CustomerDetails(
                name=original.customer.name, phone=original.customer.phone,
                email=original.customer.email,
            ),
            salutation=original.salutation, slots=original.slots,
            description=prefix + core, location=original.location,
            amount_at_stake=original.amount_at_stake, priority=original.priority,
            recorder=self._colleague(original.department, supervisors=0.2),
            received_at=original.created_at + self.minutes(120, 1800),
            created_at=original.created_at, duplicate_of=original,
        )
        story.created_at = self._recorded(story)
        self._create_step(story)
        _Path(self, story).close_duplicate(original)
        if story.last_at > self.now - timedelta(minutes=10):
            shift = story.last_at - (self.now - timedelta(minutes=10))
            story.received_at -= shift
            story.created_at -= shift
            for step in story.steps:
                step.at -= shift
        return story


def _yuan(amount: Decimal) -> str:
    """How staff write an amount in a message: 60, not 60.00; 68.90 stays as it is."""
    return str(int(amount)) if amount == amount.to_integral_value() else str(amount)


def _local(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=ZONE) + timedelta(
        minutes=minute
    )


class _Path:
    """The steps of one case after it was received: who answers, what they write and
    when, following the lifecycle of DESIGN.md."""

    def __init__(self, planner: _Planner, story: _Story) -> None:
        self.p = planner
        self.story = story
        self.at = story.created_at
        self.owner: User = (
            story.recorder if story.recorder is not None
            else planner._colleague(story.department, supervisors=0.1)
        )
        self.complaint = story.scenario.kind == "complaint"
        self.amount: Decimal | None = None
        self.remedy_text = ""

    # --- helpers ----------------------------------------------------------------------

    def later(self, low: int, high: int, *, urgent: bool = False) -> datetime:
        self.at = self.p._working(self.story, self.at + self.p.minutes(low, high), urgent=urgent)
        return self.at

    def say(self, pools: tuple[tuple[str, ...], tuple[str, ...]], **slots: str) -> str:
        agent = self.owner.display_name
        if self.story.english:
            agent = self.p.english_name.get(self.owner.username, agent)
        return self.p.text(
            pools, self.story, salutation=self.story.salutation, agent=agent,
            issue=self.story.scenario.issue_en if self.story.english
            else self.story.scenario.issue_zh,
            remedy=self.remedy_text,
            wait=self.story.scenario.wait_en if self.story.english
            else self.story.scenario.wait_zh,
            **slots,
        )

    def pick_detail(self, zh: tuple[str, ...], en: tuple[str, ...]) -> str:
        return self.p.pick(en if self.story.english else zh).format(**self.story.slots)

    def add(self, run: Callable[[], None]) -> None:
        self.story.steps.append(_Step(self.at, run))

    def transition(self, to: str, **fields: Any) -> None:
        story, actor = self.story, self.owner

        def run() -> None:
            story.case = case_transition(case=story.current(), actor=actor, to=to, **fields)

        self.add(run)

    def note(self, body: str, *, actor: User | None = None, to_customer: bool = False) -> None:
        story, author = self.story, actor or self.owner

        def run() -> None:
            case_add_message(case=story.current(), actor=author, body=body,
                             to_customer=to_customer)

        self.add(run)

    # --- the lifecycle ------------------------------------------------------------------

    def recover(self) -> None:
        """From acknowledgement to wherever this story's ending stops it."""
        ending, p = self.story.ending, self.p
        self.acknowledge()
        if p.chance(0.75):
            self.needs()
        if ending == "acknowledged":
            return
        if p.chance(0.12):
            self.handover()
        if ending == "waiting_on_customer" and p.chance(0.25):
            self.wait()
            return
        self.investigate()
        if self.complaint and p.chance(0.35):
            self.later(20, 600)
            self.note(p.pick(content.INTERNAL_NOTES))
        if ending != "waiting_on_customer" and p.chance(0.12):
            self.wait()
            self.back()
        if ending == "investigating":
            if p.chance(0.3):
                self.later(600, 1500)
                self.note(self.say(content.PROGRESS), to_customer=True)
            return
        if ending == "waiting_on_customer" and p.chance(0.4):
            self.wait()
            return
        self.propose()
        if ending == "remedy_proposed":
            return
        if ending == "remedy_rejected":
            self.reject()
            return
        if ending == "waiting_on_customer" and p.chance(0.5):
            self.wait()
            return
        if self.complaint and p.chance(0.12):
            self.reject()
            self.reconsider()
        self.accept()
        if ending == "remedy_accepted":
            return
        self.execute()
        if ending == "executing":
            return
        if ending == "waiting_on_customer":
            self.wait()
            return
        self.resolve()
        if ending == "resolved":
            return
        if ending == "follow_up":
            self.follow_up()
            return
        if ending == "closed_reopened" and self.complaint:
            # The customer says it is not solved: the survey reopens the case for a second
            # recovery (round 2, priority raised), which is then surveyed again.
            self.survey(NOT_SOLVED)
            self.later(2880, 3000)
            self.note(self.p.pick(content.REOPEN_NOTES))
        elif ending == "closed_reopened":
            self.follow_up()
            self.reopen()
        if ending == "closed_reopened":
            self.propose(better=True)
            self.accept()
            self.execute()
            self.resolve()
        if self.complaint and (ending == "closed_reopened" or p.chance(0.8)):
            # Followed up by the survey (回访), answered, then closed: the dashboard's
            # satisfaction, outcome and paradox panels read these answers.
            self.survey()
            self.later(2880, 4320)
            self.close()
        elif ending == "closed_reopened" or p.chance(0.7):
            self.follow_up()
            self.close()
        else:
            self.close(after_resolve=True)
        if self.complaint and p.chance(0.3):
            self.quality_note()

    def acknowledge(self) -> None:
        urgent = self.story.priority == Priority.P1
        if urgent:
            self.later(2, 12, urgent=True)
        elif self.p.chance(0.12):
            self.later(120, 600)  # a slow first response: the SLA view should show some
        else:
            self.later(4, 50)
        # Some agents send the standard apology, which the service writes in the customer's
        # language; most write their own.
        if not self.complaint:
            message: str | None = self.say(content.THANK)
        elif self.p.chance(0.35):
            message = None
        else:
            message = self.say(content.ACKNOWLEDGE)
        self.transition(Status.ACKNOWLEDGED, message=message)

    def needs(self) -> None:
        self.later(1, 15)
        story, actor = self.story, self.owner
        needs = self.pick_detail(story.scenario.needs_zh, story.scenario.needs_en)

        def run() -> None:
            story.case = case_record_details(case=story.current(), actor=actor, needs=needs)

        self.add(run)

    def handover(self, *, to_supervisor: bool = False) -> None:
        story = self.story
        colleagues = [u for u in self.p.members[story.department.pk] if u.pk != self.owner.pk]
        if to_supervisor:
            colleagues = [u for u in colleagues if u.role == Role.SUPERVISOR]
        if not colleagues:
            return
        self.later(20, 300)
        to_user = self.p.pick(colleagues)
        actor = self.owner
        reason = self.p.pick(
            content.HANDOVER_TO_SUPERVISOR if to_user.role == Role.SUPERVISOR
            else content.HANDOVER_TO_COLLEAGUE
        )

        def run() -> None:
            story.case = case_handover(
                case=story.current(), actor=actor, to_user=to_user, reason=reason
            )

        self.add(run)
        self.owner = to_user

    def investigate(self) -> None:
        self.later(10, 240, urgent=self.story.priority == Priority.P1)
        pools = content.INVESTIGATE if self.complaint else content.CONSIDER
        self.transition(Status.INVESTIGATING, message=self.say(pools))

    def wait(self) -> None:
        self.later(30, 600)
        self.transition(Status.WAITING_ON_CUSTOMER, message=self.say(content.WAIT))

    def back(self) -> None:
        """The customer sent what was asked for: back to the step it waited at."""
        self.later(240, 2880)
        self.note(self.p.pick(content.WAIT_BACK_NOTES).format(wait=self.story.scenario.wait_zh))
        self.later(5, 60)
        self.transition(Status.INVESTIGATING)

    def _choose_remedy(self, *, better: bool) -> None:
        if better and self.remedy_text:
            # The first offer stands, with a voucher on top.
            previous = self.amount or Decimal(0)
            extra = max(20, int(previous * Decimal("0.3")) // 10 * 10)
            self.amount = to_money(previous + extra)
            sweetener = content.SWEETENER[1 if self.story.english else 0]
            self.remedy_text += sweetener.format(extra=extra)
            return
        remedy = self.p.pick(self.story.scenario.remedies)
        stake = self.story.amount_at_stake
        amount: Decimal | None = None
        if remedy.share is not None:
            amount = to_money((stake or Decimal(60)) * Decimal(remedy.share))
        elif remedy.low is not None and remedy.high is not None:
            # Vouchers and goodwill payments come in round tens.
            amount = Decimal(self.p.rng.randint(remedy.low // 10, remedy.high // 10) * 10)
        self.amount = to_money(amount) if amount is not None else None
        template = remedy.en if self.story.english else remedy.zh
        self.remedy_text = template.format(
            **self.story.slots, amount=_yuan(self.amount) if self.amount is not None else ""
        )

    def propose(self, *, better: bool = False) -> None:
        story = self.story
        self._choose_remedy(better=better)
        self.later(60, 1800, urgent=story.priority == Priority.P1)
        facts = self.pick_detail(story.scenario.facts_zh, story.scenario.facts_en)
        self.details(facts=facts)
        code, amount, note = _catalogue_code(self.remedy_text, self.amount), self.amount, \
            self.remedy_text
        message = self.say(content.PROPOSE if self.complaint else content.OFFER)
        actor = self.owner

        def run() -> None:
            remedy = remedy_propose(case=story.current(), actor=actor, code=code,
                                    amount=amount, note=note, message=message)
            if remedy.status == RemedyStatus.PENDING_APPROVAL:
                # Over the owner's authority: the first colleague whose authority covers it
                # approves, as a supervisor on shift would.
                approver = next(iter(approvers_for(remedy)), None)
                if approver is not None:
                    remedy_approve(remedy=remedy, actor=approver,
                                   reason=_("Within my authority; go ahead."))
            story.case = Case.objects.get(pk=story.current().pk)

        self.add(run)

    def details(self, *, facts: str) -> None:
        story, actor = self.story, self.owner

        def run() -> None:
            story.case = case_record_details(case=story.current(), actor=actor, facts=facts)

        self.add(run)

    def _remedies(self, status: str) -> list[Remedy]:
        return list(Remedy.objects.filter(case=self.story.current(), status=status))

    def answer(self, *, accepted: bool, message: str = "") -> None:
        story, actor = self.story, self.owner

        def run() -> None:
            for remedy in self._remedies(RemedyStatus.PROPOSED):
                remedy_answer(remedy=remedy, actor=actor, accepted=accepted)
            if message:
                case_add_message(case=story.current(), actor=actor, body=message)
            story.case = Case.objects.get(pk=story.current().pk)

        self.add(run)

    def reject(self) -> None:
        self.later(60, 1440)
        self.note(self.p.pick(content.REJECT_NOTES))
        self.later(1, 20)
        self.answer(accepted=False, message=self.say(content.REJECT))

    def reconsider(self) -> None:
        """After a rejection: often the supervisor takes over, then a better offer."""
        if self.p.chance(0.5):
            self.handover(to_supervisor=True)
        self.later(30, 600)
        self.transition(Status.INVESTIGATING)
        self.propose(better=True)

    def accept(self) -> None:
        self.later(20, 1440)
        self.answer(accepted=True, message=self.say(content.ACCEPT))

    def execute(self) -> None:
        self.later(10, 360)
        story, actor, message = self.story, self.owner, self.say(content.EXECUTE)
        reference = f"DM-{self.p.rng.randint(100000, 999999)}"

        def run() -> None:
            for remedy in self._remedies(RemedyStatus.ACCEPTED):
                remedy_execute(remedy=remedy, actor=actor, proof=message, reference=reference)
            story.case = Case.objects.get(pk=story.current().pk)

        self.add(run)

    def resolve(self) -> None:
        story = self.story
        if story.organisation == content.PROPERTY:  # repairs take days, not hours
            self.later(120, 4320)
        else:
            self.later(30, 1440)
        outcome = story.scenario.outcome_en if story.english else story.scenario.outcome_zh
        pools = content.RESOLVE if self.complaint else content.DONE
        self.transition(Status.RESOLVED, message=self.say(pools), outcome=outcome)

    def follow_up(self) -> None:
        self.later(1440, 4320)
        self.transition(Status.FOLLOW_UP, message=self.say(content.FOLLOW_UP))

    def survey(self, answers: dict[str, Any] | None = None) -> None:
        """The follow-up the service schedules at resolution, sent when due and answered
        three hours later (by the customer through the link, or to the owner on the
        phone). Unless told otherwise the answer is solved or partly solved, so the case
        stays closable."""
        story, owner = self.story, self.owner
        answers = dict(answers or self.p.pick(SURVEY_ANSWERS))

        def run() -> None:
            if not answered():
                if answers.get("solved") == "no":
                    # No survey went out (no way to reach the customer at that hour):
                    # the customer rings to say it is not solved, and the owner reopens
                    # the case for its second recovery, as the answer would have.
                    case = story.current()
                    story.case = case_reopen_for_second_recovery(
                        case=case, actor=owner, priority=priority_raised(case.priority),
                        reason="second_recovery", via=FOLLOWUP_VIA,
                    )
                return
            story.case = story.current()

        def answered() -> bool:
            followup = followup_schedule(case_id=story.current().pk)
            if followup is None:
                return False
            with clock.travel_to(followup.scheduled_for):
                followup = followup_send(followup_id=followup.pk)
            if followup.status != FollowUpStatus.SENT:
                return False
            with clock.travel_to(followup.scheduled_for + timedelta(hours=3)):
                if followup.method == Method.CALL:
                    survey_answer(answers=answers, followup=followup, actor=owner)
                else:
                    survey_answer(answers=answers, token=survey_token(followup))
            return True

        self.add(run)

    def reopen(self) -> None:
        self.later(30, 600)
        self.note(self.p.pick(content.REOPEN_NOTES))
        self.later(1, 30)
        self.transition(Status.INVESTIGATING, message=self.say(content.REOPEN))

    def close(self, *, after_resolve: bool = False) -> None:
        if after_resolve:
            self.later(1440, 4320)
        else:
            self.later(60, 2880)
        self.note(self.p.pick(content.CLOSE_NOTES))
        self.later(1, 10)
        story, owner = self.story, self.owner
        # Closing a resolved case needs its root cause (the lessons app's rule).
        self.add(lambda: demo_root_cause(case=story.current(), actor=owner,
                                         lesson=story.scenario.lesson))
        self.transition(Status.CLOSED, close_reason=CloseReason.RESOLVED)

    def quality_note(self) -> None:
        self.later(1440, 7200)
        self.note(self.story.scenario.lesson, actor=self.p.quality)

    def close_invalid(self) -> None:
        story = self.story
        note, message = content.INVALID_REASONS[story.scenario.key]
        self.owner = self.p._colleague(story.department, supervisors=0.3)
        self.later(10, 600)
        self.note(note)
        self.later(1, 10)
        self.transition(Status.CLOSED, close_reason=CloseReason.INVALID,
                        message=message or None)

    def close_duplicate(self, original: _Story) -> None:
        story = self.story
        if self.p.chance(0.3):
            self.acknowledge()
        self.later(30, 300)
        actor = self.owner
        # The original's reference is known only once it is created: fill it in then.
        note_body = self.p.pick(content.DUPLICATE_NOTES)
        message = self.p.pick(content.DUPLICATE[1 if story.english else 0])

        def note() -> None:
            case_add_message(
                case=story.current(), actor=actor, to_customer=False,
                body=note_body.format(original=original.current().reference),
            )

        def close() -> None:
            story.case = case_transition(
                case=story.current(), actor=actor, to=Status.CLOSED,
                close_reason=CloseReason.DUPLICATE,
                message=message.format(original=original.current().reference),
            )

        self.add(note)
        self.later(1, 10)
        self.add(close)
