from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sanely.portal.core"
    label = "core"
    verbose_name = "Core"
