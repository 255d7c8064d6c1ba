"""Lessons from failures (ISO 9001 §10.2, ISO 10002): why each case happened and who was
responsible (责任界定表), which problems keep coming back, and the corrective and
preventive actions taken on them, with a check that they worked."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from redress.common import clock


class CauseCategory(models.TextChoices):
    """The five causes of service failure (seed 000, 服务失败的原因)."""

    HUMAN = "human", _("Human factors (skills, attitude, care)")
    COMMUNICATION = "communication", _("Communication (information not passed on, wrong tone)")
    PROCESS = "process", _("Process (cumbersome, too long, unreasonable)")
    EQUIPMENT = "equipment", _("Equipment failure")
    EXTERNAL = "external", _("External circumstances (weather, policy changes)")


class Accepted(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


class ResponsibilityRule(models.Model):
    """One row of an organisation's responsibility table (责任界定表, seed 004): at this
    problem step, this department is responsible, has this long to put it right, and this
    is the usual compensation. Administered in the admin; it pre-fills a root cause."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="responsibility_rules",
        verbose_name=_("organisation"),
    )
    step = models.CharField(_("problem step"), max_length=100,
                            help_text=_("e.g. order entry, system error, customer confirmation"))
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("responsible department"),
    )
    time_limit_hours = models.DecimalField(
        _("time limit (hours)"), max_digits=6, decimal_places=1, null=True, blank=True,
    )
    compensation = models.CharField(
        _("compensation"), max_length=200, blank=True,
        help_text=_("e.g. redo free of charge, refund the order, no compensation"),
    )
    rank = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("responsibility rule")
        verbose_name_plural = _("responsibility table")
        ordering = ["organisation", "rank", "step"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "step"],
                                    name="responsibility_rule_unique_step"),
        ]

    def __str__(self) -> str:
        return self.step


class RootCause(models.Model):
    """Why one case happened and who answers for it, recorded before it is closed.

    One per case; recording again replaces the values (each recording leaves an event on
    the case's timeline with the values before and after). A customer's rejection of the
    outcome is kept here in their words (ISO 10002), never hidden.
    """

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="root_cause",
        verbose_name=_("case"),
    )
    category = models.CharField(_("cause"), max_length=16, choices=CauseCategory.choices,
                                blank=True)
    detail = models.TextField(_("what went wrong"), blank=True)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("responsible department"),
    )
    step = models.CharField(_("problem step"), max_length=100, blank=True)
    customer_accepted = models.CharField(
        _("customer accepted the outcome"), max_length=8, choices=Accepted.choices,
        default=Accepted.UNKNOWN,
    )
    customer_words = models.TextField(_("the customer's words"), blank=True)
    remedy_given = models.TextField(_("remedy given"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now)

    class Meta:
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")
        indexes = [models.Index(fields=["category", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.category}"


class RecurringGroup(models.Model):
    """Complaints about the same thing: the same labels (organisation, scenario, place) and
    similar words. `centroid` is the weighted terms of its cases (see `grouping`)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )
    scenario = models.CharField(_("scenario"), max_length=16, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    headline = models.CharField(_("example complaint"), max_length=200, blank=True)
    centroid = models.JSONField(default=dict)
    members = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("recurring problem group")
        verbose_name_plural = _("recurring problem groups")
        indexes = [models.Index(fields=["organisation", "scenario", "place"])]

    def __str__(self) -> str:
        return self.headline or f"#{self.pk}"


class CaseGrouping(models.Model):
    """Which group a case was put in. Decided once, so past weekly counts never change."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(RecurringGroup, on_delete=models.CASCADE,
                              related_name="groupings")
    received_at = models.DateTimeField(db_index=True)  # the case's, for weekly counts
    similarity = models.FloatField(default=1.0)

    class Meta:
        indexes = [models.Index(fields=["group", "received_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.group_id}"


class SpikeAlert(models.Model):
    """A group's week that rose well above its own baseline (`spikes.spike_test`).
    One per group and week: scanning the same week again raises nothing new."""

    group = models.ForeignKey(RecurringGroup, on_delete=models.CASCADE, related_name="alerts")
    week_start = models.DateField(_("week starting"))
    count = models.PositiveIntegerField(_("cases that week"))
    baseline = models.FloatField(_("baseline per week"))
    p_value = models.FloatField()
    raised_at = models.DateTimeField(default=clock.now)
    problem = models.ForeignKey("Problem", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="alerts")

    class Meta:
        verbose_name = _("spike alert")
        verbose_name_plural = _("spike alerts")
        ordering = ["-week_start", "-count"]
        constraints = [
            models.UniqueConstraint(fields=["group", "week_start"], name="one_alert_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.week_start}: {self.count}"


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACTING = "acting", _("Acting")
    VERIFYING = "verifying", _("Verifying")
    CLOSED = "closed", _("Closed")


class Problem(models.Model):
    """A problem that keeps coming back, opened to be fixed at its cause (ISO 9001 §10.2):
    its cases, the actions taken, and whether the complaints fell afterwards."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    group = models.ForeignKey(RecurringGroup, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="problems", verbose_name=_("recurring group"))
    status = models.CharField(_("status"), max_length=12, choices=ProblemStatus.choices,
                              default=ProblemStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), default=clock.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cases = models.ManyToManyField("cases.Case", related_name="problems", blank=True,
                                   verbose_name=_("cases"))

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ActionKind(models.TextChoices):
    CORRECTIVE = "corrective", _("Corrective")
    PREVENTIVE = "preventive", _("Preventive")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DOING = "doing", _("Doing")
    DONE = "done", _("Done")


class CorrectiveAction(models.Model):
    """One thing to do about a problem, by someone, by a date (CAPA)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind.choices,
                            default=ActionKind.CORRECTIVE)
    description = models.TextField(_("description"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="corrective_actions", verbose_name=_("owner"))
    due = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=8, choices=ActionStatus.choices,
                              default=ActionStatus.PLANNED)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("corrective or preventive action")
        verbose_name_plural = _("corrective and preventive actions")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class EffectivenessCheck(models.Model):
    """Whether a problem's complaints fell after its actions were done: the counts in
    equal windows before and after, and the verdict (`spikes.rate_change`)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField(default=clock.now)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    reference_at = models.DateTimeField(_("actions done at"))
    weeks = models.PositiveSmallIntegerField(_("window (weeks)"))
    too_early = models.BooleanField(default=False)
    days_left = models.PositiveIntegerField(default=0)
    before = models.PositiveIntegerField(default=0)
    after = models.PositiveIntegerField(default=0)
    before_per_week = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    after_per_week = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    change_percent = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    p_value = models.FloatField(default=1.0)
    fell = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("effectiveness check")
        verbose_name_plural = _("effectiveness checks")
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.checked_at:%Y-%m-%d}"


class WeeklyScan(models.Model):
    """The next weekly review of recurring problems a worker will wake for. One row per
    moment, so however often the server restarts, one review is armed per week."""

    at = models.DateTimeField(unique=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("weekly review")
        verbose_name_plural = _("weekly reviews")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"
