"""
The modification notice an authority sends for publication after modifying a contract under
PCR 2015 reg 72(1)(b) (additional works, services or supplies) or (c) (unforeseeable
circumstances), as reg 72(3) requires, with the contents reg 72(4) takes from Part G of
Annex V to Directive 2014/24/EU: the authority, the CPV codes, the main place of performance,
the procurement before and after the modification, the increase in price, the circumstances
that made it necessary, the day of the award decision, any new contractor, the review body and
its time limits, the earlier notices about the contract and the day the notice is sent.
"""

from dataclasses import dataclass
from datetime import date

from .._content import Block, BulletList, Document, Json, KeyValues, Paragraph, Section
from ..wording import uk_date
from . import change, notice
from .change import Ground, ValueChange
from .notice import Contract, Party

KIND = "modification_notice"
NOTICE = notice.Notice(KIND, "Modification notice", suppliers="Contractor")


@dataclass(frozen=True)
class Modified:
    contract: Contract
    telephone: str  # the authority's: Annex V Part G asks for it and its website
    website: str
    cpv: tuple[str, ...]  # each code with its words: "73000000 Research and development services"
    place: str  # the main place of performance, by its NUTS or ITL code and name
    before: str  # the procurement before the modification: nature and extent
    after: str  # and after it
    ground: Ground  # reg 72(1)(b) or (c)
    value: ValueChange
    circumstances: str  # what made the modification necessary
    awarded_on: date  # the day of the contract award decision
    new_contractor: Party | None
    review: str  # the review body, and the time limits for bringing proceedings
    earlier: tuple[str, ...]  # earlier notices about the contract: date and reference
    sent_on: date


def build(modified: Modified) -> Document:
    contract = modified.contract
    body: list[Block] = [
        Section(
            "The contract",
            (
                KeyValues(
                    (
                        ("The authority's telephone", modified.telephone),
                        ("The authority's website", modified.website),
                        ("CPV codes", "; ".join(modified.cpv)),
                        ("Main place of performance", modified.place),
                        ("Award decision made on", uk_date(modified.awarded_on)),
                    )
                ),
            ),
        ),
        Section(
            "The modification",
            (
                KeyValues(
                    (
                        ("Before the modification", modified.before),
                        ("After the modification", modified.after),
                        ("Circumstances that made it necessary", modified.circumstances),
                        *change.pairs(modified.ground, modified.value, None),
                    )
                ),
            ),
        ),
    ]
    if modified.new_contractor:
        body.append(notice.parties("New contractor", (modified.new_contractor,)))
    body.append(Section("Review", (Paragraph(modified.review),)))
    if modified.earlier:
        body.append(Section("Earlier notices about this contract", (BulletList(modified.earlier),)))
    body.append(Paragraph(f"Notice sent for publication on {uk_date(modified.sent_on)}."))
    return notice.document(
        NOTICE,
        contract,
        f"{contract.authority.name} has modified the contract without a new procurement procedure.",
        body,
        _facts(modified),
    )


def _facts(modified: Modified) -> dict[str, Json]:
    contractor = modified.new_contractor
    return {
        "telephone": modified.telephone,
        "website": modified.website,
        "cpv": list(modified.cpv),
        "place": modified.place,
        "before": modified.before,
        "after": modified.after,
        "ground": change.ground_facts(modified.ground),
        "value": change.value_facts(modified.value),
        "circumstances": modified.circumstances,
        "awarded_on": modified.awarded_on.isoformat(),
        "new_contractor": notice.party_facts(contractor) if contractor else None,
        "review": modified.review,
        "earlier": list(modified.earlier),
        "sent_on": modified.sent_on.isoformat(),
    }
