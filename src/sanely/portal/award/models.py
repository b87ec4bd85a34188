"""
Award: one contract per partner, holding what the design fixed for the partnership and the
purchase and what the partner tendered. Decision notices are `competition.Letter`s of kind
`sanely.documents.letters.award_decision.KIND`; the standstill and the procurement report are
read from the record.
"""

from django.conf import settings
from django.db import models


class Contract(models.Model):
    """
    The contract concluded with one partner after the standstill. The performance levels and
    maximum cost of the purchase and the phases are copied from the design as they stood when
    it was concluded, the price and rank from the partner's signed-off evaluation outcome, so
    later changes elsewhere never alter what was agreed.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="contracts"
    )
    partner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="partner_contracts"
    )
    performance_levels = models.JSONField(default=list)
    kpis = models.JSONField(default=list)
    max_cost = models.DecimalField(max_digits=16, decimal_places=2)
    # [{"name", "duration_months", "max_value", "instalments": [{"description", "amount"}]}]
    phases = models.JSONField(default=list)
    tendered_price = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField()
    total = models.DecimalField(max_digits=7, decimal_places=2)
    concluded_at = models.DateTimeField()
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["procurement_id", "rank", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "partner"], name="contract_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.procurement.reference} contract with {self.partner}"
