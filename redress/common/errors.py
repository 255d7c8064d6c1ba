"""The domain's few error kinds. Each maps to one HTTP status in one place for the API
(`api/errors.py`) and one for the web console (`web/errors.py`).

Messages are user-facing and translatable; `field` names the input at fault when there is one.
"""

from typing import Any


class DomainError(Exception):
    status = 400

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class Invalid(DomainError):
    """The input itself is wrong (empty, too long, malformed)."""

    status = 422


class NotAllowed(DomainError):
    """This user may not do this (role, department, ownership)."""

    status = 403


class OverAuthority(NotAllowed):
    """Beyond the user's authority limit; needs someone else's approval."""


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """The case is not in a state that allows this, or changed under the caller."""

    status = 409
