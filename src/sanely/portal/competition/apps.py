from django.apps import AppConfig


class CompetitionConfig(AppConfig):
    name = "sanely.portal.competition"
    label = "competition"
    verbose_name = "Competition register"
