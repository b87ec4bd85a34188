from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "sanely.portal.publication"
    label = "publication"
    verbose_name = "Open data"

    def ready(self) -> None:
        from sanely.portal.procurements.signals import procurement_acted

        from .services import publication_queue_on_action

        procurement_acted.connect(publication_queue_on_action, dispatch_uid="publication")
