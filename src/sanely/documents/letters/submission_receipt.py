"""The email confirming a sealed submission was received, with the signed receipt to keep."""

from dataclasses import dataclass
from datetime import datetime

from .._content import Document, Paragraph, Preformatted
from ..wording import uk_instant

KIND = "submission_receipt"
PUBLIC_KEY = "/.well-known/sanely-receipt-key.pem"


@dataclass(frozen=True)
class Received:
    reference: str
    title: str
    supplier: str
    part: str
    label: str  # the round's label
    file_name: str
    size: int  # bytes before sealing
    version: int
    received_at: datetime
    submission_id: str
    receipt: str  # the signed receipt, as JSON text


def build(received: Received) -> Document:
    return Document(
        kind=KIND,
        subject=f"Received: {received.part} for {received.reference} {received.title}",
        blocks=(
            Paragraph(
                f"We received {received.file_name} ({received.size:,} bytes) from"
                f" {received.supplier} for '{received.part}' ({received.label.lower()}) at"
                f" {uk_instant(received.received_at)}, version {received.version}. It is sealed"
                " until the deadline has passed and the authority opens the round."
            ),
            Paragraph(
                "Your signed receipt follows. Keep it: with the portal's public key at"
                f" {PUBLIC_KEY} you can check it offline with `sanely vault verify-receipt"
                f" receipt.json --public-key key.pem --file {received.file_name}`."
            ),
            Preformatted(received.receipt),
        ),
        facts={
            "submission_id": received.submission_id,
            "part": received.part,
            "version": received.version,
            "size": received.size,
            "received_at": received.received_at.isoformat(),
        },
    )
