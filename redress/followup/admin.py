from django.contrib import admin

from redress.followup.models import FeedbackAnswer, FollowUp, SurveyAnswer


class SurveyAnswerInline(admin.StackedInline):
    model = SurveyAnswer
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in SurveyAnswer._meta.fields]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    """Read-only: follow-ups are written by the service, and answers are the customer's."""

    list_display = ["case", "method", "status", "scheduled_for", "sent_at", "expires_at",
                    "answered_at"]
    list_filter = ["method", "status"]
    search_fields = ["case__reference"]
    readonly_fields = [f.name for f in FollowUp._meta.fields]
    inlines = [SurveyAnswerInline]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(FeedbackAnswer)
class FeedbackAnswerAdmin(admin.ModelAdmin):
    list_display = ["survey", "customer", "nps", "csat", "detractor", "case", "answered_at",
                    "source"]
    list_filter = ["survey", "detractor", "source"]
    search_fields = ["survey", "customer__name", "customer__phone", "customer__email",
                     "customer__external_id"]
    readonly_fields = [f.name for f in FeedbackAnswer._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
