"""
The evidence that each performance level agreed in the contract is met, as the panel names it
for the purchase: a target's verdict of "met", or a passed acceptance test.
"""

from dataclasses import dataclass

from sanely.portal.award.models import Contract

from ..models import Acceptance
from ..progress import MET, plan_progress
from ..selectors import plan_of


@dataclass(frozen=True)
class LevelEvidence:
    """One agreed performance level, whether it is shown to be met, and by what."""

    level: str
    met: bool
    evidence: str


def purchase_evidence(contract: Contract, named: dict[str, str]) -> list[LevelEvidence]:
    """Each agreed level with the evidence named for it (`target:KEY` or `acceptance:ID`)."""
    verdicts = {
        t.target.key: (t.target.metric, t.verdict)
        for phase in plan_progress(contract, plan_of(contract).phases)
        for t in phase.targets
    }
    tests = {
        str(a.pk): a
        for a in Acceptance.objects.filter(contract=contract).exclude(performance_level="")
    }
    return [
        _level(level, named.get(level, ""), verdicts, tests)
        for level in contract.performance_levels
    ]


def _level(
    level: str,
    reference: str,
    verdicts: dict[str, tuple[str, str]],
    tests: dict[str, Acceptance],
) -> LevelEvidence:
    kind, _, key = reference.partition(":")
    if kind == "target" and key in verdicts:
        metric, verdict = verdicts[key]
        return LevelEvidence(level, verdict == MET, f"the verdict on {metric}: {verdict}")
    test = tests.get(key) if kind == "acceptance" else None
    if test is not None and test.performance_level == level:
        outcome = "passed" if test.passed else "failed"
        return LevelEvidence(level, test.passed, f"the acceptance test {test.name}: {outcome}")
    return LevelEvidence(level, False, "no evidence named")
