"""
The exceptions raised by `sanely.documents`.

Every error derives from `DocumentError`; the message names the field (as a path into the
document, e.g. `blocks[2].rows[1]`) and what to change.
"""


class DocumentError(Exception):
    """Base class of every error raised by sanely.documents."""


class ContentInvalid(DocumentError):
    """Typed content, or its stored JSON, that breaks the document's shape."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class NaiveTime(DocumentError):
    """A datetime without a time zone, which cannot be told in UK time."""
