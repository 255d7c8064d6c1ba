

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from redress.common.errors import Invalid
from redress.playbook.models import Article, ArticleCaseLink, FordTick, WordingPhrase
from redress.playbook.services import (
    article_clean,
    article_create,
    article_delete,
    article_update,
)

ARTICLE_FIELDS = [
    "title", "question", "answer", "language", "scenario", "tags", "published", "public",
    "organisation",
]


class ArticleForm(ModelForm):
    class Meta:
        model = Article
        fields = ARTICLE_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            article_clean({field: cleaned.get(field) for field in ARTICLE_FIELDS})
        except Invalid as error:
            raise ValidationError({error.field or "__all__": str(error.message)}) from error
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Standard answers are written through the services, so the search index follows."""

    form = ArticleForm
    list_display = ["title", "language", "scenario", "published", "public", "organisation",
                    "updated_at"]
    list_filter = ["published", "public", "language", "scenario", "organisation"]
    search_fields = ["title", "question", "tags"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        values = {field: form.cleaned_data[field] for field in ARTICLE_FIELDS}
        actor = request.user if request.user.is_authenticated else None
        if change:
            saved = article_update(article=obj, actor=actor, **values)  # type: ignore[arg-type]
        else:
            saved = article_create(actor=actor, **values)  # type: ignore[arg-type]
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        article_delete(article=obj, actor=None)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            article_delete(article=article, actor=None)


@admin.register(ArticleCaseLink)
class ArticleCaseLinkAdmin(admin.ModelAdmin):
    list_display = ["article", "case", "linked_by", "linked_at"]
    list_select_related = ["article", "case", "linked_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WordingPhrase)
class WordingPhraseAdmin(admin.ModelAdmin):
    list_display = ["phrase", "language", "kind", "suggestion", "active"]
    list_filter = ["language", "kind", "active"]
    list_editable = ["active"]
    search_fields = ["phrase", "suggestion"]


@admin.register(FordTick)
class FordTickAdmin(admin.ModelAdmin):
    """Read-only: ticks are made on the case page, where they reach the timeline."""

    list_display = ["case", "step", "ticked_by", "ticked_at"]
    list_filter = ["step"]
    search_fields = ["case__reference"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
