"""What the playbook keeps per case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from redress.common import clock

# --- F.O.R.D checklist ---


class FordStep(models.TextChoices):
    """The four steps of the F.O.R.D rule (seed 004, chapter 2), in the order they are done."""

    FIRST = "first", _("First, apologise")
    ONLY = "only", _("Only the explanation that is needed")
    REMEDY = "remedy", _("Remedy, and fast")
    DONT = "dont", _("Don't shift the blame")


class FordTick(models.Model):
    """A F.O.R.D step the person handling a case has done, with who ticked it and when.

    At most one row per step per case; unticking deletes the row (the timeline keeps both
    the tick and the untick).
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="ford_ticks",
        verbose_name=_("case"),
    )
    step = models.CharField(_("step"), max_length=8, choices=FordStep.choices)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("ticked by"),
    )
    ticked_at = models.DateTimeField(_("ticked at"), default=clock.now)

    class Meta:
        verbose_name = _("F.O.R.D step done")
        verbose_name_plural = _("F.O.R.D steps done")
        ordering = ["case", "ticked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], name="ford_tick_one_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step}"
