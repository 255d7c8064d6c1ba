"""What every console page shows whoever is signed in."""

from django.http import HttpRequest

from redress.notify.selectors import notifications_unread_count


def staff_inbox(request: HttpRequest) -> dict[str, int]:
    """The number beside the bell; nothing for customers and signed-out visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/console/"):
        return {}
    return {"unread_notifications": notifications_unread_count(recipient_id=user.pk)}
