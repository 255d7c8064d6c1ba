from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemediesConfig(AppConfig):
    name = "redress.remedies"
    label = "remedies"
    verbose_name = _("Remedies")

    def ready(self) -> None:
        from redress.cases.models import Case
        from redress.cases.signals import case_changed, case_moving, case_received
        from redress.remedies.services import remedies_unfinished_guard

        case_moving.connect(remedies_unfinished_guard, sender=Case,
                            dispatch_uid="remedies.guard")
        case_changed.connect(_follow_case, sender=Case, dispatch_uid="remedies.follow_case")
        case_received.connect(_received, sender=Case, dispatch_uid="remedies.received")

        from redress.common.settings_cache import settings_follow
        from redress.remedies.models import ServiceGuarantee

        settings_follow(ServiceGuarantee)  # read for every new case


def _received(sender: Any, *, case: Any, **kwargs: Any) -> None:
    """A complaint just taken in: the same as `_follow_case`, inside intake's transaction."""
    from redress.remedies.services import guarantees_follow_new_case

    guarantees_follow_new_case(case=case)


def _follow_case(sender: Any, *, case_id: int, event_ids: list[int], **kwargs: Any) -> None:
    """A new case stored without intake (an import, the demo): keep any promise it has
    already missed (a letter typed in days late) and wake a worker at each promise's
    deadline. Intake's cases are followed inside its transaction (`_received`)."""
    from redress.cases.models import Case, CaseEvent, EventKind
    from redress.remedies.services import guarantees_follow_new_case

    if not CaseEvent.objects.filter(pk__in=event_ids, kind=EventKind.CREATED).exists():
        return
    case = Case.objects.select_related("department").get(pk=case_id)
    guarantees_follow_new_case(case=case)
