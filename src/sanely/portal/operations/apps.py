from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "sanely.portal.operations"
    label = "operations"
    verbose_name = "Operations (backup and restore)"
