from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redress.sla.services import clocks_sweep


class Command(BaseCommand):
    help = str(gettext_lazy(
        "Service levels. `redress sla sweep` handles every deadline that has passed without "
        "its task having run (after a worker was stopped or killed); `redress serve` runs "
        "it at start-up."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["sweep"])

    def handle(self, *args: Any, **options: Any) -> None:
        handled = clocks_sweep()
        self.stdout.write(_("%(count)d overdue clocks handled.") % {"count": handled})
