"""The monthly report: the dashboard's panels for one calendar month as a PDF, in Chinese or
English, with charts drawn by ReportLab itself (no browser, so a cron job can print it).

It opens with what a monthly review reads first, the month against the month before, then
the headline figures and one section per panel, each with its chart; a panel whose source
has no data in the month says so instead of drawing an empty chart. Read-only: it reads the
rollups through `selectors`, like the dashboard.

Chinese text needs a font with Chinese glyphs embedded in the file. ReportLab embeds
TrueType outlines only, so Debian's WenQuanYi Zen Hei (`fonts-wqy-zenhei`, installed by
`scripts/test.sh`) is looked for first; Noto CJK, though often installed, has PostScript
(CFF) outlines and cannot be used. `REDRESS_REPORT_FONT` names another TrueType file.
Without any of them the report falls back to ReportLab's built-in `STSong-Light`, which
every PDF reader draws with its own Chinese font: the file is not self-contained then, but
the report is never refused for want of a font.
"""

from __future__ import annotations

import functools
import io
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from redress.accounts.models import Department, User
from redress.common import clock
from redress.common.errors import Invalid, NotAllowed
from redress.insights import selectors
from redress.insights.selectors import InsightFilters
from redress.insights.services import zone

logger = logging.getLogger(__name__)

# Debian's Chinese fonts with TrueType outlines, best first (the package in the comment).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # fonts-wqy-microhei
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # fonts-arphic-uming
)
# Built into ReportLab and known to every PDF reader; drawn with the reader's own font.
CID_FONT = "STSong-Light"
# The twelve months of the cost-per-case chart end with the report's month.
COST_MONTHS = 12
# Earlier months are certainly a typing error (and keep the 12-month range a real date).
EARLIEST_MONTH = date(2000, 1, 1)

# The dashboard's (ECharts') palette, so the printed charts look like the screen.
PALETTE = [colors.HexColor(c) for c in (
    "#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4",
    "#ea7ccc")]
GOOD = colors.HexColor("#3ba272")
BAD = colors.HexColor("#ee6666")
GRID = colors.HexColor("#d9d9d9")
HEAD_FILL = colors.HexColor("#eef1f8")
MUTED = colors.HexColor("#666666")
PAGE_MARGIN = 18 * mm
WIDTH = A4[0] - 2 * PAGE_MARGIN
DASH = "—"


# --- fonts -------------------------------------------------------------------------------


@functools.cache
def _truetype(path: str) -> str | None:
    """Register a TrueType font (the first face of a collection) once per process."""
    name = f"Redress-{Path(path).stem}"
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except (TTFError, OSError) as error:
        logger.warning("Cannot use %s for the report: %s", path, error)
        return None
    return name


def report_font() -> str:
    """The registered name of the font the report is set in: `REDRESS_REPORT_FONT` when
    set, else the first Debian Chinese TrueType font installed, else the built-in CID
    font (never fails)."""
    configured = settings.REDRESS_REPORT_FONT
    for path in [configured] if configured else FONT_CANDIDATES:
        if Path(path).is_file() and (name := _truetype(path)) is not None:
            return name
    if configured:
        logger.warning("REDRESS_REPORT_FONT=%s is not a TrueType font file; the report "
                       "uses the built-in %s instead.", configured, CID_FONT)
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


# --- formatting --------------------------------------------------------------------------


def _percent(share: float | None) -> str:
    return DASH if share is None else f"{share * 100:.1f}%"


def _number(value: float | int | None, places: int = 1) -> str:
    return DASH if value is None else f"{value:.{places}f}"


def _yuan(value: str | Decimal | None) -> str:
    return DASH if value is None else f"¥{Decimal(value):,.2f}"


def _signed(value: float | Decimal, places: int, prefix: str = "") -> str:
    """A change with its sign (+¥12.00, -3, 0)."""
    if not value:
        return f"{prefix}{0:.{places}f}"
    return f"{'+' if value > 0 else '-'}{prefix}{abs(value):,.{places}f}"


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _months_before(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _month_label(month: date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


# --- charts ------------------------------------------------------------------------------


ValueLabel = Callable[[float], str]


def count_label(value: float) -> str:
    return f"{value:.0f}" if value else ""  # an empty band is left unlabelled


def average_label(value: float) -> str:
    return f"{value:.2f}"


def yuan_label(value: float) -> str:
    return f"¥{value:,.2f}"


def _axis_label(value: float) -> str:
    return f"{value:,g}"


def _nice_step(top: float, *, whole: bool) -> float:
    """A round axis step giving about five gridlines up to `top` (whole numbers for
    counts)."""
    rough = max(top / 5, 1e-9)
    power = 10.0 ** math.floor(math.log10(rough))
    step = next(f * power for f in (1, 2, 5, 10) if f * power >= rough)
    return max(1.0, step) if whole else step


def _value_axis(axis: Any, font: str, values: Sequence[float | None], *,
                scale: tuple[float, float] | None, whole: bool) -> None:
    axis.labels.fontName = font
    axis.labels.fontSize = 7
    axis.valueMin = 0
    axis.labelTextFormat = _axis_label
    axis.visibleGrid = True
    axis.gridStrokeColor = GRID
    axis.strokeColor = MUTED
    if scale is not None:
        axis.valueMax, axis.valueStep = scale
        return
    top = max((v for v in values if v is not None), default=0) or 1
    step = _nice_step(top, whole=whole)
    # A step of room above the tallest bar, for its label.
    axis.valueMax = step * (math.floor(top / step) + 1)
    axis.valueStep = step


def _unlabelled_none(label: ValueLabel) -> ValueLabel:
    return lambda value: "" if value is None else label(value)


def _legend(font: str, pairs: list[tuple[Any, str]], *, x: float, y: float,
            columns: int = 1, column_width: float = 80) -> Legend:
    legend = Legend()
    legend.fontName = font
    legend.fontSize = 7.5
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.dx = legend.dy = 7
    legend.deltay = 10
    legend.columnMaximum = max(1, -(-len(pairs) // columns))
    legend.deltax = column_width
    legend.strokeColor = None
    legend.colorNamePairs = pairs
    return legend


def bar_chart(font: str, categories: Sequence[str],
              series: Sequence[tuple[str, Sequence[float | None]]], *,
              stacked: bool = False, bar_colours: Sequence[Any] | None = None,
              scale: tuple[float, float] | None = None, label: ValueLabel = count_label,
              whole: bool = True, angle: int = 0, width: float = WIDTH,
              height: float = 58 * mm, legend: list[tuple[Any, str]] | None = None) -> Drawing:
    """Bars per category, one colour per series (or per bar with `bar_colours`); a value
    label over each bar unless stacked."""
    drawing = Drawing(width, height)
    pairs = legend if legend is not None else (
        [(PALETTE[i % len(PALETTE)], name) for i, (name, _v) in enumerate(series)]
        if len(series) > 1 else [])
    columns = min(len(pairs), 6)
    legend_rows = -(-len(pairs) // columns) if pairs else 0
    bottom = 34 if angle else 16
    chart = VerticalBarChart()
    chart.x, chart.y = 40, bottom
    chart.width = width - chart.x - 6
    chart.height = height - bottom - 10 - legend_rows * 11
    chart.data = [tuple(values) for _name, values in series]
    chart.strokeColor = None
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.strokeColor = MUTED
    if angle:
        chart.categoryAxis.labels.angle = angle
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dx, chart.categoryAxis.labels.dy = 4, -2
    if stacked:
        chart.categoryAxis.style = "stacked"
        shown = [sum(v[i] or 0 for _name, v in series) for i in range(len(categories))]
    else:
        shown = [v or 0 for _name, values in series for v in values]
    _value_axis(chart.valueAxis, font, shown, scale=scale, whole=whole)
    # A bar no wider than about 60 points, however few the categories.
    bars = 1 if stacked else len(series)
    slot = chart.width / max(1, len(categories))
    share = min(2 / 3, 60 * bars / slot)
    chart.barWidth = 10
    chart.barSpacing = 0
    chart.groupSpacing = 10 * bars * (1 / share - 1)
    for index in range(len(series)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
        chart.bars[index].strokeColor = None
    for index, colour in enumerate(bar_colours or []):
        chart.bars[(0, index)].fillColor = colour
    if not stacked:
        chart.barLabelFormat = _unlabelled_none(label)
        chart.barLabels.fontName = font
        chart.barLabels.fontSize = 7
        chart.barLabels.nudge = 6
    drawing.add(chart)
    if pairs:
        drawing.add(_legend(font, pairs, x=chart.x, y=height - 2, columns=columns,
                            column_width=(width - chart.x) / columns))
    return drawing


def pie_chart(font: str, items: Sequence[tuple[str, int]], *, width: float = WIDTH,
              height: float = 50 * mm) -> Drawing:
    """Shares of a whole, with a legend giving each count and share."""
    drawing = Drawing(width, height)
    total = sum(n for _label, n in items) or 1
    pie = Pie()
    size = height - 12
    pie.x, pie.y, pie.width, pie.height = 20, 6, size, size
    pie.data = [n for _label, n in items]
    pie.labels = None
    pie.sideLabels = False
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.8
    for index in range(len(items)):
        pie.slices[index].fillColor = PALETTE[index % len(PALETTE)]
    drawing.add(pie)
    pairs = [(PALETTE[i % len(PALETTE)], f"{label}  {n}  ({n / total:.0%})")
             for i, (label, n) in enumerate(items)]
    drawing.add(_legend(font, pairs, x=pie.x + size + 30, y=height - 6))
    return drawing


# --- the document ------------------------------------------------------------------------


class _Report:
    """The flowables of the report in the order they print, and the styles they use."""

    def __init__(self, *, font: str, language: str) -> None:
        self.font = font
        # Chinese breaks lines between any two characters; English between words only.
        wrap = "CJK" if language.startswith("zh") else None
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13.5,
                                   wordWrap=wrap, spaceAfter=4)
        self.title_style = ParagraphStyle("title", parent=self.body, fontSize=19,
                                          leading=25, spaceAfter=6)
        self.subtitle = ParagraphStyle("subtitle", parent=self.body, fontSize=10.5,
                                       leading=15, textColor=MUTED)
        self.heading_style = ParagraphStyle("heading", parent=self.body, fontSize=13,
                                            leading=18, spaceBefore=12, spaceAfter=5,
                                            keepWithNext=1, textColor=PALETTE[0])
        self.subheading_style = ParagraphStyle("subheading", parent=self.body, fontSize=10,
                                               leading=14, spaceBefore=6, spaceAfter=3,
                                               keepWithNext=1)
        self.note_style = ParagraphStyle("note", parent=self.body, fontSize=8, leading=11.5,
                                         textColor=MUTED)
        self.empty_style = ParagraphStyle("empty", parent=self.body, fontSize=9.5,
                                          textColor=MUTED, spaceBefore=2, spaceAfter=6)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8, leading=10.5,
                                   spaceAfter=0)
        self.cell_number = ParagraphStyle("cell_number", parent=self.cell, alignment=TA_RIGHT)
        self.story: list[Flowable] = []

    def add(self, flowable: Flowable) -> None:
        self.story.append(flowable)

    def text(self, text: str, style: ParagraphStyle | None = None) -> None:
        self.add(Paragraph(escape(text), style or self.body))

    def title(self, text: str) -> None:
        self.text(text, self.title_style)

    def heading(self, text: str) -> None:
        self.text(text, self.heading_style)

    def subheading(self, text: str) -> None:
        self.text(text, self.subheading_style)

    def note(self, text: str) -> None:
        self.text(text, self.note_style)

    def no_data(self) -> None:
        self.text(_("No data yet"), self.empty_style)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], *,
              widths: Sequence[float] | None = None, text_columns: int = 1) -> None:
        """A table whose first `text_columns` columns are text and the rest figures."""
        def cell(value: Any, column: int) -> Paragraph:
            style = self.cell if column < text_columns else self.cell_number
            return Paragraph(escape(DASH if value is None else str(value)), style)

        data = [[cell(v, i) for i, v in enumerate(header)]]
        data += [[cell(v, i) for i, v in enumerate(row)] for row in rows]
        if widths is None:
            first = WIDTH * (0.34 if len(header) > 2 else 0.6)
            rest = (WIDTH - first) / max(1, len(header) - 1)
            widths = [first, *[rest] * (len(header) - 1)]
        table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, MUTED),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]))
        self.add(table)
        self.add(Spacer(1, 4))

    def figures(self, pairs: Sequence[tuple[str, Any]]) -> None:
        """Label–value pairs, two to a row."""
        rows = []
        for index in range(0, len(pairs), 2):
            left = pairs[index]
            right = pairs[index + 1] if index + 1 < len(pairs) else ("", "")
            rows.append([left[0], left[1], right[0], right[1]])
        label, value = WIDTH * 0.3, WIDTH * 0.2
        table = Table([[Paragraph(escape(str(v if v is not None else DASH)),
                                  self.cell if i % 2 == 0 else self.cell_number)
                        for i, v in enumerate(row)] for row in rows],
                      colWidths=[label, value, label, value], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]))
        self.add(table)
        self.add(Spacer(1, 4))

    def build(self, *, title: str, footer: str) -> bytes:
        buffer = io.BytesIO()
        font = self.font

        def decorate(canvas: Canvas, document: SimpleDocTemplate) -> None:
            canvas.saveState()
            canvas.setFont(font, 7.5)
            canvas.setFillColor(MUTED)
            canvas.drawString(PAGE_MARGIN, 10 * mm, footer)
            canvas.drawRightString(A4[0] - PAGE_MARGIN, 10 * mm,
                                   _("Page %(page)d") % {"page": document.page})
            canvas.restoreState()

        document = SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=PAGE_MARGIN, rightMargin=PAGE_MARGIN,
            topMargin=PAGE_MARGIN, bottomMargin=PAGE_MARGIN + 4 * mm, title=title,
            author="Redress", subject=footer, creator="Redress")
        document.build(self.story, onFirstPage=decorate, onLaterPages=decorate)
        return buffer.getvalue()


# --- the sections ------------------------------------------------------------------------


def _comparison(report: _Report, now: dict[str, Any], before: dict[str, Any], *,
                month_label: str, previous_label: str) -> None:
    report.heading(_("Compared with last month"))
    if not now["cases"] and not before["cases"]:
        report.no_data()
        return

    def change(new: Any, old: Any, render: Any) -> str:
        return DASH if new is None or old is None else render(new, old)

    def cases_change(new: int, old: int) -> str:
        text = _signed(new - old, 0)
        return f"{text} ({_signed((new - old) / old * 100, 1)}%)" if old and new != old else text

    report.table(
        [_("Figure"), month_label, previous_label, _("Difference")],
        [[_("Cases"), now["cases"], before["cases"],
          cases_change(now["cases"], before["cases"])],
         [_("First-response attainment"), _percent(now["first_response_attainment"]),
          _percent(before["first_response_attainment"]),
          change(now["first_response_attainment"], before["first_response_attainment"],
                 lambda n, o: _("%(points)s percentage points")
                 % {"points": _signed((n - o) * 100, 1)})],
         [_("Satisfaction (1–5)"), _number(now["csat_avg"], 2),
          _number(before["csat_avg"], 2),
          change(now["csat_avg"], before["csat_avg"], lambda n, o: _signed(n - o, 2))],
         [_("Cost per case"), _yuan(now["cost_per_case"]), _yuan(before["cost_per_case"]),
          change(now["cost_per_case"], before["cost_per_case"],
                 lambda n, o: _signed(Decimal(n) - Decimal(o), 2, "¥"))]])


def _headline(report: _Report, figures: dict[str, Any]) -> None:
    report.heading(_("Headline figures"))
    if not figures["cases"]:
        report.no_data()
        return
    report.figures([
        (_("Cases"), figures["cases"]),
        (_("Complaints"), figures["complaints"]),
        (_("First response within %(minutes)d minutes")
         % {"minutes": figures["first_response_target_minutes"]},
         _percent(figures["first_response_attainment"])),
        (_("Median first response (minutes)"),
         _number(figures["median_first_response_minutes"])),
        (_("Resolved"), figures["resolved"]),
        (_("Median resolution (hours)"), _number(figures["median_resolution_hours"])),
        (_("Reopen rate"), _percent(figures["reopen_rate"])),
        (_("Second-recovery rate"), _percent(figures["second_recovery_rate"])),
        (_("Satisfaction (1–5)"), _number(figures["csat_avg"], 2)),
        (_("Surveys answered"), figures["surveyed"]),
        (_("Compensation given"), _yuan(figures["compensation_total"])),
        (_("Cost per case"), _yuan(figures["cost_per_case"])),
    ])


def _volume(report: _Report, filters: InsightFilters) -> None:
    report.heading(_("Volume by channel"))
    panel = selectors.volume_trend(filters)
    if not panel["total"]:
        report.no_data()
        return
    report.text(_("Cases received per day, by channel: %(total)d in all.")
                % {"total": panel["total"]})
    days = [str(int(bucket[-2:])) for bucket in panel["buckets"]]
    report.add(bar_chart(report.font, days,
                         [(s["label"], s["counts"]) for s in panel["by_channel"]],
                         stacked=True))


def _emotions(report: _Report, filters: InsightFilters) -> None:
    report.heading(_("Emotion mix"))
    panel = selectors.emotion_mix(filters)
    if not panel["total"]:
        report.no_data()
        return
    report.add(pie_chart(report.font, [(i["label"], i["cases"]) for i in panel["items"]]))


def _first_response(report: _Report, filters: InsightFilters) -> None:
    report.heading(_("First response"))
    panel = selectors.first_response(filters)
    if not panel["due"] and not panel["responded"]:
        report.no_data()
        return
    target = panel["target_minutes"]
    report.text(_("%(within)d of %(due)d first responses within the %(target)d-minute "
                  "target (%(share)s); median %(median)s minutes.")
                % {"within": panel["within_target"], "due": panel["due"], "target": target,
                   "share": _percent(panel["attainment"]),
                   "median": _number(panel["median_minutes"])})
    bands = panel["bands"]
    in_time = [b["upper_minutes"] is not None and b["upper_minutes"] <= target for b in bands]
    report.add(bar_chart(
        report.font, [b["label"] for b in bands], [(_("Cases"), [b["cases"] for b in bands])],
        bar_colours=[GOOD if ok else BAD for ok in in_time], angle=35,
        legend=[(GOOD, _("Within the target")), (BAD, _("Over the target"))]))
    report.subheading(_("SLA attainment per priority"))
    report.table(
        [_("Priority"), _("First responses due"), _("First responses in time"),
         _("First-response attainment"), _("Resolutions due"), _("Resolutions in time"),
         _("Resolution attainment")],
        [[row["label"], row["first_response_due"], row["first_response_met"],
          _percent(row["first_response_attainment"]), row["resolution_due"],
          row["resolution_met"], _percent(row["resolution_attainment"])]
         for row in panel["sla"]],
        widths=[WIDTH * 0.22, *[WIDTH * 0.13] * 6])


def _resolution(report: _Report, filters: InsightFilters) -> None:
    report.heading(_("Resolution, reopening and second recovery"))
    panel = selectors.resolution(filters)
    if not panel["resolved"] and not panel["reopened"]:
        report.no_data()
        return
    report.figures([
        (_("Resolved"), panel["resolved"]),
        (_("Median resolution (hours)"), _number(panel["median_hours"])),
        (_("Reopened"), panel["reopened"]),
        (_("Reopen rate"), _percent(panel["reopen_rate"])),
        (_("Second recovery after a follow-up"), panel["second_recovery"]),
        (_("Second-recovery rate"), _percent(panel["second_recovery_rate"])),
    ])
    bands = panel["bands"]
    report.add(bar_chart(report.font, [b["label"] for b in bands],
                         [(_("Cases"), [b["cases"] for b in bands])], angle=35))


def _satisfaction(report: _Report, filters: InsightFilters) -> None:
    report.heading(_("Satisfaction after recovery"))
    panel = selectors.satisfaction(filters)
    if not panel["surveyed"]:
        report.no_data()
        return
    items = [(_("Overall satisfaction (1–5)"), panel["surveyed"], panel["csat_avg"]),
             *((f["label"], f["answers"], f["avg"]) for f in panel["fairness"])]
    report.add(bar_chart(report.font, [label for label, _n, _avg in items],
                         [(_("Average"), [avg for _label, _n, avg in items])],
                         scale=(5, 1), label=average_label, height=50 * mm))
    solved = panel["solved"]
    report.table([_("Question"), _("Answers"), _("Average")],
                 [*([label, n, _number(avg, 2)] for label, n, avg in items),
                  [_("Would recommend (0–10)"), None, _number(panel["recommend_avg"], 2)],
                  [_("Net promoter score"), None, _number(panel["nps"])]])
    report.note(_("Solved in the customer's words: yes %(yes)d, partly %(partly)d, "
                  "no %(no)d.") % solved)


def _compensation(report: _Report, filters: InsightFilters, year: InsightFilters) -> None:
    report.heading(_("Compensation and cost per case"))
    panel = selectors.compensation(filters)
    if panel["cases"]:
        report.figures([
            (_("Compensation given"), _yuan(panel["compensation_total"])),
            (_("Remedies carried out"), panel["remedies"]),
            (_("Cases compensated"), panel["cases_compensated"]),
            (_("Remedy cost"), _yuan(panel["remedy_cost"])),
            (_("Handling cost (estimated)"), _yuan(panel["handling_cost"])),
            (_("Cost per case"), _yuan(panel["cost_per_case"])),
        ])
    else:
        report.no_data()
    report.subheading(_("Cost per case by month, the last 12 months (yuan)"))
    found = {m["month"]: m["cost_per_case"]
             for m in selectors.compensation(year)["cost_per_case_by_month"]}
    months = [_months_before(filters.start, COST_MONTHS - 1 - i) for i in range(COST_MONTHS)]
    values = [float(v) if (v := found.get(m.strftime("%Y-%m"))) is not None else None
              for m in months]
    if all(v is None for v in values):
        report.no_data()
        return
    report.add(bar_chart(report.font, [m.strftime("%Y-%m") for m in months],
                         [(_("Cost per case"), values)], label=yuan_label, whole=False,
                         height=50 * mm))


def _root_causes(report: _Report, filters: InsightFilters) -> None:
    report.heading(_("Top root causes (Pareto)"))
    panel = selectors.root_causes(filters)
    if not panel["total"]:
        report.no_data()
        return
    pareto = panel["pareto"]
    report.add(bar_chart(report.font, [p["label"] for p in pareto],
                         [(_("Cases"), [p["cases"] for p in pareto])], height=50 * mm))
    report.table([_("Root cause"), _("Cases"), _("Cumulative share")],
                 [[p["label"], p["cases"], _percent(p["cumulative_share"])] for p in pareto])
    report.subheading(_("Responsible departments"))
    report.table([_("Department"), _("Cases")],
                 [[r["label"], r["cases"]] for r in panel["responsible"]])


def _problems(report: _Report, filters: InsightFilters) -> None:
    report.heading(_("Problems and corrective actions"))
    panel = selectors.problems(filters)
    if not any(p["count"] for p in (*panel["problems"], *panel["actions"])):
        report.no_data()
        return
    report.note(_("As they stand today: %(open)d problems open, %(overdue)d corrective "
                  "actions overdue.")
                % {"open": panel["open"], "overdue": panel["actions_overdue"]})
    half = WIDTH / 2 - 3 * mm
    charts = Table([[
        bar_chart(report.font, [p["label"] for p in panel["problems"]],
                  [(_("Problems"), [p["count"] for p in panel["problems"]])],
                  width=half, height=48 * mm, angle=30),
        bar_chart(report.font, [a["label"] for a in panel["actions"]],
                  [(_("Corrective actions"), [a["count"] for a in panel["actions"]])],
                  width=half, height=48 * mm, angle=30),
    ], [Paragraph(escape(_("Problems")), report.note_style),
        Paragraph(escape(_("Corrective actions")), report.note_style)]],
        colWidths=[WIDTH / 2, WIDTH / 2], hAlign="LEFT")
    report.add(charts)


def _satisfaction_by_group(report: _Report, groups: list[dict[str, Any]]) -> bool:
    """Average satisfaction per group of customers as bars; "no data yet" (and False)
    when no group has an answer."""
    if not any(g["answers"] for g in groups):
        report.no_data()
        return False
    report.add(bar_chart(report.font, [g["label"] for g in groups],
                         [(_("Satisfaction (1–5)"), [g["csat_avg"] for g in groups])],
                         scale=(5, 1), label=average_label, height=45 * mm))
    return True


def _outcomes(report: _Report, filters: InsightFilters) -> None:
    report.heading(_("Recovery outcomes"))
    groups = selectors.outcomes(filters)["groups"]
    if not _satisfaction_by_group(report, groups):
        return
    report.table([_("Outcome"), _("Answers"), _("Satisfaction (1–5)"),
                  _("Would recommend (0–10)"), _("Would come back")],
                 [[g["label"], g["answers"], _number(g["csat_avg"], 2),
                   _number(g["recommend_avg"], 2), _percent(g["return_rate"])]
                  for g in groups])
    report.note(_("For comparison, the service-recovery guide cites %(quick)s of customers "
                  "coming back when "
                  "their complaint is resolved quickly and %(resolved)s when it is resolved; "
                  "these are your own customers' answers.")
                % {"quick": "82%", "resolved": "54%"})


def _paradox(report: _Report, filters: InsightFilters) -> None:
    report.heading(_("Recovery paradox"))
    groups = selectors.paradox(filters)["groups"]
    if not _satisfaction_by_group(report, groups):
        return
    report.table([_("Customers"), _("Answers"), _("Satisfaction (1–5)"),
                  _("Would come back")],
                 [[g["label"], g["answers"], _number(g["csat_avg"], 2),
                   _percent(g["return_rate"])] for g in groups])


def _roi(report: _Report, filters: InsightFilters) -> None:
    report.heading(_("Return on recovery"))
    panel = selectors.roi(filters)
    if not panel["complaints"] and not panel["resolved"]:
        report.no_data()
        return
    report.figures([
        (_("Complaints resolved"), panel["resolved"]),
        (_("Would come back"), _percent(panel["return_rate"])),
        (_("Customers retained (estimate)"), _number(panel["customers_retained"])),
        (_("Value of a retained customer"), _yuan(panel["lifetime_value"])),
        (_("Retained revenue (estimate)"), _yuan(panel["retained_revenue"])),
        (_("Recovery cost"), _yuan(panel["recovery_cost"])),
        (_("Return on recovery cost"), _number(panel["return_on_cost"], 2)),
        (_("Silent customers (estimate)"), panel["silent_customers"]),
    ])
    if panel["retained_revenue"] is not None:
        report.add(bar_chart(
            report.font, [_("Retained revenue (estimate)"), _("Recovery cost")],
            [(_("Yuan"), [float(panel["retained_revenue"]), float(panel["recovery_cost"])])],
            bar_colours=[GOOD, BAD], label=yuan_label, height=45 * mm))
    else:
        report.note(_("No customer has said yet whether they will come back, so the "
                      "retained revenue cannot be estimated."))
    report.note(_("Estimate: the %(complaints)d complaints of the month stand for about "
                  "%(silent)d customers who had a problem and said nothing "
                  "(%(multiplier)d per complaint). Source: %(source)s")
                % {"complaints": panel["complaints"], "silent": panel["silent_customers"],
                   "multiplier": panel["silent_multiplier"], "source": panel["silent_source"]})


def _people(report: _Report, filters: InsightFilters) -> None:
    report.heading(_("People"))
    panel = selectors.people(filters)
    if not panel["agents"] and not panel["departments"]:
        report.no_data()
        return

    def figures(row: dict[str, Any]) -> list[Any]:
        return [row["cases"], _percent(row["first_response_attainment"]),
                _number(row["mean_resolution_hours"]), _percent(row["reopen_rate"]),
                _number(row["csat_avg"], 2), _yuan(row["compensation"]),
                row["over_authority"]]

    headers = [_("Cases owned"), _("First-response attainment"),
               _("Mean resolution time (hours)"), _("Reopen rate"), _("Satisfaction (1–5)"),
               _("Compensation given"), _("Over their authority")]
    widths = [WIDTH * 0.16, *[WIDTH * 0.12] * 7]
    report.subheading(_("Per department"))
    report.table([_("Department"), *headers],
                 [[d["name"], *figures(d)] for d in panel["departments"]], widths=widths)
    report.subheading(_("Per person"))
    report.table([_("Person"), *headers],
                 [[a["name"], *figures(a)] for a in panel["agents"]], widths=widths)


# --- the report --------------------------------------------------------------------------


def _scope(filters: InsightFilters, language: str) -> str:
    if filters.departments is None:
        return _("All departments")
    names = list(Department.objects.filter(pk__in=filters.departments)
                 .order_by("name").values_list("name", flat=True))
    separator = "、" if language.startswith("zh") else ", "
    return separator.join(names) or _("No department")


def _language(language: str) -> str:
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return settings.LANGUAGE_CODE


def report_monthly_pdf(*, month: date, filters_user: User | None, language: str) -> bytes:
    """The monthly report for the calendar month that `month` falls in, as the bytes of a
    PDF in `language`: for all departments when `filters_user` is None (the command), else
    for what that user sees, with the people section only if they may see people. Reads
    only. Raises `Invalid` for a month not begun yet, `NotAllowed` for a user who may not
    see the figures."""
    language = _language(language)
    with translation.override(language):
        month = month.replace(day=1)
        today = selectors.local_day_today()
        if month > today:
            raise Invalid(_("That month has not begun yet: choose this month or an earlier "
                            "one."), field="month")
        if month < EARLIEST_MONTH:
            raise Invalid(_("Choose a month from January 2000 on."), field="month")
        end = _month_end(month)
        if filters_user is None:
            filters = InsightFilters(start=month, end=end)
            with_people = True
        else:
            if not selectors.insights_visible_to(filters_user):
                raise NotAllowed(_("Only supervisors and above may see the figures."))
            filters = selectors.insight_filters(user=filters_user, start=month, end=end,
                                                today=today)
            with_people = selectors.people_visible_to(filters_user)
        return _render(filters, month=month, language=language, with_people=with_people)


def _render(filters: InsightFilters, *, month: date, language: str,
            with_people: bool) -> bytes:
    report = _Report(font=report_font(), language=language)
    title = _("Monthly service-recovery report")
    month_label = _month_label(month)
    previous_month = _months_before(month, 1)
    previous = replace(filters, start=previous_month, end=month - timedelta(days=1))
    generated: datetime = clock.now().astimezone(zone())
    scope = _scope(filters, language)

    report.title(title)
    report.text(f"{month_label} · {scope}", report.subtitle)
    report.note(_("Generated %(when)s. Figures are counted on the day each case was "
                  "received (%(zone)s).")
                % {"when": f"{generated:%Y-%m-%d %H:%M}",
                   "zone": zone().key})

    now = selectors.summary(filters)
    _comparison(report, now, selectors.summary(previous), month_label=month_label,
                previous_label=_month_label(previous_month))
    _headline(report, now)
    _volume(report, filters)
    _emotions(report, filters)
    _first_response(report, filters)
    _resolution(report, filters)
    _satisfaction(report, filters)
    _compensation(report, filters, replace(filters, start=_months_before(
        month, COST_MONTHS - 1)))
    _root_causes(report, filters)
    _problems(report, filters)
    _outcomes(report, filters)
    _paradox(report, filters)
    _roi(report, filters)
    if with_people:
        _people(report, filters)
    return report.build(title=f"{title} · {month_label}",
                        footer=f"Redress · {title} · {month_label} · {scope}")
