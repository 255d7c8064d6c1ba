"""API endpoints of the followup app: the customer's survey answer (public, by its signed
link) and general survey answers from other tools (staff token)."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import StrictBool

from redress.api.auth import StaffToken, staff
from redress.api.schemas import ErrorOut
from redress.followup import content
from redress.followup.services import survey_answer, survey_open
from redress.intake.feedback import feedback_receive
from redress.intake.throttle import PublicIntakeThrottle

router = Router(tags=["followup"])

PUBLIC_ERRORS: dict[int, type[ErrorOut]] = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut,
                                            429: ErrorOut}


class SurveyIn(Schema):
    solved: str
    satisfaction: int
    outcome_fair: int | None = None
    process_fair: int | None = None
    interaction_fair: int | None = None
    recommend: int | None = None
    # Strict: JSON's true or false only, so that a "maybe" or a 2 is a 422, not a guess.
    would_return: StrictBool | None = None
    comment: str | None = None


class SurveyOut(Schema):
    reference: str
    language: str
    expires_at: datetime
    questions: dict[str, str]


class SurveyThanksOut(Schema):
    status: str
    message: str


class RespondentIn(Schema):
    external_id: str | None = None
    phone: str | None = None
    email: str | None = None
    name: str | None = None


class FeedbackIn(Schema):
    survey: str
    respondent: RespondentIn
    nps: int | None = None
    csat: int | None = None
    comment: str | None = None
    answered_at: datetime | None = None
    language: str | None = None


class FeedbackOut(Schema):
    id: int
    survey: str
    detractor: bool
    duplicate: bool
    case: str | None
    tracking_code: str | None


@router.get("/public/surveys/{token}", response={200: SurveyOut, **PUBLIC_ERRORS},
            throttle=PublicIntakeThrottle())
def survey_get(request: HttpRequest, token: str) -> dict[str, Any]:
    """The survey behind a link, its questions in the case's language."""
    followup = survey_open(token=token)
    language = followup.case.language_code
    return {"reference": followup.case.reference, "language": language,
            "expires_at": followup.expires_at, "questions": content.survey_texts(language)}


@router.post("/public/surveys/{token}", response={201: SurveyThanksOut, **PUBLIC_ERRORS},
             throttle=PublicIntakeThrottle())
def survey_post(request: HttpRequest, token: str, payload: SurveyIn) -> tuple[int, dict]:
    """Answer a follow-up survey: 201; a second answer 409; an expired link 409; a forged
    one 404; an answer out of range 422 naming the question."""
    answer = survey_answer(token=token, answers=payload.dict())
    followup = answer.followup
    language = followup.case.language_code
    key = "thanks_reopened" if answer.reopened else "thanks"
    return 201, {"status": followup.status, "message": content.text(key, language)}


@router.post("/feedback", response={201: FeedbackOut, 200: FeedbackOut, 401: ErrorOut,
                                    422: ErrorOut}, auth=StaffToken())
def feedback_post(request: HttpRequest, payload: FeedbackIn) -> tuple[int, dict]:
    """A general survey answer: 201 kept (a detractor's opens a case, named in `case`);
    200 for the same customer's answer to the same survey sent again, with its case."""
    data = payload.dict()
    respondent = data.pop("respondent") or {}
    result = feedback_receive(payload={**data, **respondent}, user=staff(request))
    answer, case = result.answer, result.case
    return (201 if result.created else 200), {
        "id": answer.pk, "survey": answer.survey, "detractor": answer.detractor,
        "duplicate": not result.created, "case": case.reference if case else None,
        "tracking_code": case.tracking_code if case else None,
    }
