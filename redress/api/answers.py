"""Standard answers (标准问答) and the wording check over the API."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from redress.api.auth import StaffToken, staff
from redress.api.schemas import ErrorOut, MessageIn
from redress.cases.selectors import case_get_for
from redress.playbook.selectors import article_for_case, staff_article_search
from redress.playbook.services import article_link_case, message_wording_check
from redress.playbook.wording import WordingFlag

router = Router(tags=["answers"], auth=StaffToken())

ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut
}


class WordingFlagOut(Schema):
    phrase: str
    matched: str
    start: int
    end: int
    kind: str
    suggestion: str


class CheckedMessageIn(MessageIn):
    """A message to the customer; `confirm_wording` sends it even with flagged wording."""

    confirm_wording: bool = False


class WordingErrorOut(ErrorOut):
    flags: list[WordingFlagOut] = []


def flags_out(flags: list[WordingFlag]) -> list[dict[str, Any]]:
    return [flag.as_json() for flag in flags]


class WordingCheckIn(Schema):
    text: str
    language: str = "zh"


class ArticleOut(Schema):
    id: int
    title: str
    question: str
    answer: str
    language: str
    scenario: str
    tags: str
    public: bool


ARTICLE_FIELDS = ("id", "title", "question", "answer", "language", "scenario", "tags", "public")


@router.get("/answers", response={200: list[ArticleOut], **ERRORS})
def search_answers(
    request: HttpRequest, q: str = Query(..., max_length=200), language: str = ""
) -> list[dict[str, Any]]:
    """The published standard answers matching `q`, best first."""
    articles = staff_article_search(user=staff(request), query=q, language=language)
    return [{f: getattr(a, f) for f in ARTICLE_FIELDS} for a in articles]


@router.post("/cases/{reference}/answers/{article_id}", response={201: ArticleOut, **ERRORS})
def link_answer(
    request: HttpRequest, reference: str, article_id: int
) -> tuple[int, dict[str, Any]]:
    """Record that a standard answer was used on the case (a note on its timeline)."""
    user = staff(request)
    case = case_get_for(user=user, reference=reference)
    article = article_for_case(case=case, article_id=article_id)
    article_link_case(article=article, case=case, actor=user)
    return 201, {f: getattr(article, f) for f in ARTICLE_FIELDS}


@router.post("/wording-check", response={200: list[WordingFlagOut], **ERRORS})
def check_wording(request: HttpRequest, payload: WordingCheckIn) -> list[dict[str, Any]]:
    """The phrases in `text` that shift the blame or promise beyond authority."""
    staff(request)
    return flags_out(message_wording_check(payload.text[:10_000], payload.language))
