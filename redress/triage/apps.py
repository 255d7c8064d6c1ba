from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    """Reads a complaint the way a seasoned supervisor would: kind, scenario, emotion, risks,
    wants and language (TAXONOMY.md), the priority they imply, and the words that said so."""

    name = "redress.triage"
    label = "triage"
    verbose_name = _("Triage")

    def ready(self) -> None:
        from redress.common.settings_cache import settings_follow
        from redress.triage.models import PriorityRule, RoutingRule

        settings_follow(PriorityRule, RoutingRule)  # read for every new case
