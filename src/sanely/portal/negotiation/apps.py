from django.apps import AppConfig


class NegotiationConfig(AppConfig):
    name = "sanely.portal.negotiation"
    label = "negotiation"
    verbose_name = "Negotiation"
