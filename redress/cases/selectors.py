"""Reads of cases: who may see what, the queue, one case with its timeline."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import User
from redress.cases.models import Case, CaseEvent
from redress.common.errors import NotFound


def case_visible_to(user: User, case: Case) -> bool:
    """Quality managers and administrators see every case; everyone else sees their own
    department's cases and the ones they own."""
    if not user.is_active:
        return False
    if user.sees_all_departments:
        return True
    return (
        (case.department_id is not None and case.department_id == user.department_id)
        or case.owner_id == user.pk
    )


def case_actionable_by(user: User, case: Case) -> bool:
    """Who may move a case: anyone who sees it while nobody owns it (the first to answer
    becomes owner), then its owner, or a supervisor or above."""
    if not case_visible_to(user, case):
        return False
    return case.owner_id is None or case.owner_id == user.pk or user.is_supervisor_or_above


def cases_visible_to(user: User) -> QuerySet[Case]:
    cases = Case.objects.all()
    if user.sees_all_departments:
        return cases
    return cases.filter(Q(department_id=user.department_id) | Q(owner_id=user.pk))


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    priority: str = ""
    channel: str = ""
    owner: str = ""  # a username, "me", or "none" for unowned cases
    department: int | None = None
    q: str = ""


def case_queue(*, user: User, filters: QueueFilters) -> QuerySet[Case]:
    """The staff queue: the cases `user` may see, narrowed by the filters, newest first.

    The text search matches the reference, the customer's name, phone or e-mail, and any
    words (Chinese or English) in the complaint.
    """
    cases = cases_visible_to(user).select_related("customer", "owner", "department")
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.priority:
        cases = cases.filter(priority=filters.priority)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.owner == "me":
        cases = cases.filter(owner_id=user.pk)
    elif filters.owner == "none":
        cases = cases.filter(owner__isnull=True)
    elif filters.owner:
        cases = cases.filter(owner__username=filters.owner)
    if filters.department:
        cases = cases.filter(department_id=filters.department)
    query = filters.q.strip()
    if query:
        cases = cases.filter(
            Q(reference__iexact=query)
            | Q(customer__name__icontains=query)
            | Q(customer__phone__contains=query)
            | Q(customer__email__iexact=query)
            | Q(description__icontains=query)
            | Q(order_ref__iexact=query)
        )
    return cases.order_by("-received_at", "-id")


def case_get_for(*, user: User, reference: str) -> Case:
    """The case with this reference if `user` may see it; `NotFound` otherwise, so a
    reference outside one's departments reveals nothing."""
    case = (
        Case.objects.select_related("customer", "owner", "department", "created_by")
        .filter(reference=reference).first()
    )
    if case is None or not case_visible_to(user, case):
        raise NotFound(_("No case %(reference)s.") % {"reference": reference})
    return case


def case_timeline(*, case: Case, for_customer: bool = False) -> QuerySet[CaseEvent]:
    events = case.events.select_related("actor").order_by("at", "id")
    if for_customer:
        events = events.filter(visible_to_customer=True)
    return events


def case_by_tracking_code(*, tracking_code: str) -> Case:
    """The customer's own case. An unknown code is `NotFound`, whatever it looks like."""
    case = (
        Case.objects.select_related("customer")
        .filter(tracking_code=tracking_code).first()
        if tracking_code and len(tracking_code) <= 64 else None
    )
    if case is None:
        raise NotFound(_("We could not find a complaint with this tracking code."))
    return case
