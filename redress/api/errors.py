"""Domain errors → HTTP statuses for the API, in one place."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from redress.common.errors import DomainError


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        body: dict[str, object] = {"detail": str(exc.message), "code": type(exc).__name__}
        if exc.field:
            body["field"] = exc.field
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"detail": str(_("Missing or invalid API token.")), "code": "Unauthorized"},
            status=401,
        )

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        # Name the first field at fault at the top level, so a client need not dig.
        first = exc.errors[0] if exc.errors else {}
        location = [str(part) for part in first.get("loc", []) if part not in ("body", "payload")]
        return api.create_response(
            request,
            {"detail": exc.errors, "field": ".".join(location) or None, "code": "Invalid"},
            status=422,
        )
