"""
The contract termination notice (UK11), due within 30 days of any public contract ending
(Procurement Act 2023 s.80(1), where ending includes expiry and discharge, s.80(3)). Its
contents are those SI 2024/692 reg 41(2) lists: the authority, the procurement and contract,
each supplier, the reasons the contract ended, the day it ended, its estimated value and, when
it ended because the supplier breached it, the particulars of the breach.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from .._content import Block, Document, Json, KeyValues, Paragraph, Section
from ..wording import money, uk_date
from . import notice
from .notice import Contract

KIND = "contract_termination_notice"
NOTICE = notice.Notice(KIND, "Contract termination notice")

Ending = Literal["gate", "other_grounds", "expiry", "completion"]

# How it ended, in the terms of s.80(3): termination by a party, expiry, discharge.
HOW: dict[Ending, str] = {
    "gate": "the authority ended it at a gate review of the innovation partnership, under the"
    " option the procurement documents announced",
    "other_grounds": "the authority ended it on grounds other than a gate option",
    "expiry": "it expired at the end of its term",
    "completion": "it was discharged, both parties having performed it in full",
}
RESULTED = {
    "damages": "an award of damages",
    "settlement": "a settlement agreement",
    None: "neither an award of damages nor a settlement agreement",
}


@dataclass(frozen=True)
class Paid:
    """Damages or other money paid following the breach."""

    amount: Decimal
    basis: str  # under the contract, a court's decision, or a negotiated settlement
    decision: str  # where a court or tribunal's recorded decision can be read; "" if none


@dataclass(frozen=True)
class Breach:
    """The particulars reg 41(2)(h) asks for when the supplier's breach ended the contract."""

    resulted_in: Literal["damages", "settlement"] | None
    resulted_on: date | None  # the day of the damages award or the settlement
    failed_to_improve_on: date | None  # when performance was judged not to have improved
    obligation: str  # the obligation breached or not performed to the authority's satisfaction
    nature: str
    impact: str
    duration: str
    mitigation: str  # what the supplier did to mitigate the impact
    warnings: str  # the warnings and chances to improve the authority gave
    improvement: str  # what the supplier did to improve, and why it was not enough
    paid: Paid | None


@dataclass(frozen=True)
class Termination:
    contract: Contract
    ending: Ending
    reasons: str
    ended_on: date
    value: Decimal  # the contract's estimated value
    breach: Breach | None


def build(termination: Termination) -> Document:
    body: list[Block] = [
        Section(
            "The ending",
            (
                KeyValues(
                    (
                        ("Date ended", uk_date(termination.ended_on)),
                        ("Estimated value of the contract", money(termination.value)),
                        ("Reasons", termination.reasons),
                    )
                ),
            ),
        ),
    ]
    if termination.breach:
        body.append(_breach(termination.breach))
    return notice.document(
        NOTICE,
        termination.contract,
        f"The contract ended on {uk_date(termination.ended_on)}: {HOW[termination.ending]}.",
        body,
        _facts(termination),
    )


def _breach(breach: Breach) -> Section:
    on = f" on {uk_date(breach.resulted_on)}" if breach.resulted_on else ""
    pairs = [
        ("Obligation", breach.obligation),
        ("The breach resulted in", f"{RESULTED[breach.resulted_in]}{on}"),
    ]
    if breach.failed_to_improve_on:
        pairs.append(("Judged to have failed to improve on", uk_date(breach.failed_to_improve_on)))
    pairs += [
        ("Nature of the breach", breach.nature),
        ("Impact", breach.impact),
        ("Duration", breach.duration),
        ("Steps the supplier took to mitigate it", breach.mitigation),
        ("Warnings and chances to improve given", breach.warnings),
        ("Steps the supplier took to improve, and why they were not enough", breach.improvement),
    ]
    if paid := breach.paid:
        pairs.append(("Damages or other money paid", f"{money(paid.amount)}, {paid.basis}"))
        if paid.decision:
            pairs.append(("The court or tribunal's decision", paid.decision))
    return Section(
        "The supplier's breach",
        (
            Paragraph(
                "The contract ended because the supplier breached it: section 71(5) of the"
                " Procurement Act 2023 applies."
            ),
            KeyValues(tuple(pairs)),
        ),
    )


def _facts(termination: Termination) -> dict[str, Json]:
    return {
        "ending": termination.ending,
        "reasons": termination.reasons,
        "ended_on": termination.ended_on.isoformat(),
        "value": str(termination.value),
        "breach": _breach_facts(termination.breach),
    }


def _breach_facts(breach: Breach | None) -> Json:
    if breach is None:
        return None
    paid = breach.paid
    return {
        "resulted_in": breach.resulted_in,
        "resulted_on": breach.resulted_on.isoformat() if breach.resulted_on else None,
        "failed_to_improve_on": (
            breach.failed_to_improve_on.isoformat() if breach.failed_to_improve_on else None
        ),
        "obligation": breach.obligation,
        "nature": breach.nature,
        "impact": breach.impact,
        "duration": breach.duration,
        "mitigation": breach.mitigation,
        "warnings": breach.warnings,
        "improvement": breach.improvement,
        "paid": {"amount": str(paid.amount), "basis": paid.basis, "decision": paid.decision}
        if paid
        else None,
    }
