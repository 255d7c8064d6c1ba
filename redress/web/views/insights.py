"""The insights dashboard in the console: the panels of `insights.selectors` drawn with
ECharts (served from node_modules, see settings), the people view, exports of every table
to CSV and XLSX, and the monthly PDF report."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.translation import gettext as _

from redress.accounts.models import User
from redress.common.errors import Invalid, NotAllowed, NotFound
from redress.insights import exports, selectors
from redress.insights.selectors import InsightFilters
from redress.web.errors import attach_to_form
from redress.web.forms_insights import FILTER_NAMES, InsightFilterForm, ReportForm

ECHARTS = "vendor/echarts/echarts.min.js"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "web/console/forbidden.html", status=403)


def _read_filters(request: HttpRequest, user: User
                  ) -> tuple[InsightFilterForm, InsightFilters | None]:
    """The form as typed and the filters it gives, or no filters when something is wrong
    (the form then carries the explanation)."""
    if not any(request.GET.get(name) for name in FILTER_NAMES):
        filters = selectors.insight_filters(user=user)
        return InsightFilterForm(initial={"from": filters.start, "to": filters.end}), filters
    form = InsightFilterForm(request.GET)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    try:
        filters = selectors.insight_filters(
            user=user, start=data["from"], end=data["to"], department=data["department"],
            location=data["location"], channel=data["channel"], scenario=data["scenario"])
    except Invalid as error:
        attach_to_form(form, error)
        return form, None
    return form, filters


def _query(filters: InsightFilters) -> str:
    """The filters as the query string the export links and the people view carry."""
    values: dict[str, Any] = {"from": filters.start.isoformat(),
                              "to": filters.end.isoformat()}
    for name in ("department", "location", "channel", "scenario"):
        value = getattr(filters, name)
        if value not in (None, ""):
            values[name] = value
    return urlencode(values)


def _charts_available() -> bool:
    return finders.find(ECHARTS) is not None


def _chart_texts() -> dict[str, str]:
    """The few words the charts need that the panels' data do not carry."""
    return {
        "cases": _("Cases"),
        "cumulative": _("Cumulative share (%)"),
        "target": _("Within the target"),
        "first_response": _("First response in time (%)"),
        "resolution": _("Resolved in time (%)"),
        "average": _("Average (1–5)"),
        "overall": _("Overall satisfaction"),
        "compensation": _("Compensation given (yuan)"),
        "cost_per_case": _("Cost per case (yuan)"),
        "return_rate": _("Would come back (%)"),
        "csat": _("Satisfaction (1–5)"),
        "recommend": _("Would recommend (0–10)"),
        "retained_revenue": _("Retained revenue (estimate)"),
        "recovery_cost": _("Recovery cost"),
        "yuan": _("yuan"),
        "attainment": _("First-response attainment (%)"),
    }


def _page(request: HttpRequest, template: str, user: User,
          read: Callable[[InsightFilters], dict[str, Any]]) -> HttpResponse:
    form, filters = _read_filters(request, user)
    offered = filters or selectors.insight_filters(user=user)
    form.offer(selectors.filter_choices(offered))
    context: dict[str, Any] = {
        "form": form,
        "charts_available": _charts_available(),
        "echarts_path": ECHARTS,
        # The report of the last whole month is the one usually wanted.
        "report_form": ReportForm(initial={
            "month": selectors.local_day_today().replace(day=1) - timedelta(days=1)}),
        "may_see_people": selectors.people_visible_to(user),
    }
    if filters is None:
        return render(request, template, context, status=400)
    context.update(panels=read(filters), filters=filters, query=_query(filters),
                   chart_texts=_chart_texts())
    return render(request, template, context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if not selectors.insights_visible_to(user):
        return _forbidden(request)
    with_people = selectors.people_visible_to(user)
    return _page(request, "web/console/insights/dashboard.html", user,
                 lambda filters: selectors.dashboard(filters, with_people=with_people))


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """Figures per agent and per department: they name people, so only for the roles
    that review them."""
    user = _staff(request)
    if not selectors.people_visible_to(user):
        return _forbidden(request)
    return _page(request, "web/console/insights/people.html", user,
                 lambda filters: {"people": selectors.people(filters)})


@login_required
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponseBase:
    user = _staff(request)
    if not selectors.insights_visible_to(user):
        return _forbidden(request)
    if fmt not in exports.FORMATS:
        raise Http404
    form, filters = _read_filters(request, user)
    if filters is None:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return HttpResponse("\n".join(problems), status=400,
                            content_type="text/plain; charset=utf-8")
    try:
        found = exports.table_get(table, filters=filters, user=user)
    except NotFound as missing:
        raise Http404(str(missing.message)) from missing
    except NotAllowed:
        return _forbidden(request)
    filename = exports.export_filename(found, filters, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_pieces(found),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(exports.xlsx_file(found), as_attachment=True, filename=filename,
                        content_type=XLSX_TYPE)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """The monthly report as a PDF, in the viewer's language and scope."""
    user = _staff(request)
    if not selectors.insights_visible_to(user):
        return _forbidden(request)
    form = ReportForm(request.GET)
    if form.is_valid():
        month: date = form.cleaned_data["month"]
        # Imported here: the PDF and chart libraries it loads are needed by this page only.
        from redress.insights.report import report_monthly_pdf

        try:
            pdf = report_monthly_pdf(month=month, filters_user=user,
                                     language=translation.get_language())
        except NotAllowed:
            return _forbidden(request)
        except Invalid as error:
            attach_to_form(form, error)
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="redress-report-{month:%Y-%m}.pdf"')
            return response
    return render(request, "web/console/insights/report.html", {"report_form": form},
                  status=400)


urlpatterns: list[URLPattern] = [
    path("console/insights/", dashboard, name="insights"),
    path("console/insights/people/", people, name="insights_people"),
    path("console/insights/export/<slug:table>.<slug:fmt>", export, name="insights_export"),
    path("console/insights/report/", report, name="insights_report"),
]
