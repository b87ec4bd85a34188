from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sanely.portal.web"
    label = "web"
    verbose_name = "Pages and API glue"
