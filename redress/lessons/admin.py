from django.contrib import admin

from redress.lessons.models import (
    CorrectiveAction,
    Problem,
    ResponsibilityRule,
    RootCause,
    SpikeAlert,
)


@admin.register(ResponsibilityRule)
class ResponsibilityRuleAdmin(admin.ModelAdmin):
    """The responsibility table (责任界定表): problem step → department → time limit →
    compensation. It pre-fills the department of a root cause."""

    list_display = ["step", "organisation", "department", "time_limit_hours", "compensation",
                    "rank"]
    list_filter = ["organisation"]
    list_editable = ["rank"]


@admin.register(RootCause)
class RootCauseAdmin(admin.ModelAdmin):
    # A record of what was found and what the customer said: read, never edited here.
    list_display = ["case", "category", "department", "step", "customer_accepted",
                    "recorded_by", "recorded_at"]
    list_filter = ["category", "customer_accepted"]
    readonly_fields = [f.name for f in RootCause._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class CorrectiveActionInline(admin.TabularInline):
    model = CorrectiveAction
    extra = 0
    readonly_fields = ["done_at"]


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "opened_by", "opened_at", "closed_at"]
    list_filter = ["status"]
    inlines = [CorrectiveActionInline]
    raw_id_fields = ["cases", "group"]


@admin.register(SpikeAlert)
class SpikeAlertAdmin(admin.ModelAdmin):
    list_display = ["group", "week_start", "count", "baseline", "p_value", "problem"]
    readonly_fields = ["group", "week_start", "count", "baseline", "p_value", "raised_at"]
