"""Sealing: streamed envelope encryption that any change to the stored bytes betrays."""

import dataclasses
import io
from typing import BinaryIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanely.vault import (
    Envelope,
    MasterKey,
    OpenedRound,
    OpeningAuthorisation,
    RoundKey,
    TamperDetected,
    round_key_create,
    round_key_open,
    seal,
    unseal,
)

from .support import CREATED, DEADLINE

CHUNK = 4096
STEP = CHUNK + 16
HEADER = 19
SECRET = b"OUR-PRICE-IS-ONE-MILLION-POUNDS " * 1000


def sealed(
    master: MasterKey, round_key: RoundKey, data: bytes, submission_id: str = "sub-1"
) -> tuple[bytes, Envelope]:
    sink = io.BytesIO()
    envelope = seal(
        io.BytesIO(data),
        sink,
        master=master,
        round_key=round_key,
        submission_id=submission_id,
        chunk_size=CHUNK,
    )
    return sink.getvalue(), envelope


def unsealed(blob: bytes, envelope: Envelope, opened: OpenedRound) -> bytes:
    sink = io.BytesIO()
    unseal(io.BytesIO(blob), sink, envelope=envelope, opened=opened)
    return sink.getvalue()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=3 * CHUNK + 5),
        st.sampled_from([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK]).map(bytes),
    )
)
def test_what_is_sealed_unseals_to_the_same_bytes_size_and_digest(
    master: MasterKey, round_key: RoundKey, opened: OpenedRound, data: bytes
) -> None:
    blob, envelope = sealed(master, round_key, data)

    assert data == unsealed(blob, envelope, opened)
    assert (len(data), len(blob)) == (envelope.plaintext_size, envelope.sealed_size)
    chunks = max(1, -(-len(data) // CHUNK))
    assert HEADER + len(data) + 16 * chunks == len(blob)


def test_the_envelope_names_the_submission_round_and_digest(
    master: MasterKey, round_key: RoundKey
) -> None:
    _, envelope = sealed(master, round_key, b"abc")

    assert ("sub-1", "round-1", round_key.key_id) == (
        envelope.submission_id,
        envelope.round_id,
        envelope.round_key_id,
    )
    assert (
        envelope.plaintext_sha256
    ) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_the_stored_bytes_contain_no_plaintext(master: MasterKey, round_key: RoundKey) -> None:
    blob, envelope = sealed(master, round_key, SECRET)

    assert b"MILLION" not in blob
    assert b"MILLION" not in envelope.wrapped_data_key


def test_the_same_content_sealed_twice_looks_different(
    master: MasterKey, round_key: RoundKey
) -> None:
    assert sealed(master, round_key, SECRET)[0] != sealed(master, round_key, SECRET)[0]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_any_changed_byte_of_a_sealed_blob_is_detected(
    master: MasterKey,
    round_key: RoundKey,
    opened: OpenedRound,
    position: int,
    flip: int,
) -> None:
    blob, envelope = sealed(master, round_key, SECRET[: 2 * CHUNK + 100])
    changed = bytearray(blob)
    changed[position % len(blob)] ^= flip

    with pytest.raises(TamperDetected):
        unsealed(bytes(changed), envelope, opened)


@pytest.mark.parametrize(
    ("cut", "reason"),
    [
        (lambda b: b[: HEADER + 2 * STEP], "truncated"),  # at a chunk boundary
        (lambda b: b[:-1], "truncated"),
        (lambda b: b + b[HEADER : HEADER + STEP], "extended"),
        (lambda b: b[:HEADER] + b[HEADER + STEP : HEADER + 2 * STEP] + b[HEADER:], "moved"),
        (lambda b: b[:HEADER] + b[HEADER + STEP :], "chunk 0"),  # a chunk dropped
        (lambda b: b[:HEADER], "chunk 0"),
        (lambda b: b[:10], "not a sealed blob"),
        (lambda b: b"NOTSEALD" + b[8:], "not a sealed blob"),
        (lambda b: b[:8] + (1).to_bytes(4, "big") + b[12:], "not a sealed blob"),
    ],
)
def test_truncated_reordered_or_foreign_blobs_are_detected(
    master: MasterKey,
    round_key: RoundKey,
    opened: OpenedRound,
    cut: object,
    reason: str,
) -> None:
    blob, envelope = sealed(master, round_key, SECRET[: 3 * CHUNK + 100])

    with pytest.raises(TamperDetected, match=reason):
        unsealed(cut(blob), envelope, opened)  # type: ignore[operator]


def test_a_blob_moved_to_another_submission_does_not_open(
    master: MasterKey, round_key: RoundKey, opened: OpenedRound
) -> None:
    blob, envelope = sealed(master, round_key, SECRET)
    moved = dataclasses.replace(envelope, submission_id="sub-2")

    with pytest.raises(TamperDetected, match="data key does not open"):
        unsealed(blob, moved, opened)


def test_the_data_key_of_one_version_does_not_open_another(
    master: MasterKey, round_key: RoundKey, opened: OpenedRound
) -> None:
    first_blob, _ = sealed(master, round_key, b"version 1")
    _, second = sealed(master, round_key, b"version 2")

    with pytest.raises(TamperDetected, match="data key does not open"):
        unsealed(first_blob, second, opened)


@pytest.mark.parametrize(
    "change", [{"plaintext_size": 3}, {"plaintext_sha256": "0" * 64}], ids=["size", "sha256"]
)
def test_an_envelope_whose_recorded_digest_was_edited_is_detected(
    master: MasterKey, round_key: RoundKey, opened: OpenedRound, change: dict[str, object]
) -> None:
    blob, envelope = sealed(master, round_key, b"abcd")
    edited = dataclasses.replace(envelope, **change)  # type: ignore[arg-type]

    with pytest.raises(TamperDetected, match="does not match the size and SHA-256"):
        unsealed(blob, edited, opened)


def test_a_submission_does_not_unseal_with_another_rounds_key(
    master: MasterKey, round_key: RoundKey
) -> None:
    blob, envelope = sealed(master, round_key, SECRET)
    other_key = round_key_create(
        master, round_id="round-2", deadline=DEADLINE, now=CREATED, set_by="officer-1"
    )
    other = round_key_open(
        master,
        other_key,
        authorisation=OpeningAuthorisation("round-2", "officer-1", "officer-2"),
        now=DEADLINE,
    )

    with pytest.raises(TamperDetected, match="not to the opened round round-2"):
        unsealed(blob, envelope, other)
    with pytest.raises(TamperDetected, match="not to the opened round round-2"):
        unsealed(blob, dataclasses.replace(envelope, round_id="round-2"), other)


def test_sealing_refuses_a_round_record_whose_public_key_was_swapped(
    master: MasterKey, round_key: RoundKey
) -> None:
    intruder = round_key_create(
        master, round_id="round-1", deadline=DEADLINE, now=CREATED, set_by="officer-1"
    )
    swapped = dataclasses.replace(round_key, public_key=intruder.public_key)

    with pytest.raises(TamperDetected, match="was altered"):
        sealed(master, swapped, SECRET)


@pytest.mark.parametrize("chunk_size", [4095, (1 << 24) + 1])
def test_a_chunk_size_out_of_bounds_is_refused(
    master: MasterKey, round_key: RoundKey, chunk_size: int
) -> None:
    with pytest.raises(ValueError, match="chunk_size must be"):
        seal(
            io.BytesIO(b"x"),
            io.BytesIO(),
            master=master,
            round_key=round_key,
            submission_id="s",
            chunk_size=chunk_size,
        )


class Trickle(io.RawIOBase):
    """A raw stream that hands out at most 1000 bytes per read, like a socket."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        part = self._data.read(min(len(buffer), 1000))
        buffer[: len(part)] = part
        return len(part)


def test_short_reads_from_a_raw_stream_are_gathered_into_whole_chunks(
    master: MasterKey, round_key: RoundKey, opened: OpenedRound
) -> None:
    data = SECRET[: 3 * CHUNK]
    sink = io.BytesIO()
    source: BinaryIO = Trickle(data)  # type: ignore[assignment]
    envelope = seal(
        source, sink, master=master, round_key=round_key, submission_id="sub-1", chunk_size=CHUNK
    )

    assert sealed(master, round_key, data)[1].sealed_size == envelope.sealed_size
    assert data == unsealed(sink.getvalue(), envelope, opened)
