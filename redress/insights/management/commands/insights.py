"""`redress insights rebuild`: recompute the dashboard's daily and monthly sums from the
cases, after an import, a restore or a change of the first-response target."""

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from redress.insights.services import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute the insight rollups from the source tables."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="Recompute every day's and month's figures.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        width = 30

        def progress(done: int, total: int) -> None:
            filled = width * done // total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done == total:
                sys.stderr.write("\n")

        days = rollups_rebuild(progress=progress)
        self.stdout.write(_("Recomputed the figures of %(days)d days in %(seconds).1f s.")
                          % {"days": days, "seconds": time.perf_counter() - started})
