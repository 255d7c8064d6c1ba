"""Console pages of the lessons app: the root cause on the case page, recurring problems
with their spike alerts, and problems with their corrective and preventive actions."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from redress.accounts.models import User
from redress.cases.models import Case, Status
from redress.cases.selectors import case_actionable_by, case_get_for
from redress.common.errors import DomainError, NotFound
from redress.lessons import selectors, spikes
from redress.lessons.models import CorrectiveAction, Problem, ProblemStatus, SpikeAlert
from redress.lessons.services import (
    CLOSE_FIELDS,
    RootCauseInput,
    action_status_set,
    case_root_cause_record,
    effectiveness_summary,
    problem_action_add,
    problem_close,
    problem_effectiveness_check,
    problem_open,
    problem_open_from_alert,
)
from redress.web.errors import attach_to_form
from redress.web.forms_lessons import ActionForm, ActionStatusForm, ProblemForm, RootCauseForm


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# --- the case page -----------------------------------------------------------------------


def case_page_context(request: HttpRequest, case: Case, user: User) -> dict[str, Any]:
    """What the case page's lessons section needs: the root cause, what closing still
    needs, and the form (from resolved on, while the case is open)."""
    root_cause = selectors.root_cause_for(case)
    missing = selectors.root_cause_missing_for(case, root_cause)
    show_form = (
        case.status in (Status.RESOLVED, Status.FOLLOW_UP) and case_actionable_by(user, case)
    )
    form = None
    if show_form:
        form = RootCauseForm(initial=selectors.root_cause_initial(case, root_cause),
                             departments=selectors.departments_for(case))
    return {
        "root_cause": root_cause,
        "root_cause_missing": [CLOSE_FIELDS[name] for name in missing],
        "root_cause_form": form,
        "responsibility_table": list(selectors.responsibility_table(case)) if show_form else [],
        "problems_of_case": list(Problem.objects.filter(cases=case)),
    }


@login_required
@require_POST
def case_root_cause(request: HttpRequest, reference: str) -> HttpResponse:
    # The case page's panel is the console's; the answer swaps it whole, like every action.
    from redress.web.views import console

    user = _staff(request)
    try:
        case = case_get_for(user=user, reference=reference)
    except NotFound:
        return render(request, "web/console/not_found.html", {"reference": reference},
                      status=404)
    form = RootCauseForm(request.POST, departments=selectors.departments_for(case))
    if not form.is_valid():
        return console._panel(request, case, error=console._first_error(form), status=422)
    data = form.cleaned_data
    try:
        case_root_cause_record(case=case, actor=user, values=RootCauseInput(
            category=data["category"], detail=data["detail"],
            department_id=data["department"], step=data["step"],
            customer_accepted=data["customer_accepted"],
            customer_words=data["customer_words"], remedy_given=data["remedy_given"],
        ))
    except DomainError as error:
        return console._refused(request, reference, error)
    return console._after_action(request, case)


# --- recurring problems and problems -----------------------------------------------------


def _refuse(request: HttpRequest) -> HttpResponse:
    return render(request, "web/console/lessons/refused.html", status=403)


def _may_manage(user: User) -> bool:
    return user.is_active and user.is_supervisor_or_above


@login_required
def recurring(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if not _may_manage(user):
        return _refuse(request)
    return render(request, "web/console/lessons/recurring.html", {
        "alerts": selectors.spike_alerts(),
        "groups": selectors.recurring_groups(),
        "rule": {"weeks": spikes.BASELINE_WEEKS, "p": spikes.SPIKE_P,
                 "min": spikes.MIN_COUNT, "floor": spikes.LAMBDA_FLOOR},
    })


@login_required
@require_POST
def alert_open_problem(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = _staff(request)
    if not _may_manage(user):
        return _refuse(request)
    alert = SpikeAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        return render(request, "web/console/not_found.html", {"reference": alert_id},
                      status=404)
    problem = problem_open_from_alert(actor=user, alert=alert)
    return redirect("web:lessons_problem", problem_id=problem.pk)


@login_required
def problems(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if not _may_manage(user):
        return _refuse(request)
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = problem_open(actor=user, title=form.cleaned_data["title"],
                                   description=form.cleaned_data["description"])
        except DomainError as error:
            attach_to_form(form, error)
        else:
            return redirect("web:lessons_problem", problem_id=problem.pk)
    status = request.GET.get("status", "")
    if status not in ProblemStatus.values:
        status = ""
    return render(request, "web/console/lessons/problems.html", {
        "problems": selectors.problems_list(status=status), "form": form,
        "status": status, "statuses": ProblemStatus.choices,
    }, status=422 if request.method == "POST" else 200)


def _problem_page(request: HttpRequest, problem_id: int, *, error: str = "",
                  action_form: ActionForm | None = None, status: int = 200) -> HttpResponse:
    user = _staff(request)
    try:
        problem = selectors.problem_get(problem_id=problem_id)
    except NotFound:
        return render(request, "web/console/not_found.html", {"reference": problem_id},
                      status=404)
    actions = list(problem.actions.all())
    if not _may_manage(user) and not any(a.owner_id == user.pk for a in actions):
        return _refuse(request)
    checks = list(problem.checks.all())
    return render(request, "web/console/lessons/problem.html", {
        "problem": problem, "actions": actions,
        "checks": [(check, effectiveness_summary(check)) for check in checks],
        "cases": selectors.problem_cases_list(problem),
        "action_form": action_form or ActionForm(owners=selectors.action_owners()),
        "may_manage": _may_manage(user), "error": error,
        "all_done": bool(actions) and all(a.status == "done" for a in actions),
        "status_choices": ActionStatusForm.base_fields["status"].choices,  # type: ignore[attr-defined]
    }, status=status)


@login_required
def problem_detail(request: HttpRequest, problem_id: int) -> HttpResponse:
    return _problem_page(request, problem_id)


def _problem_or_none(problem_id: int) -> Problem | None:
    return Problem.objects.filter(pk=problem_id).first()


@login_required
@require_POST
def problem_action(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = _problem_or_none(problem_id)
    if problem is None:
        return _problem_page(request, problem_id)
    form = ActionForm(request.POST, owners=selectors.action_owners())
    if not form.is_valid():
        return _problem_page(request, problem_id, action_form=form, status=422)
    data = form.cleaned_data
    try:
        problem_action_add(problem=problem, actor=_staff(request), kind=data["kind"],
                           description=data["description"], owner=data["owner"],
                           due=data["due"])
    except DomainError as error:
        attach_to_form(form, error)
        return _problem_page(request, problem_id, action_form=form, status=error.status)
    return redirect("web:lessons_problem", problem_id=problem_id)


@login_required
@require_POST
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    action = CorrectiveAction.objects.filter(pk=action_id).first()
    if action is None:
        return render(request, "web/console/not_found.html", {"reference": action_id},
                      status=404)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        return _problem_page(request, action.problem_id, error=str(form.errors), status=422)
    try:
        action_status_set(action=action, actor=_staff(request),
                          status=form.cleaned_data["status"])
    except DomainError as error:
        return _problem_page(request, action.problem_id, error=str(error.message),
                             status=error.status)
    return redirect("web:lessons_problem", problem_id=action.problem_id)


@login_required
@require_POST
def problem_check(request: HttpRequest, problem_id: int) -> HttpResponse:
    user = _staff(request)
    problem = _problem_or_none(problem_id)
    if problem is None:
        return _problem_page(request, problem_id)
    if not _may_manage(user):
        return _refuse(request)
    try:
        problem_effectiveness_check(problem=problem, actor=user)
    except DomainError as error:
        return _problem_page(request, problem_id, error=str(error.message),
                             status=error.status)
    return redirect("web:lessons_problem", problem_id=problem_id)


@login_required
@require_POST
def problem_close_view(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = _problem_or_none(problem_id)
    if problem is None:
        return _problem_page(request, problem_id)
    try:
        problem_close(problem=problem, actor=_staff(request))
    except DomainError as error:
        return _problem_page(request, problem_id, error=str(error.message),
                             status=error.status)
    return redirect("web:lessons_problem", problem_id=problem_id)


urlpatterns: list[URLPattern] = [
    path("console/cases/<str:reference>/root-cause/", case_root_cause,
         name="case_root_cause"),
    path("console/lessons/recurring/", recurring, name="lessons_recurring"),
    path("console/lessons/alerts/<int:alert_id>/problem/", alert_open_problem,
         name="lessons_alert_problem"),
    path("console/lessons/problems/", problems, name="lessons_problems"),
    path("console/lessons/problems/<int:problem_id>/", problem_detail, name="lessons_problem"),
    path("console/lessons/problems/<int:problem_id>/actions/", problem_action,
         name="lessons_problem_action"),
    path("console/lessons/problems/<int:problem_id>/check/", problem_check,
         name="lessons_problem_check"),
    path("console/lessons/problems/<int:problem_id>/close/", problem_close_view,
         name="lessons_problem_close"),
    path("console/lessons/actions/<int:action_id>/status/", action_status,
         name="lessons_action_status"),
]
