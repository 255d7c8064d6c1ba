from django.contrib import admin

from redress.notify.models import OutboundEmail, OutboundWebhook


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]


@admin.register(OutboundWebhook)
class OutboundWebhookAdmin(admin.ModelAdmin):
    list_display = ["service", "status", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["service", "status"]
    readonly_fields = [f.name for f in OutboundWebhook._meta.fields]
