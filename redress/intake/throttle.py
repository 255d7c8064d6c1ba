"""How much one address may send to the public intake (form and public API)."""

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle


class PublicIntakeThrottle(AnonRateThrottle):
    """Per-address limit read from `REDRESS_PUBLIC_RATE` on every request, so a change of
    setting takes effect without a restart of the URL configuration; empty means no limit."""

    scope = "public_intake"

    def __init__(self) -> None:
        self.rate = None
        self.num_requests, self.duration = None, None

    def allow_request(self, request: HttpRequest) -> bool:
        rate = settings.REDRESS_PUBLIC_RATE
        if not rate:
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


def public_intake_allowed(request: HttpRequest) -> bool:
    return PublicIntakeThrottle().allow_request(request)
