from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Holds the project-wide commands (`serve`, `demo`) that compose every app."""

    name = "redress.config"
    label = "redress_config"
