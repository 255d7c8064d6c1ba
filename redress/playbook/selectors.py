"""Reads of the playbook app."""


from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import User
from redress.cases.models import Case, Language
from redress.common.errors import NotFound
from redress.playbook import guidance, search
from redress.playbook.models import Article, ArticleCaseLink, FordStep, FordTick

SUGGESTIONS = 3


def article_search(
    *, query: str, filters: search.Filters, limit: int = 20
) -> list[Article]:
    """Published articles matching `query`, best first (see `playbook.search`)."""
    ids = search.ranked_ids(query, filters, limit)
    found = Article.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


def _case_organisation_id(case: Case) -> int | None:
    return case.department.organisation_id if case.department_id and case.department else None


def case_answer_filters(case: Case, *, same_language: bool = True) -> search.Filters:
    """What staff may be offered on a case: published answers, internal ones too, of the
    case's organisation or of every organisation."""
    return search.Filters(
        language=case.language if same_language else "",
        organisation_id=_case_organisation_id(case),
    )


def case_answer_suggestions(
    *, case: Case, limit: int = SUGGESTIONS, used: Iterable[int] | None = None
) -> list[Article]:
    """The standard answers that best match what the customer wrote (and what staff have
    recorded of their needs), in the customer's language, leaving out those already used
    (`used`: their ids, when the caller has read the case's links already)."""
    used = tuple(
        ArticleCaseLink.objects.filter(case=case).values_list("article_id", flat=True)
        if used is None else used
    )
    text = " ".join(part for part in (case.description, case.needs, case.facts) if part)
    filters = case_answer_filters(case)
    filters = search.Filters(
        language=filters.language, organisation_id=filters.organisation_id, exclude_ids=used
    )
    return article_search(query=text, filters=filters, limit=limit)


def case_answer_links(*, case: Case) -> QuerySet[ArticleCaseLink]:
    return (
        ArticleCaseLink.objects.filter(case=case)
        .select_related("article", "linked_by").order_by("linked_at", "id")
    )


def article_for_case(*, case: Case, article_id: int) -> Article:
    """A published answer that may be used on `case`; `NotFound` otherwise."""
    organisation_id = _case_organisation_id(case)
    article = (
        Article.objects.filter(pk=article_id, published=True)
        .filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))
        .first()
    )
    if article is None:
        raise NotFound(_("No such standard answer."))
    return article


def public_language(ui_language: str) -> str:
    """The articles a visitor reads: the language of the page they are on."""
    return Language.EN if ui_language.startswith("en") else Language.ZH


def public_filters(ui_language: str) -> search.Filters:
    return search.Filters(
        public_only=True, language=public_language(ui_language), any_organisation=True
    )


def public_articles(*, ui_language: str) -> QuerySet[Article]:
    """What the help page lists before anything is searched: every published public
    answer in the visitor's language, most recently updated first."""
    return Article.objects.filter(
        published=True, public=True, language=public_language(ui_language)
    ).select_related("organisation").order_by("-updated_at", "-id")


def public_article(*, article_id: int) -> Article:
    """One answer a customer may read; `NotFound` for anything unpublished or internal."""
    article = (
        Article.objects.filter(pk=article_id, published=True, public=True)
        .select_related("organisation").first()
    )
    if article is None:
        raise NotFound(_("No such standard answer."))
    return article


def staff_article_search(*, user: User, query: str, language: str = "") -> list[Article]:
    """Staff search across the answers of their organisation (all organisations for those
    who see every department)."""
    organisation_id = user.department.organisation_id if user.department else None
    filters = search.Filters(
        language=language, organisation_id=organisation_id,
        any_organisation=user.sees_all_departments,
    )
    return article_search(query=query, filters=filters)


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
