from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "redress.common"
    label = "common"
