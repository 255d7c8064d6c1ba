from django.http import HttpRequest
from ninja.security import HttpBearer

from redress.accounts.models import User
from redress.accounts.services import api_token_authenticate


class StaffToken(HttpBearer):
    """`Authorization: Bearer <token>` from `redress token create USERNAME`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


def staff(request: HttpRequest) -> User:
    """The authenticated staff member behind a request."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
