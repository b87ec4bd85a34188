from django.apps import AppConfig


class TendersConfig(AppConfig):
    name = "sanely.portal.tenders"
    label = "tenders"
    verbose_name = "Sealed submissions"
