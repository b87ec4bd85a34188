"""Files to submit, and a phrase that must never be found in plaintext while sealed."""

import io
import zipfile
from datetime import UTC, datetime

from django.core.files.uploadedfile import SimpleUploadedFile

# A phrase that must never appear in the database or the file storage while sealed.
SECRET = b"Kestrel's confidential price: GBP 412,345.67 for the pilot fleet."


def pdf(text: bytes = SECRET) -> bytes:
    return b"%PDF-1.7\n1 0 obj\n<< /Note (" + text + b") >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr("word/document.xml", "<w:document>Method statement</w:document>")
    return out.getvalue()


def upload(content: bytes | None = None, name: str = "proposal.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf() if content is None else content)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
