from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """The figures managers are judged by: volumes, first responses, resolution, satisfaction
    after recovery, compensation and its return, root causes, and people. Read-only over
    the other apps; the daily rollups it keeps are a cache of their data, rebuilt at will."""

    name = "redress.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from redress.cases.models import Case
        from redress.cases.signals import case_changed, case_received

        case_changed.connect(_case_changed, sender=Case, dispatch_uid="insights.mark_day")
        case_received.connect(_case_received, sender=Case, dispatch_uid="insights.received")


def _case_changed(sender: Any, *, case_id: int, **kwargs: Any) -> None:
    from redress.insights.services import rollup_mark_case

    rollup_mark_case(case_id=case_id)


def _case_received(sender: Any, *, case: Any, **kwargs: Any) -> None:
    # Inside intake's transaction, with the case in hand: no query for its day.
    from redress.insights.services import local_day, rollup_mark_days

    rollup_mark_days([local_day(case.received_at)])
