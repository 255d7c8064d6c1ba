"""What triage reads out of one message (TAXONOMY.md), as every caller receives it."""

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reading:
    kind: str  # complaint | inquiry | suggestion | praise
    scenario: str  # product_defect | process_system | human_error | none
    emotion: str  # angry | anxious | confused | humorous | aggrieved | calm
    risks: tuple[str, ...]  # safety, legal_media, churn, repeat
    wants: tuple[str, ...]  # refund, replacement, repair, redo, compensation, apology, …
    lang: str  # zh | en
    priority: str  # P1 … P4, derived by the rule of TAXONOMY.md
    # Per label, how sure the reading is (0–1): kind, scenario, emotion at least.
    confidence: dict[str, float] = field(default_factory=dict)
    # The words or phrases that drove the labels, as written in the message; per label
    # under `cues_by_label`, and all of them, deduplicated, in `cues`.
    cues: tuple[str, ...] = ()
    cues_by_label: dict[str, list[str]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["risks"], data["wants"], data["cues"] = (
            list(self.risks), list(self.wants), list(self.cues))
        return data

    def labels(self) -> dict[str, Any]:
        """The fields a case stores (`cases.services.case_record_labels`)."""
        return {"kind": self.kind, "scenario": self.scenario, "emotion": self.emotion,
                "risks": list(self.risks), "wants": list(self.wants)}
