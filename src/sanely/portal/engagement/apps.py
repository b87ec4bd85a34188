from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "sanely.portal.engagement"
    label = "engagement"
    verbose_name = "Preliminary market engagement"
