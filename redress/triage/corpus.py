"""The seed corpus (redress/triage/corpus/*.jsonl) and gold files: reading, checking,
fingerprinting, and the deterministic held-out split.

A line: {"id", "text", "lang", "industry", "channel", "kind", "scenario", "emotion",
"risks", "wants"} with the values of TAXONOMY.md.
"""

import csv
import glob
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

KINDS = ("complaint", "inquiry", "suggestion", "praise")
SCENARIOS = ("product_defect", "process_system", "human_error", "none")
EMOTIONS = ("angry", "anxious", "confused", "humorous", "aggrieved", "calm")
RISKS = ("safety", "legal_media", "churn", "repeat")
WANTS = ("refund", "replacement", "repair", "redo", "compensation", "apology", "explanation",
         "fix_fast", "accountability")
SINGLE = {"kind": KINDS, "scenario": SCENARIOS, "emotion": EMOTIONS}
MULTI = {"risks": RISKS, "wants": WANTS}

HELDOUT_SHARE = 20  # per cent of ids, by hash, never trained on with --holdout


@dataclass
class Example:
    id: str
    text: str
    kind: str
    scenario: str
    emotion: str
    risks: tuple[str, ...] = ()
    wants: tuple[str, ...] = ()
    lang: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def label(self, name: str) -> object:
        return getattr(self, name)


class CorpusError(ValueError):
    pass


def corpus_paths(pattern: str | None = None) -> list[Path]:
    """The corpus files: those a glob names (comma-separated globs allowed; the
    environment variable REDRESS_TRIAGE_CORPUS when none is given), else the package's."""
    pattern = pattern or os.environ.get("REDRESS_TRIAGE_CORPUS", "")
    if not pattern:
        return sorted(CORPUS_DIR.glob("*.jsonl"))
    found: set[str] = set()
    for part in pattern.split(","):
        found.update(glob.glob(part.strip()))
    return sorted(Path(p) for p in found)


def fingerprint(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _as_list(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [v for v in value.replace(";", ",").replace("|", ",").split(",")]
    if not isinstance(value, list | tuple):
        raise CorpusError(f"not a list: {value!r}")
    return tuple(sorted({str(v).strip() for v in value if str(v).strip()}))


def example_from(data: dict[str, object], where: str) -> Example:
    """An example from one record, its labels checked against TAXONOMY.md."""
    text = data.get("text")
    if not isinstance(text, str):
        raise CorpusError(f"{where}: no text")
    values: dict[str, object] = {}
    for name, allowed in SINGLE.items():
        value = str(data.get(name) or "").strip()
        if name == "scenario" and not value:
            value = "none"
        if value not in allowed:
            raise CorpusError(f"{where}: {name} {value!r} is not one of {', '.join(allowed)}")
        values[name] = value
    for name, allowed_multi in MULTI.items():
        items = _as_list(data.get(name))
        wrong = [v for v in items if v not in allowed_multi]
        if wrong:
            raise CorpusError(f"{where}: {name} {wrong!r} not in {', '.join(allowed_multi)}")
        values[name] = items
    return Example(
        id=str(data.get("id") or where), text=text, lang=str(data.get("lang") or ""),
        extra={k: str(data[k]) for k in ("industry", "channel") if k in data},
        **values,  # type: ignore[arg-type]
    )


def read_gold(path: Path, *, strict: bool = False) -> tuple[list[Example], list[str]]:
    """Examples from a JSONL or CSV gold file (CSV: columns named like the JSON keys, lists
    separated by commas or semicolons). Bad lines are reported, not fatal, unless
    `strict`."""
    examples: list[Example] = []
    problems: list[str] = []

    def records() -> Iterator[tuple[str, object]]:
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for number, row in enumerate(csv.DictReader(handle), start=2):
                    yield f"{path.name}:{number}", row
            return
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield f"{path.name}:{number}", json.loads(line)
                except json.JSONDecodeError as error:
                    yield f"{path.name}:{number}", CorpusError(f"invalid JSON ({error.msg})")

    for where, record in records():
        try:
            if isinstance(record, Exception):
                raise record
            if not isinstance(record, dict):
                raise CorpusError("not an object")
            examples.append(example_from(record, where))
        except CorpusError as error:
            message = str(error) if str(error).startswith(where) else f"{where}: {error}"
            if strict:
                raise CorpusError(message) from None
            problems.append(message)
    return examples, problems


def load_corpus(paths: list[Path]) -> tuple[list[Example], list[str]]:
    examples: list[Example] = []
    problems: list[str] = []
    seen: set[str] = set()
    for path in paths:
        found, bad = read_gold(path)
        problems.extend(bad)
        for example in found:
            if example.id in seen:
                problems.append(f"{path.name}: duplicate id {example.id}")
                continue
            seen.add(example.id)
            examples.append(example)
    return examples, problems


def is_heldout(example_id: str) -> bool:
    """The deterministic held-out fifth: by a hash of the id, so it never moves when lines
    are added."""
    value = int(hashlib.sha1(example_id.encode(), usedforsecurity=False).hexdigest()[:8], 16)
    return value % 100 < HELDOUT_SHARE


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    train = [e for e in examples if not is_heldout(e.id)]
    held = [e for e in examples if is_heldout(e.id)]
    return train, held
