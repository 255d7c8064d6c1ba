"""Survey-triggered recovery: answers to the organisation's general satisfaction surveys
(posted by any survey tool to `POST /api/v1/feedback`, or imported from a CSV/XLSX
export) are kept for insights, and a detractor's answer opens a recovery case.

The answer itself and the detractor rule live in `followup`; opening the case is intake's
job (its clocks start and the customer is told, as for any complaint), so it is here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import User
from redress.cases.models import Case, Channel
from redress.cases.services import CustomerDetails, case_announcements_batched, case_create
from redress.common.errors import DomainError, Invalid
from redress.followup.importing import table_read
from redress.followup.models import FeedbackAnswer, FeedbackSource
from redress.followup.services import (
    FeedbackInput,
    feedback_clean,
    feedback_existing,
    feedback_record,
    feedback_respondent,
)
from redress.intake.services import _received

IMPORT_CHUNK = 500  # rows committed together; each row is its own savepoint within


@dataclass(frozen=True)
class FeedbackResult:
    """What became of one answer: `created` is False for an answer already on file (the
    same customer and survey), which keeps its first case."""

    answer: FeedbackAnswer
    created: bool

    @property
    def case(self) -> Case | None:
        return self.answer.case


def _open_case(answer: FeedbackInput, user: User | None, customer: Any) -> Case:
    with case_announcements_batched():
        received = case_create(
            channel=Channel.SURVEY, description=answer.description(),
            customer=CustomerDetails(name=answer.name, phone=answer.phone,
                                     email=answer.email, external_id=answer.external_id),
            received_at=answer.answered_at, created_by=user, existing_customer=customer,
        )
        return _received(received)


def _receive(answer: FeedbackInput, *, user: User | None, source: str) -> FeedbackResult:
    customer, new = feedback_respondent(answer)
    existing = None if new else feedback_existing(customer=customer, survey=answer.survey)
    if existing is not None:
        return FeedbackResult(existing, created=False)
    case = _open_case(answer, user, customer) if answer.detractor else None
    return FeedbackResult(
        feedback_record(answer=answer, customer=customer, source=source, case=case),
        created=True,
    )


def feedback_receive(
    *, payload: dict[str, Any], user: User | None, source: str = FeedbackSource.API,
) -> FeedbackResult:
    """Keep one general survey answer; a detractor (NPS ≤ 6 or CSAT ≤ 2 by default) opens a
    recovery case on channel `survey` with the answer as its description. An unknown
    respondent becomes a new customer. The same customer's answer to the same survey sent
    again changes nothing and returns the first answer and its case. `Invalid` (naming the
    field) stores nothing."""
    answer = feedback_clean(payload)
    try:
        with transaction.atomic():
            return _receive(answer, user=user, source=source)
    except IntegrityError:
        # The same answer sent twice at once: the first one stands.
        with transaction.atomic():
            result = _receive(answer, user=user, source=source)
        if result.created:
            raise
        return result


@dataclass
class ImportReport:
    """What an import did: answers kept, cases opened, answers already on file, and each
    refused row with its number (as a spreadsheet shows it) and the reason."""

    total: int = 0
    imported: int = 0
    cases_opened: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def feedback_import(
    *, data: bytes, filename: str = "", survey: str = "", user: User | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import survey answers from a CSV (UTF-8, UTF-8 with BOM or GBK) or XLSX export.

    Wrong or missing columns, or a file that cannot be read, raise `Invalid` before any
    row is stored. Otherwise each row is kept or refused on its own (a savepoint each): a
    bad row is listed with its number and reason, the good rows are kept, no row is ever
    half-stored. `survey` names the survey for rows that have no survey column or leave
    it empty. `progress(done, total)` is called as rows are handled."""
    table = table_read(data, filename=filename, survey_given=bool(survey.strip()))
    report = ImportReport(total=table.total)
    done = 0
    rows = table.rows
    while True:
        chunk = [row for _i, row in zip(range(IMPORT_CHUNK), rows, strict=False)]
        if not chunk:
            break
        with transaction.atomic():
            for number, raw in chunk:
                if survey.strip() and not str(raw.get("survey") or "").strip():
                    raw["survey"] = survey.strip()
                try:
                    with transaction.atomic():
                        result = _receive(feedback_clean(raw), user=user,
                                          source=FeedbackSource.IMPORT)
                except DomainError as error:
                    report.errors.append((number, _row_error(error)))
                except IntegrityError:
                    report.errors.append((number, str(_("Sent twice at the same moment; "
                                                        "import the file again."))))
                else:
                    if result.created:
                        report.imported += 1
                        report.cases_opened += result.case is not None
                    else:
                        report.duplicates += 1
        done += len(chunk)
        if progress is not None:
            progress(done, max(table.total, done))
    return report


def _row_error(error: DomainError) -> str:
    message = str(error.message)
    return f"{error.field}: {message}" if error.field else message


def feedback_import_check(filename: str) -> None:
    """Refuse a file type the import cannot read, before reading it."""
    if not filename.lower().endswith((".csv", ".xlsx", ".txt")):
        raise Invalid(_("Import a .csv or .xlsx file."), field="file")
