"""
What the contract notices the authority publishes share (the Procurement Act 2023's UK7, UK9,
UK10 and UK11, and the PCR 2015 modification notice): the contracting authority information
of SI 2024/692 reg 13, the procurement's title, the unique identifiers of the procurement and
the contract (given by the central digital platform, not by sanely), each supplier party to
the contract, and the provisions the notice is published under.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from .._content import Block, Document, Heading, Json, KeyValues, Paragraph, Section, Table
from ..wording import sentence


@dataclass(frozen=True)
class Party:
    """The contracting authority or a supplier, as a notice names it."""

    name: str
    address: str
    email: str
    identifier: str  # its unique identifier on the central digital platform


@dataclass(frozen=True)
class Enquiries:
    """Who to contact with an enquiry about the notice."""

    name: str
    address: str
    email: str


@dataclass(frozen=True)
class Kpi:
    """A key performance indicator set for the contract (Procurement Act 2023 s.52)."""

    name: str
    description: str


@dataclass(frozen=True)
class Contract:
    """The contract a notice is about, who publishes it, and the law it is published under."""

    authority: Party
    enquiries: Enquiries
    procurement: str  # the procurement's title
    procurement_id: str
    contract_id: str
    suppliers: tuple[Party, ...]
    citation: str  # "Procurement Act 2023 s.80(1); SI 2024/692 reg 41"


@dataclass(frozen=True)
class Notice:
    """One kind of notice: its kind, its name, and how it heads its list of suppliers."""

    kind: str
    name: str  # "Contract termination notice"
    suppliers: str = "Suppliers party to the contract"


def document(
    notice: Notice,
    contract: Contract,
    statement: str,
    body: Sequence[Block],
    facts: dict[str, Json],
) -> Document:
    """
    A notice: its heading, what it states, the authority, the procurement and contract and the
    suppliers, then its own body, and last the provisions it is published under.
    """
    return Document(
        kind=notice.kind,
        subject=f"{notice.name}: {contract.procurement}"[:200],
        blocks=(
            Heading(f"{notice.name}: {contract.procurement}"),
            Paragraph(statement),
            _authority(contract),
            Section(
                "Procurement and contract",
                (
                    KeyValues(
                        (
                            ("Procurement", contract.procurement),
                            ("Procurement identifier", contract.procurement_id),
                            ("Contract identifier", contract.contract_id),
                        )
                    ),
                ),
            ),
            parties(notice.suppliers, contract.suppliers),
            *body,
            Paragraph(sentence(f"Published under {contract.citation}")),
        ),
        facts={**_facts(contract), **facts},
    )


def conflicts_confirmed(contract: Contract) -> Paragraph:
    """The confirmation s.83(5)(c) asks of every contract details and contract change notice."""
    return Paragraph(
        f"{contract.authority.name} confirms that its conflicts assessment for this procurement"
        " has been prepared, kept under review and revised as necessary (Procurement Act 2023"
        " s.83(5)(c))."
    )


def _authority(contract: Contract) -> Section:
    who, enquiries = contract.authority, contract.enquiries
    return Section(
        "Contracting authority",
        (
            KeyValues(
                (
                    ("Name", who.name),
                    ("Address", who.address),
                    ("Email", who.email),
                    ("Identifier", who.identifier),
                    (
                        "Enquiries about this notice",
                        f"{enquiries.name}, {enquiries.address}, {enquiries.email}",
                    ),
                )
            ),
        ),
    )


def parties(heading: str, listed: tuple[Party, ...]) -> Section:
    return Section(
        heading,
        (
            Table(
                "",
                ("Name", "Address", "Email", "Identifier"),
                tuple((p.name, p.address, p.email, p.identifier) for p in listed),
            ),
        ),
    )


def party_facts(party: Party) -> dict[str, Json]:
    return {
        "name": party.name,
        "address": party.address,
        "email": party.email,
        "identifier": party.identifier,
    }


def parties_facts(listed: tuple[Party, ...]) -> list[Json]:
    return [party_facts(party) for party in listed]


def _facts(contract: Contract) -> dict[str, Json]:
    enquiries = contract.enquiries
    return {
        "authority": party_facts(contract.authority),
        "enquiries": {
            "name": enquiries.name,
            "address": enquiries.address,
            "email": enquiries.email,
        },
        "procurement": contract.procurement,
        "procurement_id": contract.procurement_id,
        "contract_id": contract.contract_id,
        "suppliers": parties_facts(contract.suppliers),
        "citation": contract.citation,
    }
