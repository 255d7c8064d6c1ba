"""Service-level targets: the calendars time is counted in, the policies that set the
targets, and each case's clocks against them."""

from datetime import time, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from redress.cases.models import Channel, Priority
from redress.sla.calendar import WorkingTime, weekly_hours


class BusinessCalendar(models.Model):
    """When time counts: around the clock, or working hours per weekday in a time zone,
    less mainland China's statutory holidays (plus their make-up working days, 调休) and the
    organisation's own closures."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    around_the_clock = models.BooleanField(
        _("around the clock"), default=False,
        help_text=_("Count every minute of every day; working hours and holidays are ignored."),
    )
    statutory_holidays = models.BooleanField(
        _("mainland China statutory holidays"), default=True,
        help_text=_("Skip public holidays and count make-up working days (调休)."),
    )
    # Goes up with every edit of the calendar, its hours or its closures, so each process
    # knows when its cached copy is out of date.
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def working_time(self) -> WorkingTime:
        """The calendar as plain data for deadline arithmetic (two queries)."""
        return WorkingTime(
            zone=self.time_zone,
            around_the_clock=self.around_the_clock,
            weekly=weekly_hours(
                self.hours.values_list("weekday", "opens", "closes")  # type: ignore[attr-defined]
            ),
            statutory_holidays=self.statutory_holidays,
            closures=frozenset(self.closures.values_list("day", flat=True)),  # type: ignore[attr-defined]
        )


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingHours(models.Model):
    """One opening period of a weekday (a day may have two: morning and afternoon)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="hours",
        verbose_name=_("calendar"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("00:00 means midnight."))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["calendar", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")) | models.Q(closes=time(0)),
                name="working_hours_open_before_close",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """A day the organisation is closed beyond the statutory holidays (a staff outing …)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="closures",
        verbose_name=_("calendar"),
    )
    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["calendar", "day"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="closure_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}"


class TargetUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


class Scenario(models.TextChoices):
    """The recovery scenarios of the triage taxonomy a policy may be limited to."""

    PRODUCT_DEFECT = "product_defect", _("Product or service defect")
    PROCESS_SYSTEM = "process_system", _("Process or system failure")
    HUMAN_ERROR = "human_error", _("Human error")


class Target(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    NEXT_REPLY = "next_reply", _("Next reply")
    RESOLUTION = "resolution", _("Resolution")
    AGREED = "agreed", _("Agreed deadline")


class SlaPolicy(models.Model):
    """The targets for the cases it matches. Policies are tried by `rank` (lowest first);
    an empty priority, channel or scenario matches any; the first match wins, and the
    catch-all default policy (nothing to match) always exists.

    Hours and minutes count working time in the calendar; days count working days (the
    same time of day that many working days later). In an around-the-clock calendar a day
    is 24 hours.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    rank = models.PositiveIntegerField(_("rank"), default=100,
                                       help_text=_("Lower ranks are tried first."))
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices,
                                blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    scenario = models.CharField(_("scenario"), max_length=20, choices=Scenario.choices,
                                blank=True)
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, related_name="policies",
        verbose_name=_("calendar"),
    )
    first_response = models.PositiveIntegerField(_("first response"))
    first_response_unit = models.CharField(
        _("unit"), max_length=10, choices=TargetUnit.choices, default=TargetUnit.MINUTES
    )
    next_reply = models.PositiveIntegerField(_("next reply"))
    next_reply_unit = models.CharField(
        _("unit"), max_length=10, choices=TargetUnit.choices, default=TargetUnit.HOURS
    )
    resolution = models.PositiveIntegerField(_("resolution"))
    resolution_unit = models.CharField(
        _("unit"), max_length=10, choices=TargetUnit.choices, default=TargetUnit.DAYS
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["rank", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return not (self.priority or self.channel or self.scenario)


class CaseClock(models.Model):
    """A case's deadlines under its policy, and what has happened to them.

    `next_check_at` is the earliest moment something is due (a warning at 80%, a breach, an
    escalation to the department's manager): one background task waits for it, and a sweep
    at start-up re-arms any whose task was lost with a killed worker.
    """

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="clock"
    )
    policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="clocks")
    started_at = models.DateTimeField()
    first_response_due = models.DateTimeField()
    first_responded_at = models.DateTimeField(null=True, blank=True)
    last_reply_at = models.DateTimeField(null=True, blank=True)
    next_reply_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    agreed_at = models.DateTimeField(null=True, blank=True)
    # The timeline entry that recorded the promise: only a reply written after it keeps it.
    agreed_event_id = models.BigIntegerField(null=True, blank=True)
    agreed_due = models.DateTimeField(null=True, blank=True)
    agreed_promise = models.TextField(blank=True)
    # Every target that has been missed at least once (shown to people and the API).
    breached = models.JSONField(default=list, blank=True)
    # Stages already carried out, as "warn|breach|escalate:<target>:<deadline>", so each
    # happens once however often a task runs, and a moved deadline gets its own stages.
    stages_done = models.JSONField(default=list, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The last timeline entry the clock has taken into account.
    followed_event_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("case clock")
        verbose_name_plural = _("case clocks")
        indexes = [
            models.Index(fields=["resolution_due"]),
            models.Index(fields=["first_response_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.policy_id}"

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


def unit_length(amount: int, unit: str, working_day: timedelta) -> timedelta:
    """A target's nominal length, used to compare targets with each other."""
    if unit == TargetUnit.DAYS:
        return working_day * amount
    return timedelta(minutes=amount * (60 if unit == TargetUnit.HOURS else 1))


class SlaAlarm(models.Model):
    """A second at which a worker is due to wake and handle the clocks that fall due. One
    row per second, so a thousand deadlines in the same second wake one task."""

    at = models.DateTimeField(unique=True)

    def __str__(self) -> str:
        return self.at.isoformat()
