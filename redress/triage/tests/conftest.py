"""Fixtures of the triage integration tests: a chosen reading instead of the model, and
moments in time that commit as a request would."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from redress.triage import engine
from redress.triage.reading import Reading

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def reading(**values: Any) -> Reading:
    """A reading with calm, unremarkable defaults; tests name what matters to them."""
    base: dict[str, Any] = {
        "kind": "complaint", "scenario": "product_defect", "emotion": "calm", "risks": (),
        "wants": (), "lang": "zh", "priority": "P3",
        "confidence": {"kind": 0.9, "scenario": 0.8, "emotion": 0.7},
        "cues": (), "cues_by_label": {},
    }
    base.update(values)
    base["risks"], base["wants"] = tuple(base["risks"]), tuple(base["wants"])
    base["cues"] = tuple(base["cues"]) or tuple(
        dict.fromkeys(w for words in base["cues_by_label"].values() for w in words))
    return Reading(**base)


@pytest.fixture
def read_as(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[str]]:
    """Make the model read every message as `reading(**values)`; returns the texts it was
    given, so a test can see what triage read."""
    seen: list[str] = []

    def install(**values: Any) -> list[str]:
        chosen = reading(**values)

        def triage_text(text: str) -> Reading:
            seen.append(text)
            return chosen

        monkeypatch.setattr(engine, "triage_text", triage_text)
        return seen

    return install


@pytest.fixture
def moment(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    @contextmanager
    def at_moment(when: datetime) -> Iterator[None]:
        with time_machine.travel(when, tick=False), \
                django_capture_on_commit_callbacks(execute=True):
            yield

    return at_moment
