"""Reads triage needs from other apps: the cases whose reading staff corrected."""

from typing import Any

from redress.cases.models import Case, CaseEvent, EventKind


def confirmed_cases(*, organisation_id: int | None = None) -> list[dict[str, Any]]:
    """Cases whose labels a member of staff corrected (an event of kind `labels` with an
    actor): their description and current labels, as training examples (corpus.py keys).
    Cases not fully labelled (no kind or emotion) are left out."""
    events = CaseEvent.objects.filter(kind=EventKind.LABELS, actor__isnull=False)
    cases = Case.objects.filter(pk__in=events.values("case_id")).exclude(kind="").exclude(
        emotion="")
    if organisation_id is not None:
        cases = cases.filter(department__organisation_id=organisation_id)
    out = []
    for case in cases.order_by("pk").only("pk", "description", "kind", "scenario",
                                           "emotion", "risks", "wants", "language"):
        out.append({
            "id": f"case-{case.pk}", "text": case.description,
            "lang": "en" if case.language == "en" else "zh",
            "kind": case.kind,
            "scenario": case.scenario if case.kind == "complaint" and case.scenario
            else "none",
            "emotion": case.emotion, "risks": list(case.risks or []),
            "wants": list(case.wants or []),
        })
    return out
