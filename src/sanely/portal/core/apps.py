from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sanely.portal.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from .heartbeat import housekeeping_due, tasks_on_housekeeping

        housekeeping_due.connect(tasks_on_housekeeping, dispatch_uid="core-tasks")
