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
