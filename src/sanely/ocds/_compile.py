"""
`compile`: any OCDS release packages in, one compiled (or versioned) release per ocid out,
in ocid order, as `ocdskit compile` gives — with memory bounded whatever the input size.

Three passes over bytes on disk:
1. read each input as JSON Lines of packages or releases (one document per line, parsed with
   orjson) or, when a document spans lines, stream its `releases` with ijson; append each
   release to one of N bucket files chosen by a hash of its ocid, N sized so that a bucket
   fits the memory budget;
2. per bucket, group the releases by ocid, sort each group by date, merge, and write the
   results sorted by ocid;
3. merge the sorted bucket outputs into one stream (only when there is more than one).
Peak memory is about one bucket plus one ocid's releases.
"""

import heapq
import itertools
import math
import multiprocessing
import tempfile
import zlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import IO, Any

import ijson
import orjson

from sanely.ocds._errors import CompileRefused
from sanely.ocds._merge import Rules, compiled_release, versioned_release

Json = dict[str, Any]

DEFAULT_MAX_DOCUMENT = 256 * 1024 * 1024
DEFAULT_BUCKET_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How large one line-document may be, and how many bytes of releases one bucket holds."""

    max_document_bytes: int = DEFAULT_MAX_DOCUMENT
    bucket_bytes: int = DEFAULT_BUCKET_BYTES


def _named(where: str, index: int | None) -> str:
    """Where a release was found, in words: only for a refusal, since formatting it for every
    release cost a tenth of the first pass."""
    return where if index is None else f"{where}, releases[{index}]"


def _releases_of(document: object, where: str) -> Iterator[tuple[str, int | None, Json]]:
    """The releases in one parsed document: a release package or a single release."""
    if isinstance(document, dict) and isinstance(document.get("releases"), list):
        yield from zip(itertools.repeat(where), itertools.count(), document["releases"])
    elif isinstance(document, dict) and "records" in document:
        raise CompileRefused(f"{where}: a record package; compile takes release packages")
    elif isinstance(document, dict) and "ocid" in document:
        yield where, None, document
    else:
        raise CompileRefused(f"{where}: not OCDS: expected a release package or a release")


def read_releases(path: Path, limits: Limits) -> Iterator[tuple[str, int | None, Json]]:
    """Every release in one file, with where it was found: ('FILE line 3', 7), named by
    `_named` as 'FILE line 3, releases[7]'."""
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed below; generators cannot use `with` across the switch)
    except OSError as error:
        raise CompileRefused(f"{path}: cannot read: {error.strerror}") from None
    with stream:
        for number, line in enumerate(
            iter(lambda: stream.readline(limits.max_document_bytes + 1), b""), 1
        ):
            if not line.strip():
                continue
            where = f"{path} line {number}"
            if len(line) > limits.max_document_bytes and not line.endswith(b"\n"):
                if number == 1:
                    break  # one huge document: stream it below
                raise CompileRefused(
                    f"{where}: a document larger than {limits.max_document_bytes} bytes"
                )
            try:
                document = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                if number == 1:
                    break  # a document over several lines: stream it below
                raise CompileRefused(f"{where}: not JSON: {error}") from None
            yield from _releases_of(document, where)
        else:
            return
        stream.seek(0)
        yield from _stream_releases(path, stream)


def _stream_releases(path: Path, stream: IO[bytes]) -> Iterator[tuple[str, int | None, Json]]:
    """Releases of pretty-printed packages (or releases), one at a time, via ijson."""
    found = 0
    try:
        for found, release in enumerate(
            ijson.items(stream, "releases.item", multiple_values=True, use_float=True), 1
        ):
            yield str(path), found - 1, release
        if found:
            return
        stream.seek(0)
        for index, document in enumerate(
            ijson.items(stream, "", multiple_values=True, use_float=True)
        ):
            yield from _releases_of(document, f"{path} document {index + 1}")
    except ijson.JSONError as error:
        raise CompileRefused(f"{path}: not JSON (after {found} release(s)): {error}") from None


def _checked(where: str, index: int | None, release: object) -> tuple[str, str]:
    """The ocid and date of a release, or a clear refusal naming it."""
    if isinstance(release, dict):
        ocid, date = release.get("ocid"), release.get("date")
        if isinstance(ocid, str) and ocid and isinstance(date, str) and date:
            return ocid, date
    raise _refusal(_named(where, index), release)


def _refusal(where: str, release: object) -> CompileRefused:
    if not isinstance(release, dict):
        return CompileRefused(f"{where}: a release must be an object, not {type(release).__name__}")
    ocid = release.get("ocid")
    name = f"{where} (id {release.get('id')!r})"
    if not isinstance(ocid, str) or not ocid:
        return CompileRefused(f"{name}: not OCDS: the release has no 'ocid' text")
    return CompileRefused(f"{name}: not OCDS: the release has no 'date' text")


def _bucket_count(paths: Sequence[Path], limits: Limits) -> int:
    total = sum(path.stat().st_size for path in paths if path.is_file())
    return max(1, math.ceil(total / limits.bucket_bytes))


def _spill(paths: Sequence[Path], limits: Limits, folder: Path) -> list[Path]:
    """Pass 1: each release to the bucket of its ocid, as `ocid\\tdate\\tseq\\tjson` lines."""
    buckets = [folder / f"bucket-{n}" for n in range(_bucket_count(paths, limits))]
    files = [open(bucket, "wb") for bucket in buckets]  # noqa: SIM115 (closed in finally)
    try:
        sequence = 0
        for path in paths:
            for where, index, release in read_releases(path, limits):
                ocid, date = _checked(where, index, release)
                # JSON-quoted, so that a tab or newline in an ocid cannot break the framing.
                key, when = orjson.dumps(ocid), orjson.dumps(date)
                line = b"%s\t%s\t%d\t%s\n" % (key, when, sequence, orjson.dumps(release))
                files[zlib.crc32(key) % len(files)].write(line)
                sequence += 1
    finally:
        for file in files:
            file.close()
    return buckets


def _groups(bucket: Path) -> Iterator[tuple[bytes, list[Json]]]:
    """Pass 2 input: one bucket's releases grouped by ocid (in ocid order), sorted by date."""
    grouped: dict[bytes, list[tuple[bytes, int, bytes]]] = defaultdict(list)
    with open(bucket, "rb") as lines:
        for line in lines:
            key, date, sequence, raw = line.split(b"\t", 3)
            grouped[key].append((date, int(sequence), raw))
    bucket.unlink()
    for key in sorted(grouped):
        rows = sorted(grouped.pop(key))
        yield key, [orjson.loads(raw) for _, _, raw in rows]


@dataclass(frozen=True)
class Output:
    """What to write per ocid: compiled releases, versioned releases, or records."""

    versioned: bool = False
    records: bool = False

    def shape(self, ocid: str, releases: list[Json], rules: Rules) -> Json:
        if not self.records:
            merge = versioned_release if self.versioned else compiled_release
            return merge(ocid, releases, rules)
        record: Json = {
            "ocid": ocid,
            "releases": releases,
            "compiledRelease": compiled_release(ocid, releases, rules),
        }
        if self.versioned:
            record["versionedRelease"] = versioned_release(ocid, releases, rules)
        return record


def compile_releases(
    paths: Sequence[Path],
    rules: Rules,
    sink: IO[bytes],
    output: Output,
    limits: Limits,
    jobs: int = 1,
) -> int:
    """Write one merged release (or record) per ocid, a JSON document per line, in ocid order.

    With `jobs` above 1, buckets are merged by that many worker processes at once (each holds
    one bucket), then interleaved here as before.
    """
    with tempfile.TemporaryDirectory(prefix="sanely-ocds-") as work:
        buckets = _spill(paths, limits, Path(work))
        if jobs > 1 and len(buckets) > 1:
            context = multiprocessing.get_context("forkserver")
            with ProcessPoolExecutor(min(jobs, len(buckets)), mp_context=context) as pool:
                done = list(pool.map(_compile_bucket, buckets, repeat(rules), repeat(output)))
        else:
            done = [_compile_bucket(bucket, rules, output) for bucket in buckets]
        _merge_sorted([target for target, _ in done], sink)
    return sum(count for _, count in done)


def _compile_bucket(bucket: Path, rules: Rules, output: Output) -> tuple[Path, int]:
    """Pass 2 for one bucket: its merged releases, sorted by ocid, keyed for pass 3."""
    target = Path(f"{bucket}.out")
    count = 0
    with open(target, "wb") as sink:
        for key, releases in _groups(bucket):
            merged = output.shape(orjson.loads(key), releases, rules)
            sink.write(key + b"\t" + orjson.dumps(merged) + b"\n")
            count += 1
    return target, count


def _merge_sorted(files: Sequence[Path], sink: IO[bytes]) -> None:
    """Pass 3: interleave the per-bucket outputs by ocid, dropping the sort key."""
    handles = [open(file, "rb") for file in files]  # noqa: SIM115 (closed below)
    try:
        for line in heapq.merge(*handles, key=_key_of):
            sink.write(line.split(b"\t", 1)[1])
    finally:
        for handle in handles:
            handle.close()


def _key_of(line: bytes) -> bytes:
    return line.split(b"\t", 1)[0]
