from django.apps import AppConfig


class PilotsConfig(AppConfig):
    name = "sanely.portal.pilots"
    label = "pilots"
    verbose_name = "Pilot evidence"

    def ready(self) -> None:
        from sanely.portal.core.heartbeat import housekeeping_due

        from .services import assessments_on_housekeeping

        housekeeping_due.connect(assessments_on_housekeeping, dispatch_uid="pilots")
