"""API endpoints of insights: the headline figures of a period, and any panel's data."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from redress.api.auth import StaffToken, staff
from redress.api.schemas import ErrorOut
from redress.common.errors import NotAllowed, NotFound
from redress.insights import selectors

router = Router(tags=["insights"], auth=StaffToken())

ERRORS: dict[int, type[ErrorOut]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                     422: ErrorOut}


class PeriodIn(Schema):
    from_: date | None = Field(None, alias="from", description="First day (local), "
                                                                "YYYY-MM-DD; default 29 days "
                                                                "before `to`.")
    to: date | None = Field(None, description="Last day (local, inclusive); default today.")
    department: int | None = None
    location: str = ""
    channel: str = ""
    scenario: str = ""


class SummaryOut(Schema):
    from_: str = Field(..., alias="from")
    to: str
    cases: int
    complaints: int
    first_response_attainment: float | None
    first_response_target_minutes: int
    median_first_response_minutes: float | None
    median_resolution_hours: float | None
    resolved: int
    reopen_rate: float | None
    second_recovery_rate: float | None
    csat_avg: float | None
    surveyed: int
    compensation_total: str
    cost_per_case: str | None


def _filters(request: HttpRequest, period: PeriodIn) -> selectors.InsightFilters:
    user = staff(request)
    if not selectors.insights_visible_to(user):
        raise NotAllowed(_("Only supervisors and above may see the figures."))
    return selectors.insight_filters(
        user=user, start=period.from_, end=period.to, department=period.department,
        location=period.location, channel=period.channel, scenario=period.scenario)


@router.get("/insights/summary", response={200: SummaryOut, **ERRORS}, by_alias=True)
def insights_summary(request: HttpRequest, period: Query[PeriodIn]) -> dict[str, Any]:
    """Cases received in the period (local days, both ends included) and how they went."""
    return selectors.summary(_filters(request, period))


@router.get("/insights/panels/{panel}", response={200: dict[str, Any], **ERRORS})
def insights_panel(request: HttpRequest, panel: str, period: Query[PeriodIn]
                   ) -> dict[str, Any]:
    """One dashboard panel's data: summary, volume, emotions, first_response, resolution,
    satisfaction, compensation, root_causes, problems, outcomes, paradox, roi, people."""
    filters = _filters(request, period)
    reader = selectors.PANELS.get(panel)
    if reader is None:
        raise NotFound(_("No such panel."))
    if panel == "people" and not selectors.people_visible_to(staff(request)):
        raise NotAllowed(_("Only supervisors and quality managers may see figures per "
                           "person."))
    return reader(filters)
