"""
Reads: how one partner's plan stands. Each phase's dates (they follow from the contract's
conclusion and the phases' durations), each target's verdict from the evidence delivered and its
projection while the phase runs, each instalment's condition, and the spend against the phase's
maximum value. A handful of queries per contract, whatever the amount of evidence.
"""

import calendar
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sanely import evidence
from sanely.portal.award.models import Contract
from sanely.portal.pilots.models import AssessmentStatus, OutcomeAssessment
from sanely.portal.procurements.engine import uk_date

from .models import (
    Acceptance,
    Claim,
    ClaimStatus,
    Condition,
    Evidence,
    GateDecision,
    Instalment,
    Phase,
    Target,
)

MET, PARTLY_MET, NOT_MET, INCONCLUSIVE = "met", "partly met", "not met", "inconclusive"
AWAITING, BEING_ASSESSED = "awaiting data", "being assessed"
ON_TRACK, AT_RISK, UNDECIDABLE = "on track", "at risk", "unlikely to be decidable by its due date"
# Money the authority has committed to or paid out on a claim.
SPENDING = (ClaimStatus.APPROVED, ClaimStatus.PAID)
_HOLDS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PartResult:
    """The latest delivery for one part of a target (the whole target when it has no parts)."""

    part: str
    evidence: Evidence
    assessment: OutcomeAssessment

    @property
    def verdict(self) -> str | None:
        """The engine's verdict, or None while it is queued, running or failed."""
        result = self.assessment.result
        if self.assessment.status != AssessmentStatus.DONE or result is None:
            return None
        return NOT_MET if result["verdict"] == "futile" else str(result["verdict"])

    @property
    def outcome(self) -> dict[str, Any]:
        """The engine's result once assessed, else nothing."""
        return self.assessment.result or {} if self.verdict is not None else {}


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    due_on: date
    parts: list[PartResult]
    verdict: str
    projection: str | None

    @property
    def data_delivered(self) -> bool:
        """Data to the agreed standard: every part delivered has been assessed."""
        return bool(self.parts) and all(p.verdict is not None for p in self.parts)


@dataclass(frozen=True)
class InstalmentProgress:
    instalment: Instalment
    condition_met: bool
    approved_at_gate: bool
    claims: list[Claim]

    @property
    def claimable(self) -> bool:
        return self.condition_met or self.approved_at_gate


@dataclass(frozen=True)
class PhaseProgress:
    phase: Phase
    starts_on: date
    ends_on: date
    targets: list[TargetProgress]
    instalments: list[InstalmentProgress]

    @property
    def spent(self) -> Decimal:
        """Approved and paid claims of the phase."""
        return sum(
            (c.amount for i in self.instalments for c in i.claims if c.status in SPENDING),
            Decimal(0),
        )

    @property
    def remaining(self) -> Decimal:
        return self.phase.max_value - self.spent


def combined_verdict(parts: Iterable[PartResult]) -> str:
    """
    One verdict for a target from its parts: met when every part is met, partly met when some
    are, not met when every part is decided and none is, otherwise inconclusive.
    """
    verdicts = [p.verdict for p in parts]
    if not verdicts:
        return AWAITING
    if None in verdicts:
        return BEING_ASSESSED
    met = verdicts.count(MET)
    if met == len(verdicts):
        return MET
    if met:
        return PARTLY_MET
    return NOT_MET if all(v == NOT_MET for v in verdicts) else INCONCLUSIVE


def projection(target: Target, verdict: str, parts: list[PartResult], months: int) -> str | None:
    """
    While a target is undecided: unlikely to be decidable when the rows planned for the phase
    cannot detect the effect sought (the engine's planning check); otherwise on track or at risk
    by which side of the threshold the latest estimate lies. None when nothing can be said.
    """
    if verdict in (MET, NOT_MET):
        return None
    if _undecidable(target, months):
        return UNDECIDABLE
    estimates = [p.outcome["estimate"] for p in parts if p.verdict is not None]
    if not estimates:
        return None
    wanted = target.spec["target"]
    holds = _HOLDS[wanted["comparator"]]
    return ON_TRACK if all(holds(e, wanted["threshold"]) for e in estimates) else AT_RISK


def _undecidable(target: Target, months: int) -> bool:
    inputs = target.planning
    if "sd" not in inputs or "rows_per_month" not in inputs:
        return False
    try:
        plan = evidence.plan(
            evidence.parse_spec(target.spec),
            sd=inputs["sd"],
            rows_per_period=inputs["rows_per_month"],
            periods=months,
            expected=inputs.get("expected"),
        )
    except evidence.SpecError:
        # Planning cannot judge this design (e.g. interrupted time series): say nothing.
        return False
    return not plan.decidable


@dataclass(frozen=True)
class ContractRecords:
    """Everything recorded against one contract, read once."""

    evidence: list[Evidence]
    claims: list[Claim]
    acceptances: list[Acceptance]
    approved_at_gates: set[str]

    @classmethod
    def of(cls, contract: Contract) -> "ContractRecords":
        return cls.for_contracts([contract])[contract.pk]

    @classmethod
    def for_contracts(cls, contracts: Iterable[Contract]) -> dict[int, "ContractRecords"]:
        """The records of many contracts in four queries, whatever their number."""
        ids = [c.pk for c in contracts]
        found = {pk: cls([], [], [], set()) for pk in ids}
        delivered = Evidence.objects.filter(contract_id__in=ids).select_related(
            "assessment", "validated_by"
        )
        for item in delivered:
            found[item.contract_id].evidence.append(item)
        for claim in Claim.objects.filter(contract_id__in=ids):
            found[claim.contract_id].claims.append(claim)
        for acceptance in Acceptance.objects.filter(contract_id__in=ids):
            found[acceptance.contract_id].acceptances.append(acceptance)
        decided = GateDecision.objects.filter(contract_id__in=ids)
        for contract_id, keys in decided.values_list("contract_id", "approved_instalments"):
            found[contract_id].approved_at_gates.update(keys)
        return found

    def latest_parts(self, target_key: str) -> list[PartResult]:
        latest: dict[str, Evidence] = {}
        for delivered in self.evidence:
            # A delivery that could not be assessed never replaces the one before it.
            failed = delivered.assessment.status == AssessmentStatus.FAILED
            if delivered.target_key == target_key and not failed:
                latest[delivered.part] = delivered  # ordered by submission: the last wins
        return [PartResult(part, e, e.assessment) for part, e in sorted(latest.items())]

    def accepted(self, instalment_key: str) -> bool:
        decided = [a for a in self.acceptances if a.instalment_key == instalment_key]
        return bool(decided) and decided[-1].passed


def plan_progress(
    contract: Contract, phases: list[Phase], records: ContractRecords | None = None
) -> list[PhaseProgress]:
    """
    Each phase of the plan as it stands (phases with their targets and instalments loaded;
    `records` when they were read for many contracts at once).
    """
    records = records or ContractRecords.of(contract)
    starts_on = uk_date(contract.concluded_at)
    progress = []
    for phase in phases:
        ends_on = add_months(starts_on, phase.duration_months)
        targets = [
            _target_progress(t, ends_on, records, phase.duration_months)
            for t in phase.targets.all()
        ]
        instalments = [_instalment_progress(i, targets, records) for i in phase.instalments.all()]
        progress.append(PhaseProgress(phase, starts_on, ends_on, targets, instalments))
        starts_on = ends_on
    return progress


def _target_progress(
    target: Target, due_on: date, records: ContractRecords, months: int
) -> TargetProgress:
    parts = records.latest_parts(target.key)
    verdict = combined_verdict(parts)
    return TargetProgress(
        target, due_on, parts, verdict, projection(target, verdict, parts, months)
    )


def _instalment_progress(
    instalment: Instalment, targets: list[TargetProgress], records: ContractRecords
) -> InstalmentProgress:
    return InstalmentProgress(
        instalment,
        condition_met=condition_met(instalment, targets, records),
        approved_at_gate=instalment.key in records.approved_at_gates,
        claims=[c for c in records.claims if c.instalment_key == instalment.key],
    )


def condition_met(
    instalment: Instalment, targets: list[TargetProgress], records: ContractRecords
) -> bool:
    """Whether the contract's condition for the instalment is met by what is recorded."""
    if instalment.condition == Condition.DELIVERABLE:
        return records.accepted(instalment.key)
    if instalment.condition == Condition.DATA:
        return bool(targets) and all(t.data_delivered for t in targets)
    return bool(targets) and all(t.verdict == MET for t in targets)


def result_table(result: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The figures of one assessment, labelled for people."""
    if not result:
        return []

    def number(value: float) -> str:
        return f"{value:,.2f}"

    confidence = f"{result['confidence']:.0%}"
    return [
        ("Estimate", number(result["estimate"])),
        (
            f"{confidence} interval",
            f"{number(result['ci_low'])} to {number(result['ci_high'])}",
        ),
        ("Method", result["method"]),
    ]
