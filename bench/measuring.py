"""What the benchmarks that measure an existing database share: printing as they go,
Django set up on the database the environment names, percentiles, and counting the
statements of what they time."""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(message, flush=True)


def setup_django() -> None:
    """Django on DATABASE_URL, else SQLite under REDRESS_DATA_DIR."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "redress.config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


@contextmanager
def statements_counted(connection: Any) -> Iterator[list[int]]:
    """Counts the statements `connection` runs inside the block (`[count]`), one call
    added to each. Capturing them as the tests do formats every statement with its
    parameters (on SQLite with one more query each), which a timing around it would
    count as the measured code's own cost."""
    count = [0]

    def counted(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        yield count
