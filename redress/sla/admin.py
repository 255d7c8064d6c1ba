from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from redress.common.errors import Invalid
from redress.sla.models import BusinessCalendar, Closure, SlaPolicy, WorkingHours
from redress.sla.services import policy_validate


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "around_the_clock", "statutory_holidays"]
    inlines = [WorkingHoursInline, ClosureInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Hours and closures changed with the calendar: every process re-reads it.
        BusinessCalendar.objects.filter(pk=form.instance.pk).update(revision=F("revision") + 1)


class SlaPolicyForm(ModelForm):
    class Meta:
        model = SlaPolicy
        fields = [
            "name", "rank", "priority", "channel", "scenario", "calendar",
            "first_response", "first_response_unit", "next_reply", "next_reply_unit",
            "resolution", "resolution_unit",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            policy_validate(SlaPolicy(**cleaned))
        except Invalid as error:
            raise ValidationError({error.field or "__all__": str(error.message)}) from error
        return cleaned


@admin.action(description=_("Recount the open cases of the selected policies"))
def reapply_to_open_cases(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[SlaPolicy]
) -> None:
    from redress.sla.tasks import sla_policy_reapply

    sla_policy_reapply.enqueue(policy_ids=list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(request, _(
        "The open cases of these policies are being recounted; their deadlines change "
        "within a minute."
    ))


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    form = SlaPolicyForm
    actions = [reapply_to_open_cases]
    list_display = ["name", "rank", "priority", "channel", "scenario", "calendar",
                    "first_response", "first_response_unit", "resolution", "resolution_unit"]
    list_editable = ["rank"]
    ordering = ["rank", "id"]
