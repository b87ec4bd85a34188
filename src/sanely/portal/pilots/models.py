"""Pilot outcome data sets and the assessments run on them by `sanely.evidence`."""

from django.conf import settings
from django.db import models


class AssessmentStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to run"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Could not be assessed"


class OutcomeAssessment(models.Model):
    """
    One data file judged against one target. The input's SHA-256, the spec and the engine's
    versions are kept, so the same result can be reproduced exactly later.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="assessments"
    )
    title = models.CharField(max_length=200)
    # The procurement target this data set is judged against, when there is one.
    procurement = models.ForeignKey(
        "procurements.Procurement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    target_key = models.CharField(max_length=60, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    data_file = models.FileField(upload_to="evidence/%Y/%m/")
    data_name = models.CharField(max_length=255)
    data_size = models.PositiveBigIntegerField()
    data_sha256 = models.CharField(max_length=64)
    spec = models.JSONField()
    status = models.CharField(
        max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.QUEUED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    engine_versions = models.JSONField(default=dict)
    result = models.JSONField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    error_issues = models.JSONField(default=list)
    # The queue's bookkeeping: when the run was last queued, how often, and the task's id, so
    # that housekeeping can tell a task that ended without finishing the run (docs/evidence.md).
    queued_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=1)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.title
