from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "redress.accounts"
    label = "accounts"
    verbose_name = _("People and departments")

    def ready(self) -> None:
        from redress.accounts.models import Department
        from redress.common.settings_cache import settings_follow

        # Intake keeps the default intake department (and rules naming departments).
        settings_follow(Department)
