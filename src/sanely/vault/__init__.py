"""The sealed vault: submissions sealed at rest until their round's deadline and four eyes.

Pure: no Django, no clock, no paths of its own. The portal passes in the time (`now`),
the master key (from its environment), byte streams, and stores the frozen dataclasses
returned here. See docs/vault.md for the threat model, the formats and Annex IV.
"""

from sanely.vault._errors import (
    DeadlineRefused,
    FileRefused,
    FourEyesRequired,
    KeyInvalid,
    NaiveDatetime,
    ReceiptInvalid,
    ScanFailed,
    StillSealed,
    SubmissionLate,
    TamperDetected,
    UploadRefused,
    VaultError,
)
from sanely.vault._pieces import piece_sealer, piece_unseal
from sanely.vault._receipts import (
    Receipt,
    ReceiptFile,
    SigningKey,
    public_key_id,
    public_key_load,
    receipt_issue,
    receipt_verify,
    signing_key_generate,
    signing_key_load,
)
from sanely.vault._rounds import (
    MasterKey,
    OpenedRound,
    OpeningAuthorisation,
    RoundKey,
    master_key_generate,
    master_key_load,
    round_key_create,
    round_key_extend,
    round_key_open,
    round_key_rewrap,
    round_key_verify,
)
from sanely.vault._scan import (
    ClamdScanner,
    NoScanner,
    ScanResult,
    ScanStatus,
    VirusScanner,
    scanner_from_setting,
)
from sanely.vault._seal import DEFAULT_CHUNK_SIZE, Envelope, seal, unseal
from sanely.vault._sniff import DEFAULT_ALLOWED, FileKind, sniff
from sanely.vault._streams import ByteSink, ByteSource, SeekableByteSink, SeekableByteSource
from sanely.vault._time import accept_submission
from sanely.vault._upload import DEFAULT_MAX_SIZE, Upload, upload_chunk, upload_finish, upload_start

__all__ = [
    "DEFAULT_ALLOWED",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_SIZE",
    "ByteSink",
    "ByteSource",
    "ClamdScanner",
    "DeadlineRefused",
    "Envelope",
    "FileKind",
    "FileRefused",
    "FourEyesRequired",
    "KeyInvalid",
    "MasterKey",
    "NaiveDatetime",
    "NoScanner",
    "OpenedRound",
    "OpeningAuthorisation",
    "Receipt",
    "ReceiptFile",
    "ReceiptInvalid",
    "RoundKey",
    "ScanFailed",
    "ScanResult",
    "ScanStatus",
    "SeekableByteSink",
    "SeekableByteSource",
    "SigningKey",
    "StillSealed",
    "SubmissionLate",
    "TamperDetected",
    "Upload",
    "UploadRefused",
    "VaultError",
    "VirusScanner",
    "accept_submission",
    "master_key_generate",
    "master_key_load",
    "piece_sealer",
    "piece_unseal",
    "public_key_id",
    "public_key_load",
    "receipt_issue",
    "receipt_verify",
    "round_key_create",
    "round_key_extend",
    "round_key_open",
    "round_key_rewrap",
    "round_key_verify",
    "scanner_from_setting",
    "seal",
    "signing_key_generate",
    "signing_key_load",
    "sniff",
    "unseal",
    "upload_chunk",
    "upload_finish",
    "upload_start",
]
