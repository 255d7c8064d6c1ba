"""`redress report monthly --month YYYY-MM --out FILE.pdf`: the monthly report as a PDF, for
all departments (DESIGN.md "Contracts").

By default the figures of the month and of the month before (which the report compares it
with) are recomputed first: a report run by cron must be current even where no task worker
keeps the rollups fresh, and "first response overdue" depends on when it is counted.
`--no-refresh` prints what the rollups hold now.
"""

import argparse
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from redress.common.errors import DomainError
from redress.insights.report import report_monthly_pdf
from redress.insights.selectors import local_day_today
from redress.insights.services import rollup_refresh_days

MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def _month(value: str) -> date:
    found = MONTH.fullmatch(value.strip())
    if found is None or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1:
        raise CommandError(_("“%(value)s” is not a month: give it as YYYY-MM, for example "
                             "2026-03.") % {"value": value})
    return date(int(found[1]), int(found[2]), 1)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


class Command(BaseCommand):
    help = "Write a report as a PDF: `report monthly --month YYYY-MM --out FILE.pdf`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        monthly = sub.add_parser(
            "monthly", help="The month's figures against the month before, with charts.")
        monthly.add_argument("--month", required=True, help="The month, as YYYY-MM.")
        monthly.add_argument("--out", required=True, help="The PDF file to write.")
        monthly.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help=f"The report's language (default {settings.LANGUAGE_CODE}).")
        monthly.add_argument(
            "--refresh", action=argparse.BooleanOptionalAction, default=True,
            help="Recompute the figures of the month and the month before first (default); "
                 "--no-refresh prints the rollups as they stand.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._monthly(month=_month(options["month"]), out=Path(options["out"]),
                          language=options["language"], refresh=options["refresh"])

    def _monthly(self, *, month: date, out: Path, language: str, refresh: bool) -> None:
        if not out.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.")
                               % {"folder": out.parent})
        if refresh and month <= (today := local_day_today()):
            previous = (month - timedelta(days=1)).replace(day=1)
            last = min(today, (month + timedelta(days=32)).replace(day=1) - timedelta(days=1))
            days = _days(previous, last)
            rollup_refresh_days(days)
            self.stdout.write(_("Recomputed the figures of %(days)d days.")
                              % {"days": len(days)})
        try:
            pdf = report_monthly_pdf(month=month, filters_user=None, language=language)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        # Written beside the target and renamed over it: a failure never leaves half a
        # file, nor spoils an earlier report of the same name.
        partial = out.with_name(f".{out.name}.part")
        try:
            partial.write_bytes(pdf)
            partial.replace(out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.stdout.write(_("Wrote %(path)s (%(size)d bytes).")
                          % {"path": out.resolve(), "size": len(pdf)})
