"""The service-recovery case (服务补救单), its customer and its append-only timeline."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from redress.common import clock


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")
    WALK_IN = "walk_in", _("Walk-in")
    LETTER = "letter", _("Letter")
    COMMENT_BOOK = "comment_book", _("Comment book")
    WECHAT = "wechat", _("WeChat")
    APP = "app", _("App review")
    SURVEY = "survey", _("Survey")
    OTHER = "other", _("Other")


# Channels a member of staff types in on the customer's behalf, with the real time received.
STAFF_RECORDED_CHANNELS = [
    Channel.PHONE, Channel.WALK_IN, Channel.LETTER, Channel.COMMENT_BOOK, Channel.EMAIL,
    Channel.WECHAT, Channel.APP, Channel.OTHER,
]


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    INVESTIGATING = "investigating", _("Investigating")
    REMEDY_PROPOSED = "remedy_proposed", _("Remedy proposed")
    REMEDY_ACCEPTED = "remedy_accepted", _("Remedy accepted")
    REMEDY_REJECTED = "remedy_rejected", _("Remedy rejected")
    EXECUTING = "executing", _("Executing")
    WAITING_ON_CUSTOMER = "waiting_on_customer", _("Waiting on customer")
    RESOLVED = "resolved", _("Resolved")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class Priority(models.TextChoices):
    P1 = "P1", _("P1 · critical")
    P2 = "P2", _("P2 · high")
    P3 = "P3", _("P3 · normal")
    P4 = "P4", _("P4 · low")


class CloseReason(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    DUPLICATE = "duplicate", _("Duplicate")
    INVALID = "invalid", _("Invalid")
    NO_RESPONSE = "no_response", _("No response")


class Language(models.TextChoices):
    ZH = "zh", _("Chinese")
    EN = "en", _("English")


class CustomerTier(models.TextChoices):
    REGULAR = "regular", _("Regular")
    MEMBER = "member", _("Member")
    VIP = "vip", _("VIP")


class Kind(models.TextChoices):
    """What a message is (TAXONOMY.md §1)."""

    COMPLAINT = "complaint", pgettext_lazy("kind of message", "Complaint")
    INQUIRY = "inquiry", _("Inquiry")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class Scenario(models.TextChoices):
    """Where the failure lies: the three recovery scenarios of the seeds (TAXONOMY.md §2)."""

    PRODUCT_DEFECT = "product_defect", _("Product or service defect")
    PROCESS_SYSTEM = "process_system", _("Process or system failure")
    HUMAN_ERROR = "human_error", _("Human error")
    NONE = "none", _("Not a failure")


class Emotion(models.TextChoices):
    """The customer's emotional state: the five states of the seeds plus calm (§3)."""

    ANGRY = "angry", _("Angry")
    ANXIOUS = "anxious", _("Anxious")
    CONFUSED = "confused", _("Confused")
    HUMOROUS = "humorous", _("Humorous")
    AGGRIEVED = "aggrieved", _("Aggrieved")
    CALM = "calm", _("Calm")


class Risk(models.TextChoices):
    SAFETY = "safety", _("Safety")
    LEGAL_MEDIA = "legal_media", _("Regulator, lawyer or media")
    CHURN = "churn", _("May leave us")
    REPEAT = "repeat", _("Happened before")


class Want(models.TextChoices):
    """What the customer asks for (§5)."""

    REFUND = "refund", _("Refund")
    REPLACEMENT = "replacement", _("Replacement")
    REPAIR = "repair", _("Repair")
    REDO = "redo", _("Redo the service")
    COMPENSATION = "compensation", _("Compensation")
    APOLOGY = "apology", _("Apology")
    EXPLANATION = "explanation", _("Explanation")
    FIX_FAST = "fix_fast", _("Fix it fast")
    ACCOUNTABILITY = "accountability", _("Accountability")


class Customer(models.Model):
    """The person who complained. They have no account; they follow their case by its
    tracking code. Contact details are kept as given."""

    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    tier = models.CharField(
        _("tier"), max_length=20, choices=CustomerTier.choices, default=CustomerTier.REGULAR
    )
    contact_at_night = models.BooleanField(
        _("may be contacted at night"), default=False,
        help_text=_("Text messages may be sent during the quiet hours."),
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["phone"]),
            models.Index(fields=["email"]),
            # Repeats match e-mail addresses whatever their case (triage's _repeats_of).
            models.Index(Lower("email"), name="cases_customer_email_folded"),
            models.Index(fields=["external_id"]),
        ]

    def __str__(self) -> str:
        return self.name or self.phone or self.email or f"#{self.pk}"


class ReferenceCounter(models.Model):
    """The last reference number handed out in a year (SR-2026-000123)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(models.Model):
    """One complaint and everything done to recover the customer.

    `description`, `channel` and `received_at` are what the customer sent and when; they are
    never changed after creation. `status` changes only through `cases.services`; `version`
    goes up by one on every change so a stale edit is refused instead of overwriting.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    tracking_code = models.CharField(max_length=32, unique=True, editable=False)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="cases", verbose_name=_("customer")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    created_at = models.DateTimeField(_("recorded at"), default=clock.now)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)
    description = models.TextField(_("description"))
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ZH
    )
    location = models.CharField(_("location / branch"), max_length=200, blank=True)
    order_ref = models.CharField(_("order reference"), max_length=100, blank=True)
    amount_at_stake = models.DecimalField(
        _("amount at stake"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.NEW
    )
    # Where to go back to when the customer answers a waiting case.
    status_before_wait = models.CharField(max_length=24, choices=Status.choices, blank=True)
    priority = models.CharField(
        _("priority"), max_length=2, choices=Priority.choices, default=Priority.P3
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="owned_cases", verbose_name=_("owner"),
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="cases", verbose_name=_("department"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="recorded_cases", verbose_name=_("recorded by"),
    )
    escalated = models.BooleanField(_("escalated"), default=False)
    # How the complaint reads (TAXONOMY.md): set by triage on intake, corrected by staff.
    # Blank until someone or something has read it.
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    scenario = models.CharField(
        _("scenario"), max_length=16, choices=Scenario.choices, blank=True
    )
    emotion = models.CharField(_("emotion"), max_length=12, choices=Emotion.choices, blank=True)
    risks = models.JSONField(_("risks"), default=list, blank=True)
    wants = models.JSONField(_("wants"), default=list, blank=True)
    # 1 for the first recovery; 2 and more after the customer said it did not put things
    # right. A second failure needs a stronger recovery (the paradox does not hold twice).
    recovery_round = models.PositiveSmallIntegerField(_("recovery round"), default=1)
    needs = models.TextField(_("customer's needs"), blank=True)
    facts = models.TextField(_("facts found"), blank=True)
    remedy = models.TextField(_("remedy"), blank=True)
    remedy_amount = models.DecimalField(
        _("remedy amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    outcome = models.TextField(_("outcome"), blank=True)
    close_reason = models.CharField(
        _("close reason"), max_length=20, choices=CloseReason.choices, blank=True
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-received_at"]),
            models.Index(fields=["priority", "-received_at"]),
            models.Index(fields=["channel", "-received_at"]),
            models.Index(fields=["owner", "-received_at"]),
            models.Index(fields=["department", "-received_at"]),
            models.Index(fields=["-received_at", "-id"]),
            models.Index(fields=["order_ref"], name="cases_case_order_r_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_at_stake__isnull=True)
                | models.Q(amount_at_stake__gte=0),
                name="case_amount_at_stake_not_negative",
            ),
            # 首问负责: once acknowledged, a case always has exactly one owner.
            models.CheckConstraint(
                condition=models.Q(status="new") | models.Q(owner__isnull=False)
                | models.Q(status="closed"),
                name="case_owned_after_first_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def language_code(self) -> str:
        """The interface language to write to this customer in."""
        return "en" if self.language == Language.EN else "zh-hans"


class EventKind(models.TextChoices):
    CREATED = "created", _("Received")
    TRANSITION = "transition", _("Status changed")
    MESSAGE = "message", _("Message to customer")
    NOTE = "note", _("Internal note")
    HANDOVER = "handover", _("Handed over")
    DETAILS = "details", _("Details recorded")
    AUTO_ACK = "auto_ack", _("Automatic acknowledgement")
    AGREED_DEADLINE = "agreed_deadline", _("Reply time agreed")
    SLA_WARNING = "sla_warning", _("Deadline approaching")
    ESCALATION = "escalation", _("Escalated")
    LABELS = "labels", _("Reading corrected")
    REMEDY = "remedy", _("Remedy")
    FOLLOW_UP = "follow_up", _("Follow-up")
    ROOT_CAUSE = "root_cause", _("Root cause")


class CaseEvent(models.Model):
    """One entry on a case's timeline: who did what, when, and the values before and after.

    Append-only: events are never edited or deleted. `visible_to_customer` decides what the
    tracking page shows.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="case_events",
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    visible_to_customer = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
