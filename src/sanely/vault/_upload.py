"""Resumable uploads in chunks: which byte ranges arrived, and what is still missing.

The caller owns the storage: it passes the sink each chunk is written into (a `piece_sealer`,
so nothing waits in plaintext), keeps it as the piece at the chunk's offset, and stores the
returned `Upload` between requests. Chunks may arrive in any order, but never overlap, never
fall outside the declared size, and are copied without being held whole in memory.
"""

import hashlib
import re
from dataclasses import dataclass, replace

from sanely.vault._errors import FileRefused, UploadRefused
from sanely.vault._streams import ByteSink, ByteSource, SeekableByteSource

DEFAULT_MAX_SIZE = 250 * 1000 * 1000
_COPY_BYTES = 1 << 20
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")

Range = tuple[int, int]


def _ranges(ranges: tuple[Range, ...]) -> str:
    return ", ".join(f"bytes {start}-{end - 1}" for start, end in ranges)


@dataclass(frozen=True)
class Upload:
    """A resumable upload: its declared name, size and SHA-256, and the ranges received.

    `received` holds sorted, merged, half-open byte ranges `(start, end)`.
    """

    name: str
    total_size: int
    sha256: str
    received: tuple[Range, ...] = ()

    @property
    def missing(self) -> tuple[Range, ...]:
        """The half-open byte ranges not yet received, in order."""
        gaps, position = [], 0
        for start, end in self.received:
            if start > position:
                gaps.append((position, start))
            position = end
        if position < self.total_size:
            gaps.append((position, self.total_size))
        return tuple(gaps)

    @property
    def complete(self) -> bool:
        """Whether every byte has arrived."""
        return not self.missing


def upload_start(
    *, name: str, total_size: int, sha256: str, max_size: int = DEFAULT_MAX_SIZE
) -> Upload:
    """Declare an upload; `FileRefused` if it is empty or larger than `max_size` bytes."""
    if total_size <= 0:
        raise FileRefused(f"{name} is empty")
    if total_size > max_size:
        raise FileRefused(
            f"{name} is {total_size:,} bytes, more than the {max_size:,} bytes allowed"
        )
    if not _SHA256_HEX.fullmatch(sha256):
        raise UploadRefused(f"{name}: the declared SHA-256 must be 64 lower-case hex digits")
    return Upload(name, total_size, sha256)


def _check_chunk(upload: Upload, offset: int, length: int) -> None:
    end = offset + length
    if length <= 0 or offset < 0 or end > upload.total_size:
        raise UploadRefused(
            f"{upload.name}: chunk of {length} bytes at {offset} is outside the declared "
            f"{upload.total_size} bytes; missing: {_ranges(upload.missing)}"
        )
    if any(start < end and offset < stop for start, stop in upload.received):
        raise UploadRefused(
            f"{upload.name}: chunk {_ranges(((offset, end),))} overlaps what has arrived; "
            f"missing: {_ranges(upload.missing)}"
        )


def upload_chunk(
    upload: Upload, sink: ByteSink, *, offset: int, length: int, data: ByteSource
) -> Upload:
    """Copy one chunk of `length` bytes from `data` into `sink`, the piece that starts at
    `offset`; the new state.

    Raises `UploadRefused`, saying what is missing, for a chunk that is empty, outside the
    declared size, overlaps what arrived, or whose data is shorter or longer than declared.
    A refused chunk may have written bytes into `sink`: discard that piece.
    """
    _check_chunk(upload, offset, length)
    remaining = length
    while remaining:
        piece = data.read(min(remaining, _COPY_BYTES))
        if not piece:
            raise UploadRefused(
                f"{upload.name}: chunk at {offset} ended {remaining} bytes short of {length}"
            )
        sink.write(piece)
        remaining -= len(piece)
    if data.read(1):
        raise UploadRefused(f"{upload.name}: chunk at {offset} is longer than {length} bytes")
    return upload_chunk_record(upload, offset=offset, length=length)


def upload_chunk_record(upload: Upload, *, offset: int, length: int) -> Upload:
    """The state with a chunk that was copied against an earlier state recorded.

    A caller that copies chunks without holding a lock records each against the state it
    reads afterwards: `UploadRefused` when a chunk that arrived meanwhile overlaps it.
    """
    _check_chunk(upload, offset, length)
    return replace(upload, received=_merged((*upload.received, (offset, offset + length))))


def _merged(ranges: tuple[Range, ...]) -> tuple[Range, ...]:
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def upload_finish(upload: Upload, assembled: SeekableByteSource) -> None:
    """Check a complete upload against its declared size and SHA-256, reading it once.

    Raises `UploadRefused` if bytes are missing or the content is not what was declared.
    """
    if not upload.complete:
        raise UploadRefused(f"{upload.name}: incomplete; missing: {_ranges(upload.missing)}")
    assembled.seek(0)
    digest, size = hashlib.sha256(), 0
    while piece := assembled.read(_COPY_BYTES):
        digest.update(piece)
        size += len(piece)
    assembled.seek(0)
    if size != upload.total_size or digest.hexdigest() != upload.sha256:
        raise UploadRefused(
            f"{upload.name}: the assembled file ({size} bytes, SHA-256 {digest.hexdigest()}) "
            f"is not the declared one ({upload.total_size} bytes, SHA-256 {upload.sha256})"
        )
