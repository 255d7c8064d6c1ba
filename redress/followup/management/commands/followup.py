from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from redress.followup.services import followups_sweep


class Command(BaseCommand):
    help = str(gettext_lazy(
        "Follow-up. `redress followup sweep` sends the follow-ups that are due and closes, "
        "as no response, the cases whose survey link expired unanswered, for whatever a "
        "stopped worker missed; `redress serve` runs it at start-up. Survey answers from "
        "other tools are imported with `redress feedback import FILE`."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["sweep"])

    def handle(self, *args: Any, **options: Any) -> None:
        sent, expired = followups_sweep()
        self.stdout.write(
            _("%(sent)d follow-ups sent, %(expired)d closed without an answer.")
            % {"sent": sent, "expired": expired}
        )
