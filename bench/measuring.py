"""What the benchmarks that measure an existing database share: printing as they go,
Django set up on the database the environment names, and percentiles."""

import os
import sys
from pathlib import Path

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
