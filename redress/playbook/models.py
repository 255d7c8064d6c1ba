"""The playbook: what staff say to a customer, and how.

Knowledge base (标准问答): standard answers to the questions customers ask and complain
about, so every employee answers the same way; and the wording check: phrases that shift
the blame or promise beyond one's authority, flagged before a message goes out.
"""


from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from redress.cases.models import Language, Scenario
from redress.common import clock


class Article(models.Model):
    """One standard answer (标准问答) in one language.

    Only `published` articles are ever shown; of those, `public` ones are also shown to
    customers on the self-service help page, the others are for staff only. An article
    with no organisation applies to every organisation. `search_title` and `search_text`
    hold the words of the article as segmented for full-text search (jieba for Chinese,
    lower-cased words for English); `playbook.services` keeps them, and the search index
    built on them, in step with every save.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="articles", verbose_name=_("organisation"),
        help_text=_("Leave empty for an answer that holds for every organisation."),
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question"), help_text=_("As a customer would ask it."))
    answer = models.TextField(
        _("answer"), help_text=_("The standard answer, as it may be sent to the customer.")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ZH
    )
    scenario = models.CharField(
        _("scenario"), max_length=16, choices=Scenario.choices, blank=True
    )
    tags = models.CharField(
        _("tags"), max_length=300, blank=True,
        help_text=_("Words a customer might use, separated by commas."),
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Unpublished answers are drafts.")
    )
    public = models.BooleanField(
        _("public"), default=False,
        help_text=_("Shown to customers on the help page; otherwise for staff only."),
    )
    search_title = models.TextField(editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("standard answer")
        verbose_name_plural = _("standard answers")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["published", "public", "language"])]

    def __str__(self) -> str:
        return self.title


class ArticleCaseLink(models.Model):
    """A standard answer an agent used on a case (one row per article and case)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="case_links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    linked_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("answer used on a case")
        verbose_name_plural = _("answers used on cases")
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "case"], name="article_case_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.case_id}"


# ---------------------------------------------------------------- wording check


class WordingKind(models.TextChoices):
    BLAME = "blame", _("Shifts the blame")
    OVER_PROMISE = "over_promise", _("Promises beyond authority")


class WordingPhrase(models.Model):
    """A phrase that must not go out to a customer as written (F.O.R.D: don't shift the
    blame; no promise beyond one's authority), with the wording to use instead.

    Matching ignores case, spaces and punctuation (half- or full-width); a `*` in the
    phrase stands for a few characters of any kind (不归*管 matches 不归我们管).
    """

    phrase = models.CharField(_("phrase"), max_length=200)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ZH
    )
    kind = models.CharField(_("kind"), max_length=16, choices=WordingKind.choices)
    suggestion = models.TextField(_("say instead"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("flagged phrase")
        verbose_name_plural = _("flagged phrases")
        ordering = ["language", "kind", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["language", "phrase"], name="wording_phrase_unique"),
        ]

    def __str__(self) -> str:
        return self.phrase


class FordStep(models.TextChoices):
    """The four steps of the F.O.R.D rule (seed 004, chapter 2), in the order they are done."""

    FIRST = "first", _("First, apologise")
    ONLY = "only", _("Only the explanation that is needed")
    REMEDY = "remedy", _("Remedy, and fast")
    DONT = "dont", _("Don't shift the blame")


class FordTick(models.Model):
    """A F.O.R.D step the person handling a case has done, with who ticked it and when.

    At most one row per step per case; unticking deletes the row (the timeline keeps both
    the tick and the untick).
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="ford_ticks",
        verbose_name=_("case"),
    )
    step = models.CharField(_("step"), max_length=8, choices=FordStep.choices)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("ticked by"),
    )
    ticked_at = models.DateTimeField(_("ticked at"), default=clock.now)

    class Meta:
        verbose_name = _("F.O.R.D step done")
        verbose_name_plural = _("F.O.R.D steps done")
        ordering = ["case", "ticked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], name="ford_tick_one_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step}"
