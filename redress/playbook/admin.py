from django.contrib import admin

from redress.playbook.models import FordTick


@admin.register(FordTick)
class FordTickAdmin(admin.ModelAdmin):
    """Read-only: ticks are made on the case page, where they reach the timeline."""

    list_display = ["case", "step", "ticked_by", "ticked_at"]
    list_filter = ["step"]
    search_fields = ["case__reference"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
