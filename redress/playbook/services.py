"""Every write of the playbook app."""


import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import User
from redress.cases.models import Case, CaseEvent, EventKind, Language, Scenario
from redress.cases.selectors import case_actionable_by, case_visible_to
from redress.cases.services import case_add_message, case_log
from redress.cases.validation import (
    MESSAGE_MAX,
    clean_choice,
    clean_long_text,
    clean_short_text,
)
from redress.common import clock
from redress.common.errors import Conflict, Invalid, NotAllowed, NotFound
from redress.playbook import search
from redress.playbook.models import Article, ArticleCaseLink, FordStep, FordTick, WordingPhrase
from redress.playbook.wording import Phrase, WordingFlag, find

TITLE_MAX = 200
TAGS_MAX = 300
ANSWER_MAX = 10_000
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")


def _clean_tags(value: str | None) -> str:
    tags = list(dict.fromkeys(t for t in _TAG_SPLIT.split(value or "") if t))
    text = ", ".join(tags)
    if len(text) > TAGS_MAX:
        raise Invalid(
            _("At most %(max)d characters are accepted here.") % {"max": TAGS_MAX}, field="tags"
        )
    return text


def _require_editor(actor: User | None) -> None:
    # The standard answers are what every employee says: supervisors and above write them.
    if actor is not None and not actor.is_supervisor_or_above:
        raise NotAllowed(_("Only supervisors and administrators edit the standard answers."))


def article_clean(values: dict[str, Any]) -> dict[str, Any]:
    """The article fields in `values`, checked and normalised; `Invalid` names the first
    field at fault."""
    cleaned: dict[str, Any] = {}
    if "title" in values:
        cleaned["title"] = clean_short_text(values["title"], field="title", max_length=TITLE_MAX)
        if not cleaned["title"]:
            raise Invalid(_("Please write something here."), field="title")
    for field in ("question", "answer"):
        if field in values:
            cleaned[field] = clean_long_text(
                values[field], field=field, max_length=ANSWER_MAX, required=True
            ).strip()
    if "language" in values:
        cleaned["language"] = clean_choice(
            values["language"], field="language", choices=list(Language.values)
        )
    if "scenario" in values:
        cleaned["scenario"] = clean_choice(
            values["scenario"] or "", field="scenario", choices=["", *Scenario.values]
        )
    if "tags" in values:
        cleaned["tags"] = _clean_tags(values["tags"])
    for flag in ("published", "public"):
        if flag in values:
            cleaned[flag] = bool(values[flag])
    if "organisation" in values:
        cleaned["organisation"] = values["organisation"]
    unknown = set(values) - set(cleaned)
    if unknown:
        field = sorted(unknown)[0]
        raise Invalid(_("“%(field)s” cannot be changed here.") % {"field": field}, field=field)
    return cleaned


def _reindex(article: Article) -> None:
    article.search_title = search.segmented(article.title)
    article.search_text = search.segmented(
        " ".join([article.question, article.answer, article.tags.replace(",", " ")])
    )


def article_create(
    *,
    actor: User | None,
    title: str,
    question: str,
    answer: str,
    language: str = Language.ZH,
    scenario: str = "",
    tags: str = "",
    published: bool = False,
    public: bool = False,
    organisation: Any = None,
) -> Article:
    """Write a standard answer and put it in the search index in the same transaction.
    Raises `Invalid` (naming the field) and stores nothing when any input is wrong."""
    _require_editor(actor)
    fields = article_clean({
        "title": title, "question": question, "answer": answer, "language": language,
        "scenario": scenario, "tags": tags, "published": published, "public": public,
        "organisation": organisation,
    })
    now = clock.now()
    article = Article(**fields, created_at=now, updated_at=now, updated_by=actor)
    _reindex(article)
    with transaction.atomic():
        article.save()
        search.index_article(article.pk, article.search_title, article.search_text)
    return article


def article_update(*, article: Article, actor: User | None, **values: Any) -> Article:
    """Change a standard answer; its index entry changes with it."""
    _require_editor(actor)
    fields = article_clean(values)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        for field, value in fields.items():
            setattr(article, field, value)
        article.updated_at = clock.now()
        article.updated_by = actor
        _reindex(article)
        article.save()
        search.index_article(article.pk, article.search_title, article.search_text)
    return article


def article_delete(*, article: Article, actor: User | None) -> None:
    """Remove a standard answer and its index entry. The cases it was used on keep the
    timeline note that says so."""
    _require_editor(actor)
    with transaction.atomic():
        article_id = article.pk
        article.delete()
        search.unindex_article(article_id)


def article_link_case(*, article: Article, case: Case, actor: User) -> ArticleCaseLink:
    """Record that a standard answer was used on a case, once, with a note on the case's
    timeline. Linking again returns the existing link and writes nothing."""
    if not case_visible_to(actor, case):
        raise NotFound(_("No such case."))
    if not case_actionable_by(actor, case):
        raise NotAllowed(
            _("This case belongs to %(owner)s. Ask them or a supervisor to hand it over.")
            % {"owner": case.owner.display_name if case.owner else "-"}
        )
    organisation_id = case.department.organisation_id if case.department else None
    if not article.published or (
        article.organisation_id is not None and article.organisation_id != organisation_id
    ):
        raise NotFound(_("No such standard answer."))
    with transaction.atomic():
        link, created = ArticleCaseLink.objects.get_or_create(
            article=article, case=case, defaults={"linked_by": actor, "linked_at": clock.now()},
        )
        if created:
            case_log(
                case=case, actor=actor, kind=EventKind.NOTE,
                message=str(_("Standard answer used: “%(title)s” (#%(id)d)")
                            % {"title": article.title, "id": article.pk}),
                after={"article": article.pk},
            )
    return link


# ---------------------------------------------------------------- wording check


class WordingFlagged(Invalid):
    """A message to the customer holds flagged wording and the sender has not confirmed
    they mean to send it as written. Nothing was sent."""

    def __init__(self, flags: list[WordingFlag]) -> None:
        super().__init__(
            _("Some of this wording shifts the blame or promises more than you may. "
              "Rewrite it, or confirm that you want to send it as written."),
            field="body",
        )
        self.flags = flags

    def with_suggestions(self) -> str:
        """The refusal with each flagged phrase and what to say instead, for a form that
        shows it in one line."""
        hints = "；".join(f"“{f.matched}” → {f.suggestion}" if f.suggestion else f"“{f.matched}”"
                         for f in self.flags)
        return f"{self.message} {hints}"


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]")


def message_wording_check(text: str, language: str) -> list[WordingFlag]:
    """The phrases in `text` that shift the blame or promise beyond authority, each with
    where it is and what to say instead. `language` ('zh' or 'en', the customer's) picks
    the phrase list; a message that mixes in the other script is checked against that
    language's phrases too."""
    languages = {"en" if language.startswith("en") else "zh"}
    if _HAN.search(text or ""):
        languages.add("zh")
    if _LATIN_LETTER.search(text or ""):
        languages.add("en")
    phrases = [
        Phrase(phrase=p.phrase, kind=p.kind, suggestion=p.suggestion, language=p.language)
        for p in WordingPhrase.objects.filter(active=True, language__in=languages)
    ]
    return find(text or "", phrases)


def wording_guard(*, case: Case, text: str | None, confirmed: bool = False) -> None:
    """For a message that goes out with another action (the apology with acknowledging,
    an offer, the resolution): refuse it with `WordingFlagged` when it shifts the blame or
    over-promises, unless the sender confirmed it. The refusal names each phrase and what
    to say instead."""
    if not text or confirmed:
        return
    flags = message_wording_check(text, case.language)
    if flags:
        raise WordingFlagged(flags)


def customer_message_send(
    *, case: Case, actor: User, body: str, to_customer: bool = True,
    confirm_wording: bool = False,
) -> CaseEvent:
    """Send a message to the customer (or leave an internal note) after the wording check.

    A message to the customer with flagged wording is refused with `WordingFlagged`
    unless `confirm_wording`; confirmed, it goes out and a note on the timeline records
    which flagged phrases were sent as written. Internal notes are not checked.
    """
    body = clean_long_text(body, field="body", max_length=MESSAGE_MAX, required=True)
    flags = message_wording_check(body, case.language) if to_customer else []
    if flags and not confirm_wording:
        raise WordingFlagged(flags)
    with transaction.atomic():
        event = case_add_message(case=case, actor=actor, body=body, to_customer=to_customer)
        if flags:
            case_log(
                case=case, actor=actor, kind=EventKind.NOTE,
                message=str(_("Sent with flagged wording, as written: %(phrases)s")
                            % {"phrases": "、".join(f"“{f.matched}”" for f in flags)}),
                after={"wording_flags": [f.as_json() for f in flags], "message": event.pk},
            )
    return event


def _ford_case(case: Case, actor: User) -> Case:
    # The case's row lock orders two ticks of the same step from two tabs: the second
    # sees the first's row and does nothing.
    try:
        locked = Case.objects.select_for_update().get(pk=case.pk)
    except Case.DoesNotExist as exc:
        raise NotFound(_("No such case.")) from exc
    if not case_visible_to(actor, locked):
        raise NotFound(_("No such case."))
    if not case_actionable_by(actor, locked):
        raise NotAllowed(_("Only the person handling this case or a supervisor can tick "
                           "its F.O.R.D steps."))
    if not locked.is_open:
        raise Conflict(_("This case is closed."))
    return locked


def _ford_note(case: Case, actor: User, step: str, *, done: bool) -> None:
    # Timeline notes are for staff: written in the site's language, like staff alerts.
    with translation.override(settings.LANGUAGE_CODE):
        label = str(FordStep(step).label)
        text = (gettext("F.O.R.D step done: %(step)s.") if done
                else gettext("F.O.R.D step unticked: %(step)s.")) % {"step": label}
    case_log(case=case, actor=actor, kind=EventKind.NOTE, message=text,
             after={"ford_step": step, "done": done})


def ford_step_tick(*, case: Case, actor: User, step: str) -> FordTick:
    """Mark a F.O.R.D step done on an open case, by its handler or a supervisor, and put
    it on the timeline. Ticking a step already ticked changes nothing."""
    step = clean_choice(step, field="step", choices=list(FordStep.values))
    with transaction.atomic():
        locked = _ford_case(case, actor)
        existing = FordTick.objects.filter(case=locked, step=step).first()
        if existing is not None:
            return existing
        tick = FordTick.objects.create(case=locked, step=step, ticked_by=actor,
                                       ticked_at=clock.now())
        _ford_note(locked, actor, step, done=True)
    return tick


def ford_step_untick(*, case: Case, actor: User, step: str) -> None:
    """Take a tick back (it was ticked by mistake), on the timeline too. Unticking a step
    not ticked changes nothing."""
    step = clean_choice(step, field="step", choices=list(FordStep.values))
    with transaction.atomic():
        locked = _ford_case(case, actor)
        deleted, _rows = FordTick.objects.filter(case=locked, step=step).delete()
        if deleted:
            _ford_note(locked, actor, step, done=False)
