"""
The register of a procurement's competition, shared by every stage: where each supplier
stands, the letters it was sent, and what the authority's people declared about their
interests before reading any tender.
"""

from collections.abc import Mapping

from django.conf import settings
from django.db import models

from sanely.documents import Document, Json, from_json


class Standing(models.TextChoices):
    """Where a candidate stands in the competition; only `invited` tenderers may tender."""

    CANDIDATE = "candidate", "Candidate"
    NOT_SELECTED = "not_selected", "Not selected to tender"
    INVITED = "invited", "Tendering"
    REDUCED = "reduced", "Left out in a staged reduction"
    REJECTED = "rejected", "Tender rejected"
    PARTNER = "partner", "Partner"
    UNSUCCESSFUL = "unsuccessful", "Unsuccessful"


class Participant(models.Model):
    """
    One supplier organisation in one procurement's competition, from its request to
    participate to the award. Selection, staged reduction, evaluation and award move its
    standing, each with the reason the supplier is told.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="participants"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="participations"
    )
    standing = models.CharField(max_length=20, choices=Standing.choices)
    reason = models.TextField(blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["procurement_id", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "organisation"], name="participant_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(standing__in=Standing.values), name="participant_standing_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.procurement}: {self.standing}"


class Letter(models.Model):
    """
    A letter the authority sent a supplier about its procurement (an invitation, a regret
    letter, an award decision notice…): kept as sent, shown to the supplier, and emailed to its
    people. `content` holds the letter as typed content (`sanely.documents`: its blocks and the
    facts it states); `body` is that content rendered as text, as it was emailed.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="letters"
    )
    recipient = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    content = models.JSONField(default=dict)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.subject} to {self.recipient}"

    @property
    def document(self) -> Document:
        return from_json(self.content)

    @property
    def facts(self) -> Mapping[str, Json]:
        """The facts the letter states (what the API has always called its content)."""
        return self.document.facts


class DeclarationsAreKept(Exception):
    """A conflict-of-interest declaration is never changed or removed once made."""


class DeclarationQuerySet(models.QuerySet["ConflictDeclaration"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise DeclarationsAreKept("conflict-of-interest declarations cannot be deleted")


class ConflictDeclaration(models.Model):
    """
    What one person of the authority declared about their interests in one procurement's
    tenderers, before seeing any tender. Declarations are kept: the latest counts, and once a
    conflict is declared it stands.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="+"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The tenderers the declaration names: [{"id": 3, "name": "Kestrel Mobility Ltd"}, …]
    tenderers = models.JSONField(default=list)
    conflict = models.BooleanField()
    details = models.TextField(blank=True)
    # Whether the person scores tenders, or only moderates, records prices or signs off.
    scores = models.BooleanField(default=True)
    declared_at = models.DateTimeField()

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["procurement_id", "evaluator_id", "declared_at", "pk"]

    def __str__(self) -> str:
        return f"{self.evaluator}: {'conflict' if self.conflict else 'no conflict'}"

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise DeclarationsAreKept("conflict-of-interest declarations cannot be deleted")
