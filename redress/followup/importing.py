"""Reading survey answers exported by other tools: CSV (UTF-8, UTF-8 with BOM, or GBK as
Excel on a Chinese Windows saves it) and XLSX. Only reads: rows come out as plain dicts
keyed by our column names, row numbers as a spreadsheet shows them (the header is row 1).
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from redress.common.errors import Invalid

# Our column → the headings accepted for it (compared lower-cased, spaces trimmed).
COLUMNS: dict[str, tuple[str, ...]] = {
    "survey": ("survey", "survey_name", "survey_id", "问卷", "问卷名称"),
    "external_id": ("external_id", "customer_id", "member_id", "客户编号", "会员号"),
    "phone": ("phone", "mobile", "手机", "手机号", "电话"),
    "email": ("email", "e-mail", "邮箱", "电子邮件"),
    "name": ("name", "姓名", "客户姓名"),
    "nps": ("nps", "recommend", "推荐度", "推荐意愿"),
    "csat": ("csat", "satisfaction", "满意度"),
    "comment": ("comment", "comments", "意见", "评论", "留言"),
    "answered_at": ("answered_at", "date", "time", "答卷时间", "提交时间"),
    "language": ("language", "语言"),
}
RESPONDENT = ("external_id", "phone", "email")
SCORES = ("nps", "csat")
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    """A file's rows, read lazily, with how many there are (for a progress display)."""

    columns: list[str]
    total: int
    rows: Iterator[tuple[int, dict[str, Any]]]


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, what Excel writes on a Chinese Windows.
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise Invalid(
            _("The file is neither UTF-8 nor GBK text. Save it from Excel as “CSV UTF-8” "
              "or as .xlsx and try again."),
            field="file",
        ) from exc


def _mapping(headings: list[Any], *, survey_given: bool) -> dict[int, str]:
    aliases = {alias: column for column, names in COLUMNS.items() for alias in names}
    found: dict[int, str] = {}
    for index, heading in enumerate(headings):
        column = aliases.get(str(heading or "").strip().lower())
        if column is not None and column not in found.values():
            found[index] = column
    present = set(found.values())
    missing = []
    if not survey_given and "survey" not in present:
        missing.append("survey")
    if not present & set(RESPONDENT):
        missing.append(" / ".join(RESPONDENT))
    if not present & set(SCORES):
        missing.append(" / ".join(SCORES))
    if missing:
        raise Invalid(
            _("Missing columns: %(missing)s. The first row must name the columns; found: "
              "%(found)s. Nothing was imported.")
            % {"missing": "; ".join(missing),
               "found": ", ".join(str(h) for h in headings if h not in (None, "")) or "-"},
            field="file",
        )
    return found


def _rows(records: Iterator[Any], mapping: dict[int, str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, record in enumerate(records, start=2):
        if not record or all(value in (None, "") for value in record):
            continue
        yield number, {
            column: record[index] if index < len(record) else None
            for index, column in mapping.items()
        }


def table_read(data: bytes, *, filename: str = "", survey_given: bool = False) -> Table:
    """Open an export. Raises `Invalid` before any row is read when the file cannot be
    read or lacks the columns needed: who answered (customer id, phone or e-mail), a score
    (nps or csat), and the survey unless it is given for the whole file."""
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return _xlsx(data, survey_given=survey_given)
    text = _decode(data)
    lines = list(csv.reader(io.StringIO(text, newline="")))
    if not lines:
        raise Invalid(_("The file is empty."), field="file")
    mapping = _mapping(lines[0], survey_given=survey_given)
    body = lines[1:]
    return Table(columns=list(mapping.values()), total=len(body), rows=_rows(iter(body), mapping))


def _xlsx(data: bytes, *, survey_given: bool) -> Table:
    from zipfile import BadZipFile

    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise Invalid(_("This is not a readable .xlsx workbook."), field="file") from exc
    sheet = book.worksheets[0]
    records = sheet.iter_rows(values_only=True)
    headings = next(records, None)
    if headings is None:
        raise Invalid(_("The file is empty."), field="file")
    mapping = _mapping(list(headings), survey_given=survey_given)
    total = max((sheet.max_row or 1) - 1, 0)
    return Table(columns=list(mapping.values()), total=total, rows=_rows(records, mapping))
