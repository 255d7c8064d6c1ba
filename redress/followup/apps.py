from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "redress.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from redress.cases.models import Case
        from redress.cases.signals import case_changed

        case_changed.connect(_schedule, sender=Case, dispatch_uid="followup.schedule")


def _schedule(sender: Any, *, case_id: int, event_ids: list[int], **kwargs: Any) -> None:
    from redress.followup.services import followup_schedule

    followup_schedule(case_id=case_id)
