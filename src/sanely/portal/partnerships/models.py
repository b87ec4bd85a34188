"""
The partnership after award: one per procurement, and for each partner contract the plan it
agreed (phases, intermediate targets, instalments) as versioned rows. The first version is the
plan as concluded; a later one exists only through a lawful change, with its reason. Rows are
never edited, so what was agreed is always there to read.
"""

from django.conf import settings
from django.db import models


class Partnership(models.Model):
    """The partnership of one procurement, from the day its partner contracts are concluded."""

    procurement = models.OneToOneField(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="+"
    )
    began_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Partnership of {self.procurement}"


class PlanVersion(models.Model):
    """One version of one partner's agreed plan."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey("award.Contract", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    reason = models.TextField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["contract_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"Plan version {self.number} of {self.contract_id}"


class Phase(models.Model):
    """A phase of the plan: its dates follow from its order and duration."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="phases")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=500)
    purpose = models.TextField(blank=True)
    duration_months = models.PositiveSmallIntegerField()
    max_value = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["version_id", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="phase_key_unique")]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """
    An intermediate target with its analysis fixed in advance: `spec` is the evidence engine's
    analysis plan and `spec_sha256` its fingerprint, so the method cannot be chosen after the
    data arrive.
    """

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="targets")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=500)
    spec = models.JSONField()
    spec_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["phase_id", "position"]
        constraints = [models.UniqueConstraint(fields=["phase", "key"], name="target_key_unique")]

    def __str__(self) -> str:
        return self.metric


class Instalment(models.Model):
    """A payment the phase may earn."""

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="instalments")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=500)
    amount = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["phase_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "key"], name="instalment_key_unique")
        ]

    def __str__(self) -> str:
        return self.description
