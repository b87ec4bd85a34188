"""Resumable uploads: chunks in any order, no overlap, and a clear list of what is missing."""

import hashlib
import io
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanely.vault import (
    DEFAULT_MAX_SIZE,
    FileRefused,
    Upload,
    UploadRefused,
    upload_chunk,
    upload_chunk_record,
    upload_finish,
    upload_start,
)

DATA = bytes(range(256)) * 40  # 10,240 bytes
SHA256 = hashlib.sha256(DATA).hexdigest()


def started(data: bytes = DATA) -> Upload:
    return upload_start(
        name="tender.pdf", total_size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


Pieces = dict[int, bytes]


def send(upload: Upload, pieces: Pieces, start: int, end: int, data: bytes = DATA) -> Upload:
    """Send one chunk, keeping what it wrote as the piece at its offset."""
    piece = io.BytesIO()
    upload = upload_chunk(
        upload, piece, offset=start, length=end - start, data=io.BytesIO(data[start:end])
    )
    pieces[start] = piece.getvalue()
    return upload


def assembled(pieces: Pieces) -> io.BytesIO:
    return io.BytesIO(b"".join(pieces[offset] for offset in sorted(pieces)))


@given(
    data=st.binary(min_size=1, max_size=5000),
    cuts=st.lists(st.integers(min_value=1, max_value=4999), max_size=8),
    order=st.randoms(use_true_random=False),
)
def test_chunks_sent_in_any_order_assemble_the_declared_file(
    data: bytes, cuts: list[int], order: object
) -> None:
    bounds = sorted({0, len(data), *(cut for cut in cuts if cut < len(data))})
    chunks = list(itertools.pairwise(bounds))
    order.shuffle(chunks)  # type: ignore[attr-defined]
    upload, pieces = started(data), {}

    for start, end in chunks:
        assert not upload.complete
        upload = send(upload, pieces, start, end, data)

    assert upload.complete
    assert ((0, len(data)),) == upload.received
    whole = assembled(pieces)
    upload_finish(upload, whole)
    assert data == whole.getvalue()


def test_what_is_missing_is_told_as_byte_ranges() -> None:
    upload, pieces = started(), {}

    upload = send(upload, pieces, 1000, 2000)
    upload = send(upload, pieces, 5000, 6000)

    assert ((0, 1000), (2000, 5000), (6000, 10240)) == upload.missing
    with pytest.raises(UploadRefused, match=r"incomplete; missing: bytes 0-999, bytes 2000-4999"):
        upload_finish(upload, assembled(pieces))


@pytest.mark.parametrize(
    ("offset", "length", "reason"),
    [
        (10_000, 241, "outside the declared 10240 bytes; missing: bytes 0-999, bytes 2000-10239"),
        (-1, 10, "outside"),
        (0, 0, "outside"),
        (1500, 100, "chunk bytes 1500-1599 overlaps what has arrived"),
        (500, 600, "overlaps"),
        (1999, 2, "overlaps"),
    ],
)
def test_a_chunk_out_of_range_or_overlapping_is_refused_saying_what_is_missing(
    offset: int, length: int, reason: str
) -> None:
    upload = send(started(), {}, 1000, 2000)

    with pytest.raises(UploadRefused, match=reason):
        upload_chunk(
            upload, io.BytesIO(), offset=offset, length=length, data=io.BytesIO(bytes(length))
        )


def test_a_chunk_shorter_than_declared_is_refused_and_not_recorded() -> None:
    upload = started()

    with pytest.raises(UploadRefused, match="ended 10 bytes short of 100"):
        upload_chunk(upload, io.BytesIO(), offset=0, length=100, data=io.BytesIO(bytes(90)))
    assert () == upload.received


def test_a_chunk_longer_than_declared_is_refused() -> None:
    with pytest.raises(UploadRefused, match="longer than 100 bytes"):
        upload_chunk(started(), io.BytesIO(), offset=0, length=100, data=io.BytesIO(bytes(101)))


def test_an_assembled_file_that_is_not_the_declared_one_is_refused() -> None:
    pieces: Pieces = {}
    upload = send(started(), pieces, 0, len(DATA))
    whole = assembled(pieces)
    whole.seek(5)
    whole.write(b"X")

    with pytest.raises(
        UploadRefused, match=f"is not the declared one \\(10240 bytes, SHA-256 {SHA256}"
    ):
        upload_finish(upload, whole)


def test_the_default_maximum_is_250_mb_and_larger_uploads_are_refused_up_front() -> None:
    assert 250_000_000 == DEFAULT_MAX_SIZE
    upload_start(name="big.pdf", total_size=DEFAULT_MAX_SIZE, sha256=SHA256)

    with pytest.raises(
        FileRefused, match=r"big.pdf is 250,000,001 bytes, more than the 250,000,000"
    ):
        upload_start(name="big.pdf", total_size=DEFAULT_MAX_SIZE + 1, sha256=SHA256)


def test_the_maximum_is_configurable() -> None:
    with pytest.raises(FileRefused, match="more than the 1,000 bytes allowed"):
        upload_start(name="a.pdf", total_size=1001, sha256=SHA256, max_size=1000)


def test_an_empty_upload_is_refused() -> None:
    with pytest.raises(FileRefused, match=r"^a.pdf is empty$"):
        upload_start(name="a.pdf", total_size=0, sha256=SHA256)


def test_a_declared_digest_must_be_a_sha256() -> None:
    with pytest.raises(UploadRefused, match="64 lower-case hex digits"):
        upload_start(name="a.pdf", total_size=1, sha256="abc")


def test_adjacent_chunks_merge_into_one_received_range() -> None:
    upload, pieces = started(), {}

    upload = send(upload, pieces, 2000, 3000)
    upload = send(upload, pieces, 0, 1000)
    upload = send(upload, pieces, 1000, 2000)

    assert ((0, 3000),) == upload.received
    assert ((3000, 10240),) == upload.missing


def test_a_chunk_copied_against_an_earlier_state_is_recorded_unless_another_overlaps_it() -> None:
    earlier = started()
    later = send(earlier, {}, 0, 1000)  # arrived while the other chunk was being copied

    assert ((0, 1000), (2000, 3000)) == upload_chunk_record(
        later, offset=2000, length=1000
    ).received
    with pytest.raises(UploadRefused, match="chunk bytes 500-1499 overlaps what has arrived"):
        upload_chunk_record(later, offset=500, length=1000)
