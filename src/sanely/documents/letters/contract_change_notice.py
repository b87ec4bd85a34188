"""
The contract change notice (UK10) an authority publishes before modifying a contract
(Procurement Act 2023 s.75(1)): that it intends to modify the contract, and the contents
SI 2024/692 reg 40(2) lists: the authority, the procurement and contract, each supplier, the
Schedule 8 ground that permits the change and why it applies, the change to the estimated
value or the term, the suppliers joining or leaving on a corporate restructuring, the expected
days of the modification and of its effect, and any voluntary standstill (s.76). It also
confirms the conflicts assessment, as s.83(5)(c) requires of every contract change notice.
"""

from dataclasses import dataclass
from datetime import date

from .._content import Block, Document, Json, KeyValues, Section
from ..wording import plural, uk_date
from . import change, notice
from .change import Ground, TermChange, ValueChange
from .notice import Contract, Party

KIND = "contract_change_notice"
NOTICE = notice.Notice(KIND, "Contract change notice")


@dataclass(frozen=True)
class Intended:
    contract: Contract
    description: str  # what the modification does
    ground: Ground
    schedule_8: bool  # whether the ground is one of the permitted modifications in Schedule 8
    value: ValueChange | None
    term: TermChange | None
    joining: tuple[Party, ...]  # on a corporate restructuring (Schedule 8 paragraph 9) only
    leaving: tuple[Party, ...]
    modified_on: date  # the day the contract is expected to be modified
    effective_on: date  # the day the modification is expected to take effect
    standstill_days: int | None  # the voluntary standstill in working days, if any


def build(intended: Intended) -> Document:
    contract = intended.contract
    body: list[Block] = [Section("The change", (KeyValues(_change_pairs(intended)),))]
    if intended.joining:
        body.append(notice.parties("Suppliers joining the contract", intended.joining))
    if intended.leaving:
        body.append(notice.parties("Suppliers leaving the contract", intended.leaving))
    return notice.document(
        NOTICE,
        contract,
        f"{contract.authority.name} intends to modify the contract. {intended.description}",
        [*body, notice.conflicts_confirmed(contract)],
        _facts(intended),
    )


def _change_pairs(intended: Intended) -> tuple[tuple[str, str], ...]:
    permitted = "yes" if intended.schedule_8 else "no"
    standstill = (
        f"{plural(intended.standstill_days, 'working day')} from the day this notice is"
        " published: the contract will not be modified before it ends"
        if intended.standstill_days
        else "none"
    )
    return (
        *change.pairs(intended.ground, intended.value, intended.term),
        ("A permitted modification under Schedule 8", permitted),
        ("Expected to be modified on", uk_date(intended.modified_on)),
        ("Expected to take effect on", uk_date(intended.effective_on)),
        ("Voluntary standstill period", standstill),
    )


def _facts(intended: Intended) -> dict[str, Json]:
    return {
        "description": intended.description,
        "ground": change.ground_facts(intended.ground),
        "schedule_8": intended.schedule_8,
        "value": change.value_facts(intended.value),
        "term": change.term_facts(intended.term),
        "joining": notice.parties_facts(intended.joining),
        "leaving": notice.parties_facts(intended.leaving),
        "modified_on": intended.modified_on.isoformat(),
        "effective_on": intended.effective_on.isoformat(),
        "standstill_days": intended.standstill_days,
    }
