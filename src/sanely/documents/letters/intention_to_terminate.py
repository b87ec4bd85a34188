"""
The notice to a partner that the authority intends to end its contract on grounds other than a
gate option: the ground and its citation, why the authority decided to end the contract, and
the partner's chance to make representations before it does (Procurement Act 2023 s.78(7)
requires all three for its implied grounds). Where the ground is a sub-contractor's exclusion,
the partner may instead stop sub-contracting to it (s.78(8)).
"""

from dataclasses import dataclass
from datetime import date

from .._content import Block, Document, Json, Paragraph, Section
from ..wording import uk_date
from . import partner
from .partner import Representations, ToPartner

KIND = "intention_to_terminate"


@dataclass(frozen=True)
class Replace:
    """The chance to stop sub-contracting to an excluded sub-contractor instead."""

    subcontractor: str
    by: date
    citation: str


@dataclass(frozen=True)
class Intention:
    to: ToPartner
    ground: str  # the termination ground, in words
    citation: str  # where the ground is: the Act's implied term or the contract's own clause
    why: str  # why the authority has decided to end the contract
    representations: Representations
    replace: Replace | None


def build(intention: Intention) -> Document:
    to = intention.to
    body: list[Block] = [
        Paragraph(
            f"{to.authority} intends to end the contract with {to.partner}. It has not ended it:"
            " it will decide only after the last day for your representations, having considered"
            " them."
        ),
        Section(
            "The ground",
            (Paragraph(f"{intention.ground.rstrip('.')} ({intention.citation})."),),
        ),
        Section("Why the authority has decided to end the contract", (Paragraph(intention.why),)),
    ]
    if replace := intention.replace:
        body.append(
            Section(
                "Replacing the sub-contractor",
                (
                    Paragraph(
                        f"You may instead stop sub-contracting to {replace.subcontractor} and, if"
                        " you need to, find another sub-contractor, by the end of"
                        f" {uk_date(replace.by)} ({replace.citation})."
                    ),
                ),
            )
        )
    body.append(
        partner.representations(
            intention.representations,
            "whether the ground applies and the decision to end the contract",
        )
    )
    return partner.letter(
        KIND, "Notice of intention to end your contract", to, body, "this notice", _facts(intention)
    )


def _facts(intention: Intention) -> dict[str, Json]:
    replace = intention.replace
    return {
        "ground": intention.ground,
        "citation": intention.citation,
        "why": intention.why,
        "representations": partner.representations_facts(intention.representations),
        "replace": {
            "subcontractor": replace.subcontractor,
            "by": replace.by.isoformat(),
            "citation": replace.citation,
        }
        if replace
        else None,
    }
