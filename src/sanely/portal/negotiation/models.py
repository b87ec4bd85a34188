"""
Negotiation: meetings, clarifications, document revisions, consents, the
equal-treatment check and staged reduction.

Who received what is stored with each piece of information (a meeting's tenderer, a
clarification's and a revision's recipients), so that the equal-treatment check can compare it
with the tenderers still in the competition.
"""

from django.conf import settings
from django.db import models


class Meeting(models.Model):
    """
    One negotiation meeting with one tenderer about its tender in one round. The minutes are
    that tenderer's confidential record; `information_given` lists the facts the authority told
    it, which every other remaining tenderer must also be given.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="meetings"
    )
    round = models.ForeignKey(
        "tenders.SubmissionRound", on_delete=models.PROTECT, related_name="meetings"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="negotiation_meetings"
    )
    held_at = models.DateTimeField()
    attendees = models.JSONField(default=list)  # ["name, organisation, role", …]
    minutes = models.TextField()
    information_given = models.JSONField(default=list)  # [line, …]
    proposed_changes = models.JSONField(default=list)
    justification = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"Meeting with {self.organisation} on {self.held_at:%Y-%m-%d}"


class Audience(models.TextChoices):
    ALL = "all", "All remaining tenderers"
    TENDERER = "tenderer", "Only the tenderer who asked"


class Clarification(models.Model):
    """
    A tenderer's question (private to it) and the authority's answer: to every remaining
    tenderer with the question as published (reworded to anonymise it if need be; the original
    is kept apart), or to the asker alone, with the justification for that.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="clarifications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="clarifications_asked"
    )
    question = models.TextField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField()
    # The signed receipt the asker keeps (verifiable offline, like a submission's).
    receipt = models.TextField(blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, blank=True)
    published_question = models.TextField(blank=True)
    answer = models.TextField(blank=True)
    justification = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    recipients = models.ManyToManyField(
        "accounts.Organisation", related_name="clarifications_received", blank=True
    )

    class Meta:
        ordering = ["asked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(audience__in=["", *Audience.values]),
                name="clarification_audience_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Clarification {self.pk} in {self.procurement}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class DocumentRevision(models.Model):
    """
    A change to the procurement documents, sent to every remaining tenderer, with the deadline
    review it forced: a justification, or the extension made in the same step.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="document_revisions"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField()
    affects = models.JSONField(default=list)
    justification = models.TextField(blank=True)
    extension = models.ForeignKey(
        "tenders.DeadlineExtension",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recipients = models.ManyToManyField(
        "accounts.Organisation", related_name="document_revisions_received", blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Consent(models.Model):
    """
    A tenderer's consent to disclose one specific confidential item of its own to a named
    recipient for a stated purpose. Withdrawing keeps the record.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="disclosure_consents"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="disclosure_consents"
    )
    item = models.TextField()
    recipient = models.CharField(max_length=200)
    purpose = models.TextField()
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["given_at", "pk"]

    def __str__(self) -> str:
        return f"Consent of {self.organisation} to disclose {self.item[:40]}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class Reduction(models.Model):
    """
    One stage of a staged reduction: the scores against the published award criteria, the
    ranking they give, who was kept and the reason each other tenderer was told.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="reductions"
    )
    round = models.ForeignKey(
        "tenders.SubmissionRound", on_delete=models.PROTECT, related_name="reductions"
    )
    keep = models.PositiveSmallIntegerField()
    scores = models.JSONField(default=dict)  # {organisation id: {"scores": {…}, "price": "…"}}
    ranking = models.JSONField(default=list)  # [{organisation, name, total, rank}, …]
    kept = models.JSONField(default=list)  # [organisation id, …]
    reasons = models.JSONField(default=dict)  # {organisation id: reason}
    justification = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"Reduction in {self.procurement} to {self.keep}"
