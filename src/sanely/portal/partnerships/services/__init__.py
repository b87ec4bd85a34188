"""
Writes for the partnership after award, by concern: its beginning when the contracts are
concluded, the evidence delivered against each target, the authority's acceptances, the gate
reviews and their decisions, claims and payments, and lawful changes. Each checks access in the
app's selectors, goes through the engine where the law decides, and is audited.
"""

from .acceptances import acceptance_record
from .begin import partnership_begin, partnership_begin_on_conclusion, spec_fingerprint
from .changes import PhaseChange, contract_change
from .claims import claim_answer, claim_approve, claim_pay, claim_query, claim_reject, claim_submit
from .evidence import evidence_submit, evidence_validate
from .gates import GateChoice, gate_decide, gate_open, gate_report_submit
from .performance import assessment_record, observation_record
from .termination import contract_terminate, termination_notify

__all__ = [
    "GateChoice",
    "PhaseChange",
    "acceptance_record",
    "assessment_record",
    "claim_answer",
    "claim_approve",
    "claim_pay",
    "claim_query",
    "claim_reject",
    "claim_submit",
    "contract_change",
    "contract_terminate",
    "evidence_submit",
    "evidence_validate",
    "gate_decide",
    "gate_open",
    "gate_report_submit",
    "observation_record",
    "partnership_begin",
    "partnership_begin_on_conclusion",
    "spec_fingerprint",
    "termination_notify",
]
