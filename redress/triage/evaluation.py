"""Measuring a reading against gold labels: per-label precision, recall and F1, macro-F1,
accuracy and a confusion matrix for the single labels; per-label and micro scores for
risks and wants. Also the two public data sets of ../shared/data (read in place, never
copied): review polarity (neg → complaint, pos → praise) and Weibo emotions (anger)."""

import csv
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from redress.triage.corpus import MULTI, SINGLE, Example


class Labelled(Protocol):
    kind: str
    scenario: str
    emotion: str
    risks: tuple[str, ...]
    wants: tuple[str, ...]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "support": tp + fn}


def score(gold: Sequence[Example], predicted: Sequence[Labelled]) -> dict[str, Any]:
    result: dict[str, Any] = {"n": len(gold)}
    for name, classes in SINGLE.items():
        pairs = [(getattr(g, name), getattr(p, name)) for g, p in zip(gold, predicted,
                                                                     strict=True)]
        if name == "scenario":
            # Scenario is measured where it means something: on the gold complaints.
            pairs = [(a, b) for (a, b), g in zip(pairs, gold, strict=True)
                     if g.kind == "complaint"]
        labels = [c for c in classes if any(a == c or b == c for a, b in pairs)]
        per = {}
        for label in labels:
            tp = sum(1 for a, b in pairs if a == label and b == label)
            fp = sum(1 for a, b in pairs if a != label and b == label)
            fn = sum(1 for a, b in pairs if a == label and b != label)
            per[label] = _prf(tp, fp, fn)
        gold_labels = [label for label in labels if per[label]["support"]]
        result[name] = {
            "accuracy": round(sum(a == b for a, b in pairs) / len(pairs), 4) if pairs else 0.0,
            "macro_f1": round(sum(per[label]["f1"] for label in gold_labels)
                              / len(gold_labels), 4) if gold_labels else 0.0,
            "labels": per,
            "confusion": {a: {b: sum(1 for x, y in pairs if x == a and y == b)
                              for b in labels} for a in labels},
            "n": len(pairs),
        }
    for name, classes in MULTI.items():
        per = {}
        totals = [0, 0, 0]
        for label in classes:
            tp = fp = fn = 0
            for g, p in zip(gold, predicted, strict=True):
                in_gold, in_pred = label in getattr(g, name), label in getattr(p, name)
                tp += in_gold and in_pred
                fp += in_pred and not in_gold
                fn += in_gold and not in_pred
            per[label] = _prf(tp, fp, fn)
            totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
        micro = _prf(*totals)
        present = [label for label in classes if per[label]["support"]]
        result[name] = {
            "micro": micro,
            "macro_f1": round(sum(per[label]["f1"] for label in present) / len(present), 4)
            if present else 0.0,
            "labels": per,
        }
    return result


def headline(result: dict[str, Any]) -> dict[str, float]:
    """The figures of the issue, in one flat dict."""
    return {
        "kind_accuracy": result["kind"]["accuracy"],
        "scenario_macro_f1": result["scenario"]["macro_f1"],
        "emotion_macro_f1": result["emotion"]["macro_f1"],
        "risks_recall": result["risks"]["micro"]["recall"],
        "risks_precision": result["risks"]["micro"]["precision"],
        "wants_micro_f1": result["wants"]["micro"]["f1"],
    }


TARGETS = {"kind_accuracy": 0.92, "scenario_macro_f1": 0.85, "emotion_macro_f1": 0.75,
           "risks_recall": 0.95, "risks_precision": 0.85, "wants_micro_f1": 0.80}


def report(result: dict[str, Any]) -> str:
    lines: list[str] = [f"examples: {result['n']}"]
    for name in SINGLE:
        block = result[name]
        lines.append("")
        lines.append(f"== {name}  (n={block['n']})  accuracy {block['accuracy']:.3f}  "
                     f"macro-F1 {block['macro_f1']:.3f}")
        lines.append(f"  {'label':<16}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
        for label, values in block["labels"].items():
            lines.append(f"  {label:<16}{values['precision']:>7.3f}{values['recall']:>7.3f}"
                         f"{values['f1']:>7.3f}{values['support']:>6}")
        labels = list(block["confusion"])
        short = [label[:8] for label in labels]
        lines.append("  confusion (rows gold, columns predicted):")
        lines.append("  " + " " * 16 + "".join(f"{s:>9}" for s in short))
        for label in labels:
            row = block["confusion"][label]
            lines.append(f"  {label:<16}" + "".join(f"{row[c]:>9}" for c in labels))
    for name in MULTI:
        block = result[name]
        micro = block["micro"]
        lines.append("")
        lines.append(f"== {name}  micro P {micro['precision']:.3f} R {micro['recall']:.3f} "
                     f"F1 {micro['f1']:.3f}  macro-F1 {block['macro_f1']:.3f}")
        lines.append(f"  {'label':<16}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
        for label, values in block["labels"].items():
            lines.append(f"  {label:<16}{values['precision']:>7.3f}{values['recall']:>7.3f}"
                         f"{values['f1']:>7.3f}{values['support']:>6}")
    lines.append("")
    lines.append("== headline (target)")
    for key, value in headline(result).items():
        mark = "ok" if value >= TARGETS[key] else "below"
        lines.append(f"  {key:<20}{value:>7.3f}  (≥ {TARGETS[key]:.2f}, {mark})")
    return "\n".join(lines)


# ---- public data sets ------------------------------------------------------------------
def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


ReadMany = Callable[[list[str]], list[Any]]


def reviews_score(path: Path, read_many: ReadMany, *, limit: int | None = None,
                  batch: int = 2000) -> dict[str, Any]:
    """Review polarity: neg → complaint, pos → praise. `accuracy` compares the two
    probabilities (complaint vs praise: the question the data set can answer);
    `strict_accuracy` counts every other kind as wrong."""
    gold: list[str] = []
    texts: list[str] = []
    for row in _rows(path):
        if row.get("label") not in ("neg", "pos"):
            continue
        gold.append("complaint" if row["label"] == "neg" else "praise")
        texts.append(row.get("text") or "")
        if limit and len(texts) >= limit:
            break
    binary = strict = 0
    kinds: dict[str, int] = {}
    for start in range(0, len(texts), batch):
        for g, p in zip(gold[start:start + batch], read_many(texts[start:start + batch]),
                        strict=True):
            kinds[p.kind] = kinds.get(p.kind, 0) + 1
            strict += p.kind == g
            probabilities = getattr(p, "probabilities", {}).get("kind")
            if probabilities:
                guess = ("complaint" if probabilities["complaint"] >= probabilities["praise"]
                         else "praise")
            else:
                guess = "praise" if p.kind == "praise" else "complaint"
            binary += guess == g
    n = max(len(texts), 1)
    return {"n": len(texts), "accuracy": round(binary / n, 4),
            "strict_accuracy": round(strict / n, 4), "predicted_kinds": kinds}


def emotions_score(path: Path, read_many: ReadMany, *, limit: int | None = None,
                   batch: int = 2000) -> dict[str, Any]:
    """Weibo emotions (NLPCC 2013): our `angry` against the data set's `anger` label."""
    gold: list[bool] = []
    texts: list[str] = []
    for row in _rows(path):
        gold.append(row.get("emotion") == "anger")
        texts.append(row.get("text") or "")
        if limit and len(texts) >= limit:
            break
    tp = fp = fn = 0
    for start in range(0, len(texts), batch):
        for g, p in zip(gold[start:start + batch], read_many(texts[start:start + batch]),
                        strict=True):
            angry = p.emotion == "angry"
            tp += g and angry
            fp += angry and not g
            fn += g and not angry
    scores = _prf(tp, fp, fn)
    scores["n"] = len(texts)
    return scores
