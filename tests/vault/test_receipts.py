"""Receipts: signed by the server, verifiable offline, broken by any changed byte."""

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given
from hypothesis import strategies as st

from sanely.vault import (
    KeyInvalid,
    NaiveDatetime,
    Receipt,
    ReceiptFile,
    ReceiptInvalid,
    SigningKey,
    public_key_id,
    public_key_load,
    receipt_issue,
    receipt_verify,
    signing_key_generate,
    signing_key_load,
)
from sanely.vault._receipts import _document

SIGNING_KEY = signing_key_generate()
RECEIVED = datetime(2026, 11, 25, 11, 59, 59, 123456, tzinfo=UTC)
FILES = (
    ReceiptFile("tender \u2013 price.pdf", 1234, "a" * 64),
    ReceiptFile("plan.xlsx", 9, "b" * 64),
)


def issue(signing_key: SigningKey = SIGNING_KEY, **changes: Any) -> str:
    fields: dict[str, Any] = {
        "submission_id": "sub-1",
        "procurement_ref": "IP-2026-001",
        "round_ref": "round-1",
        "supplier_ref": "supplier-7",
        "files": FILES,
        "received_at": RECEIVED,
        "version": 2,
    } | changes
    return receipt_issue(signing_key, **fields)


RECEIPT = issue()


def forged(**body_changes: Any) -> bytes:
    """A receipt in canonical form whose body was changed, keeping the old signature."""
    document = json.loads(RECEIPT)
    body = document["receipt"] | body_changes
    return _document(body, base64.b64decode(document["signature"])).encode()


def test_an_issued_receipt_verifies_and_says_what_was_received() -> None:
    receipt = receipt_verify(RECEIPT, SIGNING_KEY.public_pem)

    assert (
        Receipt(
            submission_id="sub-1",
            procurement_ref="IP-2026-001",
            round_ref="round-1",
            supplier_ref="supplier-7",
            files=FILES,
            received_at=RECEIVED,
            version=2,
            key_id=SIGNING_KEY.key_id,
        )
        == receipt
    )


def test_a_receipt_is_one_line_of_canonical_json_with_the_time_in_utc() -> None:
    document = json.loads(issue(received_at=RECEIVED.astimezone(timezone(timedelta(hours=1)))))

    assert RECEIPT.endswith("}\n")
    assert 1 == RECEIPT.count("\n")
    assert "2026-11-25T11:59:59.123456Z" == document["receipt"]["received_at"]
    assert "sanely-receipt/1" == document["receipt"]["format"]


@given(position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_a_receipt_fails_to_verify_after_any_byte_change(position: int, flip: int) -> None:
    changed = bytearray(RECEIPT.encode())
    changed[position % len(changed)] ^= flip

    with pytest.raises(ReceiptInvalid):
        receipt_verify(bytes(changed), SIGNING_KEY.public_pem)


def test_a_receipt_with_a_changed_field_but_the_old_signature_is_refused() -> None:
    with pytest.raises(ReceiptInvalid, match="the signature does not match"):
        receipt_verify(forged(received_at="2026-11-25T11:00:00.000000Z"), SIGNING_KEY.public_pem)


def test_a_reformatted_receipt_is_refused_even_if_it_means_the_same() -> None:
    pretty = json.dumps(json.loads(RECEIPT), indent=2)

    with pytest.raises(ReceiptInvalid, match="not byte for byte as issued"):
        receipt_verify(pretty, SIGNING_KEY.public_pem)


def test_a_receipt_verified_with_another_key_names_both_keys() -> None:
    other = signing_key_generate()

    with pytest.raises(ReceiptInvalid, match=f"signed by key {SIGNING_KEY.key_id}.*{other.key_id}"):
        receipt_verify(RECEIPT, other.public_pem)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (b"\xff\xfe", "not UTF-8"),
        (b"{", "not JSON"),
        (b"[]\n", "exactly two members"),
        (b'{"receipt":{},"signature":""}\n', "the receipt must have exactly"),
        (forged(format="sanely-receipt/9"), "unknown receipt format"),
        (forged(files=[]), "files must be a non-empty list"),
        (forged(files={"a": 1}), "files must be a non-empty list"),
        (forged(files=[{"name": "a"}]), "exactly name, sha256 and size"),
        (forged(files=["a"]), "exactly name, sha256 and size"),
        (forged(files=[{"name": "a", "sha256": "A" * 64, "size": 1}]), "lower-case hex"),
        (forged(files=[{"name": "a", "sha256": "a" * 64, "size": "1"}]), "size must be a int"),
        (forged(version=True), "version must be a int"),
        (forged(received_at=5), "received_at must be a str"),
        (forged(received_at="2026-11-25T11:59:59Z"), "received_at: "),
        (forged(supplier_ref=None), "supplier_ref must be a str"),
    ],
)
def test_a_malformed_receipt_is_refused_with_the_reason(text: bytes, reason: str) -> None:
    with pytest.raises(ReceiptInvalid, match=reason):
        receipt_verify(text, SIGNING_KEY.public_pem)


@pytest.mark.parametrize(
    ("signature", "reason"),
    [(None, "must be base64 text"), ("not base64!", "not base64"), ("AB==", "not byte for byte")],
)
def test_a_receipt_whose_signature_is_not_canonical_base64_is_refused(
    signature: object, reason: str
) -> None:
    document = json.loads(RECEIPT)
    document["signature"] = signature
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"

    with pytest.raises(ReceiptInvalid, match=reason):
        receipt_verify(text, SIGNING_KEY.public_pem)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"version": 0}, "version counts from 1"),
        ({"files": ()}, "at least one file"),
        ({"files": (ReceiptFile("x.pdf", 1, "A" * 64),)}, "x.pdf: needs a lower-case hex"),
        ({"files": (ReceiptFile("x.pdf", -1, "a" * 64),)}, "x.pdf: needs"),
    ],
)
def test_a_receipt_cannot_be_issued_from_nonsense(changes: dict[str, Any], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        issue(**changes)


def test_a_receipt_cannot_be_issued_with_a_naive_time() -> None:
    with pytest.raises(NaiveDatetime, match="received_at"):
        issue(received_at=RECEIVED.replace(tzinfo=None))


def test_a_signing_key_survives_pem_and_its_id_is_its_public_keys() -> None:
    loaded = signing_key_load(SIGNING_KEY.private_pem)

    assert SIGNING_KEY.key_id == loaded.key_id
    assert SIGNING_KEY.key_id == public_key_id(public_key_load(SIGNING_KEY.public_pem))
    assert SIGNING_KEY.key_id.startswith("ed25519-")
    assert "PRIVATE" not in repr(loaded)


EC_KEY = ec.generate_private_key(ec.SECP256R1())
EC_PRIVATE_PEM = EC_KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
EC_PUBLIC_PEM = EC_KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)


@pytest.mark.parametrize(
    ("pem", "reason"),
    [(b"nonsense", "not a PEM private key"), (EC_PRIVATE_PEM, "must be Ed25519, not")],
)
def test_a_signing_key_that_is_not_an_ed25519_private_key_is_refused(
    pem: bytes, reason: str
) -> None:
    with pytest.raises(KeyInvalid, match=reason):
        signing_key_load(pem)


@pytest.mark.parametrize(
    ("pem", "reason"),
    [(b"nonsense", "not a PEM public key"), (EC_PUBLIC_PEM, "must be Ed25519, not")],
)
def test_a_public_key_that_is_not_ed25519_is_refused(pem: bytes, reason: str) -> None:
    with pytest.raises(KeyInvalid, match=reason):
        receipt_verify(RECEIPT, pem)


names = st.text(max_size=40)


@given(
    submission_id=names,
    procurement_ref=names,
    round_ref=names,
    supplier_ref=names,
    files=st.lists(
        st.builds(
            ReceiptFile,
            name=names,
            size=st.integers(min_value=0, max_value=2**53),
            sha256=st.text("0123456789abcdef", min_size=64, max_size=64),
        ),
        min_size=1,
        max_size=3,
    ),
    received_at=st.datetimes(
        min_value=datetime(1000, 1, 2),  # noqa: DTZ001 - bounds for aware datetimes
        max_value=datetime(9999, 12, 30),  # noqa: DTZ001
        timezones=st.timezones(),
    ),
    version=st.integers(min_value=1, max_value=10_000),
)
def test_any_receipt_issued_verifies_to_exactly_what_was_issued(
    submission_id: str,
    procurement_ref: str,
    round_ref: str,
    supplier_ref: str,
    files: list[ReceiptFile],
    received_at: datetime,
    version: int,
) -> None:
    text = receipt_issue(
        SIGNING_KEY,
        submission_id=submission_id,
        procurement_ref=procurement_ref,
        round_ref=round_ref,
        supplier_ref=supplier_ref,
        files=files,
        received_at=received_at,
        version=version,
    )

    assert Receipt(
        submission_id=submission_id,
        procurement_ref=procurement_ref,
        round_ref=round_ref,
        supplier_ref=supplier_ref,
        files=tuple(files),
        # Compared in UTC: an ambiguous local time never equals across zones (PEP 495).
        received_at=received_at.astimezone(UTC),
        version=version,
        key_id=SIGNING_KEY.key_id,
    ) == receipt_verify(text, SIGNING_KEY.public_pem)
    assert text.isascii()


def test_a_detached_signature_verifies_for_its_data_and_key_only() -> None:
    key, other = signing_key_generate(), signing_key_generate()
    signature = key.sign(b"manifest")
    assert key.signed(b"manifest", signature)
    assert not key.signed(b"manifest!", signature)
    assert not other.signed(b"manifest", signature)
    assert not key.signed(b"manifest", b"")
