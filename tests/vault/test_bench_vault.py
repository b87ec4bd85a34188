"""Benchmark: sealing 200 MB streamed, against one-shot AES-GCM on the whole buffer.

Run with `make bench` (or `pytest -m bench -s tests/vault`). It prints throughput and
peak traced memory of both in the same run, and asserts only limits and ratios.
"""

import hashlib
import io
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sanely.vault import (
    OpeningAuthorisation,
    master_key_generate,
    master_key_load,
    round_key_create,
    round_key_open,
    seal,
    unseal,
)

MB = 1_000_000
BLOCK = bytes(range(256)) * 4096  # 1 MiB pattern


class Generated(io.RawIOBase):
    """`size` bytes made on the fly, so the input never sits whole in memory."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), len(BLOCK), self.left)
        buffer[:count] = BLOCK[:count]
        self.left -= count
        return count


class Discard(io.RawIOBase):
    """A sink that only counts, so the figures are the vault's and not the disk's."""

    written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.written += len(data)
        return len(data)


def generated(size: int) -> io.BufferedReader:
    return io.BufferedReader(Generated(size), buffer_size=len(BLOCK))


def measured(action: Callable[[], object]) -> tuple[float, int]:
    """Seconds for one run, and the peak traced memory of another run."""
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return seconds, peak


@pytest.mark.bench
def test_sealing_streams_in_bounded_memory_at_a_throughput_near_one_shot_aes_gcm(
    tmp_path: Path,
) -> None:
    deadline = datetime(2030, 1, 1, tzinfo=UTC)
    master = master_key_load(master_key_generate())
    round_key = round_key_create(
        master, round_id="r", deadline=deadline, now=deadline - timedelta(days=1), set_by="p"
    )
    opened = round_key_open(
        master, round_key, authorisation=OpeningAuthorisation("r", "a", "b"), now=deadline
    )
    results = {}
    for size in (20 * MB, 200 * MB):
        results[size] = measured(
            lambda size=size: seal(  # type: ignore[misc]
                generated(size), Discard(), master=master, round_key=round_key, submission_id="s"
            )
        )
    size = 200 * MB
    blob_path = tmp_path / "sealed.bin"
    with blob_path.open("wb") as blob:
        envelope = seal(
            generated(size), blob, master=master, round_key=round_key, submission_id="s"
        )

    def unseal_from_disk() -> None:
        with blob_path.open("rb") as blob:
            unseal(blob, Discard(), envelope=envelope, opened=opened)

    unseal_seconds, unseal_peak = measured(unseal_from_disk)
    whole = (BLOCK * (size // len(BLOCK) + 1))[:size]
    key, nonce = AESGCM.generate_key(bit_length=256), bytes(12)
    peer_seconds, peer_peak = measured(
        lambda: (AESGCM(key).encrypt(nonce, whole, None), hashlib.sha256(whole).hexdigest())
    )

    seal_seconds, seal_peak = results[size]
    report = [
        ("vault seal, streamed", 20 * MB, *results[20 * MB]),
        ("vault seal, streamed", size, seal_seconds, seal_peak),
        ("vault unseal, streamed", size, unseal_seconds, unseal_peak),
        ("peer: AESGCM + SHA-256, whole buffer", size, peer_seconds, peer_peak),
    ]
    print()  # noqa: T201 - a benchmark exists to print its figures
    for name, bytes_, seconds, peak in report:
        print(  # noqa: T201
            f"{name:<38} {bytes_ / MB:5.0f} MB {bytes_ / MB / seconds:7.0f} MB/s "
            f"peak {peak / MB:7.1f} MB"
        )

    # Memory is bounded by the chunk size, not the file size; the peer holds it all.
    assert seal_peak < 16 * MB
    assert unseal_peak < 16 * MB
    assert results[20 * MB][1] * 2 > seal_peak
    assert peer_peak > size
    # Streaming in 1 MiB chunks costs at most a few times one-shot encryption.
    assert seal_seconds < 4 * peer_seconds
