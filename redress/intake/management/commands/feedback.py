import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redress.common.errors import DomainError
from redress.intake.feedback import feedback_import, feedback_import_check

ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = str(gettext_lazy(
        "Survey answers from other tools. `redress feedback import FILE [--survey NAME]` "
        "imports a CSV (UTF-8 or GBK) or XLSX export; a detractor's answer opens a "
        "recovery case. Columns: survey, external_id / phone / email, name, nps and/or "
        "csat, comment, answered_at, language."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file")
        parser.add_argument("--survey", default="",
                            help="The survey's name, for files without a survey column.")
        parser.add_argument("--quiet-progress", action="store_true",
                            help="No progress line (for logs).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            feedback_import_check(path.name)
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s")
                               % {"file": path, "error": exc}) from exc
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        started = time.monotonic()
        show = not options["quiet_progress"]
        out = self.stdout

        def progress(done: int, total: int) -> None:
            if show:
                rate = done / max(time.monotonic() - started, 1e-6)
                out.write(f"\r{done}/{total} ({100 * done // max(total, 1)}%, "
                          f"{rate:.0f}/s)", ending="")
                out.flush()

        try:
            report = feedback_import(data=data, filename=path.name, survey=options["survey"],
                                     progress=progress)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        if show:
            out.write("")
        out.write(_("%(imported)d answers imported, %(cases)d recovery cases opened, "
                    "%(duplicates)d already on file, %(errors)d rows refused, in %(seconds).1f s.")
                  % {"imported": report.imported, "cases": report.cases_opened,
                     "duplicates": report.duplicates, "errors": len(report.errors),
                     "seconds": time.monotonic() - started})
        for number, message in report.errors[:ERRORS_SHOWN]:
            self.stderr.write(_("Row %(row)d: %(message)s") % {"row": number, "message": message})
        if len(report.errors) > ERRORS_SHOWN:
            self.stderr.write(_("… and %(more)d more refused rows.")
                              % {"more": len(report.errors) - ERRORS_SHOWN})
