from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from redress.insights.models import Assumptions
from redress.insights.services import assumptions_save


@admin.register(Assumptions)
class AssumptionsAdmin(admin.ModelAdmin):
    """The figures the dashboard estimates with: the first-response target, the value of
    a customer kept and the silent customers behind each complaint. One row."""

    list_display = ["first_response_target_minutes", "lifetime_value", "silent_multiplier",
                    "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Assumptions.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Assumptions, form: Any,
                   change: bool) -> None:
        assumptions_save(obj)
