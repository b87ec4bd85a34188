from django.apps import AppConfig


class TendersConfig(AppConfig):
    name = "sanely.portal.tenders"
    label = "tenders"
    verbose_name = "Sealed submissions"

    def ready(self) -> None:
        from sanely.portal.audit.selectors import audit_sealed_register
        from sanely.portal.core.heartbeat import housekeeping_due

        from .selectors import sealed_submission_events
        from .services.uploads import uploads_on_housekeeping

        housekeeping_due.connect(uploads_on_housekeeping, dispatch_uid="tenders-uploads")
        audit_sealed_register(sealed_submission_events)
