"""Set-up of remedies: the catalogue and the service guarantees (supervisors and above with
access to set-up), the authority limits (administrators only), and the refused attempts
(read only)."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import Role, User
from redress.common.errors import DomainError
from redress.remedies.models import AuthorityLimit, RemedyOption, RemedyRefusal, ServiceGuarantee
from redress.remedies.services import authority_limit_set


def _is_admin(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and (user.is_superuser or user.role == Role.ADMIN)


def _supervises(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and user.is_active and user.is_staff and (
        user.is_superuser or user.is_supervisor_or_above)


class _SupervisorsEdit(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _supervises(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _supervises(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _supervises(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _supervises(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # retire an entry with “offered”/“in force”; remedies refer to it


@admin.register(RemedyOption)
class RemedyOptionAdmin(_SupervisorsEdit):
    list_display = ["code", "name_zh", "name_en", "kind", "unit", "yuan_per_unit", "cost_ratio",
                    "needs_acceptance", "active", "rank"]
    list_editable = ["active", "rank"]
    list_filter = ["kind", "unit", "active"]


class GuaranteeForm(ModelForm):
    class Meta:
        model = ServiceGuarantee
        fields = ["organisation", "name_zh", "name_en", "metric", "within_hours", "option",
                  "amount", "active", "in_force_from"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        option, amount = data.get("option"), data.get("amount")
        if option is not None and amount is not None:
            if option.unit == "none" and amount != 0:
                raise ValidationError({"amount": ValidationError(
                    _("%(remedy)s has no amount; leave it at 0."),
                    params={"remedy": option.name_zh})})
            if option.unit == "percent":
                raise ValidationError({"option": ValidationError(
                    _("A promise pays a fixed amount; choose a remedy in yuan or points."))})
        return data


@admin.register(ServiceGuarantee)
class ServiceGuaranteeAdmin(_SupervisorsEdit):
    form = GuaranteeForm
    list_display = ["name_zh", "organisation", "metric", "within_hours", "option", "amount",
                    "active", "in_force_from"]
    list_filter = ["organisation", "metric", "active"]


class AuthorityLimitForm(ModelForm):
    class Meta:
        model = AuthorityLimit
        fields = ["role", "per_case", "per_day"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field in ("per_case", "per_day"):
            if data.get(field) is not None and data[field] < 0:
                self.add_error(field, _("A limit is zero or more yuan (empty: no limit)."))
        return data


@admin.register(AuthorityLimit)
class AuthorityLimitAdmin(admin.ModelAdmin):
    form = AuthorityLimitForm
    list_display = ["role", "per_case", "per_day", "updated_by", "updated_at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _supervises(request) or _is_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _supervises(request) or _is_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: AuthorityLimit, form: Any,
                   change: bool) -> None:
        # Through the service: the same check and the same record as every other change.
        user = request.user
        assert isinstance(user, User)
        try:
            saved = authority_limit_set(actor=user, role=obj.role, per_case=obj.per_case,
                                        per_day=obj.per_day)
        except DomainError as error:
            raise ValidationError(str(error.message)) from error
        obj.pk = saved.pk


@admin.register(RemedyRefusal)
class RemedyRefusalAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "case", "reason"]
    list_filter = ["action"]
    readonly_fields = ["at", "actor", "case", "remedy", "action", "reason", "request"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
