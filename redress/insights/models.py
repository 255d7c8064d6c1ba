"""Daily rollups: the sums every dashboard panel is read from.

They are a cache of the cases, clocks, remedies, survey answers and root causes, kept per
day of receipt (in the installation's time zone) and per department, location, channel and
scenario, so a panel at a million cases sums a few thousand rows instead of reading every
case. A case's figures belong to the day it was received: when it is answered, resolved or
surveyed later, its day is refreshed (`services.rollup_mark_case`). `redress insights
rebuild` recomputes them all from the source tables.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from redress.cases.models import Emotion
from redress.common import clock

# First responses (minutes) and resolutions (hours) are counted in these bands: the
# distribution chart shows them, and medians are read off them (interpolated within the
# band where the middle case falls).
FIRST_RESPONSE_BANDS_MINUTES = (1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480, 1440)
RESOLUTION_BANDS_HOURS = (1, 2, 4, 8, 12, 24, 48, 72, 120, 168, 336, 720)

PRIORITIES = ("p1", "p2", "p3", "p4")
EMOTIONS = (*[e.value for e in Emotion], "unread")
# How a surveyed case was resolved: within its resolution deadline, after it, or not at all
# in the customer's words (the seeds' 82% / 54% comparison).
SPEEDS = ("quick", "slow", "unresolved")
# Satisfaction after the first recovery and after a second one (the recovery paradox).
ROUNDS = ("r1", "r2")

CASE_COUNTS: tuple[str, ...] = (
    "cases", "complaints",
    *(f"emotion_{e}" for e in EMOTIONS),
    *(f"priority_{p}" for p in PRIORITIES),
    # First response: cases it is due for (answered, or the target has passed), answered,
    # answered within the target; then the answered ones by band.
    "fr_counted", "fr_responded", "fr_in_target", "fr_seconds_sum",
    *(f"fr_b{i:02d}" for i in range(len(FIRST_RESPONSE_BANDS_MINUTES) + 1)),
    # SLA attainment per priority, against each case's own clock.
    *(f"sla_{target}_{kind}_{p}" for p in PRIORITIES for target in ("fr", "res")
      for kind in ("due", "met")),
    # Resolved now, and resolved at least once (a reopened case may be under way again).
    "resolved", "ever_resolved", "res_seconds_sum",
    *(f"res_b{i:02d}" for i in range(len(RESOLUTION_BANDS_HOURS) + 1)),
    "reopened", "second_recovery",
    "surveyed", "csat_sum",
    "outcome_fair_n", "outcome_fair_sum", "process_fair_n", "process_fair_sum",
    "interaction_fair_n", "interaction_fair_sum", "recommend_n", "recommend_sum",
    "promoters", "detractors", "solved_yes", "solved_partly", "solved_no",
    *(f"{s}_{m}" for s in SPEEDS for m in ("n", "csat_sum", "recommend_n", "recommend_sum",
                                           "return_n", "return_yes")),
    *(f"{r}_{m}" for r in ROUNDS for m in ("n", "csat_sum", "return_n", "return_yes")),
    "remedies_n", "compensated",
    # Timeline entries made by staff: with REDRESS_MINUTES_PER_STAFF_ACTION and
    # REDRESS_HANDLING_COST_PER_HOUR they give the handling cost, as on the spend page.
    "staff_actions",
)
CASE_MONEY = ("compensation", "remedy_cost")

PERSON_COUNTS = ("cases", "fr_counted", "fr_in_target", "resolved", "ever_resolved",
                 "res_seconds_sum",
                 "reopened", "surveyed", "csat_sum", "remedies_n", "approvals_n")
PERSON_MONEY = ("compensation",)


def _money() -> models.DecimalField:
    return models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0.00"))


class CaseRollup(models.Model):
    """The sums for cases received on one day (or in one month) in one department, at one
    site, through one channel, in one scenario.

    `location` is the site (`services.site_of`): the case's location up to its first
    number, so "悦来酒店 912房" and "悦来酒店 1030房" are both 悦来酒店 and a hotel's
    rooms or an estate's flats do not each get a row."""

    day = models.DateField()
    department_id = models.IntegerField(null=True)
    location = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=20)
    scenario = models.CharField(max_length=16, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} · {self.channel} · {self.location or '-'}"


for _name in CASE_COUNTS:
    models.BigIntegerField(default=0).contribute_to_class(CaseRollup, _name)
for _name in CASE_MONEY:
    _money().contribute_to_class(CaseRollup, _name)


class DailyRollup(CaseRollup):
    class Meta:
        verbose_name = _("daily case figures")
        verbose_name_plural = _("daily case figures")
        indexes = [models.Index(fields=["day", "department_id"])]


class MonthlyRollup(CaseRollup):
    """The same sums per calendar month (`day` is the month's first day): a year's panel
    reads twelve months' rows instead of 365 days'."""

    class Meta:
        verbose_name = _("monthly case figures")
        verbose_name_plural = _("monthly case figures")
        indexes = [models.Index(fields=["day", "department_id"])]


class PersonDaily(models.Model):
    """One owner's cases received on one day, for the people view."""

    day = models.DateField()
    owner_id = models.IntegerField()
    department_id = models.IntegerField(null=True)

    class Meta:
        verbose_name = _("daily figures per person")
        verbose_name_plural = _("daily figures per person")
        indexes = [models.Index(fields=["day", "owner_id"])]

    def __str__(self) -> str:
        return f"{self.day} · {self.owner_id}"


for _name in PERSON_COUNTS:
    models.BigIntegerField(default=0).contribute_to_class(PersonDaily, _name)
for _name in PERSON_MONEY:
    _money().contribute_to_class(PersonDaily, _name)


class CauseRollup(models.Model):
    """Root causes recorded for cases received on one day (or month): the Pareto chart's
    counts."""

    day = models.DateField()
    department_id = models.IntegerField(null=True)
    location = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=20)
    scenario = models.CharField(max_length=16, blank=True)
    category = models.CharField(max_length=16)
    responsible_id = models.IntegerField(null=True)  # the department found responsible
    cases = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} · {self.category}"


class CauseDaily(CauseRollup):
    class Meta:
        verbose_name = _("daily root causes")
        verbose_name_plural = _("daily root causes")
        indexes = [models.Index(fields=["day", "department_id"])]


class CauseMonthly(CauseRollup):
    class Meta:
        verbose_name = _("monthly root causes")
        verbose_name_plural = _("monthly root causes")
        indexes = [models.Index(fields=["day", "department_id"])]


class FeedbackDaily(models.Model):
    """General survey answers, on one day, from customers who never complained: the
    baseline the recovery paradox compares recovered customers with."""

    day = models.DateField(primary_key=True)
    answers = models.BigIntegerField(default=0)
    csat_n = models.BigIntegerField(default=0)
    csat_sum = models.BigIntegerField(default=0)
    nps_n = models.BigIntegerField(default=0)
    nps_sum = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("daily general feedback")
        verbose_name_plural = _("daily general feedback")

    def __str__(self) -> str:
        return str(self.day)


class StaleDay(models.Model):
    """A day whose rollups are out of date: a case received that day changed. A task
    refreshes it; the row's existence means that task is queued."""

    day = models.DateField(primary_key=True)
    marked_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return str(self.day)


class Assumptions(models.Model):
    """The figures the ROI panel estimates with. One row; the administrator edits it.

    Defaults follow the seeds: one complaint speaks for 25 customers who said nothing
    (seed 000). The handling cost per case comes from the same settings as the spend page
    (REDRESS_MINUTES_PER_STAFF_ACTION, REDRESS_HANDLING_COST_PER_HOUR)."""

    first_response_target_minutes = models.PositiveIntegerField(
        _("first-response target (minutes)"), default=15)
    lifetime_value = models.DecimalField(
        _("value of a retained customer (yuan)"), max_digits=12, decimal_places=2,
        default=Decimal("3000.00"))
    silent_multiplier = models.PositiveIntegerField(
        _("silent customers per complaint"), default=25)
    silent_source = models.CharField(
        _("source of that multiplier"), max_length=200, blank=True,
        help_text=_("Shown beside the estimate; left empty, the service-recovery guide is named."))
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("insight assumptions")
        verbose_name_plural = _("insight assumptions")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
