"""The triage section of the case page: the cues behind each label, the department the
routing rules suggest (with the move for supervisors), earlier cases of the same customer
and complaints that may be the same one (with the merge)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from redress.accounts.models import User
from redress.cases.models import Case
from redress.cases.selectors import case_get_for, case_visible_to
from redress.common.errors import DomainError
from redress.triage.selectors import case_triage_view
from redress.triage.services import case_department_accept, case_merge_duplicate
from redress.web.forms_triage import MergeForm


def case_page_context(request: HttpRequest, case: Case, user: User) -> dict[str, Any]:
    return {"triage": case_triage_view(case=case, user=user)}


@login_required
@require_POST
def case_route(request: HttpRequest, reference: str) -> HttpResponse:
    # The console module imports this one for the case page; import it back lazily.
    from redress.web.views import console

    case = console._case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    try:
        case = case_department_accept(case=case, actor=console._staff(request))
    except DomainError as error:
        return console._refused(request, reference, error)
    return _after(request, case)


@login_required
@require_POST
def case_merge(request: HttpRequest, reference: str) -> HttpResponse:
    from redress.web.views import console

    case = console._case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    form = MergeForm(request.POST)
    if not form.is_valid():
        return console._panel(request, case, error=console._first_error(form), status=422)
    user = console._staff(request)
    try:
        into = case_get_for(user=user, reference=form.cleaned_data["into"].strip())
        case = case_merge_duplicate(case=case, into=into, actor=user)
    except DomainError as error:
        return console._refused(request, reference, error)
    return console._after_action(request, case)


def _after(request: HttpRequest, case: Case) -> HttpResponse:
    """After the move a supervisor of another department no longer sees the case: they go
    back to their queue instead of a page they may not open."""
    from redress.web.views import console

    if case_visible_to(console._staff(request), case):
        return console._after_action(request, case)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(status=204, headers={"HX-Redirect": reverse("web:queue")})
    return redirect("web:queue")


urlpatterns: list[URLPattern] = [
    path("console/cases/<str:reference>/triage/route/", case_route, name="triage_route"),
    path("console/cases/<str:reference>/triage/merge/", case_merge, name="triage_merge"),
]
