from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from redress.accounts.models import User
from redress.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Issue API tokens: `redress token create USERNAME` prints a new token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")

    def handle(self, *args: object, **options: str) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(
                _("No active staff member is called %(name)s.") % {"name": options["username"]}
            ) from exc
        self.stdout.write(api_token_create(user=user))
