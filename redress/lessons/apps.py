from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    """Turning failures into lessons: root causes recorded on close (责任界定表), recurring
    problems found in the cases, and corrective actions whose effect is measured."""

    name = "redress.lessons"
    label = "lessons"
    verbose_name = _("Root causes and corrective actions")
