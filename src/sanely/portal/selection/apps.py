from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "sanely.portal.selection"
    label = "selection"
    verbose_name = "Selection"
