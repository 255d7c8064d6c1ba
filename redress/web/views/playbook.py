"""The playbook section of the case page: the reading of the complaint, the first move
for the customer's emotion, risk notes, F.O.R.D as a checklist, SPIN questions and a
reply draft the agent edits before sending."""

from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from redress.accounts.models import User
from redress.cases.models import Case, Risk
from redress.cases.services import case_record_labels
from redress.common import clock
from redress.common.errors import DomainError
from redress.playbook.drafts import DraftFacts, reply_draft
from redress.playbook.selectors import case_guidance
from redress.playbook.services import ford_step_tick, ford_step_untick
from redress.sla.selectors import ClockView
from redress.web.forms_playbook import FordForm, LabelsForm


def _draft_deadline(clocks: ClockView | None) -> datetime | None:
    """When the draft says the customer will hear from us: the time agreed with them, else
    the resolution deadline; never a time already past."""
    if clocks is None or clocks.resolved_at is not None:
        return None
    due = clocks.agreed_due or clocks.resolution_due
    return due if due > clock.now() else None


def _draft(case: Case, user: User, clocks: ClockView | None) -> str:
    organisation = case.department.organisation if case.department else None
    return reply_draft(DraftFacts(
        language=case.language,
        customer_name=case.customer.name,
        description=case.description,
        needs=case.needs,
        facts=case.facts,
        scenario=case.scenario,
        emotion=case.emotion,
        status=case.status,
        deadline=_draft_deadline(clocks),
        zone=clocks.zone if clocks else (organisation.time_zone if organisation
                                          else "Asia/Shanghai"),
        remedy=case.remedy,
        remedy_amount=case.remedy_amount,
        repeat=Risk.REPEAT in (case.risks or []) or case.recovery_round > 1,
        reference=case.reference,
        agent_name=user.display_name,
        organisation_name=organisation.name if organisation else "",
    ))


def case_page_context(request: HttpRequest, case: Case, user: User, *,
                      clocks: ClockView | None) -> dict[str, Any]:
    """What the case page's playbook section needs; `clocks` as the page read them
    (`case_clocks`), for the draft's promised time."""
    return {
        "guidance": case_guidance(case=case),
        "labels_form": LabelsForm(initial={
            "kind": case.kind, "scenario": case.scenario, "emotion": case.emotion,
            "risks": case.risks, "wants": case.wants,
        }),
        "reply_draft": _draft(case, user, clocks),
    }


@login_required
@require_POST
def case_labels(request: HttpRequest, reference: str) -> HttpResponse:
    # The console module imports this one for the case page; import it back lazily.
    from redress.web.views import console

    case = console._case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    form = LabelsForm(request.POST)
    if not form.is_valid():
        return console._panel(request, case, error=console._first_error(form), status=422)
    try:
        case = case_record_labels(case=case, actor=console._staff(request),
                                  labels=form.labels())
    except DomainError as error:
        return console._refused(request, reference, error)
    return console._after_action(request, case)


@login_required
@require_POST
def case_ford(request: HttpRequest, reference: str) -> HttpResponse:
    from redress.web.views import console

    case = console._case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    form = FordForm(request.POST)
    if not form.is_valid():
        return console._panel(request, case, error=console._first_error(form), status=422)
    step, user = form.cleaned_data["step"], console._staff(request)
    try:
        if form.cleaned_data["done"]:
            ford_step_tick(case=case, actor=user, step=step)
        else:
            ford_step_untick(case=case, actor=user, step=step)
    except DomainError as error:
        return console._refused(request, reference, error)
    return console._after_action(request, case)


urlpatterns: list[URLPattern] = [
    path("console/cases/<str:reference>/playbook/labels/", case_labels,
         name="playbook_labels"),
    path("console/cases/<str:reference>/playbook/ford/", case_ford, name="playbook_ford"),
]
