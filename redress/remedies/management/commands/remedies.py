from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redress.remedies.services import remedies_sweep


class Command(BaseCommand):
    help = str(gettext_lazy(
        "Remedies. `redress remedies sweep` keeps every service guarantee broken while no "
        "worker was running and tells managers of overdue approvals; `redress serve` runs it "
        "at start-up."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["sweep"])

    def handle(self, *args: Any, **options: Any) -> None:
        kept, overdue = remedies_sweep()
        self.stdout.write(
            _("%(kept)d broken promises kept, %(overdue)d overdue approvals reported.")
            % {"kept": kept, "overdue": overdue}
        )
