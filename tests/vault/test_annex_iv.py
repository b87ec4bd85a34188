"""Directive 2014/24/EU Annex IV (a)-(g): the parts the vault guarantees by itself.

The portal adds its own tests for the parts it enforces (who is authorised, the security
log, the admin); docs/vault.md maps each point to where it is met.
"""

import dataclasses
import io
from collections.abc import Callable
from datetime import timedelta

import pytest

from sanely.vault import (
    DeadlineRefused,
    Envelope,
    FourEyesRequired,
    KeyInvalid,
    MasterKey,
    OpeningAuthorisation,
    ReceiptFile,
    ReceiptInvalid,
    RoundKey,
    SigningKey,
    StillSealed,
    TamperDetected,
    VaultError,
    accept_submission,
    master_key_generate,
    master_key_load,
    receipt_issue,
    receipt_verify,
    round_key_create,
    round_key_extend,
    round_key_open,
    seal,
    unseal,
)

from .support import CREATED, DEADLINE, ROUND_ID

TENDER = b"Our price for the pilot is GBP 1,234,567 and our method is secret sauce. " * 50
TWO_PEOPLE = OpeningAuthorisation(ROUND_ID, "officer-1", "officer-2")


def sealed_tender(
    master: MasterKey, round_key: RoundKey, submission_id: str = "sub-1"
) -> tuple[bytes, Envelope]:
    sink = io.BytesIO()
    envelope = seal(
        io.BytesIO(TENDER), sink, master=master, round_key=round_key, submission_id=submission_id
    )
    return sink.getvalue(), envelope


def read(blob: bytes, envelope: Envelope, opened: object) -> bytes:
    sink = io.BytesIO()
    unseal(io.BytesIO(blob), sink, envelope=envelope, opened=opened)  # type: ignore[arg-type]
    return sink.getvalue()


def test_annex_iv_a_exact_time_and_date_of_receipt_is_determined(
    master: MasterKey, round_key: RoundKey, signing_key: SigningKey
) -> None:
    server_now = DEADLINE - timedelta(minutes=1, microseconds=17)
    _, envelope = sealed_tender(master, round_key)

    received_at = accept_submission(server_now, round_key.deadline)
    receipt = receipt_issue(
        signing_key,
        submission_id="sub-1",
        procurement_ref="IP-1",
        round_ref=ROUND_ID,
        supplier_ref="supplier-1",
        files=[ReceiptFile("tender.pdf", envelope.plaintext_size, envelope.plaintext_sha256)],
        received_at=received_at,
        version=1,
    )

    assert server_now == receipt_verify(receipt, signing_key.public_pem).received_at
    assert '"received_at":"2026-12-01T11:58:59.999983Z"' in receipt


def test_annex_iv_b_no_access_before_time_limit(master: MasterKey, round_key: RoundKey) -> None:
    blob, envelope = sealed_tender(master, round_key)

    for stored in (blob, envelope.wrapped_data_key, round_key.wrapped_private_key):
        assert b"GBP 1,234,567" not in stored
    with pytest.raises(StillSealed):
        round_key_open(
            master, round_key, authorisation=TWO_PEOPLE, now=DEADLINE - timedelta(microseconds=1)
        )


def test_annex_iv_c_only_authorised_persons_set_opening_date(
    master: MasterKey, round_key: RoundKey
) -> None:
    # The date is bound to the key: set through the vault, recording who, or not at all.
    moved_forward = dataclasses.replace(round_key, deadline=CREATED + timedelta(days=1))
    with pytest.raises(TamperDetected):
        round_key_open(master, moved_forward, authorisation=TWO_PEOPLE, now=moved_forward.deadline)
    with pytest.raises(DeadlineRefused):
        round_key_extend(
            master,
            round_key,
            new_deadline=DEADLINE - timedelta(days=1),
            now=CREATED,
            changed_by="x",
        )
    extended = round_key_extend(
        master, round_key, new_deadline=DEADLINE + timedelta(days=1), now=CREATED, changed_by="o-9"
    )
    assert ("officer-1", "o-9") == (round_key.deadline_set_by, extended.deadline_set_by)


def test_annex_iv_d_access_only_by_authorised_persons_during_stages(
    master: MasterKey, round_key: RoundKey
) -> None:
    blob, envelope = sealed_tender(master, round_key)
    alone = OpeningAuthorisation(ROUND_ID, "officer-1", "officer-1")
    elsewhere = OpeningAuthorisation("round-0", "officer-1", "officer-2")

    for authorisation in (alone, elsewhere):
        with pytest.raises(FourEyesRequired):
            round_key_open(master, round_key, authorisation=authorisation, now=DEADLINE)
    opened = round_key_open(master, round_key, authorisation=TWO_PEOPLE, now=DEADLINE)
    with pytest.raises(TamperDetected):
        read(blob, dataclasses.replace(envelope, submission_id="sub-of-another-stage"), opened)


def test_annex_iv_e_access_only_after_set_date(master: MasterKey, round_key: RoundKey) -> None:
    blob, envelope = sealed_tender(master, round_key)

    with pytest.raises(StillSealed):
        round_key_open(master, round_key, authorisation=TWO_PEOPLE, now=CREATED)
    opened = round_key_open(master, round_key, authorisation=TWO_PEOPLE, now=DEADLINE)

    assert read(blob, envelope, opened) == TENDER
    assert (DEADLINE, ("officer-1", "officer-2")) == (opened.opened_at, opened.opened_by)


def test_annex_iv_f_data_accessible_only_to_authorised_persons(
    master: MasterKey, round_key: RoundKey
) -> None:
    blob, envelope = sealed_tender(master, round_key)
    other_round = round_key_create(
        master, round_id="round-2", deadline=DEADLINE, now=CREATED, set_by="officer-1"
    )
    opened_elsewhere = round_key_open(
        master,
        other_round,
        authorisation=OpeningAuthorisation("round-2", "officer-1", "officer-2"),
        now=DEADLINE,
    )

    with pytest.raises(TamperDetected):
        read(blob, envelope, opened_elsewhere)
    # The database and the blobs without the master key from the environment open nothing.
    with pytest.raises(KeyInvalid):
        round_key_open(
            master_key_load(master_key_generate()),
            round_key,
            authorisation=TWO_PEOPLE,
            now=DEADLINE,
        )


def test_annex_iv_g_infringements_detectable(
    master: MasterKey, round_key: RoundKey, signing_key: SigningKey
) -> None:
    blob, envelope = sealed_tender(master, round_key)
    opened = round_key_open(master, round_key, authorisation=TWO_PEOPLE, now=DEADLINE)
    altered = blob[:-1] + bytes([blob[-1] ^ 1])
    attempts: list[Callable[[], object]] = [
        lambda: round_key_open(master, round_key, authorisation=TWO_PEOPLE, now=CREATED),
        lambda: round_key_open(
            master,
            round_key,
            authorisation=OpeningAuthorisation(ROUND_ID, "officer-1", "officer-1"),
            now=DEADLINE,
        ),
        lambda: read(altered, envelope, opened),
        lambda: receipt_verify(b"{}", signing_key.public_pem),
    ]
    refusals = []
    for attempt in attempts:
        with pytest.raises(VaultError) as refusal:
            attempt()
        refusals.append(type(refusal.value))

    # Each attempt is refused with its own kind of error, for the portal's security log.
    assert [StillSealed, FourEyesRequired, TamperDetected, ReceiptInvalid] == refusals
