from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time each background worker said it was alive; /healthz reports the age."""

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
