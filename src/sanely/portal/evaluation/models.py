"""
Evaluation of tenders: conflict declarations, independent scores, moderation, prices,
abnormally low tenders and the ranking.
"""

from django.conf import settings
from django.db import models


class EvaluationOutcome(models.Model):
    """
    One tenderer's place in the evaluation, frozen when the evaluation is signed off: the
    moderated points per award criterion (each with how it was worked out), the total, the
    rank and whether it is recommended as a partner. Award decision notices and the
    procurement report are written from these rows, never retyped.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="evaluation_outcomes"
    )
    tenderer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # [{"criterion": name, "kind": quality|social_value|price, "weight": "40",
    #   "points": "32.00", "explanation": "score 8 of 10 of weight 40 = 32.00",
    #   "reasons": "what the moderated score rests on"}, …]
    breakdown = models.JSONField(default=list)
    price = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(max_digits=7, decimal_places=2)
    rank = models.PositiveSmallIntegerField()
    recommended = models.BooleanField(default=False)
    # The characteristics and relative advantages of the tender, for the decision notices.
    strengths = models.TextField(blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField()

    class Meta:
        ordering = ["procurement_id", "rank", "tenderer__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "tenderer"], name="evaluation_outcome_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenderer} ranked {self.rank} in {self.procurement}"


class Score(models.Model):
    """
    One evaluator's score of one tenderer against one award criterion (or one of its
    sub-criteria; `sub_criterion` is empty for a criterion without any), with the written
    justification. Editable until the evaluator submits their scores for that tenderer.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="+"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tenderer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    criterion = models.CharField(max_length=500)
    sub_criterion = models.CharField(max_length=500, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2)
    justification = models.TextField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["procurement_id", "tenderer_id", "evaluator_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "evaluator", "tenderer", "criterion", "sub_criterion"],
                name="evaluation_score_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} {self.sub_criterion}: {self.score}"


class ScoreSubmission(models.Model):
    """An evaluator has submitted their scores for one tenderer: they can no longer change."""

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="+"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tenderer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "evaluator", "tenderer"], name="evaluation_submission_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} submitted {self.tenderer}"


class Consensus(models.Model):
    """
    The moderated score of one tenderer against one criterion or sub-criterion, with the
    reason it rests on. Every recording and change is kept in `ConsensusRevision`.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="+"
    )
    tenderer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    criterion = models.CharField(max_length=500)
    sub_criterion = models.CharField(max_length=500, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["procurement_id", "tenderer_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "tenderer", "criterion", "sub_criterion"],
                name="evaluation_consensus_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"consensus {self.criterion} {self.sub_criterion}: {self.score}"


class ConsensusRevision(models.Model):
    """One recording of a consensus score: the first (no previous score) or a change."""

    consensus = models.ForeignKey(Consensus, on_delete=models.PROTECT, related_name="revisions")
    previous_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["consensus_id", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.previous_score} → {self.score}"


class TenderPrice(models.Model):
    """A tenderer's tendered price, as read from its final tender (the version cited)."""

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="+"
    )
    tenderer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    price = models.DecimalField(max_digits=16, decimal_places=2)
    version = models.ForeignKey(
        "tenders.SubmissionVersion", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["procurement_id", "price", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "tenderer"], name="evaluation_price_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenderer}: {self.price}"


class LowTenderDecision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted: the explanation accounts for the low price"
    REJECTED = "rejected", "Rejected: the explanation does not account for the low price"


class AbnormallyLowDecision(models.Model):
    """
    The decision on a tender flagged as abnormally low: accepted with the explanation the
    tenderer gave, or rejected with the reasons. It is about the price it was taken on.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="+"
    )
    tenderer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    price = models.DecimalField(max_digits=16, decimal_places=2)
    flag = models.TextField()
    decision = models.CharField(max_length=10, choices=LowTenderDecision.choices)
    explanation = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["procurement_id", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=LowTenderDecision.values),
                name="evaluation_low_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenderer}: {self.decision}"


class Strengths(models.Model):
    """The characteristics and relative advantages of a tender, written by the moderator."""

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="+"
    )
    tenderer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "tenderer"], name="evaluation_strengths_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"strengths of {self.tenderer}"


class TieChoice(models.Model):
    """The moderator's choice at a tie on the partner boundary: who is recommended, and why."""

    procurement = models.OneToOneField(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="+"
    )
    # The tied tenderers (ids) the choice was made among, and the ones chosen.
    tied = models.JSONField(default=list)
    chosen = models.JSONField(default=list)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"tie choice in {self.procurement}"
