"""
The letter querying a partner's claim: the authority's questions and what to send, before it
decides. The claim is neither approved nor refused while the query is open.
"""

from dataclasses import dataclass
from datetime import date

from .._content import Block, BulletList, Document, Paragraph, Section
from ..wording import sentence, uk_date
from . import claim as claims
from .claim import Claim

KIND = "claim_queried"


@dataclass(frozen=True)
class Query:
    claim: Claim
    questions: tuple[str, ...]
    send: tuple[str, ...]  # the evidence or documents asked for
    reply_by: date | None


def build(query: Query) -> Document:
    claim = query.claim
    by = f" by {uk_date(query.reply_by)}" if query.reply_by else ""
    needs = f"{claim.to.authority} needs more before it can decide on {claims.described(claim)}"
    body: list[Block] = [
        Paragraph(
            f"{sentence(needs)} The claim stays open while we wait for your answer: it is not"
            " refused."
        ),
        Section("Our questions", (BulletList(query.questions),)),
    ]
    if query.send:
        body.append(Section("What to send", (BulletList(query.send),)))
    body.append(Paragraph(f"Reply on the claim's page{by}, with anything asked for attached."))
    return claims.letter(
        KIND,
        "Claim queried",
        claim,
        body,
        {
            "questions": list(query.questions),
            "send": list(query.send),
            "reply_by": query.reply_by.isoformat() if query.reply_by else None,
        },
    )
