"""
The partnership after award: one per procurement, and for each partner contract the plan it
agreed (phases, intermediate targets, instalments) as versioned rows. The first version is the
plan as concluded; a later one exists only through a lawful change, with its reason. Rows are
never edited, so what was agreed is always there to read.
"""

from django.conf import settings
from django.db import models

from sanely import procedure


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
    # The design's planning inputs (spread, rows a month, value expected without the pilot), kept
    # to project whether the target will be decidable by its due date.
    planning = models.JSONField(default=dict)

    class Meta:
        ordering = ["phase_id", "position"]
        constraints = [models.UniqueConstraint(fields=["phase", "key"], name="target_key_unique")]

    def __str__(self) -> str:
        return self.metric


class Condition(models.TextChoices):
    """What earns an instalment, as the contract names it."""

    DELIVERABLE = "deliverable", "A deliverable accepted by the authority"
    DATA = "data", "Outcome data delivered to the agreed standard for every target of the phase"
    EFFECT = "effect", "Every target of the phase met, shown by evidence"


class Instalment(models.Model):
    """A payment the phase may earn, and the condition that earns it."""

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="instalments")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=500)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    condition = models.CharField(
        max_length=12, choices=Condition.choices, default=Condition.DELIVERABLE
    )

    class Meta:
        ordering = ["phase_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "key"], name="instalment_key_unique")
        ]

    def __str__(self) -> str:
        return self.description


class Validation(models.TextChoices):
    """How a verdict was checked (after INDIGO's validation vocabulary)."""

    SELF_REPORTED = "self_reported", "Reported by the partner, not yet checked"
    AUTHORITY = "authority", "Checked by the authority's own analysis"
    INDEPENDENT = "independent", "Checked by an independent evaluator"


class Evidence(models.Model):
    """
    One delivery of outcome data against a target of one partner's plan, judged by the target's
    analysis plan as fixed at conclusion. A target with parts (several sites, say) has one
    delivery per part; the latest delivery of each part counts.
    """

    contract = models.ForeignKey("award.Contract", on_delete=models.PROTECT, related_name="+")
    target_key = models.CharField(max_length=40)
    part = models.CharField(max_length=200, blank=True)
    assessment = models.OneToOneField(
        "pilots.OutcomeAssessment", on_delete=models.PROTECT, related_name="+"
    )
    validation = models.CharField(
        max_length=16, choices=Validation.choices, default=Validation.SELF_REPORTED
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["contract_id", "target_key", "part", "submitted_at"]

    def __str__(self) -> str:
        return f"Evidence for {self.target_key}"


class Acceptance(models.Model):
    """
    The authority's recorded acceptance, or refusal, of a deliverable (which may earn an
    instalment) or of an acceptance test (which may show a performance level for the purchase).
    """

    contract = models.ForeignKey("award.Contract", on_delete=models.PROTECT, related_name="+")
    instalment_key = models.CharField(max_length=40, blank=True)
    performance_level = models.CharField(max_length=500, blank=True)
    name = models.CharField(max_length=500)
    passed = models.BooleanField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["contract_id", "recorded_at"]

    def __str__(self) -> str:
        return self.name


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"
    REJECTED = "rejected", "Rejected"


class Claim(models.Model):
    """
    A partner's claim for one instalment, with its invoice (often raised in the authority's own
    payables system: its reference and the day it was received are what the payment period
    counts from).
    """

    contract = models.ForeignKey("award.Contract", on_delete=models.PROTECT, related_name="+")
    phase_key = models.CharField(max_length=40)
    instalment_key = models.CharField(max_length=40)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    status = models.CharField(max_length=10, choices=ClaimStatus.choices)
    # Why the instalment may be claimed: its condition met, or a gate decision's approval.
    basis = models.TextField()
    evidence_note = models.TextField(blank=True)
    invoice_reference = models.CharField(max_length=100)
    invoice_received_on = models.DateField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    query = models.TextField(blank=True)
    reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    payment_due_on = models.DateField(null=True, blank=True)
    payment_rule = models.CharField(max_length=300, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["contract_id", "submitted_at"]

    def __str__(self) -> str:
        return f"Claim for {self.instalment_key}"


class GateReview(models.Model):
    """
    The review after a phase: the targets' verdicts and the spend as they stood (kept, so the
    record does not move when later data arrive), the partners' reports and the panel's reasons.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    phase_key = models.CharField(max_length=40)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    record = models.JSONField(default=dict)
    reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership_id", "opened_at"]

    def __str__(self) -> str:
        return f"Gate review after {self.phase_key}"


class Outcome(models.TextChoices):
    CONTINUE = "continue", "Continue to the next phase"
    END = "end", "End this partner's contract (the gate option announced)"
    PURCHASE = "purchase", "Proceed to the purchase"
    TERMINATE = "terminate", "End the partnership (the gate option announced)"


class GateDecision(models.Model):
    """The decision for one partner at a gate, with the instalments the panel approved."""

    review = models.ForeignKey(GateReview, on_delete=models.PROTECT, related_name="decisions")
    contract = models.ForeignKey("award.Contract", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    # The reasons given to this partner (the review's own reasons may speak of the others).
    reasons = models.TextField()
    approved_instalments = models.JSONField(default=list)
    purchase_price = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    purchase_evidence = models.JSONField(default=list)

    class Meta:
        ordering = ["review_id", "contract_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "contract"], name="gate_decision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for {self.contract_id}"


class ContractEnd(models.Model):
    """
    A partner contract that has ended — at a gate, on other grounds, on expiry or on completion —
    which starts the clock for the notice the regime requires.
    """

    contract = models.OneToOneField("award.Contract", on_delete=models.PROTECT, related_name="+")
    how = models.CharField(max_length=200)
    reasons = models.TextField()
    ended_on = models.DateField()
    notice_due_on = models.DateField(null=True, blank=True)
    notice_rule = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"End of {self.contract_id}"


class ContractChange(models.Model):
    """
    A lawful change of one partner contract, judged by the engine on the ground the authority
    relies on: the plan version it made, the value and term it moved, and the notices it started.
    """

    contract = models.ForeignKey("award.Contract", on_delete=models.PROTECT, related_name="+")
    version = models.OneToOneField(PlanVersion, on_delete=models.PROTECT, related_name="+")
    ground = models.CharField(max_length=40)
    description = models.TextField()
    value_change = models.DecimalField(max_digits=16, decimal_places=2)
    term_change_days = models.IntegerField()
    value_after = models.DecimalField(max_digits=16, decimal_places=2)
    substantial = models.JSONField(default=list)
    changes_overall_nature = models.BooleanField(default=False)
    made_on = models.DateField()
    change_notice_published_on = models.DateField(null=True, blank=True)
    notices = models.JSONField(default=list)
    rule = models.CharField(max_length=40)
    citation = models.CharField(max_length=300)

    class Meta:
        ordering = ["contract_id", "made_on", "pk"]

    def __str__(self) -> str:
        return f"Change of {self.contract_id} on {self.made_on}"

    def as_request(self) -> "procedure.Modification":
        """The change as the engine reads earlier modifications."""
        return procedure.Modification(
            ground=self.ground,
            kind="plan",
            value_change=self.value_change,
            term_change_days=self.term_change_days,
            made_on=self.made_on,
            changes_overall_nature=self.changes_overall_nature,
            substantial=frozenset(self.substantial),
            change_notice_published_on=self.change_notice_published_on,
        )


class MeasureKind(models.TextChoices):
    KPI = "kpi", "Key performance indicator"
    SOCIAL_VALUE = "social_value", "Social value commitment"


class Observation(models.Model):
    """
    One period's observation of a KPI the contract sets, or of a social value commitment the
    partner made in its tender: what was observed, and whether it met what was agreed.
    """

    contract = models.ForeignKey("award.Contract", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=MeasureKind.choices)
    measure = models.CharField(max_length=500)
    period_start = models.DateField()
    period_end = models.DateField()
    observed = models.CharField(max_length=500)
    met = models.BooleanField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["contract_id", "kind", "measure", "period_start"]

    def __str__(self) -> str:
        return f"{self.measure}, {self.period_start} to {self.period_end}"


class Rating(models.TextChoices):
    """The ratings of a contract performance assessment (SI 2024/692 reg 39(5))."""

    GOOD = "good", "Good"
    APPROACHING_TARGET = "approaching_target", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    OTHER = "other", "Other"


class PerformanceAssessment(models.Model):
    """
    The assessment of a contract's performance against its KPIs over a period, rated for each
    KPI from the observations tracked, with the notice the regime requires dated by the engine.
    """

    contract = models.ForeignKey("award.Contract", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    ratings = models.JSONField()  # {kpi: rating}
    rating = models.CharField(max_length=24, choices=Rating.choices)
    assessed_on = models.DateField()
    # The next assessment the regime asks for (PA 2023 s.71: at least every 12 months).
    next_due_on = models.DateField(null=True, blank=True)
    next_rule = models.CharField(max_length=300, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["contract_id", "assessed_on"]

    def __str__(self) -> str:
        return f"Assessment of {self.contract_id} on {self.assessed_on}"


class TerminationNotice(models.Model):
    """
    The authority's notice to a partner that it intends to end the contract other than at a
    gate (a ground the law implies, such as PA 2023 s.78, or the contract's own terms), with
    the ground, the reasons and the time given for representations.
    """

    contract = models.ForeignKey("award.Contract", on_delete=models.PROTECT, related_name="+")
    route = models.CharField(max_length=20)
    ground = models.CharField(max_length=60, blank=True)
    reasons = models.TextField()
    notified_on = models.DateField()
    representations_by = models.DateField()
    subcontracting_opportunity_given = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["contract_id", "notified_on", "pk"]

    def __str__(self) -> str:
        return f"Notice of intention to end {self.contract_id}"
