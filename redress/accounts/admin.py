from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import ApiToken, Department, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "industry", "time_zone"]
    search_fields = ["name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "is_default_intake"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "department", "is_active"]
    list_filter = ["role", "department", "is_active"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Role in Redress"), {"fields": ("role", "department")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Role in Redress"), {"fields": ("role", "department")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at", "revoked"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]
