from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "redress.sla"
    label = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from redress.cases.models import Case
        from redress.cases.signals import case_changed

        case_changed.connect(_follow_case, sender=Case, dispatch_uid="sla.follow_case")

        from redress.common.settings_cache import settings_follow
        from redress.sla.models import BusinessCalendar, Closure, SlaPolicy, WorkingHours

        # Intake keeps the policies, each with its calendar, in memory.
        settings_follow(SlaPolicy, BusinessCalendar, WorkingHours, Closure)


def _follow_case(sender: Any, *, case_id: int, event_ids: list[int], **kwargs: Any) -> None:
    from redress.sla.services import case_clock_follow

    case_clock_follow(case_id=case_id)
