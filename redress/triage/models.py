"""What triage keeps: each case's reading as it arrived, the organisation's priority rule
and routing rules, and the links between a case and earlier ones (repeats, duplicates)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from redress.cases.models import Emotion, Priority, Risk, Scenario
from redress.common import clock


def _default_p1_risks() -> list[str]:
    return [Risk.SAFETY.value, Risk.LEGAL_MEDIA.value]


def _default_p2_emotions() -> list[str]:
    return [Emotion.ANGRY.value, Emotion.AGGRIEVED.value]


def _default_p2_risks() -> list[str]:
    return [Risk.CHURN.value, Risk.REPEAT.value]


class TriageRecord(models.Model):
    """How triage read a case on intake: the whole reading (labels, confidence, the cues
    that drove each label), which model read it and how long it took, and the department
    the routing rules suggest. One per case, written once; staff corrections go to the
    case's labels and timeline, never here."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="triage_record",
        verbose_name=_("case"),
    )
    reading = models.JSONField(_("reading"))
    model_version = models.CharField(_("model version"), max_length=100, blank=True)
    duration_ms = models.FloatField(_("reading time (ms)"))
    # The priority the rule gave; blank when the sender chose the priority themselves.
    priority = models.CharField(
        _("priority by the rule"), max_length=2, choices=Priority.choices, blank=True
    )
    suggested_department = models.ForeignKey(
        "accounts.Department", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("suggested department"),
    )
    routing_rule = models.ForeignKey(
        "triage.RoutingRule", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("routing rule"),
    )
    # The words as compared for duplicates (`services.text_normalise`, the beginning of
    # long texts), kept so a new case is compared without normalising earlier ones again.
    text_key = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("read at"), default=clock.now)

    class Meta:
        verbose_name = _("triage record")
        verbose_name_plural = _("triage records")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.reading.get('kind', '')}"


class PriorityRule(models.Model):
    """An organisation's own version of the priority rule of TAXONOMY.md: P1 when the
    risks hold one of `p1_risks`; P2 when the emotion is one of `p2_emotions` or the risks
    hold one of `p2_risks`; otherwise `complaint_priority` for complaints and
    `other_priority` for inquiries, suggestions and praise. Without a row the rule of
    TAXONOMY.md applies."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="priority_rule",
        verbose_name=_("organisation"),
    )
    p1_risks = models.JSONField(_("risks that make a case P1"), default=_default_p1_risks,
                                blank=True)
    p2_emotions = models.JSONField(_("emotions that make a case P2"),
                                   default=_default_p2_emotions, blank=True)
    p2_risks = models.JSONField(_("risks that make a case P2"), default=_default_p2_risks,
                                blank=True)
    complaint_priority = models.CharField(
        _("any other complaint"), max_length=2, choices=Priority.choices, default=Priority.P3
    )
    other_priority = models.CharField(
        _("inquiries, suggestions and praise"), max_length=2, choices=Priority.choices,
        default=Priority.P4,
    )

    class Meta:
        verbose_name = _("priority rule")
        verbose_name_plural = _("priority rules")

    def __str__(self) -> str:
        return str(self.organisation)

    def clean(self) -> None:
        for field, allowed in (("p1_risks", Risk.values), ("p2_risks", Risk.values),
                               ("p2_emotions", Emotion.values)):
            value = getattr(self, field)
            if not isinstance(value, list) or any(item not in allowed for item in value):
                raise ValidationError({field: _("Choose from: %(choices)s.")
                                       % {"choices": ", ".join(allowed)}})


class RoutingRule(models.Model):
    """Which department a new complaint probably belongs to. Rules are tried by rank; the
    first whose every filled-in condition holds wins. Conditions left empty match
    anything: the scenario, one risk, any of the keywords (one per line, matched on the
    complaint's text with case, width and spacing ignored), and a piece of the location."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="routing_rules",
        verbose_name=_("organisation"),
    )
    rank = models.PositiveIntegerField(_("rank"), default=100,
                                       help_text=_("Lower ranks are tried first."))
    name = models.CharField(_("name"), max_length=200)
    scenario = models.CharField(_("scenario"), max_length=16, choices=Scenario.choices,
                                blank=True)
    risk = models.CharField(_("risk"), max_length=12, choices=Risk.choices, blank=True)
    keywords = models.TextField(
        _("keywords"), blank=True,
        help_text=_("One per line; the rule matches when the complaint contains any of them."),
    )
    location_contains = models.CharField(_("location contains"), max_length=200, blank=True)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("suggested department"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["organisation", "rank", "id"]
        indexes = [models.Index(fields=["organisation", "active", "rank"])]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.replace(",", "\n").splitlines()
                if line.strip()]

    def clean(self) -> None:
        if (self.department_id and self.organisation_id
                and self.department.organisation_id != self.organisation_id):
            raise ValidationError(
                {"department": _("Choose a department of the same organisation.")}
            )


class LinkKind(models.TextChoices):
    REPEAT = "repeat", _("Same customer, earlier case")
    DUPLICATE_SUGGESTED = "duplicate_suggested", _("Possibly the same complaint")
    MERGED = "merged", _("Merged into")


class CaseLink(models.Model):
    """`case` is related to the earlier `other`: the same customer complained before
    (repeat), the same words arrived twice (duplicate_suggested), or `case` was closed as
    a duplicate of `other` (merged). Both cases stay; nothing is deleted."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="links",
                             verbose_name=_("case"))
    other = models.ForeignKey("cases.Case", on_delete=models.CASCADE,
                              related_name="linked_from", verbose_name=_("other case"))
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    score = models.FloatField(_("text similarity"), null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("case link")
        verbose_name_plural = _("case links")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "other", "kind"], name="case_link_once"),
            models.CheckConstraint(condition=~models.Q(case=models.F("other")),
                                   name="case_link_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.other_id}"
