"""Reads of what staff have been told."""

from django.db.models import QuerySet

from redress.notify.models import StaffNotification


def notifications_unread_count(*, recipient_id: int) -> int:
    return StaffNotification.objects.filter(
        recipient_id=recipient_id, read_at__isnull=True
    ).count()


def notifications_for(*, recipient_id: int, limit: int = 100) -> QuerySet[StaffNotification]:
    return StaffNotification.objects.filter(recipient_id=recipient_id)[:limit]
