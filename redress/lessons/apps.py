from typing import Any

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    """Turning failures into lessons: root causes recorded on close (责任界定表), recurring
    problems found in the cases, and corrective actions whose effect is measured."""

    name = "redress.lessons"
    label = "lessons"
    verbose_name = _("Root causes and corrective actions")

    def ready(self) -> None:
        from redress.cases.models import Case
        from redress.cases.signals import case_moving
        from redress.lessons.services import CLOSE_FIELDS, close_requirements

        unknown = set(close_requirements()) - set(CLOSE_FIELDS)
        if unknown:
            raise ImproperlyConfigured(
                f"REDRESS_CLOSE_REQUIRES names {sorted(unknown)}; "
                f"the choices are {', '.join(CLOSE_FIELDS)}"
            )
        case_moving.connect(_guard_close, sender=Case, dispatch_uid="lessons.guard_close")


def _guard_close(sender: Any, *, case: Any, to: str, close_reason: str | None,
                 **kwargs: Any) -> None:
    from redress.lessons.services import case_close_guard

    case_close_guard(case=case, to=to, close_reason=close_reason)
