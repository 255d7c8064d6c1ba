"""The agent console: the queue, a case and its actions, and recording a complaint."""

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from redress.accounts.models import Department, User
from redress.cases import lifecycle
from redress.cases.models import Case, Status
from redress.cases.selectors import (
    SEARCH_ID_LIMIT,
    QueueFilters,
    case_actionable_by,
    case_get_for,
    case_queue,
    case_queue_page,
    case_timeline,
    text_search,
)
from redress.cases.services import (
    CustomerDetails,
    case_handover,
    case_record_details,
    case_transition,
)
from redress.common.errors import DomainError, NotFound
from redress.intake.services import staff_case_record
from redress.notify.selectors import notifications_for
from redress.notify.services import staff_notifications_read
from redress.playbook.services import WordingFlagged, customer_message_send, wording_guard
from redress.sla.selectors import case_clocks, cases_in_view, with_clocks
from redress.sla.services import case_agree_deadline
from redress.web.errors import attach_to_form
from redress.web.forms import (
    AgreedDeadlineForm,
    HandoverForm,
    MessageForm,
    QueueFilterForm,
    StaffCaseForm,
    TransitionForm,
)
from redress.web.views import answers, followup, lessons, playbook, remedies, triage

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _colleagues(case: Case) -> QuerySet[User]:
    colleagues = User.objects.filter(is_active=True)
    if case.owner_id is not None:
        colleagues = colleagues.exclude(pk=case.owner_id)
    if case.department_id:
        return colleagues.filter(department_id=case.department_id).order_by("username")
    return colleagues.order_by("username")


def _panel(
    request: HttpRequest, case: Case, *, error: str = "", status: int = 200,
    handover_form: HandoverForm | None = None,
) -> HttpResponse:
    """The case page's main panel; htmx actions swap it whole, so timeline and buttons
    always agree with the state just saved."""
    user = _staff(request)
    template = "web/console/_case_panel.html" if request.htmx else "web/console/case.html"  # type: ignore[attr-defined]
    targets = lifecycle.allowed_targets(case.status, case.status_before_wait)
    clocks = case_clocks(case=case)
    return render(request, template, {
        "case": case,
        "timeline": case_timeline(case=case),
        "targets": targets,
        "can_act": case_actionable_by(user, case),
        "error": error,
        "handover_form": handover_form or HandoverForm(
            colleagues=_colleagues(case), initial={"version": case.version}
        ),
        "message_form": MessageForm(),
        "clocks": clocks,
        "agree_form": AgreedDeadlineForm(),
        "reopen": case.status in (Status.RESOLVED, Status.FOLLOW_UP),
        # Each app's section of the page brings its own context.
        **remedies.case_page_context(request, case, user),
        **playbook.case_page_context(request, case, user, clocks=clocks),
        **answers.case_page_context(request, case, user),
        **followup.case_page_context(request, case, user),
        **lessons.case_page_context(request, case, user),
        **triage.case_page_context(request, case, user),
    }, status=status)


def _case_or_404(request: HttpRequest, reference: str) -> Case | HttpResponse:
    try:
        return case_get_for(user=_staff(request), reference=reference)
    except NotFound:
        return render(request, "web/console/not_found.html", {"reference": reference}, status=404)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = QueueFilters(
        status=data.get("status") or "", priority=data.get("priority") or "",
        channel=data.get("channel") or "", owner=(data.get("owner") or "").strip(),
        department=data.get("department"), q=data.get("q") or "",
    )
    sla_view = data.get("sla") or ""
    search = text_search(filters.q) if filters.q.strip() else None
    page = case_queue_page(
        cases_in_view(case_queue(user=user, filters=filters, search=search), sla_view),
        older_than=request.GET.get("older", ""), newer_than=request.GET.get("newer", ""),
        size=PAGE_SIZE, search=search,
    )
    departments = (
        Department.objects.select_related("organisation")
        if user.sees_all_departments
        else Department.objects.filter(members=user).select_related("organisation")
    )
    query = request.GET.copy()
    for cursor in ("older", "newer", "page"):
        query.pop(cursor, None)
    return render(request, "web/console/queue.html", {
        "form": form, "page": page, "rows": with_clocks(page.cases),
        "departments": departments, "filters": filters, "sla_view": sla_view,
        "query": query.urlencode(), "broad_search_limit": SEARCH_ID_LIMIT,
    })


@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    return _panel(request, case)


@login_required
@require_POST
def case_move(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _panel(request, case, error=_first_error(form), status=422)
    try:
        # The apology, the resolution and the closing words go to the customer too.
        wording_guard(case=case, text=form.optional("message"))
    except WordingFlagged as flagged:
        return _panel(request, case, error=flagged.with_suggestions(), status=422)
    try:
        case = case_transition(
            case=case, actor=_staff(request), to=form.cleaned_data["to"],
            expected_version=form.cleaned_data["version"], message=form.optional("message"),
            needs=form.optional("needs"), facts=form.optional("facts"),
            remedy=form.optional("remedy"), remedy_amount=form.optional("amount"),
            close_reason=form.optional("reason"), outcome=form.optional("outcome"),
        )
    except DomainError as error:
        return _refused(request, reference, error)
    return _after_action(request, case)


@login_required
@require_POST
def case_details(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    form = TransitionForm(request.POST)
    form.fields["to"].required = False
    if not form.is_valid():
        return _panel(request, case, error=_first_error(form), status=422)
    try:
        case = case_record_details(
            case=case, actor=_staff(request), expected_version=form.cleaned_data["version"],
            needs=form.cleaned_data["needs"], facts=form.cleaned_data["facts"],
        )
    except DomainError as error:
        return _refused(request, reference, error)
    return _after_action(request, case)


@login_required
@require_POST
def case_handover_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    form = HandoverForm(request.POST, colleagues=_colleagues(case))
    if not form.is_valid():
        return _panel(request, case, error=_first_error(form), status=422, handover_form=form)
    try:
        case = case_handover(
            case=case, actor=_staff(request), to_user=form.cleaned_data["to_user"],
            reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"],
        )
    except DomainError as error:
        return _refused(request, reference, error)
    return _after_action(request, case)


@login_required
@require_POST
def case_message(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _panel(request, case, error=_first_error(form), status=422)
    try:
        customer_message_send(
            case=case, actor=_staff(request), body=form.cleaned_data["body"],
            to_customer=form.cleaned_data["to_customer"],
            confirm_wording=bool(request.POST.get("send_as_written")),
        )
    except WordingFlagged as flagged:
        # Nothing sent: the panel shows the flags beside the message to rewrite.
        answers.wording_review_attach(request, body=form.cleaned_data["body"],
                                      flags=flagged.flags)
        return _panel(request, case, error=str(flagged.message), status=422)
    except DomainError as error:
        return _refused(request, reference, error)
    return _after_action(request, case)


@login_required
@require_POST
def case_agree(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_or_404(request, reference)
    if isinstance(case, HttpResponse):
        return case
    form = AgreedDeadlineForm(request.POST)
    if not form.is_valid():
        return _panel(request, case, error=_first_error(form), status=422)
    try:
        case_agree_deadline(case=case, actor=_staff(request), due=form.cleaned_data["due"],
                            promise=form.cleaned_data["promise"])
    except DomainError as error:
        return _refused(request, reference, error)
    return _after_action(request, case)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if request.method == "POST":
        staff_notifications_read(recipient_id=user.pk)
        return redirect("web:notifications")
    return render(request, "web/console/notifications.html", {
        "notifications": notifications_for(recipient_id=user.pk),
    })


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    form = StaffCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        received: datetime | None = data["received_at"]
        if received is not None and timezone.is_naive(received):
            received = timezone.make_aware(received)
        try:
            case = staff_case_record(
                user=_staff(request), channel=data["channel"], description=data["description"],
                customer=CustomerDetails(name=data["name"], phone=data["phone"],
                                         email=data["email"]),
                received_at=received, location=data["location"], order_ref=data["order_ref"],
                amount_at_stake=data["amount_at_stake"], priority=data["priority"],
            )
        except DomainError as error:
            attach_to_form(form, error)
        else:
            return redirect("web:case", reference=case.reference)
    status = 422 if request.method == "POST" else 200
    return render(request, "web/console/case_new.html", {"form": form}, status=status)


def _first_error(form: object) -> str:
    errors = form.errors  # type: ignore[attr-defined]
    for field, messages in errors.items():
        label = form.fields[field].label if field in form.fields else ""  # type: ignore[attr-defined]
        return f"{label}: {messages[0]}" if label else str(messages[0])
    return ""


def _refused(request: HttpRequest, reference: str, error: DomainError) -> HttpResponse:
    # Re-read: the refused move changed nothing, and a conflict means someone else did.
    case = case_get_for(user=_staff(request), reference=reference)
    return _panel(request, case, error=str(error.message), status=error.status)


def _after_action(request: HttpRequest, case: Case) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        case = case_get_for(user=_staff(request), reference=case.reference)
        return _panel(request, case)
    return redirect(reverse("web:case", args=[case.reference]))
