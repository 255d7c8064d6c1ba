"""Remedies (补救措施): what the business gives to put a failure right, who may give how much
(授权), the approvals above that, the proof that it was carried out, and the promises an
organisation makes in advance (服务承诺)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import Organisation, Role
from redress.cases.models import Case
from redress.common import clock


class RemedyKind(models.TextChoices):
    REFUND_FULL = "refund_full", _("Full refund")
    REFUND_PARTIAL = "refund_partial", _("Partial refund")
    DISCOUNT_PERCENT = "discount_percent", _("Discount (percentage)")
    DISCOUNT_AMOUNT = "discount_amount", _("Discount (amount)")
    COUPON = "coupon", _("Coupon")
    GIFT = "gift", _("Gift")
    POINTS = "points", _("Points")
    REPLACEMENT = "replacement", _("Replacement")
    REPAIR = "repair", _("Repair")
    REDO = "redo", _("Redo the service")
    LOANER = "loaner", _("Loaner")
    FREE_EXPRESS = "free_express", _("Free express delivery")
    EXTENDED_WARRANTY = "extended_warranty", _("Extended warranty")
    FREE_SERVICE = "free_service", _("Free future service")
    APOLOGY = "apology", _("Formal apology")
    EXPLANATION = "explanation", _("Explanation")
    # An action taken for this customer that costs no compensation: the repair crew sent
    # today, the invoice re-issued, the noisy works stopped.
    ACTION = "action", _("Action to put it right")


class Unit(models.TextChoices):
    """What a remedy's `amount` counts. Its value in yuan, the figure authority limits are
    set in, follows from the unit: yuan as they are, a percentage of the amount at stake,
    points at the catalogue's yuan per point, nothing for words alone."""

    YUAN = "yuan", _("yuan")
    PERCENT = "percent", _("percent of the amount at stake")
    POINTS = "points", _("points")
    NONE = "none", _("no amount")


class RemedyOption(models.Model):
    """One entry of the remedy catalogue an administrator keeps."""

    code = models.SlugField(_("code"), max_length=40, unique=True,
                            help_text=_("The remedy's “type” in the API."))
    kind = models.CharField(_("kind"), max_length=20, choices=RemedyKind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    yuan_per_unit = models.DecimalField(
        _("yuan per unit"), max_digits=10, decimal_places=4, default=Decimal(1),
        help_text=_("What one unit is worth to the customer: 1 for yuan, e.g. 0.01 for a "
                    "point. Not used for percentages."),
    )
    cost_ratio = models.DecimalField(
        _("cost to the business per yuan given"), max_digits=5, decimal_places=3,
        default=Decimal(1),
        help_text=_("1 for cash; less for a coupon or a warranty that costs less than its "
                    "face value."),
    )
    needs_acceptance = models.BooleanField(
        _("needs the customer's acceptance"), default=True,
        help_text=_("An apology or an explanation is given; money and goods are offered."),
    )
    scenarios = models.JSONField(
        _("scenarios"), default=list, blank=True,
        help_text=_("Where it fits: product_defect, process_system, human_error. "
                    "Empty: every scenario."),
    )
    answers_wants = models.JSONField(
        _("answers what the customer asks for"), default=list, blank=True,
        help_text=_("refund, replacement, repair, redo, compensation, apology, explanation, "
                    "fix_fast, accountability"),
    )
    active = models.BooleanField(_("offered"), default=True)
    rank = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("remedy in the catalogue")
        verbose_name_plural = _("remedy catalogue")
        ordering = ["rank", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(yuan_per_unit__gte=0) & models.Q(cost_ratio__gte=0),
                name="remedy_option_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_zh} / {self.name_en}"

    def name_for(self, language_code: str) -> str:
        return self.name_en if language_code == "en" else self.name_zh


class AuthorityLimit(models.Model):
    """How much one member of staff may give on their own (500-yuan authority of the
    seeds): per case, and per day in the organisation's time zone. Empty means no limit."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, unique=True)
    per_case = models.DecimalField(
        _("per case (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("Empty: no limit."),
    )
    per_day = models.DecimalField(
        _("per day (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("Empty: no limit."),
    )
    updated_at = models.DateTimeField(default=clock.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("authority limit")
        verbose_name_plural = _("authority limits")
        ordering = ["role"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(per_case__isnull=True) | models.Q(per_case__gte=0))
                & (models.Q(per_day__isnull=True) | models.Q(per_day__gte=0)),
                name="authority_limit_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(Role(self.role).label)


class RemedyStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("Waiting for approval")
    PROPOSED = "proposed", _("Offered to the customer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined by the customer")
    REJECTED = "rejected", _("Not approved")
    COUNTERED = "countered", _("Replaced by a counter-proposal")
    EXECUTED = "executed", _("Carried out")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Remedies that commit the business: they count against a case's and a person's authority.
COMMITTED = (RemedyStatus.PROPOSED, RemedyStatus.ACCEPTED, RemedyStatus.EXECUTED)


class Remedy(models.Model):
    """A remedy given or offered on one case, from proposal to proof of execution.

    `amount` is in the option's unit; `value` is what it is worth to the customer in yuan,
    fixed when proposed: authority limits and the proportionality cap count it. `cost` is
    what it costs the business (a ¥50 coupon may cost ¥30): budgets and cost per case count
    it. `authorised_by` is whoever's authority it was given under: the proposer when within
    their limit, else the approver.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="remedies")
    option = models.ForeignKey(RemedyOption, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("remedy"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    value = models.DecimalField(_("value (yuan)"), max_digits=12, decimal_places=2)
    cost = models.DecimalField(_("cost (yuan)"), max_digits=12, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RemedyStatus.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="proposed_remedies",
    )
    proposed_at = models.DateTimeField(default=clock.now)
    # The local calendar day of the proposal, for daily limits (Asia/Shanghai midnight,
    # not UTC's).
    proposed_on = models.DateField()
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="authorised_remedies",
    )
    over_policy_cap = models.BooleanField(default=False)
    approval_due_at = models.DateTimeField(null=True, blank=True)
    approval_overdue_told = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="decided_remedies",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    counter_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="counter",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="executed_remedies",
    )
    executed_at = models.DateTimeField(null=True, blank=True)
    proof = models.TextField(_("proof"), blank=True)
    proof_reference = models.CharField(_("reference"), max_length=100, blank=True)
    guarantee = models.ForeignKey(
        "remedies.ServiceGuarantee", on_delete=models.PROTECT, null=True, blank=True,
        related_name="payouts",
    )

    class Meta:
        verbose_name = _("remedy")
        verbose_name_plural = _("remedies")
        ordering = ["proposed_at", "id"]
        indexes = [
            models.Index(fields=["status", "approval_due_at"]),
            models.Index(fields=["authorised_by", "proposed_on"]),
            models.Index(fields=["executed_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0),
                                   name="remedy_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(value__gte=0),
                                   name="remedy_value_not_negative"),
            # A promise is kept once per case, however often the check runs.
            models.UniqueConstraint(fields=["case", "guarantee"],
                                    condition=models.Q(guarantee__isnull=False),
                                    name="one_payout_per_guarantee_and_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.option.code} {self.amount}"


class RemedyRefusal(models.Model):
    """An attempt the rules refused (over a limit, approving one's own request, executing
    twice …). Kept apart from the case: the case did not change, but the attempt happened."""

    at = models.DateTimeField(default=clock.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, related_name="+")
    remedy = models.ForeignKey(Remedy, on_delete=models.CASCADE, null=True, related_name="+")
    action = models.CharField(max_length=40)
    reason = models.TextField()
    request = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("refused remedy attempt")
        verbose_name_plural = _("refused remedy attempts")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}: {self.reason}"


class Metric(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    RESOLUTION = "resolution", _("Resolution")


class ServiceGuarantee(models.Model):
    """A promise made to every customer in advance (服务承诺): “resolved within 72 hours or
    a ¥50 coupon”. Kept without a claim form: when a case breaks it, the remedy is given
    and carried out by itself. Hours are counted on the wall clock, as the customer reads
    the promise, not in business hours."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="guarantees",
                                     verbose_name=_("organisation"))
    name_zh = models.CharField(_("promise (Chinese)"), max_length=200)
    name_en = models.CharField(_("promise (English)"), max_length=200)
    metric = models.CharField(_("measured on"), max_length=20, choices=Metric.choices)
    within_hours = models.PositiveIntegerField(_("within hours"))
    option = models.ForeignKey(RemedyOption, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("remedy when broken"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    active = models.BooleanField(_("in force"), default=True)
    in_force_from = models.DateTimeField(
        _("in force from"), default=clock.now,
        help_text=_("Complaints received from this moment on are covered."),
    )

    class Meta:
        verbose_name = _("service guarantee")
        verbose_name_plural = _("service guarantees")
        ordering = ["organisation", "metric", "within_hours"]
        constraints = [
            models.CheckConstraint(condition=models.Q(within_hours__gt=0),
                                   name="guarantee_hours_positive"),
            models.CheckConstraint(condition=models.Q(amount__gte=0),
                                   name="guarantee_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name_zh

    def name_for(self, language_code: str) -> str:
        return self.name_en if language_code == "en" else self.name_zh
