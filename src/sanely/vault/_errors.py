"""The vault's exceptions: one tree, so the portal can catch `VaultError` and record it."""

from datetime import datetime


class VaultError(Exception):
    """Something the vault refused to do."""


class NaiveDatetime(VaultError):
    """A datetime without a time zone was given where an exact instant is needed."""


class KeyInvalid(VaultError):
    """A key could not be read, or is not the key this record was sealed with."""


class DeadlineRefused(VaultError):
    """A round deadline cannot be set or changed as asked."""


class _TooSoonOrLate(VaultError):
    """Base of the refusals that compare an instant with a deadline; both are kept."""

    def __init__(self, message: str, *, now: datetime, deadline: datetime) -> None:
        super().__init__(message)
        self.now = now
        self.deadline = deadline


class StillSealed(_TooSoonOrLate):
    """A round was asked to open before its deadline."""


class FourEyesRequired(VaultError):
    """An opening was not authorised by two distinct people."""


class TamperDetected(VaultError):
    """Sealed data or a wrapped key failed authentication: it was altered or moved."""


class ReceiptInvalid(VaultError):
    """A receipt failed verification."""


class SubmissionLate(_TooSoonOrLate):
    """A submission arrived at or after its deadline."""


class FileRefused(VaultError):
    """An uploaded file is empty, corrupt, too large or of a type not allowed."""


class UploadRefused(VaultError):
    """A chunk of a resumable upload does not fit the declared upload."""


class ScanFailed(VaultError):
    """The virus scanner could not be reached or gave an answer the vault cannot read."""
