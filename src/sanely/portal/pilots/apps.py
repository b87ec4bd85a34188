from django.apps import AppConfig


class PilotsConfig(AppConfig):
    name = "sanely.portal.pilots"
    label = "pilots"
    verbose_name = "Pilot evidence"
