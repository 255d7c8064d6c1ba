"""The priority a reading implies (TAXONOMY.md): derived, never learned.

`REDRESS_TRIAGE_PRIORITY_RULE` names another function with the same signature to use
instead (a dotted path); the default is `priority_default`.
"""

from collections.abc import Callable, Sequence

from django.conf import settings
from django.utils.module_loading import import_string

PriorityRule = Callable[[str, str, Sequence[str]], str]


def priority_default(kind: str, emotion: str, risks: Sequence[str]) -> str:
    """P1 for safety or legal/media; P2 for an angry or aggrieved customer, or one about to
    leave or complaining again; P3 for other complaints; P4 for inquiries, suggestions and
    praise."""
    if "safety" in risks or "legal_media" in risks:
        return "P1"
    if emotion in ("angry", "aggrieved") or "churn" in risks or "repeat" in risks:
        return "P2"
    if kind == "complaint":
        return "P3"
    return "P4"


def priority_rule() -> PriorityRule:
    path = getattr(settings, "REDRESS_TRIAGE_PRIORITY_RULE", "") or ""
    if not path:
        return priority_default
    rule: PriorityRule = import_string(path)
    return rule


def priority_of(kind: str, emotion: str, risks: Sequence[str]) -> str:
    value = priority_rule()(kind, emotion, risks)
    return value if value in ("P1", "P2", "P3", "P4") else priority_default(kind, emotion, risks)
