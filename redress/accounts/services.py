"""Writes about staff: API tokens."""

import hashlib
import secrets
from datetime import timedelta

from redress.accounts.models import ApiToken, User
from redress.common import clock

LAST_USED_RESOLUTION = timedelta(hours=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def api_token_create(*, user: User) -> str:
    """Issue a new token for `user` and return it; it is shown once and stored only as a hash."""
    raw = "rd_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(raw), prefix=raw[:8])
    return raw


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user a token belongs to, or None for an unknown or revoked token."""
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__department")
        .filter(key_hash=_hash(raw), revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    # Kept to the hour: enough to tell a live token from a forgotten one, without a write
    # on every API call.
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
