"""Triage tests read a tiny corpus written for them (data/tiny_corpus.jsonl), never the
seed corpus: every test starts from an empty data directory and a process with no model."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from redress.triage import engine
from redress.triage.corpus import load_corpus
from redress.triage.model import TriageModel

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
