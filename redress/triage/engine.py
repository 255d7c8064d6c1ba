"""Triage as every caller uses it: `triage_text(text) -> Reading`.

The model is loaded once per process (thread-safe) from REDRESS_DATA_DIR/triage/model.joblib,
written by `redress triage train`. When that file is absent, unreadable, of an older model
version or trained on another corpus than the one shipped, the engine trains from the
shipped corpus once (seconds), writes the file and uses it. With no corpus and no model it
reads by the rules alone.

`triage_text` never raises, whatever the string:
- empty or blank text → kind `inquiry`, scenario `none`, emotion `calm`, no risks or wants,
  lang `zh`, priority by the rule (P4), every confidence 0;
- text with no letters or digits (only emoji or punctuation) → the model's reading with
  every confidence capped at 0.3;
- anything going wrong inside → the same defaults as empty text (and a logged error).
"""

import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings

from redress.triage.corpus import corpus_paths, fingerprint, load_corpus
from redress.triage.model import MODEL_VERSION, Prediction, TriageModel, parse
from redress.triage.priority import priority_of
from redress.triage.reading import Reading

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_model: TriageModel | None = None
_WORDY = re.compile(r"[0-9a-zA-Z\u3400-\u9fff\uf900-\ufaff]")
LOW_CONFIDENCE = 0.3
AUTO_FOLDS = 3


class ModelUnavailable(RuntimeError):
    pass


def model_path() -> Path:
    return Path(settings.DATA_DIR) / "triage" / "model.joblib"


def save_model(model: TriageModel, path: Path | None = None) -> Path:
    import joblib

    path = path or model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(handle)
    joblib.dump(model, temporary)
    os.replace(temporary, path)
    return path


def read_model(path: Path) -> TriageModel:
    import joblib

    model = joblib.load(path)
    if not isinstance(model, TriageModel) or model.version != MODEL_VERSION:
        raise ModelUnavailable(f"{path} is not a triage model of version {MODEL_VERSION}")
    return model


def train_model(examples: Sequence[Any], *, mode: str = "combined", folds: int = AUTO_FOLDS,
                corpus: str = "", progress: Any = None) -> tuple[TriageModel, dict[str, Any]]:
    model = TriageModel(mode)
    scores = model.fit(examples, folds=folds, progress=progress)
    model.meta.update(corpus=corpus, examples=len(examples), scores=scores,
                      trained_at=time.time())
    return model, scores


def load_model(*, train_if_needed: bool = True) -> TriageModel:
    """The model of this process: the saved one if it matches the shipped corpus, else one
    trained from the shipped corpus (and saved), else the rules alone."""
    paths = corpus_paths()
    current = fingerprint(paths) if paths else ""
    path = model_path()
    if path.exists():
        try:
            model = read_model(path)
            if not current or model.meta.get("corpus") == current:
                return model
            logger.info("triage model %s is stale (corpus changed); retraining", path)
        except Exception as error:  # a damaged file is replaced, not fatal
            logger.warning("triage model %s unreadable: %s", path, error)
    if not paths or not train_if_needed:
        if not paths:
            logger.warning("no triage corpus and no model: reading by the rules alone")
        return TriageModel("rules")
    examples, problems = load_corpus(paths)
    for problem in problems[:20]:
        logger.warning("triage corpus: %s", problem)
    try:
        model, _scores = train_model(examples, corpus=current)
    except Exception:
        logger.exception("triage model could not be trained: reading by the rules alone")
        return TriageModel("rules")
    try:
        save_model(model, path)
    except OSError as error:
        logger.warning("triage model could not be saved to %s: %s", path, error)
    return model


def get_model() -> TriageModel:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = load_model()
    return _model


def set_model(model: TriageModel | None) -> None:
    """Replace the process's model (after training; None: load again on next use)."""
    global _model
    with _lock:
        _model = model


def empty_reading() -> Reading:
    return Reading(kind="inquiry", scenario="none", emotion="calm", risks=(), wants=(),
                   lang="zh", priority=priority_of("inquiry", "calm", ()),
                   confidence={"kind": 0.0, "scenario": 0.0, "emotion": 0.0, "risks": 0.0,
                               "wants": 0.0})


def _reading(prediction: Prediction, lang: str, wordy: bool) -> Reading:
    confidence = dict(prediction.confidence)
    if not wordy:
        confidence = {k: min(v, LOW_CONFIDENCE) for k, v in confidence.items()}
    cues: list[str] = []
    for words in prediction.cues_by_label.values():
        for word in words:
            if word not in cues:
                cues.append(word)
    return Reading(
        kind=prediction.kind, scenario=prediction.scenario, emotion=prediction.emotion,
        risks=tuple(prediction.risks), wants=tuple(prediction.wants), lang=lang,
        priority=priority_of(prediction.kind, prediction.emotion, prediction.risks),
        confidence=confidence, cues=tuple(cues), cues_by_label=prediction.cues_by_label,
    )


def triage_many(texts: Sequence[str], *, model: TriageModel | None = None) -> list[Reading]:
    """Readings of many messages at once (faster per message than one by one)."""
    model = model or get_model()
    parsed = []
    slots: list[int] = []
    readings: list[Reading | None] = []
    for text in texts:
        item = parse(text if isinstance(text, str) else str(text))
        if not item.text.text.strip():
            readings.append(empty_reading())
            continue
        slots.append(len(readings))
        readings.append(None)
        parsed.append(item)
    for slot, item, prediction in zip(slots, parsed, model.predict_parsed(parsed),
                                      strict=True):
        readings[slot] = _reading(prediction, item.text.lang,
                                  bool(_WORDY.search(item.text.text)))
    return [r if r is not None else empty_reading() for r in readings]


def triage_text(text: str) -> Reading:
    """How the message reads (TAXONOMY.md). Never raises; see the module's docstring for
    the defaults on empty or unreadable input."""
    try:
        return triage_many([text])[0]
    except Exception:
        logger.exception("triage failed; reading with the defaults")
        return empty_reading()
