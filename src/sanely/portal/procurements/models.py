"""
An innovation partnership procurement: its design, the rulebook it is pinned to, its state and
the dated facts the engine needs.
"""

from django.conf import settings
from django.db import models


class Procurement(models.Model):
    """
    One procurement of one authority. The rulebook it commenced under is pinned by id,
    effective date and content hash, so a newer rulebook never changes it. `design` holds one
    JSON object per section of `design.SECTIONS`, each valid against that section's schema.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="procurements"
    )
    # A stable reference people quote (and the demo finds its procurements by).
    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    nation = models.CharField(max_length=20)
    commenced_on = models.DateField()
    rulebook_id = models.CharField(max_length=40)
    rulebook_effective_from = models.DateField()
    rulebook_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=40)
    design = models.JSONField(default=dict)
    # Dated facts, recorded by lifecycle actions.
    published_at = models.DateTimeField(null=True, blank=True)
    notice_on = models.DateField(null=True, blank=True)
    qualified = models.JSONField(default=list)
    invited = models.JSONField(default=list)
    # Each tender round as it was opened: [{"number", "final", "invited_on", "deadline"}, …]
    rounds = models.JSONField(default=list)
    decision_notices_sent_on = models.DateField(null=True, blank=True)
    not_yet_notified = models.JSONField(default=list)
    contract_award_notice_published_on = models.DateField(null=True, blank=True)
    contract_concluded_on = models.DateField(null=True, blank=True)
    current_phase = models.PositiveSmallIntegerField(default=0)
    active_partners = models.PositiveSmallIntegerField(default=0)
    gate_targets_assessed = models.BooleanField(default=False)
    performance_levels_met = models.BooleanField(default=False)
    purchase_price = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    justifications = models.JSONField(default=dict)  # WARN rule id -> justification
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"
