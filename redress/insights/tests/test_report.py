"""The monthly PDF report: `redress report monthly` writes a PDF with the expected headings
in Chinese (the default) and in English, the month compared with the one before, "no data
yet" for an empty month, nothing at all for a bad month, and no people section for a
viewer who may not see people."""

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from redress.accounts.models import User
from redress.cases.models import Case, ReferenceCounter
from redress.cases.services import CustomerDetails
from redress.common.errors import Invalid, NotAllowed
from redress.insights import selectors
from redress.insights.report import CID_FONT, report_monthly_pdf
from redress.insights.services import rollup_refresh_days
from redress.intake.services import staff_case_record

from .conftest import NOW, SHANGHAI

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)
HEADINGS_EN = [
    "Monthly service-recovery report", "Compared with last month", "Headline figures",
    "Volume by channel", "Emotion mix", "First response", "SLA attainment per priority",
    "Resolution, reopening and second recovery", "Satisfaction after recovery",
    "Compensation and cost per case", "Top root causes (Pareto)",
    "Problems and corrective actions", "Recovery outcomes", "Recovery paradox",
    "Return on recovery", "People",
]


@pytest.fixture
def two_months(march: dict[str, Case], agent: User) -> dict[str, Case]:
    """March as in conftest.py (three complaints, A and B in the agent's department), and
    two complaints the agent recorded in February through intake, for the comparison."""
    # The hand-made cases took references the counter has not handed out.
    ReferenceCounter.objects.update_or_create(year=2026, defaults={"last": 100})
    with time_machine.travel(NOW, tick=False):
        for day, text in ((10, "房间空调坏了，一晚上没睡好"), (11, "退房时多收了一晚房费")):
            staff_case_record(
                user=agent, channel="phone", description=text,
                customer=CustomerDetails(name="李先生", phone="13800138000"),
                received_at=datetime(2026, 2, day, 10, 0, tzinfo=SHANGHAI))
    return march


def monthly(out: Path, *extra: str, month: str = "2026-03") -> str:
    """Run the command at conftest's "now" (10 March 2026); returns what it printed."""
    printed = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("report", "monthly", "--month", month, "--out", str(out), *extra,
                     stdout=printed)
    return printed.getvalue()


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    """Without whitespace: lines wrap anywhere in Chinese text."""
    return re.sub(r"\s+", "", text)


def test_report_in_chinese_by_default(two_months: dict[str, Case], tmp_path: Path) -> None:
    out = tmp_path / "2026-03.pdf"
    printed = monthly(out)
    data = out.read_bytes()
    assert len(data) > 5000
    assert str(out) in printed and str(len(data)) in printed
    text = flat(pdf_text(data))
    assert "服务补救月报" in text
    for heading in HEADINGS_EN:
        with translation.override("zh-hans"):
            chinese = gettext(heading)
        assert chinese != heading, f"untranslated: {heading}"
        assert flat(chinese) in text, heading
    assert "2026年3月" in text
    # Three cases in March against two in February.
    assert "补救单32+1(+50.0%)" in text
    assert "所有部门" in text  # the command reports on every department


def test_report_in_english(two_months: dict[str, Case], tmp_path: Path) -> None:
    out = tmp_path / "march.pdf"
    monthly(out, "--language", "en")
    text = pdf_text(out.read_bytes())
    for heading in HEADINGS_EN:
        assert heading in text, heading
    assert "March 2026" in text and "All departments" in text
    words = " ".join(text.split())
    # Three cases in March against two in February (recorded through intake).
    assert re.search(r"Cases 3 2 \+1 \(\+50\.0%\)", words), words[:600]
    # The headline figures of test_kpis.py: ¥300 carried out, ¥75.33 per case.
    assert "¥300.00" in words and "¥75.33" in words
    # The silent customers are an estimate with its source.
    assert "Silent customers (estimate)" in words and "Source:" in words
    # The people section names the agent who owned A and B.
    assert "小张" in words


def test_an_empty_month_says_no_data_yet(db: None, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    monthly(out, month="2025-06")
    text = flat(pdf_text(out.read_bytes()))
    assert "服务补救月报" in text
    # Every section, and the cost-per-case chart, says so instead of drawing a chart.
    assert text.count("暂无数据") >= 15


def test_without_refresh_the_rollups_are_read_as_they_stand(
        two_months: dict[str, Case], tmp_path: Path) -> None:
    out = tmp_path / "stale.pdf"
    monthly(out, "--no-refresh", "--language", "en")
    # Nothing refreshed the rollups of these hand-made cases: no figures yet.
    assert "Headline figures No data yet" in " ".join(pdf_text(out.read_bytes()).split())


@pytest.mark.parametrize("month", ["2026-13", "abc", "2026-00", "26-03", ""])
def test_a_bad_month_is_refused_and_nothing_is_written(
        db: None, tmp_path: Path, month: str) -> None:
    out = tmp_path / "bad.pdf"
    with pytest.raises(CommandError, match="YYYY-MM"):
        monthly(out, "--language", "en", month=month)
    assert list(tmp_path.iterdir()) == []


def test_a_bad_month_is_explained_in_chinese_by_default(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="不是月份"):
        monthly(tmp_path / "bad.pdf", month="2026-13")
    assert list(tmp_path.iterdir()) == []


def test_a_month_not_begun_is_refused(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not begun"):
        monthly(tmp_path / "april.pdf", "--language", "en", month="2026-04")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_refused(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        monthly(tmp_path / "nowhere" / "march.pdf", "--language", "en")


def test_without_a_chinese_truetype_font_the_built_in_one_is_used(
        two_months: dict[str, Case], tmp_path: Path, settings: Any) -> None:
    settings.REDRESS_REPORT_FONT = str(tmp_path / "missing.ttf")
    out = tmp_path / "fallback.pdf"
    monthly(out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
    assert CID_FONT.encode() in data


def report_for(user: User, language: str = "en") -> str:
    with time_machine.travel(NOW, tick=False):
        rollup_refresh_days(date(2026, 2, 1) + timedelta(days=i) for i in range(38))
        return " ".join(pdf_text(report_monthly_pdf(
            month=MARCH, filters_user=user, language=language)).split())


def test_a_supervisor_sees_their_department_and_its_people(
        two_months: dict[str, Case], supervisor: User) -> None:
    words = report_for(supervisor)
    assert "前台" in words and "All departments" not in words
    # A and B are the supervisor's department's; C is the other department's.
    assert re.search(r"Cases 2 2 0 ", words), words[:600]
    assert "People" in words and "小张" in words


def test_no_people_section_for_a_viewer_who_may_not_see_people(
        two_months: dict[str, Case], supervisor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "people_visible_to", lambda user: False)
    words = report_for(supervisor)
    assert "Recovery paradox" in words
    assert "People" not in words and "Per person" not in words and "小张" not in words


def test_a_viewer_who_may_not_see_figures_is_refused(
        two_months: dict[str, Case], agent: User) -> None:
    with time_machine.travel(NOW, tick=False), pytest.raises(NotAllowed):
        report_monthly_pdf(month=MARCH, filters_user=agent, language="en")


def test_the_console_cannot_ask_for_a_month_not_begun(
        db: None, supervisor: User) -> None:
    with time_machine.travel(NOW, tick=False), pytest.raises(Invalid) as refused:
        report_monthly_pdf(month=date(2026, 4, 1), filters_user=supervisor,
                           language="en")
    assert refused.value.field == "month"
