from django.apps import AppConfig


class ProcurementsConfig(AppConfig):
    name = "sanely.portal.procurements"
    label = "procurements"
    verbose_name = "Procurements"
