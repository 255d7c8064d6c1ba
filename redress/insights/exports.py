"""The dashboard's tables as rows for a spreadsheet: CSV (UTF-8 with a byte-order mark, so
Excel opens Chinese correctly) and XLSX.

Every table but `cases` is a panel of `selectors` laid out flat. `cases` is one row per
case received in the period, in the viewer's scope: at a million cases it is read in
chunks and written as it is read (a CSV stream; an XLSX built in a temporary file by
openpyxl's write-only mode), so memory stays flat whatever the period. Read-only: nothing
here writes to the database.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import IO, Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from redress.accounts.models import User
from redress.cases.models import Case, Channel, Emotion, Scenario, Status
from redress.common.errors import NotAllowed, NotFound
from redress.followup.models import SurveyAnswer
from redress.insights import selectors
from redress.insights.selectors import InsightFilters
from redress.insights.services import day_start, site_of, zone

# Rows of the `cases` table read from the database at a time.
CHUNK_ROWS = 2000
# CSV rows joined into one piece of the streamed response: fewer, larger writes.
CSV_ROWS_PER_PIECE = 500
# A spreadsheet treats a cell starting with these as a formula; text from customers and
# staff (a location, a name) must never run as one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    headers: list[str]
    rows: Iterable[Sequence[Any]]


def _percent(share: float | None) -> float | None:
    return round(share * 100, 1) if share is not None else None


def _money(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


# --- the dashboard's tables --------------------------------------------------------------


def _volume(filters: InsightFilters, name: str, key: str, title: str) -> Table:
    panel = selectors.volume_trend(filters)
    series = panel[key]
    bucket = _("Day") if panel["granularity"] == "day" else _("Month")
    rows = [[b, *(s["counts"][i] for s in series), sum(s["counts"][i] for s in series)]
            for i, b in enumerate(panel["buckets"])]
    return Table(name, title, [bucket, *(s["label"] for s in series), _("Total")], rows)


def volume(filters: InsightFilters) -> Table:
    return _volume(filters, "volume", "by_channel", _("Cases by channel"))


def volume_scenario(filters: InsightFilters) -> Table:
    return _volume(filters, "volume_scenario", "by_scenario", _("Cases by scenario"))


def emotions(filters: InsightFilters) -> Table:
    panel = selectors.emotion_mix(filters)
    total = panel["total"]
    return Table("emotions", _("Emotion mix"), [_("Emotion"), _("Cases"), _("Share (%)")],
                 [[i["label"], i["cases"], _percent(i["cases"] / total if total else None)]
                  for i in panel["items"]])


def first_response(filters: InsightFilters) -> Table:
    panel = selectors.first_response(filters)
    target = panel["target_minutes"]
    return Table("first_response", _("First response time"),
                 [_("Time to first response"), _("Up to (minutes)"), _("Cases"),
                  _("Within the target")],
                 [[b["label"], b["upper_minutes"], b["cases"],
                   _("yes") if b["upper_minutes"] is not None and b["upper_minutes"] <= target
                   else _("no")]
                  for b in panel["bands"]])


def sla(filters: InsightFilters) -> Table:
    panel = selectors.first_response(filters)
    return Table("sla", _("SLA attainment per priority"),
                 [_("Priority"), _("First responses due"), _("First responses in time"),
                  _("First-response attainment (%)"), _("Resolutions due"),
                  _("Resolutions in time"), _("Resolution attainment (%)")],
                 [[r["label"], r["first_response_due"], r["first_response_met"],
                   _percent(r["first_response_attainment"]), r["resolution_due"],
                   r["resolution_met"], _percent(r["resolution_attainment"])]
                  for r in panel["sla"]])


def resolution(filters: InsightFilters) -> Table:
    panel = selectors.resolution(filters)
    return Table("resolution", _("Resolution time"),
                 [_("Time to resolution"), _("Up to (hours)"), _("Cases")],
                 [[b["label"], b["upper_hours"], b["cases"]] for b in panel["bands"]])


def satisfaction(filters: InsightFilters) -> Table:
    panel = selectors.satisfaction(filters)
    rows: list[list[Any]] = [[_("Overall satisfaction (1–5)"), panel["surveyed"],
                              panel["csat_avg"]]]
    rows += [[f"{f['label']} (1–5)", f["answers"], f["avg"]] for f in panel["fairness"]]
    rows.append([_("Would recommend (0–10)"), None, panel["recommend_avg"]])
    rows.append([_("Net promoter score"), None, panel["nps"]])
    return Table("satisfaction", _("Satisfaction after recovery"),
                 [_("Question"), _("Answers"), _("Average")], rows)


def cost_per_case(filters: InsightFilters) -> Table:
    panel = selectors.compensation(filters)
    return Table("cost_per_case", _("Cost per case by month"),
                 [_("Month"), _("Compensation given (yuan)"), _("Cost per case (yuan)")],
                 [[m["month"], _money(m["compensation"]), _money(m["cost_per_case"])]
                  for m in panel["cost_per_case_by_month"]])


def root_causes(filters: InsightFilters) -> Table:
    panel = selectors.root_causes(filters)
    return Table("root_causes", _("Root causes"),
                 [_("Root cause"), _("Cases"), _("Cumulative share (%)")],
                 [[p["label"], p["cases"], _percent(p["cumulative_share"])]
                  for p in panel["pareto"]])


def responsible(filters: InsightFilters) -> Table:
    panel = selectors.root_causes(filters)
    return Table("responsible", _("Responsible departments"),
                 [_("Department"), _("Cases")],
                 [[r["label"], r["cases"]] for r in panel["responsible"]])


def problems(filters: InsightFilters) -> Table:
    panel = selectors.problems(filters)
    rows = [[_("Problems"), p["label"], p["count"]] for p in panel["problems"]]
    rows += [[_("Corrective actions"), a["label"], a["count"]] for a in panel["actions"]]
    rows.append([_("Corrective actions"), _("Overdue"), panel["actions_overdue"]])
    return Table("problems", _("Problems and corrective actions"),
                 [_("Kind"), _("Status"), _("Count")], rows)


def outcomes(filters: InsightFilters) -> Table:
    panel = selectors.outcomes(filters)
    return Table("outcomes", _("Recovery outcomes"),
                 [_("Outcome"), _("Answers"), _("Satisfaction (1–5)"),
                  _("Would recommend (0–10)"), _("Would come back (%)"),
                  _("Answers on coming back")],
                 [[g["label"], g["answers"], g["csat_avg"], g["recommend_avg"],
                   _percent(g["return_rate"]), g["return_answers"]]
                  for g in panel["groups"]])


def paradox(filters: InsightFilters) -> Table:
    panel = selectors.paradox(filters)
    return Table("paradox", _("Recovery paradox"),
                 [_("Customers"), _("Answers"), _("Satisfaction (1–5)"),
                  _("Would come back (%)")],
                 [[g["label"], g["answers"], g["csat_avg"], _percent(g["return_rate"])]
                  for g in panel["groups"]])


def roi(filters: InsightFilters) -> Table:
    panel = selectors.roi(filters)
    rows: list[list[Any]] = [
        [_("Complaints resolved"), panel["resolved"]],
        [_("Would come back (%)"), _percent(panel["return_rate"])],
        [_("Customers retained (estimate)"), panel["customers_retained"]],
        [_("Value of a retained customer (yuan)"), _money(panel["lifetime_value"])],
        [_("Retained revenue (yuan, estimate)"), _money(panel["retained_revenue"])],
        [_("Recovery cost (yuan)"), _money(panel["recovery_cost"])],
        [_("Return on recovery cost"), panel["return_on_cost"]],
        [_("Complaints"), panel["complaints"]],
        [_("Silent customers per complaint"), panel["silent_multiplier"]],
        [_("Silent customers (estimate)"), panel["silent_customers"]],
        [_("Source of the estimate"), panel["silent_source"]],
    ]
    return Table("roi", _("Return on recovery"), [_("Figure"), _("Value")], rows)


def _people_rows(rows: list[dict[str, Any]], first: str) -> list[list[Any]]:
    return [[r[first], r["cases"], _percent(r["first_response_attainment"]),
             r["mean_resolution_hours"], _percent(r["reopen_rate"]), r["csat_avg"],
             _money(r["compensation"]), r["remedies"], r["over_authority"]] for r in rows]


def _people_headers(first: str) -> list[str]:
    return [first, _("Cases owned"), _("First-response attainment (%)"),
            _("Mean resolution time (hours)"), _("Reopen rate (%)"), _("Satisfaction (1–5)"),
            _("Compensation given (yuan)"), _("Remedies"), _("Over their authority")]


def people(filters: InsightFilters) -> Table:
    panel = selectors.people(filters)
    headers = _people_headers(_("Person"))
    headers[1:1] = [_("Role")]
    headers.append(_("Authority per case (yuan)"))
    rows = [[r["name"], r["role"], *row[1:], _money(r["authority_per_case"])]
            for r, row in zip(panel["agents"], _people_rows(panel["agents"], "name"),
                              strict=True)]
    return Table("people", _("People"), headers, rows)


def people_departments(filters: InsightFilters) -> Table:
    panel = selectors.people(filters)
    return Table("people_departments", _("Departments"), _people_headers(_("Department")),
                 _people_rows(panel["departments"], "name"))


# --- every case of the period --------------------------------------------------------------


def cases_in_period(filters: InsightFilters) -> QuerySet[Case]:
    """The cases received in the period (local days) that the filters and the viewer's
    scope let through: the same cases the panels count."""
    found = Case.objects.filter(received_at__gte=day_start(filters.start),
                                received_at__lt=day_start(filters.end + timedelta(days=1)))
    if filters.departments is not None:
        found = found.filter(department_id__in=filters.departments)
    if filters.department is not None:
        found = found.filter(department_id=filters.department)
    for dim in ("channel", "scenario"):
        value = getattr(filters, dim)
        if value:
            found = found.filter(**{dim: value})
    if filters.location:
        # The filter names a site: its locations start with it (rows whose site is longer,
        # "南湖小区东门" for "南湖小区", are left out as the rows are read).
        found = found.filter(location__startswith=filters.location)
    return found


def _local(moment: datetime | None) -> str:
    return moment.astimezone(zone()).strftime("%Y-%m-%d %H:%M") if moment else ""


def _case_rows(filters: InsightFilters, labels: dict[str, dict[str, str]]
               ) -> Iterator[list[Any]]:
    latest_answer = (SurveyAnswer.objects.filter(followup__case_id=OuterRef("pk"))
                     .order_by("-answered_at", "-id").values("satisfaction")[:1])
    rows = (cases_in_period(filters)
            .annotate(csat=Subquery(latest_answer))
            .order_by("received_at", "id")
            .values_list("reference", "received_at", "channel", "department__name",
                         "location", "scenario", "emotion", "priority", "status",
                         "clock__first_responded_at", "resolved_at", "csat"))
    channels, scenarios = labels["channel"], labels["scenario"]
    emotions, statuses = labels["emotion"], labels["status"]
    for (reference, received, channel, department, location, scenario, emotion, priority,
         status, responded, resolved, csat) in rows.iterator(chunk_size=CHUNK_ROWS):
        if filters.location and site_of(location) != filters.location:
            continue
        minutes = (round((responded - received).total_seconds() / 60, 1)
                   if responded is not None else None)
        yield [reference, _local(received), channels.get(channel, channel), department or "",
               location, scenarios.get(scenario, scenario), emotions.get(emotion, emotion),
               priority, statuses.get(status, status), minutes, _local(resolved), csat]


def cases(filters: InsightFilters) -> Table:
    # The labels are translated now, in the request's language: the rows are read later,
    # while the response streams.
    labels = {name: {value: str(label) for value, label in choices.choices}
              for name, choices in (("channel", Channel), ("scenario", Scenario),
                                    ("emotion", Emotion), ("status", Status))}
    return Table("cases", _("Cases"),
                 [_("Reference"), _("Received (local time)"), _("Channel"), _("Department"),
                  _("Location"), _("Scenario"), _("Emotion"), _("Priority"), _("Status"),
                  _("First response (minutes)"), _("Resolved (local time)"),
                  _("Satisfaction (1–5)")],
                 _case_rows(filters, labels))


TABLES: dict[str, Callable[[InsightFilters], Table]] = {
    "volume": volume,
    "volume_scenario": volume_scenario,
    "emotions": emotions,
    "first_response": first_response,
    "sla": sla,
    "resolution": resolution,
    "satisfaction": satisfaction,
    "cost_per_case": cost_per_case,
    "root_causes": root_causes,
    "responsible": responsible,
    "problems": problems,
    "outcomes": outcomes,
    "paradox": paradox,
    "roi": roi,
    "people": people,
    "people_departments": people_departments,
    "cases": cases,
}
PEOPLE_TABLES = ("people", "people_departments")
FORMATS = ("csv", "xlsx")


def table_get(name: str, *, filters: InsightFilters, user: User) -> Table:
    """The named table for these (already checked) filters. Refuses an unknown table, the
    figures to anyone below a supervisor, and the tables naming people to whoever may not
    see the people view."""
    builder = TABLES.get(name)
    if builder is None:
        raise NotFound(_("No such table."))
    if not selectors.insights_visible_to(user):
        raise NotAllowed(_("Only supervisors and above may see the figures."))
    if name in PEOPLE_TABLES and not selectors.people_visible_to(user):
        raise NotAllowed(_("Only supervisors and quality managers may see figures per "
                           "person."))
    return builder(filters)


def export_filename(table: Table, filters: InsightFilters, fmt: str) -> str:
    return f"redress-{table.name}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.{fmt}"


# --- writing ----------------------------------------------------------------------------


def _text_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file whose `write` hands back what it was given: csv.writer formats a row and
    the stream sends it on."""

    def write(self, value: str) -> str:
        return value


def csv_pieces(table: Table) -> Iterator[bytes]:
    """The table as CSV, a few hundred rows at a time; the first piece starts with the
    UTF-8 byte-order mark."""
    writer = csv.writer(_Echo())
    piece = ["\ufeff", writer.writerow(table.headers)]
    for row in table.rows:
        piece.append(writer.writerow(["" if v is None else _text_cell(v) for v in row]))
        if len(piece) >= CSV_ROWS_PER_PIECE:
            yield "".join(piece).encode("utf-8")
            piece = []
    if piece:
        yield "".join(piece).encode("utf-8")


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, not a formula
        return cell
    return value


def _sheet_title(title: str) -> str:
    for forbidden in "[]:*?/\\":
        title = title.replace(forbidden, " ")
    return title[:31] or "Sheet"


def xlsx_file(table: Table) -> IO[bytes]:
    """The table as an XLSX workbook in an anonymous temporary file (gone once closed),
    positioned at its start. Write-only mode streams rows to disk as they come."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(table.title))
    bold = Font(bold=True)
    header = []
    for text in table.headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it
    workbook.save(out)
    out.seek(0)
    return out
