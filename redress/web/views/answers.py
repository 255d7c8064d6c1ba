"""Standard answers (标准问答): on the case page for staff, and the customers' self-service
help pages (/help/), where a customer may find the answer before complaining."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST

from redress.accounts.models import User
from redress.cases.models import Case
from redress.cases.selectors import case_actionable_by
from redress.common.errors import DomainError, NotFound
from redress.playbook.selectors import (
    article_for_case,
    article_search,
    case_answer_filters,
    case_answer_links,
    case_answer_suggestions,
    public_article,
    public_articles,
    public_filters,
)
from redress.playbook.services import article_link_case
from redress.playbook.wording import WordingFlag

QUERY_MAX = 200
PUBLIC_LIST = 30
# The console's message view hands a refused message's text and flags to this module's
# section of the case page through the request, so the agent can rewrite it there.
_WORDING_REVIEW = "redress_wording_review"


def wording_review_attach(request: HttpRequest, *, body: str, flags: list[WordingFlag]) -> None:
    setattr(request, _WORDING_REVIEW, {"body": body, "flags": flags})


def _query(request: HttpRequest, name: str) -> str:
    return request.GET.get(name, "").strip()[:QUERY_MAX]


def case_page_context(request: HttpRequest, case: Case, user: User) -> dict[str, Any]:
    """What the case page's standard-answers section needs: the answers that best match the
    complaint, the ones already used on the case, and a search (`?aq=`)."""
    query = _query(request, "aq") if request.method == "GET" else ""
    links = list(case_answer_links(case=case))
    return {
        "answer_suggestions": case_answer_suggestions(
            case=case, used=[link.article_id for link in links]),
        "answer_links": links,
        "answer_linked_ids": {link.article_id for link in links},
        "answer_query": query,
        "answer_results": _case_search(case, query) if query else None,
        "wording_review": getattr(request, _WORDING_REVIEW, None),
    }


def _case_search(case: Case, query: str) -> list[Any]:
    # Staff search in every language: the answer may be worth reading even when the
    # customer needs it in the other one.
    return article_search(query=query, filters=case_answer_filters(case, same_language=False))


@login_required
@require_GET
def case_answers_search(request: HttpRequest, reference: str) -> HttpResponse:
    from redress.web.views import console  # console includes this module's sections

    case = console._case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    query = _query(request, "aq")
    if not request.htmx:  # type: ignore[attr-defined]
        url = reverse("web:case", args=[case.reference])
        return redirect(f"{url}?{request.GET.urlencode()}#answers")
    user = console._staff(request)
    links = case_answer_links(case=case)
    return render(request, "web/console/_answers_results.html", {
        "case": case, "answer_query": query,
        "answer_results": _case_search(case, query) if query else None,
        "answer_linked_ids": {link.article_id for link in links},
        "can_act": case_actionable_by(user, case),
    })


@login_required
@require_POST
def case_answer_link(request: HttpRequest, reference: str, article_id: int) -> HttpResponse:
    from redress.web.views import console

    case = console._case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    try:
        article_link_case(
            article=article_for_case(case=case, article_id=article_id), case=case,
            actor=console._staff(request),
        )
    except DomainError as error:
        return console._refused(request, reference, error)
    return console._after_action(request, case)


def help_index(request: HttpRequest) -> HttpResponse:
    """Search the public answers in the visitor's language; before a search, list them."""
    query = _query(request, "q")
    language = translation.get_language() or ""
    if query:
        articles = article_search(query=query, filters=public_filters(language))
    else:
        articles = list(public_articles(ui_language=language)[:PUBLIC_LIST])
    return render(request, "web/portal/help.html", {"query": query, "articles": articles})


def help_article(request: HttpRequest, article_id: int) -> HttpResponse:
    try:
        article = public_article(article_id=article_id)
    except NotFound:
        return render(request, "web/portal/help_unknown.html", status=404)
    return render(request, "web/portal/help_article.html", {"article": article})


urlpatterns: list[URLPattern] = [
    path("help/", help_index, name="help"),
    path("help/<int:article_id>/", help_article, name="help_article"),
    path("console/cases/<str:reference>/answers/", case_answers_search, name="case_answers"),
    path("console/cases/<str:reference>/answers/<int:article_id>/link/", case_answer_link,
         name="case_answer_link"),
]
