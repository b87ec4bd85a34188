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

import contextlib
import gc
import heapq
import itertools
import math
import multiprocessing
import tempfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import IO, Any, cast

import ijson
import orjson
import simdjson

from sanely.ocds._errors import CompileRefused
from sanely.ocds._merge import Rules, compiled_release, versioned_release

Json = dict[str, Any]

DEFAULT_MAX_DOCUMENT = 256 * 1024 * 1024
DEFAULT_BUCKET_BYTES = 64 * 1024 * 1024
DEFAULT_PIECE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How large one line-document may be, how many bytes of releases one bucket holds, and
    the smallest piece of a JSON Lines file worth a process of its own."""

    max_document_bytes: int = DEFAULT_MAX_DOCUMENT
    bucket_bytes: int = DEFAULT_BUCKET_BYTES
    piece_bytes: int = DEFAULT_PIECE_BYTES


def _named(where: str, index: int | None) -> str:
    """Where a release was found, in words: only for a refusal, since formatting it for every
    release cost a tenth of the first pass."""
    return where if index is None else f"{where}, releases[{index}]"


# One release as pass 1 spills it: its ocid and date, JSON-quoted (so that a tab or newline in
# them cannot break the framing), and the release itself as JSON.
Entry = tuple[bytes, bytes, bytes]


@dataclass(frozen=True)
class Piece:
    """A part of one input file that one process reads in pass 1: whole, or (for JSON Lines
    cut for several processes) the lines from byte `start` up to byte `end`."""

    number: int
    path: Path
    start: int = 0
    end: int | None = None


def read_entries(piece: Piece, limits: Limits) -> Iterator[Entry]:
    """Every release in one piece of a file, refusing the first that is not OCDS by where it
    was found ('FILE line 3, releases[7]').

    A line is parsed by simdjson, which hands each release back as its minified JSON without
    building Python objects: half the cost of parsing with orjson and serialising again. What
    simdjson refuses (a number beyond 64 bits, or a line that is not JSON) goes to orjson,
    whose messages name the line and column.
    """
    path = piece.path
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed below; generators cannot use `with` across the switch)
    except OSError as error:
        raise CompileRefused(f"{path}: cannot read: {error.strerror}") from None
    parser = simdjson.Parser()
    with stream:
        lines = _lines(stream, piece, limits.max_document_bytes + 1)
        for number, line in enumerate(lines, _line_number(stream, piece.start)):
            if not line.strip():
                continue
            where = f"{path} line {number}"
            if len(line) > limits.max_document_bytes and not line.endswith(b"\n"):
                if number == 1:
                    break  # one huge document: stream it below
                raise CompileRefused(
                    f"{where}: a document larger than {limits.max_document_bytes} bytes"
                )
            entries = _parsed_by_simdjson(parser, line, where)
            if entries is None:
                try:
                    document = orjson.loads(line)
                except orjson.JSONDecodeError as error:
                    if number == 1:
                        break  # a document over several lines: stream it below
                    raise CompileRefused(f"{where}: not JSON: {error}") from None
                entries = [_entry(*found) for found in _releases_of(document, where)]
            yield from entries
        else:
            return
        stream.seek(0)
        yield from (_entry(*found) for found in _stream_releases(path, stream))


def _lines(stream: IO[bytes], piece: Piece, longest: int) -> Iterator[bytes]:
    """The lines of a piece, each cut at `longest` bytes."""
    stream.seek(piece.start)
    position = piece.start
    while piece.end is None or position < piece.end:
        line = stream.readline(longest)
        if not line:
            return
        position += len(line)
        yield line


def _line_number(stream: IO[bytes], offset: int) -> int:
    """The number of the line starting at `offset`, counted in blocks (refusals name lines)."""
    stream.seek(0)
    newlines = 0
    while offset > 0:
        block = stream.read(min(offset, 1 << 20))
        newlines += block.count(b"\n")
        offset -= len(block)
    return newlines + 1


def _parsed_by_simdjson(parser: simdjson.Parser, line: bytes, where: str) -> list[Entry] | None:
    """The entries of one line, or None when simdjson cannot parse it. No simdjson object
    outlives this call: the parser is reused for the next line only once they are gone."""
    try:
        document = parser.parse(line)
    except (ValueError, RuntimeError):
        return None
    if isinstance(document, simdjson.Object):
        releases = document.get("releases")
        if isinstance(releases, simdjson.Array):
            return [
                _simdjson_entry(where, index, release) for index, release in enumerate(releases)
            ]
        if "records" not in document and "ocid" in document:
            return [_simdjson_entry(where, None, document)]
    # Not a package nor a release: the refusal names what it is.
    return [_entry(*found) for found in _releases_of(_plain(document), where)]


def _simdjson_entry(where: str, index: int | None, release: object) -> Entry:
    if isinstance(release, simdjson.Object):
        ocid, date = release.get("ocid"), release.get("date")
        if isinstance(ocid, str) and ocid and isinstance(date, str) and date:
            # bytes, whatever pysimdjson's type hints say (str)
            return orjson.dumps(ocid), orjson.dumps(date), cast(bytes, release.mini)
    raise _refusal(_named(where, index), _plain(release))


def _plain(value: object) -> object:
    """A simdjson value as Python objects, for the checks and messages of a refusal."""
    if isinstance(value, simdjson.Object):
        return value.as_dict()
    if isinstance(value, simdjson.Array):
        return value.as_list()
    return value


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


def _entry(where: str, index: int | None, release: object) -> Entry:
    """A release already parsed into Python objects, checked and serialised for the spill."""
    if isinstance(release, dict):
        ocid, date = release.get("ocid"), release.get("date")
        if isinstance(ocid, str) and ocid and isinstance(date, str) and date:
            return orjson.dumps(ocid), orjson.dumps(date), orjson.dumps(release)
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


def pieces(paths: Sequence[Path], limits: Limits, jobs: int) -> list[Piece]:
    """The inputs cut for `jobs` processes: JSON Lines files at line ends, in about equal
    parts; anything else (one document over many lines, a file that cannot be read) whole."""
    found: list[Piece] = []
    for path in paths:
        for start, end in _cuts(path, limits, jobs):
            found.append(Piece(len(found), path, start, end))
    return found


def _cuts(path: Path, limits: Limits, jobs: int) -> list[tuple[int, int | None]]:
    try:
        size = path.stat().st_size
        parts = min(jobs, size // limits.piece_bytes)
        with open(path, "rb") as stream:
            if parts < 2 or not _whole_document(stream.readline(limits.max_document_bytes + 1)):
                return [(0, None)]
            starts = [0]
            for n in range(1, parts):
                # From the byte before the cut, so that a line starting there is kept whole.
                stream.seek(max(size * n // parts, starts[-1]) - 1)
                stream.readline()
                starts.append(stream.tell())
    except OSError:
        return [(0, None)]  # reading it refuses it, naming why
    ends: list[int | None] = [*starts[1:], None]
    return [(start, end) for start, end in zip(starts, ends, strict=True) if start != end]


def _whole_document(line: bytes) -> bool:
    """Whether a file's first line is a JSON document of its own: the file is JSON Lines."""
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def _bucket_file(folder: Path, bucket: int, piece: int) -> Path:
    return folder / f"bucket-{bucket}-{piece}"


def _spill(piece: Piece, limits: Limits, folder: Path, buckets: int) -> None:
    """Pass 1 for one piece: each release to the bucket of its ocid, as
    `ocid\\tdate\\tsequence\\tjson` lines. The sequence (piece, then line order), in fixed-width
    digits so that it sorts as bytes, keeps releases of the same date in input order."""
    files = [open(_bucket_file(folder, n, piece.number), "wb") for n in range(buckets)]  # noqa: SIM115 (closed in finally)
    try:
        for sequence, (key, when, raw) in enumerate(read_entries(piece, limits)):
            line = b"%s\t%s\t%06d%012d\t%s\n" % (key, when, piece.number, sequence, raw)
            files[zlib.crc32(key) % buckets].write(line)
    finally:
        for file in files:
            file.close()


def _groups(files: Sequence[Path]) -> Iterator[tuple[bytes, list[Json]]]:
    """Pass 2 input: one bucket's releases (from every piece) grouped by ocid, in ocid order,
    each group sorted by date."""
    grouped: dict[bytes, list[list[bytes]]] = defaultdict(list)
    for file in files:
        with open(file, "rb") as lines:
            for line in lines:
                key, *row = line.split(b"\t", 3)
                grouped[key].append(row)
        file.unlink()
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

    With `jobs` above 1, that many worker processes read the pieces of the input (pass 1) and
    merge the buckets (pass 2) at once, each holding one bucket; the outputs are interleaved
    here as before.
    """
    with _no_cycle_collection(), tempfile.TemporaryDirectory(prefix="sanely-ocds-") as work:
        folder, count = Path(work), _bucket_count(paths, limits)
        cut = pieces(paths, limits, jobs)
        with _mapper(min(jobs, max(len(cut), count))) as run:
            list(run(_spill, cut, repeat(limits), repeat(folder), repeat(count)))
            inputs = [
                [_bucket_file(folder, n, piece.number) for piece in cut] for n in range(count)
            ]
            targets = [folder / f"bucket-{n}.out" for n in range(count)]
            done = list(run(_compile_bucket, inputs, targets, repeat(rules), repeat(output)))
        _merge_sorted(targets, sink)
    return sum(done)


@contextlib.contextmanager
def _mapper(jobs: int) -> Iterator[Callable[..., Iterator[Any]]]:
    """`map` itself, or the map of a pool of `jobs` processes. Spawned, not forked: the
    caller may hold threads, and a spawned worker's use of memory and time is counted as a
    child's."""
    if jobs <= 1:
        yield map
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        yield pool.map


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: parsed JSON holds no reference cycles, so reference
    counting frees all of it, while the collector, woken by every few hundred new objects,
    would walk the whole bucket held in memory again and again (a tenth of the run's time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _compile_bucket(files: Sequence[Path], target: Path, rules: Rules, output: Output) -> int:
    """Pass 2 for one bucket: its merged releases, sorted by ocid, keyed for pass 3."""
    count = 0
    with _no_cycle_collection(), open(target, "wb") as sink:
        for key, releases in _groups(files):
            merged = output.shape(orjson.loads(key), releases, rules)
            sink.write(key + b"\t" + orjson.dumps(merged) + b"\n")
            count += 1
    return count


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
