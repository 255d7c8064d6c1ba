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
        from redress.cases.signals import case_changed

        case_changed.connect(_case_changed, sender=Case, dispatch_uid="insights.mark_day")


def _case_changed(sender: Any, *, case_id: int, **kwargs: Any) -> None:
    from redress.insights.services import rollup_mark_case

    rollup_mark_case(case_id=case_id)
