"""Follow-up pages: the customer's survey (public, by its signed link), the calls due in the
console, and the case page's follow-up section where an agent records a phone answer."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from redress.accounts.models import User
from redress.cases.models import Case
from redress.cases.selectors import case_actionable_by
from redress.common.errors import DomainError, Invalid, NotFound
from redress.followup import content
from redress.followup.models import FollowUp, FollowUpStatus, Method
from redress.followup.selectors import case_followup, followup_calls_due
from redress.followup.services import (
    AlreadyAnswered,
    LinkExpired,
    survey_answer,
    survey_open,
    survey_url,
)
from redress.intake.throttle import public_intake_allowed

FIELDS = ("solved", "satisfaction", "outcome_fair", "process_fair", "interaction_fair",
          "recommend", "would_return", "comment")


def _answers(request: HttpRequest) -> dict[str, Any]:
    return {field: request.POST.get(field) for field in FIELDS}


def _message_page(
    request: HttpRequest, language: str, key: str, status: int, case: Case | None = None,
) -> HttpResponse:
    texts = content.survey_texts(language)
    with translation.override(language):
        return render(request, "web/portal/survey_message.html", {
            "texts": texts, "title": texts[f"{key}_title"], "body": texts[key], "case": case,
            "page_language": language,
        }, status=status)


def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's follow-up survey, in the case's language, one answer per link."""
    try:
        followup = survey_open(token=token)
    except NotFound:
        return _message_page(request, translation.get_language(), "unknown", 404)
    except AlreadyAnswered:
        return _message_page(request, _language_of(token), "answered", 409)
    except LinkExpired:
        return _message_page(request, _language_of(token), "expired", 410)
    case = followup.case
    language = case.language_code
    with translation.override(language):
        return _survey_form(request, token, case, language)


def _survey_form(request: HttpRequest, token: str, case: Case, language: str) -> HttpResponse:
    """The form and its answer; refusals come in the case's language too."""
    error: DomainError | None = None
    status = 200
    if request.method == "POST" and not public_intake_allowed(request):
        error = Invalid(_("Too many answers from this address just now. Please wait a minute "
                          "and try again."))
        status = 429
    elif request.method == "POST":
        try:
            answer = survey_answer(token=token, answers=_answers(request))
        except AlreadyAnswered:
            return _message_page(request, language, "answered", 409, case)
        except LinkExpired:
            return _message_page(request, language, "expired", 410, case)
        except Invalid as invalid:
            error, status = invalid, 422
        else:
            key = "thanks_reopened" if answer.reopened else "thanks"
            texts = content.survey_texts(language)
            return render(request, "web/portal/survey_message.html", {
                "texts": texts, "title": texts["thanks_title"], "body": texts[key],
                "case": case, "page_language": language,
            }, status=201)
    texts = content.survey_texts(language)
    return render(request, "web/portal/survey.html", {
        "texts": texts, "case": case, "intro": texts["intro"] % {"reference": case.reference},
        "values": _answers(request) if request.method == "POST" else {},
        "error_field": error.field if error else "",
        "error": str(error.message) if error else "",
        "scale5": range(1, 6), "scale10": range(0, 11), "page_language": language,
    }, status=status)


def _language_of(token: str) -> str:
    """The case's language for a link that may no longer be answered (still genuine)."""
    from django.core import signing

    from redress.followup.services import SALT

    try:
        followup_id = int(signing.Signer(salt=SALT).unsign_object(token)["f"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return translation.get_language()
    followup = FollowUp.objects.select_related("case").filter(pk=followup_id).first()
    return followup.case.language_code if followup else translation.get_language()


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def calls_due(request: HttpRequest) -> HttpResponse:
    """Follow-up calls waiting to be made, each with its script in the customer's language."""
    user = _staff(request)
    rows = [
        {"followup": followup, "case": followup.case, "script": _script(followup.case, user)}
        for followup in followup_calls_due(user=user)[:200]
    ]
    return render(request, "web/console/followup_calls.html", {"rows": rows})


def _script(case: Case, user: User) -> list[str]:
    organisation = case.department.organisation.name if case.department else ""
    owner = case.owner or user
    return content.call_script(case.language_code, company=organisation,
                               agent=owner.display_name, reference=case.reference)


@login_required
@require_POST
def record_answer(request: HttpRequest, reference: str) -> HttpResponse:
    """An agent records the answers a customer gave on the phone."""
    from redress.web.views import console  # the case page's panel lives there

    case = console._case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    followup = case_followup(case=case)
    try:
        if followup is None:
            raise NotFound(_no_followup())
        survey_answer(followup=followup, actor=_staff(request), answers=_answers(request))
    except DomainError as error:
        return console._refused(request, reference, error)
    return console._after_action(request, case)


def _no_followup() -> str:
    from django.utils.translation import gettext

    return gettext("This case has no follow-up to answer.")


urlpatterns: list[URLPattern] = [
    path("survey/<str:token>/", survey, name="survey"),
    path("console/followups/calls/", calls_due, name="followup_calls"),
    path("console/cases/<str:reference>/followup/answer/", record_answer,
         name="followup_answer"),
]


def case_page_context(request: HttpRequest, case: Case, user: User) -> dict[str, Any]:
    """What the case page's followup section needs."""
    followup = case_followup(case=case)
    if followup is None:
        return {"followup": None}
    answer = getattr(followup, "answer", None)
    is_call = followup.method == Method.CALL
    return {
        "followup": followup,
        "followup_answer": answer,
        "followup_url": survey_url(followup),
        "followup_script": _script(case, user) if is_call and answer is None else [],
        "followup_can_record": (
            answer is None and followup.status in (FollowUpStatus.SCHEDULED, FollowUpStatus.SENT)
            and case_actionable_by(user, case)
        ),
        "followup_scale5": range(1, 6),
        "followup_scale10": range(0, 11),
    }
