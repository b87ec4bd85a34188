"""
What the letters to a partner about its contract share: who writes to whom about which
procurement, who to ask, the right to make representations, and the facts every one states.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .._content import Block, Document, Heading, Json, Paragraph, Section
from ..wording import uk_date
from .award_decision import Contact


@dataclass(frozen=True)
class ToPartner:
    """The authority writing, the partner it writes to, the procurement, and who to ask."""

    authority: str
    partner: str
    reference: str  # the procurement's reference, as the partner knows it
    title: str  # the procurement's title
    contact: Contact


@dataclass(frozen=True)
class Representations:
    """The partner's right to answer a decision before it takes effect, where the law gives one."""

    by: date  # the last day to make them
    how: str  # how to make them: to whom, by which means
    citation: str  # the provision that gives the right


def letter(
    kind: str, what: str, to: ToPartner, body: Sequence[Block], about: str, facts: dict[str, Json]
) -> Document:
    """
    A letter to the partner: headed with what it is and the procurement, its body, and last who
    to ask about it. Its facts begin with who wrote to whom about which procurement.
    """
    return Document(
        kind=kind,
        subject=f"{what}: {to.title}"[:200],
        blocks=(Heading(f"{what}: {to.reference} {to.title}"), *body, _contact(to, about)),
        facts={**_facts(to), **facts},
    )


def representations(right: Representations, about: str) -> Section:
    return Section(
        "Your right to make representations",
        (
            Paragraph(
                f"You may make representations about {about} until the end of"
                f" {uk_date(right.by)} ({right.citation}). {right.how}"
            ),
        ),
    )


def _contact(to: ToPartner, about: str) -> Section:
    person = to.contact
    return Section(
        "Contact",
        (
            Paragraph(
                f"Questions about {about}: {person.name} ({person.email}), {person.organisation}."
            ),
        ),
    )


def _facts(to: ToPartner) -> dict[str, Json]:
    return {
        "authority": to.authority,
        "partner": to.partner,
        "reference": to.reference,
        "title": to.title,
        "contact": {
            "name": to.contact.name,
            "email": to.contact.email,
            "organisation": to.contact.organisation,
        },
    }


def representations_facts(right: Representations | None) -> Json:
    if right is None:
        return None
    return {"by": right.by.isoformat(), "how": right.how, "citation": right.citation}
