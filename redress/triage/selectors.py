"""Reads triage needs from other apps: the cases whose reading staff corrected."""


from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from redress.accounts.models import Department, User
from redress.cases.models import (
    Case,
    CaseEvent,
    Emotion,
    EventKind,
    Kind,
    Risk,
    Scenario,
    Status,
    Want,
)
from redress.cases.selectors import case_visible_to
from redress.triage.models import CaseLink, LinkKind, TriageRecord


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


LABEL_FIELDS = ("kind", "scenario", "emotion", "risks", "wants")
_CHOICES: dict[str, Any] = {"kind": Kind, "scenario": Scenario, "emotion": Emotion,
                            "risks": Risk, "wants": Want}


@dataclass(frozen=True)
class LinkedCase:
    reference: str
    status: str
    received_at: Any
    kind: str
    score: float | None
    visible: bool  # whether the reader may open it: otherwise only its existence is shown

    @property
    def status_display(self) -> str:
        return str(Status(self.status).label)


@dataclass(frozen=True)
class LabelCues:
    """One label the case carries now, with the words triage read it from and how sure
    it was; empty when staff set a label triage did not give."""

    field: str
    value: str
    cues: list[str]
    confidence: float | None

    @property
    def display(self) -> str:
        choices = _CHOICES[self.field]
        return str(choices(self.value).label) if self.value in choices.values else self.value

    @property
    def percent(self) -> int | None:
        return None if self.confidence is None else round(self.confidence * 100)


@dataclass(frozen=True)
class TriageView:
    record: TriageRecord | None
    labels: list[LabelCues] = field(default_factory=list)
    suggested_department: Department | None = None
    repeats: list[LinkedCase] = field(default_factory=list)
    duplicates: list[LinkedCase] = field(default_factory=list)  # this case may repeat these
    duplicated_by: list[LinkedCase] = field(default_factory=list)  # these may repeat this one
    merged_into: list[LinkedCase] = field(default_factory=list)
    merged_from: list[LinkedCase] = field(default_factory=list)

    @property
    def move_suggested(self) -> bool:
        dept = self.suggested_department
        return dept is not None and self.record is not None \
            and self.record.case.department_id != dept.pk


def _cues_for(reading: dict[str, Any], field_name: str, value: str) -> list[str]:
    by_label = reading.get("cues_by_label") or {}
    # A reader may key cues by the field ("scenario") or by the value ("refund").
    if field_name in ("risks", "wants"):
        return list(by_label.get(value) or [])
    return list(by_label.get(field_name) or by_label.get(value) or [])


def label_cues(case: Case, record: TriageRecord | None) -> list[LabelCues]:
    """The case's labels now, each with triage's cues and confidence where triage gave
    the same value (a label staff changed has none)."""
    reading = record.reading if record else {}
    confidence = reading.get("confidence") or {}
    out = []
    for name in LABEL_FIELDS:
        current = getattr(case, name)
        values = list(current) if isinstance(current, list) else ([current] if current else [])
        read = reading.get(name)
        read_values = set(read) if isinstance(read, list) else {read}
        for value in values:
            by_triage = value in read_values
            out.append(LabelCues(
                field=name, value=value,
                cues=_cues_for(reading, name, value) if by_triage else [],
                confidence=confidence.get(name if name not in ("risks", "wants") else value)
                if by_triage else None,
            ))
    return out


def _linked(link_case: Case, kind: str, score: float | None, user: User | None) -> LinkedCase:
    return LinkedCase(
        reference=link_case.reference, status=link_case.status,
        received_at=link_case.received_at, kind=kind, score=score,
        visible=user is None or case_visible_to(user, link_case),
    )


def case_triage_view(*, case: Case, user: User | None = None) -> TriageView:
    """What the case page shows of triage: the cues of each label, the suggested
    department, and the cases linked to this one in either direction."""
    record = (TriageRecord.objects.select_related("suggested_department", "case")
              .filter(case=case).first())
    links = list(CaseLink.objects.filter(Q(case=case) | Q(other=case))
                 .select_related("case", "other"))
    # Each list newest first, by when the case at the other end was received.
    outgoing = sorted((x for x in links if x.case_id == case.pk),
                      key=lambda x: x.other.received_at, reverse=True)
    incoming = sorted((x for x in links if x.other_id == case.pk),
                      key=lambda x: x.case.received_at, reverse=True)
    return TriageView(
        record=record,
        labels=label_cues(case, record),
        suggested_department=record.suggested_department if record else None,
        repeats=[_linked(x.other, x.kind, x.score, user) for x in outgoing
                 if x.kind == LinkKind.REPEAT],
        duplicates=[_linked(x.other, x.kind, x.score, user) for x in outgoing
                    if x.kind == LinkKind.DUPLICATE_SUGGESTED],
        merged_into=[_linked(x.other, x.kind, x.score, user) for x in outgoing
                     if x.kind == LinkKind.MERGED],
        duplicated_by=[_linked(x.case, x.kind, x.score, user) for x in incoming
                       if x.kind == LinkKind.DUPLICATE_SUGGESTED],
        merged_from=[_linked(x.case, x.kind, x.score, user) for x in incoming
                     if x.kind == LinkKind.MERGED],
    )


def case_labels_extra(*, case: Case) -> dict[str, Any]:
    """`cues` and `confidence` for the case JSON's `labels`, from what triage read on
    intake (empty when triage did not read it)."""
    record = TriageRecord.objects.filter(case=case).only("reading").first()
    reading = record.reading if record else {}
    return {
        "cues": {c.field if c.field not in ("risks", "wants") else c.value: c.cues
                 for c in label_cues(case, record) if c.cues},
        "all_cues": list(reading.get("cues") or []),
        "confidence": dict(reading.get("confidence") or {}),
    }


# -- training data from staff corrections (intake integration) -----------------------------


def corrected_cases() -> list[tuple[str, dict[str, Any]]]:
    """Every case a member of staff corrected the reading of (a LABELS event with an
    actor), as (the customer's words, the case's labels now), oldest case first: the
    corrections `redress triage train` learns from."""
    corrected = (CaseEvent.objects.filter(kind=EventKind.LABELS, actor__isnull=False)
                 .values("case_id"))
    return [
        (row["description"], {name: row[name] for name in LABEL_FIELDS})
        for row in Case.objects.filter(pk__in=corrected).order_by("pk")
        .values("description", *LABEL_FIELDS)
    ]
