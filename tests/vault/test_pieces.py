"""Sealed pieces: a resumable upload's chunks never rest in plaintext, and cannot be moved."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanely.vault import (
    MasterKey,
    TamperDetected,
    master_key_generate,
    master_key_load,
    piece_sealer,
    piece_unseal,
)

CHUNK = 4096
SECRET = b"OUR-PRICE-IS-ONE-MILLION-POUNDS " * 500  # 16,000 bytes: four chunks


def sealed_piece(
    master: MasterKey, data: bytes, *, writes: list[int] | None = None, offset: int = 0
) -> bytes:
    """`data` sealed as the piece at `offset` of upload-1, written in pieces of `writes` bytes."""
    sink = io.BytesIO()
    sealer = piece_sealer(
        sink, master=master, upload_id="upload-1", offset=offset, chunk_size=CHUNK
    )
    position = 0
    for size in writes or [len(data)]:
        sealer.write(data[position : position + size])
        position += size
    sealer.write(data[position:])
    digest = sealer.close()
    assert len(sink.getvalue()) == sealer.sealed_size
    assert len(data) == sealer.size
    assert 64 == len(digest)
    return sink.getvalue()


def unsealed(master: MasterKey, blob: bytes, *, upload_id: str = "upload-1", offset: int = 0):
    sink = io.BytesIO()
    size = piece_unseal(io.BytesIO(blob), sink, master=master, upload_id=upload_id, offset=offset)
    assert size == len(sink.getvalue())
    return sink.getvalue()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=3 * CHUNK + 5),
        st.sampled_from([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK]).map(bytes),
    ),
    writes=st.lists(st.integers(min_value=0, max_value=2 * CHUNK), max_size=6),
)
def test_a_piece_unseals_to_what_was_written_however_the_writes_were_cut(
    master: MasterKey, data: bytes, writes: list[int]
) -> None:
    assert data == unsealed(master, sealed_piece(master, data, writes=writes))


def test_no_plaintext_rests_in_a_sealed_piece(master: MasterKey) -> None:
    blob = sealed_piece(master, SECRET)
    assert b"MILLION" not in blob
    assert blob.startswith(b"SANELYU1")


def test_each_piece_has_its_own_key_so_the_same_bytes_seal_differently(master: MasterKey) -> None:
    assert sealed_piece(master, SECRET) != sealed_piece(master, SECRET)


@pytest.mark.parametrize(
    ("upload_id", "offset"), [("upload-2", 0), ("upload-1", 4096)], ids=["upload", "offset"]
)
def test_a_piece_moved_to_another_upload_or_offset_does_not_open(
    master: MasterKey, upload_id: str, offset: int
) -> None:
    blob = sealed_piece(master, SECRET)
    with pytest.raises(TamperDetected, match="chunk 0 was altered, moved"):
        unsealed(master, blob, upload_id=upload_id, offset=offset)


def test_a_piece_does_not_open_under_another_master_key(master: MasterKey) -> None:
    other = master_key_load(master_key_generate())
    with pytest.raises(TamperDetected, match="upload upload-1: the piece at byte 0: chunk 0"):
        unsealed(other, sealed_piece(master, SECRET))


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[:-1],  # cut off
        lambda blob: blob[: 35 + CHUNK + 16],  # cut at a chunk boundary
        lambda blob: blob + blob[35:100],  # extended
        lambda blob: blob[:40] + bytes([blob[40] ^ 1]) + blob[41:],  # a bit flipped
    ],
    ids=["cut", "cut-at-boundary", "extended", "flipped"],
)
def test_a_damaged_piece_is_refused(master: MasterKey, damage) -> None:
    with pytest.raises(TamperDetected, match="altered, moved, or the blob was truncated"):
        unsealed(master, damage(sealed_piece(master, SECRET)))


@pytest.mark.parametrize(
    "blob",
    [b"", b"SANELYU1", b"SANELYV1" + bytes(40), b"SANELYU1" + bytes(27)],
    ids=["empty", "short", "submission-magic", "chunk-size-zero"],
)
def test_what_is_not_a_sealed_piece_is_refused(master: MasterKey, blob: bytes) -> None:
    with pytest.raises(TamperDetected, match="the piece at byte 0: not a sealed blob"):
        unsealed(master, blob)


def test_a_piece_never_closed_does_not_open(master: MasterKey) -> None:
    sink = io.BytesIO()
    sealer = piece_sealer(sink, master=master, upload_id="upload-1", offset=0, chunk_size=CHUNK)
    sealer.write(SECRET)  # a crash before close(): the last chunks were never sealed as last
    with pytest.raises(TamperDetected):
        unsealed(master, sink.getvalue())
