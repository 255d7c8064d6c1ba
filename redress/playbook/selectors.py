"""Reads of the playbook app."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from redress.cases.models import Case
from redress.playbook import guidance
from redress.playbook.models import FordStep, FordTick

# --- Case-page guidance: the first move, risk notes, scenario handling, SPIN, F.O.R.D ---


@dataclass(frozen=True)
class FordItem:
    """One line of a case's F.O.R.D checklist."""

    step: str
    label: str
    say: str
    avoid: str
    tick: FordTick | None

    @property
    def done(self) -> bool:
        return self.tick is not None


SPIN_LABELS = {
    "situation": _("Situation"),
    "problem": _("Problem"),
    "implication": _("Implication"),
    "need_payoff": _("Need-payoff"),
}


@dataclass(frozen=True)
class SpinLetter:
    letter: str
    questions: tuple[str, str]

    @property
    def label(self) -> str:
        return str(SPIN_LABELS[self.letter])


@dataclass(frozen=True)
class CaseGuidance:
    """What the playbook tells the person handling a case, in the customer's language
    (`language`: zh or en)."""

    language: str
    emotion: str
    first_move: guidance.FirstMove
    risk_notes: list[str]
    scenario_steps: tuple[str, ...]
    spin: list[SpinLetter]
    ford: list[FordItem]

    @property
    def ford_done(self) -> int:
        return sum(1 for item in self.ford if item.done)

    @property
    def ford_percent(self) -> int:
        return round(100 * self.ford_done / len(self.ford))


def ford_checklist(*, case: Case, language: str) -> list[FordItem]:
    """The four F.O.R.D steps in order, each with its tick (who, when) if done."""
    ticks = {t.step: t for t in FordTick.objects.filter(case=case).select_related("ticked_by")}
    lang = guidance.content_language(language)
    return [
        FordItem(step=step.value, label=str(step.label), say=guidance.FORD[step][lang].say,
                 avoid=guidance.FORD[step][lang].avoid, tick=ticks.get(step.value))
        for step in FordStep
    ]


def case_guidance(*, case: Case) -> CaseGuidance:
    """The playbook for a case as it reads now (its labels, its recovery round)."""
    lang = guidance.content_language(case.language)
    spin = guidance.spin_questions(case.scenario, lang)
    return CaseGuidance(
        language=lang,
        emotion=case.emotion,
        first_move=guidance.first_move(case.emotion, lang),
        risk_notes=guidance.risk_notes(list(case.risks or []), case.recovery_round, lang),
        scenario_steps=guidance.scenario_steps(case.scenario, lang),
        spin=[SpinLetter(letter, spin[letter]) for letter in guidance.SPIN_LETTERS],
        ford=ford_checklist(case=case, language=lang),
    )
