from collections.abc import Iterator

import pytest

from redress.cases.signals import case_moving


@pytest.fixture(autouse=True)
def _the_lifecycle_alone() -> Iterator[None]:
    """These tests check the case lifecycle of `cases` itself. The apps above it guard some
    moves (remedies through the remedy service, closing with a root cause); their own tests
    check those guards, so here they stand aside."""
    receivers = case_moving.receivers
    case_moving.receivers = []
    case_moving.sender_receivers_cache.clear()
    try:
        yield
    finally:
        case_moving.receivers = receivers
        case_moving.sender_receivers_cache.clear()
