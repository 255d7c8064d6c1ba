"""Demo data for triage: triage has no rows of its own, so the demo readies the model.

`demo_load(organisations=..., now=...)` trains the model from the shipped seed corpus (or
loads the one already in REDRESS_DATA_DIR/triage/model.joblib) before the demo's
complaints arrive, so that the first complaint of the demo is read without waiting for
training. It returns how many corpus examples the model was trained on and the mode
(`combined`, or `rules` when no corpus is shipped). The organisations and the time are
accepted for the same signature as the other apps' demo loaders; triage reads every
organisation's complaints with the same model.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from redress.triage.engine import get_model


def demo_load(*, organisations: Iterable[Any] = (), now: datetime | None = None
              ) -> dict[str, Any]:
    model = get_model()
    return {"mode": model.mode, "examples": model.meta.get("examples", 0)}
