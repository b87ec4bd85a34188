from django.apps import AppConfig


class AwardConfig(AppConfig):
    name = "sanely.portal.award"
    label = "award"
    verbose_name = "Award"
