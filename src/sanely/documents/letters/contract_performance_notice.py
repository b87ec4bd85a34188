"""
The contract performance notice (UK9) publishing the authority's assessment of a supplier's
performance against the key performance indicators, at least once in every twelve months and
on termination (Procurement Act 2023 s.71(2)). Its contents are those SI 2024/692 reg 39(4)
lists: the authority, the procurement and contract, the three KPIs most material to the
contract, a statement of what the notice is for, each supplier assessed, the rating of each KPI
on the reg 39(5) scale, and the period assessed.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

from .._content import Document, Json, Section, Table
from ..wording import uk_date
from . import notice
from .notice import Contract, Kpi

KIND = "contract_performance_notice"
NOTICE = notice.Notice(KIND, "Contract performance notice", suppliers="Suppliers assessed")

Rating = Literal["good", "approaching target", "requires improvement", "inadequate", "other"]

# The scale of SI 2024/692 reg 39(5), each rating with what it means.
MEANS: dict[Rating, str] = {
    "good": "performance meets or exceeds the indicator",
    "approaching target": "performance is close to meeting the indicator",
    "requires improvement": "performance is below the indicator",
    "inadequate": "performance is significantly below the indicator",
    "other": "performance cannot be described by the other ratings",
}


@dataclass(frozen=True)
class Assessed:
    """One KPI's rating for the period, with what the tracked observations showed."""

    kpi: Kpi
    rating: Rating
    observed: str  # "Median wait 14 minutes against a target of 15"


@dataclass(frozen=True)
class Assessment:
    contract: Contract
    starts_on: date
    ends_on: date
    assessed: tuple[Assessed, ...]  # the three KPIs most material to the contract


def build(assessment: Assessment) -> Document:
    contract = assessment.contract
    period = f"{uk_date(assessment.starts_on)} to {uk_date(assessment.ends_on)}"
    return notice.document(
        NOTICE,
        contract,
        f"This notice sets out {contract.authority.name}'s assessment of performance against"
        " the key performance indicators it regards as most material to the contract, for the"
        f" period {period}.",
        (
            Section(
                "Key performance indicators",
                (
                    Table(
                        "",
                        ("Indicator", "Description"),
                        tuple((a.kpi.name, a.kpi.description) for a in assessment.assessed),
                    ),
                ),
            ),
            Section(
                f"Assessment for {period}",
                (
                    Table(
                        "",
                        ("Indicator", "Rating", "What the rating means", "Observed"),
                        tuple(
                            (a.kpi.name, a.rating.capitalize(), MEANS[a.rating], a.observed)
                            for a in assessment.assessed
                        ),
                    ),
                ),
            ),
        ),
        _facts(assessment),
    )


def _facts(assessment: Assessment) -> dict[str, Json]:
    return {
        "period": {
            "starts_on": assessment.starts_on.isoformat(),
            "ends_on": assessment.ends_on.isoformat(),
        },
        "kpis": [
            {
                "name": a.kpi.name,
                "description": a.kpi.description,
                "rating": a.rating,
                "observed": a.observed,
            }
            for a in assessment.assessed
        ],
    }
