"""The answer to a clarification question, to every remaining tenderer or to the asker alone."""

from dataclasses import dataclass

from .._content import Document, Paragraph

KIND = "clarification"
ALL = "all"  # the answer goes to every tenderer still in the competition


@dataclass(frozen=True)
class Answer:
    clarification: int  # the question's id in the portal
    audience: str  # "all", or "tenderer" for the asker alone
    question: str  # as published (reworded if it was) when it goes to all
    answer: str


def build(answer: Answer) -> Document:
    audience = (
        "This answer was sent to every tenderer still in the competition."
        if answer.audience == ALL
        else "This answer concerns your tender alone and was sent only to you."
    )
    return Document(
        kind=KIND,
        subject="Answer to a clarification question",
        blocks=(
            Paragraph(f"Question: {answer.question}"),
            Paragraph(f"Answer: {answer.answer}"),
            Paragraph(audience),
        ),
        facts={"clarification": answer.clarification, "audience": answer.audience},
    )
