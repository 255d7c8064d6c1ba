from django.contrib import admin

from redress.cases.models import Case, CaseEvent, Customer


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "kind", "from_status", "to_status", "message",
                       "visible_to_customer", "before", "after"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the timeline is written by services only


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only here: cases change through the console and the API, which keep the timeline."""

    list_display = ["reference", "status", "priority", "channel", "owner", "department",
                    "received_at"]
    list_filter = ["status", "priority", "channel", "department"]
    search_fields = ["reference", "customer__name", "description"]
    inlines = [CaseEventInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email", "tier", "created_at"]
    search_fields = ["name", "phone", "email", "external_id"]
