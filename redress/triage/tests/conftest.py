"""Triage tests read a tiny corpus written for them (data/tiny_corpus.jsonl), never the
seed corpus: every test starts from an empty data directory and a process with no model."""


from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from redress.triage import engine
from redress.triage.corpus import load_corpus
from redress.triage.model import TriageModel
from redress.triage.reading import Reading

DATA = Path(__file__).resolve().parent / "data"
TINY = DATA / "tiny_corpus.jsonl"


@pytest.fixture(autouse=True)
def _tiny_corpus(settings, tmp_path, monkeypatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.setenv("REDRESS_TRIAGE_CORPUS", str(TINY))
    engine.set_model(None)
    yield
    engine.set_model(None)


@pytest.fixture(scope="session")
def tiny_model() -> TriageModel:
    examples, problems = load_corpus([TINY])
    assert not problems
    model, _scores = engine.train_model(examples, folds=0, corpus="tiny")
    return model


@pytest.fixture
def with_tiny_model(tiny_model: TriageModel) -> TriageModel:
    engine.set_model(tiny_model)
    return tiny_model


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
