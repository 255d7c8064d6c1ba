from django.contrib import admin
from django.http import HttpRequest

from redress.triage.models import CaseLink, PriorityRule, RoutingRule, TriageRecord


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Where new complaints probably belong. Tried by rank, lowest first; the first rule
    whose filled-in conditions all hold names the department suggested on the case page
    (and moved to at once only with REDRESS_TRIAGE_AUTO_ROUTE)."""

    list_display = ["name", "organisation", "rank", "scenario", "risk", "location_contains",
                    "department", "active"]
    list_filter = ["organisation", "active", "scenario", "risk"]
    list_editable = ["rank", "active"]
    ordering = ["organisation", "rank", "id"]


@admin.register(PriorityRule)
class PriorityRuleAdmin(admin.ModelAdmin):
    """An organisation's priority rule; without one, TAXONOMY.md's applies."""

    list_display = ["organisation", "p1_risks", "p2_emotions", "p2_risks",
                    "complaint_priority", "other_priority"]


class _ReadOnly(admin.ModelAdmin):
    # What triage read and linked is a record: looked at here, never edited.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(TriageRecord)
class TriageRecordAdmin(_ReadOnly):
    list_display = ["case", "model_version", "priority", "suggested_department",
                    "duration_ms", "created_at"]
    list_filter = ["model_version", "priority"]
    raw_id_fields = ["case"]


@admin.register(CaseLink)
class CaseLinkAdmin(_ReadOnly):
    list_display = ["case", "kind", "other", "score", "created_by", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["case", "other"]
