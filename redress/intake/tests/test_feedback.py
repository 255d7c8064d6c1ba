"""Survey-triggered recovery from files: answers exported by other survey tools, as CSV
in UTF-8 (with or without the BOM) or GBK (Excel on a Chinese Windows), or as XLSX.
Wrong columns import nothing; bad rows are listed by number and the good rows kept."""

import io
from datetime import datetime

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from redress.cases.models import Case, Channel, Customer
from redress.common.errors import Invalid
from redress.followup.models import FeedbackAnswer, FeedbackSource
from redress.intake import feedback as feedback_module
from redress.intake.feedback import feedback_import, feedback_receive

pytestmark = pytest.mark.django_db

ROWS = [
    ["survey", "phone", "name", "nps", "csat", "comment"],
    ["2026秋季住客调查", "13912345678", "陈女士", "2", "", "房间有霉味，前台不理会。"],
    ["2026秋季住客调查", "13800138000", "林先生", "9", "5", "很好"],
    ["2026秋季住客调查", "13700137000", "周女士", "", "1", "退款拖了两周"],
]


def _csv(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(",".join(cell for cell in row) for row in rows) + "\r\n"
    return text.encode(encoding)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_csv_in_utf8_or_gbk_imports_and_detractors_open_cases(encoding, department):
    report = feedback_import(data=_csv(ROWS, encoding), filename="answers.csv")

    assert (report.total, report.imported, report.cases_opened, report.errors) == (3, 3, 2, [])
    cases = Case.objects.order_by("id")
    assert [c.customer.name for c in cases] == ["陈女士", "周女士"]
    assert all(c.channel == Channel.SURVEY for c in cases)
    assert cases[0].description.startswith("房间有霉味，前台不理会。")
    assert FeedbackAnswer.objects.get(customer__name="林先生").case is None
    assert set(FeedbackAnswer.objects.values_list("source", flat=True)) == {FeedbackSource.IMPORT}


def test_an_xlsx_imports_with_numbers_and_dates_as_excel_keeps_them(department):
    rows: list[list[object]] = [
        ["问卷", "手机", "姓名", "推荐度", "意见", "答卷时间"],
        ["会员NPS", 13912345678, "陈女士", 3, "等位一个小时", datetime(2026, 11, 20, 19, 30)],
        ["会员NPS", 13800138000, "林先生", 10.0, "", datetime(2026, 11, 21, 12, 0)],
    ]
    report = feedback_import(data=_xlsx(rows), filename="answers.xlsx")
    assert (report.imported, report.cases_opened, report.errors) == (2, 1, [])
    answer = FeedbackAnswer.objects.get(customer__phone="13912345678")
    assert answer.nps == 3 and answer.survey == "会员NPS"
    assert answer.answered_at.isoformat() == "2026-11-20T11:30:00+00:00"
    assert answer.case is not None and answer.case.received_at == answer.answered_at


@pytest.mark.parametrize(("header", "missing"), [
    (["survey", "name", "nps"], "external_id / phone / email"),
    (["survey", "phone", "comment"], "nps / csat"),
    (["phone", "nps"], "survey"),
    (["问卷名", "电话号码", "分数"], "survey"),
])
def test_wrong_columns_import_nothing_and_name_what_is_missing(header, missing):
    data = _csv([header, ["x"] * len(header)])
    with pytest.raises(Invalid) as refused:
        feedback_import(data=data, filename="answers.csv")
    assert missing in str(refused.value.message)
    assert not FeedbackAnswer.objects.exists() and not Customer.objects.exists()


def test_the_survey_can_be_named_for_the_whole_file(department):
    data = _csv([["phone", "nps"], ["13912345678", "1"]])
    report = feedback_import(data=data, filename="a.csv", survey="门店回访")
    assert report.imported == 1
    assert FeedbackAnswer.objects.get().survey == "门店回访"


def test_bad_rows_are_listed_by_number_and_the_good_rows_kept(department):
    rows = [
        ["survey", "phone", "email", "nps", "csat", "comment"],
        ["S", "13912345678", "", "8", "", "ok"],        # row 2: fine
        ["S", "", "", "3", "", "nobody"],                # row 3: no respondent
        ["S", "13800138000", "", "12", "", "too high"],  # row 4: nps out of range
        ["S", "13700137000", "", "", "", "no score"],    # row 5: no score
        ["S", "", "not-an-email", "1", "", "bad mail"],  # row 6: bad e-mail
        ["S", "13600136000", "", "0", "", "detractor"],  # row 7: fine, opens a case
        ["", "", "", "", "", ""],                        # row 8: blank, skipped
        ["S", "13500135000", "", "seven", "", "word"],   # row 9: not a number
    ]
    report = feedback_import(data=_csv(rows), filename="a.csv")
    assert report.imported == 2 and report.cases_opened == 1
    assert [number for number, _message in report.errors] == [3, 4, 5, 6, 9]
    assert report.errors[1][1].startswith("nps:")
    assert FeedbackAnswer.objects.count() == 2
    # A refused row left nothing behind: no customer, no case.
    assert not Customer.objects.filter(phone__in=["13800138000", "13700137000"]).exists()
    assert Case.objects.count() == 1


def test_importing_the_same_file_twice_opens_no_second_case(department):
    data = _csv(ROWS)
    feedback_import(data=data, filename="a.csv")
    again = feedback_import(data=data, filename="a.csv")
    assert (again.imported, again.duplicates, again.cases_opened) == (0, 3, 0)
    assert Case.objects.count() == 2 and FeedbackAnswer.objects.count() == 3


def test_a_file_that_is_neither_utf8_nor_gbk_is_refused():
    data = b"survey,phone,nps\r\n" + bytes([0x81, 0x20, 0xFF, 0xFE, 0x80]) + b",1,2\r\n"
    with pytest.raises(Invalid) as refused, translation.override("en"):
        feedback_import(data=data, filename="a.csv")
    assert "UTF-8" in str(refused.value.message)
    assert not FeedbackAnswer.objects.exists()


def test_a_broken_xlsx_is_refused():
    with pytest.raises(Invalid):
        feedback_import(data=b"PK\x03\x04 not really a workbook", filename="a.xlsx")


def test_a_generated_file_imports_in_chunks_with_progress(department, monkeypatch):
    # Speed is measured by hand on 100,000 rows (see the closing notes); here, that a
    # larger file goes through in chunks, each reported.
    monkeypatch.setattr(feedback_module, "IMPORT_CHUNK", 300)
    rows = [["survey", "external_id", "nps", "comment"]]
    rows += [["S", f"C{i:06d}", str(i % 11), f"第{i}条"] for i in range(900)]
    seen: list[tuple[int, int]] = []
    report = feedback_import(data=_csv(rows, "gbk"), filename="big.csv",
                             progress=lambda done, total: seen.append((done, total)))
    detractors = sum(1 for i in range(900) if i % 11 <= 6)
    assert report.imported == 900 and report.cases_opened == detractors
    assert seen == [(300, 900), (600, 900), (900, 900)]
    assert FeedbackAnswer.objects.count() == 900


def test_the_command_imports_a_file_and_reports_refused_rows(tmp_path, department, capsys):
    path = tmp_path / "导出.csv"
    path.write_bytes(_csv([*ROWS, ["2026秋季住客调查", "", "", "1", "", ""]], "gbk"))
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("feedback", "import", str(path), stdout=out, stderr=err)
    assert "3 answers imported, 2 recovery cases opened" in out.getvalue()
    assert "4/4" in out.getvalue()  # the progress line
    assert "Row 5:" in err.getvalue()


def test_the_command_refuses_wrong_columns_with_a_clear_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(_csv([["who", "score"], ["x", "1"]]))
    with pytest.raises(CommandError, match="survey"), translation.override("en"):
        call_command("feedback", "import", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("feedback", "import", str(tmp_path / "a.pdf"), stdout=io.StringIO())


def test_the_same_answer_received_again_returns_the_first(department, agent):
    payload = {"survey": "S", "phone": "13912345678", "nps": 1}
    first = feedback_receive(payload=payload, user=agent)
    second = feedback_receive(payload=payload, user=agent)
    assert first.created and not second.created
    assert second.answer.pk == first.answer.pk and second.case == first.case


def test_the_feedback_demo_keeps_answers_and_opens_cases_for_detractors_once(
    department, organisation
):
    from redress.intake.feedback_demo import demo_load
    from redress.notify.services import history_recorded

    now = datetime(2026, 11, 24, 12, 0).astimezone()
    with history_recorded():
        kept, opened = demo_load(organisations=[organisation], now=now)
        again = demo_load(organisations=[organisation], now=now)
    assert (kept, opened) == (24, 8)
    assert again == (0, 0)
    cases = Case.objects.all()
    assert cases.count() == 8 and {c.channel for c in cases} == {Channel.SURVEY}
    assert {c.department for c in cases} == {department}
    assert all(c.received_at < now for c in cases)
