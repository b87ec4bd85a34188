"""Signed receipts: canonical JSON, Ed25519, verifiable offline with the public key.

A receipt file is exactly one canonical form (sorted keys, no spaces, ASCII, one final
newline), so any byte change, even one that keeps the JSON meaning, fails verification.
"""

import base64
import binascii
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sanely.vault._errors import KeyInvalid, ReceiptInvalid
from sanely.vault._rounds import fingerprint
from sanely.vault._time import iso_utc, parse_iso_utc, require_aware

RECEIPT_FORMAT = "sanely-receipt/1"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_RECEIPT_KEYS = {
    "files",
    "format",
    "key_id",
    "procurement_ref",
    "received_at",
    "round_ref",
    "submission_id",
    "supplier_ref",
    "version",
}


@dataclass(frozen=True)
class ReceiptFile:
    """One file of a submission as received: its name, size in bytes and SHA-256 (hex)."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Receipt:
    """What a verified receipt says."""

    submission_id: str
    procurement_ref: str
    round_ref: str
    supplier_ref: str
    files: tuple[ReceiptFile, ...]
    received_at: datetime
    version: int
    key_id: str


def public_key_id(public_key: Ed25519PublicKey) -> str:
    """The key id printed on receipts: a fingerprint of the raw public key."""
    return fingerprint("ed25519", public_key.public_bytes_raw())


@dataclass(frozen=True)
class SigningKey:
    """The server's Ed25519 receipt-signing key."""

    private_key: Ed25519PrivateKey = field(repr=False)

    @property
    def key_id(self) -> str:
        """The id of the public half, printed on every receipt it signs."""
        return public_key_id(self.private_key.public_key())

    @property
    def public_pem(self) -> bytes:
        """The public key to publish, PEM (SubjectPublicKeyInfo)."""
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(self, data: bytes) -> bytes:
        """A detached Ed25519 signature of `data` (a backup's manifest, say)."""
        return self.private_key.sign(data)

    def signed(self, data: bytes, signature: bytes) -> bool:
        """Whether `signature` is this key's signature of `data`."""
        try:
            self.private_key.public_key().verify(signature, data)
        except InvalidSignature:
            return False
        return True

    @property
    def private_pem(self) -> bytes:
        """The private key, PEM (PKCS#8, unencrypted: keep it as a secret)."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def signing_key_generate() -> SigningKey:
    """A new random receipt-signing key."""
    return SigningKey(Ed25519PrivateKey.generate())


def signing_key_load(private_pem: bytes) -> SigningKey:
    """The signing key in `private_pem`; `KeyInvalid` unless it is an Ed25519 private key."""
    try:
        key = serialization.load_pem_private_key(private_pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise KeyInvalid(f"not a PEM private key without password: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyInvalid(f"the signing key must be Ed25519, not {type(key).__name__}")
    return SigningKey(key)


def public_key_load(public_pem: bytes) -> Ed25519PublicKey:
    """The public key in `public_pem`; `KeyInvalid` unless it is an Ed25519 public key."""
    try:
        key = serialization.load_pem_public_key(public_pem)
    except (ValueError, UnsupportedAlgorithm) as error:
        raise KeyInvalid(f"not a PEM public key: {error}") from error
    if not isinstance(key, Ed25519PublicKey):
        raise KeyInvalid(f"the public key must be Ed25519, not {type(key).__name__}")
    return key


def _canonical(value: object) -> bytes:
    # ASCII only: any name survives, even one that is not valid Unicode, as \u escapes.
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def _document(body: dict[str, Any], signature: bytes) -> str:
    return (
        _canonical({"receipt": body, "signature": base64.b64encode(signature).decode()}).decode()
        + "\n"
    )


def receipt_issue(
    signing_key: SigningKey,
    *,
    submission_id: str,
    procurement_ref: str,
    round_ref: str,
    supplier_ref: str,
    files: Sequence[ReceiptFile],
    received_at: datetime,
    version: int,
) -> str:
    """A signed receipt (JSON text to store and give to the supplier, verbatim).

    `received_at` is the server's instant of receipt; `version` counts the supplier's
    submissions in the round from 1, the latest one counting.
    """
    received_at = require_aware(received_at, "received_at")
    if version < 1:
        raise ValueError(f"version counts from 1, got {version}")
    if not files:
        raise ValueError("a receipt names at least one file")
    for file in files:
        if not _SHA256_HEX.fullmatch(file.sha256) or file.size < 0:
            raise ValueError(f"{file.name}: needs a lower-case hex SHA-256 and a size >= 0")
    body = {
        "files": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in files],
        "format": RECEIPT_FORMAT,
        "key_id": signing_key.key_id,
        "procurement_ref": procurement_ref,
        "received_at": iso_utc(received_at),
        "round_ref": round_ref,
        "submission_id": submission_id,
        "supplier_ref": supplier_ref,
        "version": version,
    }
    return _document(body, signing_key.private_key.sign(_canonical(body)))


def _field(body: dict[str, Any], name: str, kind: type) -> Any:
    value = body[name]
    # bool is an int in Python, but not in a receipt.
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ReceiptInvalid(f"{name} must be a {kind.__name__}")
    return value


def _file(entry: object) -> ReceiptFile:
    if not isinstance(entry, dict) or set(entry) != {"name", "sha256", "size"}:
        raise ReceiptInvalid("each file must have exactly name, sha256 and size")
    sha256 = _field(entry, "sha256", str)
    if not _SHA256_HEX.fullmatch(sha256):
        raise ReceiptInvalid(f"sha256 of {entry['name']!r} is not 64 lower-case hex digits")
    return ReceiptFile(_field(entry, "name", str), _field(entry, "size", int), sha256)


def _parse(text: bytes) -> tuple[dict[str, Any], bytes]:
    try:
        document = json.loads(text.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ReceiptInvalid(f"not UTF-8 text: {error}") from error
    except json.JSONDecodeError as error:
        raise ReceiptInvalid(f"not JSON: {error}") from error
    if not isinstance(document, dict) or set(document) != {"receipt", "signature"}:
        raise ReceiptInvalid("a receipt has exactly two members, receipt and signature")
    body, signature_text = document["receipt"], document["signature"]
    if not isinstance(body, dict) or set(body) != _RECEIPT_KEYS:
        raise ReceiptInvalid(f"the receipt must have exactly: {', '.join(sorted(_RECEIPT_KEYS))}")
    if not isinstance(signature_text, str):
        raise ReceiptInvalid("the signature must be base64 text")
    try:
        signature = base64.b64decode(signature_text, validate=True)
    except binascii.Error as error:
        raise ReceiptInvalid(f"the signature is not base64: {error}") from error
    if _document(body, signature).encode() != text:
        raise ReceiptInvalid(
            "the receipt is not byte for byte as issued (was it edited or re-formatted?)"
        )
    return body, signature


def _receipt(body: dict[str, Any]) -> Receipt:
    if body["format"] != RECEIPT_FORMAT:
        raise ReceiptInvalid(f"unknown receipt format {body['format']!r}")
    files = body["files"]
    if not isinstance(files, list) or not files:
        raise ReceiptInvalid("files must be a non-empty list")
    try:
        received_at = parse_iso_utc(_field(body, "received_at", str))
    except ValueError as error:
        raise ReceiptInvalid(f"received_at: {error}") from error
    return Receipt(
        submission_id=_field(body, "submission_id", str),
        procurement_ref=_field(body, "procurement_ref", str),
        round_ref=_field(body, "round_ref", str),
        supplier_ref=_field(body, "supplier_ref", str),
        files=tuple(_file(entry) for entry in files),
        received_at=received_at,
        version=_field(body, "version", int),
        key_id=_field(body, "key_id", str),
    )


def receipt_verify(receipt: str | bytes, public_key_pem: bytes) -> Receipt:
    """What a receipt says, once its Ed25519 signature checks out against the public key.

    Raises `ReceiptInvalid` with the reason, or `KeyInvalid` if the PEM is not an Ed25519
    public key. Needs no network and no access to the portal.
    """
    text = receipt.encode() if isinstance(receipt, str) else receipt
    public_key = public_key_load(public_key_pem)
    body, signature = _parse(text)
    parsed = _receipt(body)
    key_id = public_key_id(public_key)
    if parsed.key_id != key_id:
        raise ReceiptInvalid(
            f"the receipt was signed by key {parsed.key_id}, but the public key given is {key_id}"
        )
    try:
        public_key.verify(signature, _canonical(body))
    except InvalidSignature as error:
        raise ReceiptInvalid(
            "the signature does not match: the receipt was altered after it was issued"
        ) from error
    return parsed
