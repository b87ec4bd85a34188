"""
The preliminary market engagement record of a procurement.

Every row is written once by a service and never changed: the record is evidence that the
engagement did not put any supplier at an unfair advantage (PA 2023 s.16(3), PCR 2015 reg 41),
so a correction is a new row, not an edit.
"""

from django.conf import settings
from django.db import models


class EngagementForm(models.TextChoices):
    EVENT = "event", "An event open to any supplier"
    WEBINAR = "webinar", "An online session open to any supplier"
    QUESTIONNAIRE = "questionnaire", "A questionnaire or request for information"
    MEETING = "meeting", "A meeting with one supplier"
    VISIT = "visit", "A site visit"
    OTHER = "other", "Another form"


class EngagementEvent(models.Model):
    """One engagement with the market: when, in what form, where, and what was asked."""

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="engagement_events"
    )
    title = models.CharField(max_length=200)
    form = models.CharField(max_length=20, choices=EngagementForm.choices)
    held_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    asked = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.title} on {self.held_at:%Y-%m-%d}"


class Participant(models.Model):
    """An organisation that took part in an event, as it was recorded there."""

    event = models.ForeignKey(
        EngagementEvent, on_delete=models.PROTECT, related_name="participants"
    )
    name = models.CharField(max_length=300)
    is_sme = models.BooleanField(default=False)
    is_vcse = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class _Entry(models.Model):
    """An entry of the record that may come from one event, with who recorded it and when."""

    event = models.ForeignKey(
        EngagementEvent, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["recorded_at", "pk"]


class SharedItem(_Entry):
    """
    A document or answer made available to every supplier, so that what one participant
    learned does not become its advantage.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="engagement_shared"
    )
    title = models.CharField(max_length=200)
    content = models.TextField()

    def __str__(self) -> str:
        return self.title


class DesignChange(_Entry):
    """A change to one section of the design that the engagement led to, and why."""

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="engagement_changes"
    )
    section = models.CharField(max_length=40)
    change = models.TextField()

    def __str__(self) -> str:
        return f"{self.section}: {self.change[:40]}"


class EngagementNotice(models.Model):
    """
    The preliminary market engagement notice (UK2) as published: the closing date and the
    description of the process, the rest of its content read from the record and the design.
    """

    procurement = models.OneToOneField(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="engagement_notice"
    )
    closes_on = models.DateField()
    process = models.TextField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"UK2 of procurement {self.procurement_id}"
