from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "sanely.portal.publication"
    label = "publication"
    verbose_name = "Open data"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from sanely.portal.engagement.signals import engagement_notice_published
        from sanely.portal.partnerships.models import (
            Claim,
            ContractChange,
            ContractEnd,
            PerformanceAssessment,
        )
        from sanely.portal.procurements.signals import procurement_acted

        from .receivers import publication_queue_on_engagement_notice
        from .services import publication_queue_on_action, publication_queue_on_partnership_row

        procurement_acted.connect(publication_queue_on_action, dispatch_uid="publication")
        engagement_notice_published.connect(
            publication_queue_on_engagement_notice, dispatch_uid="publication-engagement"
        )
        # Facts after award that no lifecycle action makes (gates and verdicts come with one).
        for model in (Claim, ContractChange, ContractEnd, PerformanceAssessment):
            post_save.connect(
                publication_queue_on_partnership_row,
                sender=model,
                dispatch_uid=f"publication-{model.__name__}",
            )
