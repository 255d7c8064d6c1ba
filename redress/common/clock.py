"""The one place Redress asks what time it is.

Tests and the demo loader move time with `travel_to`, so a deadline or a timeline can be
built as it would have happened, without sleeping.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("redress_frozen_now", default=None)


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    frozen = _frozen.get()
    return frozen if frozen is not None else timezone.now()


@contextmanager
def travel_to(moment: datetime) -> Iterator[None]:
    """Make `now()` answer `moment` inside the block."""
    if timezone.is_naive(moment):
        raise ValueError("travel_to needs a timezone-aware datetime")
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)
