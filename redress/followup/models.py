"""Follow-up (回访) after a case is resolved, the customer's survey answer, and answers to
the organisation's general satisfaction surveys that may open a recovery case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from redress.common import clock


class Method(models.TextChoices):
    EMAIL = "email", _("E-mail link")
    SMS = "sms", _("Text message link")
    CALL = "call", _("Phone call")


class FollowUpStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Waiting for the answer")
    ANSWERED = "answered", _("Answered")
    NO_RESPONSE = "no_response", _("No response")
    CANCELLED = "cancelled", _("Cancelled")


class Solved(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class FollowUp(models.Model):
    """Asking the customer, after a resolution, whether it put things right.

    One per resolution of a case (`resolved_at`): a case reopened and resolved again is
    followed up again. The survey link carries this row's id, signed; `expires_at` is when
    the link stops working and an unanswered follow-up closes the case as no response.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="followups", verbose_name=_("case")
    )
    resolved_at = models.DateTimeField(_("resolution followed up"))
    recovery_round = models.PositiveSmallIntegerField(_("recovery round"), default=1)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices,
        default=FollowUpStatus.SCHEDULED,
    )
    scheduled_for = models.DateTimeField(_("scheduled for"))
    expires_at = models.DateTimeField(_("link valid until"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-scheduled_for", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "resolved_at"], name="followup_once_per_resolution"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "scheduled_for"]),
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["method", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.method} {self.status}"


class SurveyAnswer(models.Model):
    """The customer's answer to a follow-up, stored as sent (the comment is never altered).

    One per follow-up, enforced by the database. Fairness items follow the seeds' three
    kinds of justice: outcome (结果公平), process (过程公平), interaction (相互对待公平).
    `recommend` and `would_return` are optional: None when the customer skipped them.
    """

    followup = models.OneToOneField(
        FollowUp, on_delete=models.PROTECT, related_name="answer", verbose_name=_("follow-up")
    )
    solved = models.CharField(_("problem solved"), max_length=8, choices=Solved.choices)
    satisfaction = models.PositiveSmallIntegerField(_("overall satisfaction (1-5)"))
    outcome_fair = models.PositiveSmallIntegerField(_("fair outcome (1-5)"), null=True, blank=True)
    process_fair = models.PositiveSmallIntegerField(_("fair process (1-5)"), null=True, blank=True)
    interaction_fair = models.PositiveSmallIntegerField(
        _("fair treatment (1-5)"), null=True, blank=True
    )
    recommend = models.PositiveSmallIntegerField(_("would recommend (0-10)"), null=True, blank=True)
    # Asked apart from `recommend`: whether recovered customers come back is the recovery
    # paradox's measure (the seeds' 82% after a quick resolution, 54% after a slow one).
    would_return = models.BooleanField(_("would come back"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    by_phone = models.BooleanField(_("given on the phone"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )
    reopened = models.BooleanField(_("reopened the case"), default=False)
    answered_at = models.DateTimeField(_("answered at"), default=clock.now)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="survey_satisfaction_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(recommend__isnull=True) | models.Q(recommend__lte=10),
                name="survey_recommend_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.followup_id}: {self.solved} {self.satisfaction}/5"


class FeedbackSource(models.TextChoices):
    API = "api", _("API")
    IMPORT = "import", _("File import")


class FeedbackAnswer(models.Model):
    """One answer to a general satisfaction survey (any tool), kept for insights.

    A detractor's answer opens a recovery case (`case`). One answer per customer and
    survey: the same answer sent twice is the same row and the same case.
    """

    survey = models.CharField(_("survey"), max_length=100)
    customer = models.ForeignKey(
        "cases.Customer", on_delete=models.PROTECT, related_name="feedback",
        verbose_name=_("customer"),
    )
    nps = models.PositiveSmallIntegerField(_("would recommend (0-10)"), null=True, blank=True)
    csat = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    answered_at = models.DateTimeField(_("answered at"))
    detractor = models.BooleanField(_("detractor"), default=False)
    source = models.CharField(_("source"), max_length=8, choices=FeedbackSource.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recovery case"),
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("survey feedback")
        verbose_name_plural = _("survey feedback")
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "survey"], name="feedback_once_per_customer_and_survey"
            ),
        ]
        # By day for the dashboard's baseline of customers who never complained.
        indexes = [models.Index(fields=["survey", "-answered_at"]),
                   models.Index(fields=["answered_at"], name="followup_feedback_day_idx")]

    def __str__(self) -> str:
        return f"{self.survey}: {self.customer_id}"
