from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "sanely.portal.publication"
    label = "publication"
    verbose_name = "Open data"

    def ready(self) -> None:
        from sanely.portal.engagement.signals import engagement_notice_published
        from sanely.portal.procurements.signals import procurement_acted

        from .receivers import publication_queue_on_engagement_notice
        from .services import publication_queue_on_action

        procurement_acted.connect(publication_queue_on_action, dispatch_uid="publication")
        engagement_notice_published.connect(
            publication_queue_on_engagement_notice, dispatch_uid="publication-engagement"
        )
