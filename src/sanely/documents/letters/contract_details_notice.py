"""
The contract details notice (UK7) an authority publishes within 30 days of entering into a
public contract (Procurement Act 2023 s.53(1); 120 days for a light touch contract): that it
has entered into the contract, and the contents SI 2024/692 reg 32(2) lists for a contract
awarded after a competitive flexible procedure: the authority, the procurement and contract,
the contract subject-matter (reg 14), each supplier with whether it is an SME, a VCSE, a
supported employment provider or a public service mutual, the procedure, any reservation, the
estimated value, the day entered into, the options, whether it is a special regime contract,
the GPA and CPTPP, and the three KPIs most material to the contract, or why none were set
(s.52(2)). It also confirms the conflicts assessment (s.83(5)(c)).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from .._content import Document, Json, KeyValues, Paragraph, Section, Table
from ..wording import money, uk_date
from . import notice
from .notice import Contract, Kpi

KIND = "contract_details_notice"
NOTICE = notice.Notice(KIND, "Contract details notice")


@dataclass(frozen=True)
class SubjectMatter:
    """The contract subject-matter of SI 2024/692 reg 14, so far as it is known."""

    mainly: Literal["goods", "services", "works"]
    kinds: str  # the kinds of goods, services or works to be supplied
    how: str  # how they will be supplied
    starts_on: date  # the period over which they will be supplied
    ends_on: date
    amount: str  # the estimated amount to be supplied
    cpv: tuple[str, ...]  # each code with its words
    areas: tuple[str, ...]  # the ITL areas where they will be supplied


@dataclass(frozen=True)
class Status:
    """What reg 32(2)(g)(iv) asks about each supplier party to the contract."""

    supplier: str
    sme: bool
    vcse: bool  # value-driven non-governmental organisation reinvesting its surpluses
    supported_employment: bool
    public_service_mutual: bool


@dataclass(frozen=True)
class Entered:
    contract: Contract
    subject_matter: SubjectMatter
    statuses: tuple[Status, ...]  # one per supplier, in the order of contract.suppliers
    procedure: str  # "competitive flexible procedure"
    reserved: str  # to whom it was reserved, and under which section; "" if it was not
    value: Decimal  # the estimated value of the contract
    entered_on: date
    options: str  # the options to supply more or extend or renew; "" if there are none
    special_regime: str  # concession, defence and security, light touch, utilities; "" if none
    gpa: bool  # whether the UK has obligations under the GPA for the contract
    cptpp: bool  # likewise under the CPTPP
    kpis: tuple[Kpi, ...]  # the three most material; empty when none were set
    no_kpis: str  # why performance could not be assessed by KPIs, when none were set


def build(entered: Entered) -> Document:
    contract = entered.contract
    return notice.document(
        NOTICE,
        contract,
        f"{contract.authority.name} entered into the contract on {uk_date(entered.entered_on)}.",
        (
            Section(
                "The suppliers' status",
                (
                    Table(
                        "",
                        (
                            "Supplier",
                            "Small or medium-sized enterprise",
                            "Voluntary, community or social enterprise",
                            "Supported employment provider",
                            "Public service mutual",
                        ),
                        tuple(_status_row(s) for s in entered.statuses),
                    ),
                ),
            ),
            _subject_matter(entered.subject_matter),
            Section("The contract", (KeyValues(_contract_pairs(entered)),)),
            _kpis(entered),
            notice.conflicts_confirmed(contract),
        ),
        _facts(entered),
    )


def _subject_matter(matter: SubjectMatter) -> Section:
    return Section(
        "What the contract is for",
        (
            KeyValues(
                (
                    ("Mainly for the supply of", matter.mainly),
                    ("What will be supplied", matter.kinds),
                    ("How", matter.how),
                    ("When", f"{uk_date(matter.starts_on)} to {uk_date(matter.ends_on)}"),
                    ("Estimated amount", matter.amount),
                    ("CPV codes", "; ".join(matter.cpv)),
                    ("Where", "; ".join(matter.areas)),
                )
            ),
        ),
    )


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _status_row(status: Status) -> tuple[str, ...]:
    flags = (status.sme, status.vcse, status.supported_employment, status.public_service_mutual)
    return (status.supplier, *map(_yes, flags))


def _contract_pairs(entered: Entered) -> tuple[tuple[str, str], ...]:
    return (
        ("Procedure", entered.procedure),
        ("Reserved", entered.reserved or "no"),
        ("Estimated value", money(entered.value)),
        ("Entered into on", uk_date(entered.entered_on)),
        ("Options to supply more, or to extend or renew", entered.options or "none"),
        ("Special regime contract", entered.special_regime or "no"),
        ("The United Kingdom has obligations under the GPA for it", _yes(entered.gpa)),
        ("The United Kingdom has obligations under the CPTPP for it", _yes(entered.cptpp)),
    )


def _kpis(entered: Entered) -> Section:
    heading = "Key performance indicators"
    if not entered.kpis:
        return Section(heading, (Paragraph(f"None were set. {entered.no_kpis}"),))
    return Section(
        heading,
        (
            Paragraph("Those the authority regards as most material to the contract:"),
            Table(
                "",
                ("Indicator", "Description"),
                tuple((k.name, k.description) for k in entered.kpis),
            ),
        ),
    )


def _facts(entered: Entered) -> dict[str, Json]:
    matter = entered.subject_matter
    return {
        "subject_matter": {
            "mainly": matter.mainly,
            "kinds": matter.kinds,
            "how": matter.how,
            "starts_on": matter.starts_on.isoformat(),
            "ends_on": matter.ends_on.isoformat(),
            "amount": matter.amount,
            "cpv": list(matter.cpv),
            "areas": list(matter.areas),
        },
        "statuses": [
            {
                "supplier": s.supplier,
                "sme": s.sme,
                "vcse": s.vcse,
                "supported_employment": s.supported_employment,
                "public_service_mutual": s.public_service_mutual,
            }
            for s in entered.statuses
        ],
        "procedure": entered.procedure,
        "reserved": entered.reserved,
        "value": str(entered.value),
        "entered_on": entered.entered_on.isoformat(),
        "options": entered.options,
        "special_regime": entered.special_regime,
        "gpa": entered.gpa,
        "cptpp": entered.cptpp,
        "kpis": [{"name": k.name, "description": k.description} for k in entered.kpis],
        "no_kpis": entered.no_kpis,
    }
