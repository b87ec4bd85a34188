"""`sanely ocds`: compile any OCDS release packages into records; validate release packages.

Exit status: 0 done, 1 the input was refused (the message names the file, line and
release), 2 bad arguments.
"""

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import orjson

from sanely.ocds._compile import Limits, Output, compile_releases
from sanely.ocds._errors import OcdsError
from sanely.ocds._merge import rules_from_schema
from sanely.ocds._validate import validate_package


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sanely ocds",
        description="Open contracting data.",
        epilog="`sanely ocds export DIR` writes everything the portal has published (it reads"
        " the portal's database; see docs/publication.md).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    compile_ = commands.add_parser(
        "compile",
        help="merge release packages into compiled releases or records",
        description="Merge the releases in FILEs (release packages or releases, as JSON Lines "
        "or one JSON document each) into one compiled release per ocid, in ocid order, one "
        "per line; as ocdskit compile does, in bounded memory.",
    )
    compile_.add_argument("files", type=Path, nargs="+", metavar="FILE")
    compile_.add_argument(
        "--schema",
        type=Path,
        required=True,
        metavar="PATH",
        help="the (patched) release schema whose merge rules apply; never downloaded",
    )
    compile_.add_argument(
        "--versioned",
        action="store_true",
        help="versioned releases instead of compiled ones (with --package: as well as)",
    )
    compile_.add_argument(
        "--package",
        action="store_true",
        help="write one record package whose records hold the releases and compiledRelease",
    )
    compile_.add_argument("--uri", default="", help="the record package's uri (with --package)")
    compile_.add_argument("--publisher-name", default="", help="its publisher (with --package)")
    compile_.add_argument(
        "--published-date", default="", help="its publishedDate, e.g. 2026-12-05T00:00:00Z"
    )
    compile_.add_argument("--output", "-o", type=Path, help="write here instead of stdout")
    compile_.add_argument(
        "--max-document-bytes",
        type=int,
        default=Limits().max_document_bytes,
        help="the largest JSON document on one line (larger single documents are streamed)",
    )
    compile_.add_argument(
        "--bucket-bytes",
        type=int,
        default=Limits().bucket_bytes,
        help="bytes of releases grouped in memory at once (memory stays about this order)",
    )
    compile_.add_argument(
        "--jobs",
        type=int,
        default=len(os.sched_getaffinity(0)),
        metavar="N",
        help="read and merge with N processes at once, each holding one bucket in memory "
        "(default: one per processor this may use)",
    )
    validate = commands.add_parser(
        "validate",
        help="validate release packages against OCDS 1.1.5 and their declared extensions",
    )
    validate.add_argument("packages", type=Path, nargs="+", metavar="PACKAGE")
    validate.add_argument(
        "--schema-dir",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder with standard-1.1.5/ and extensions/ (the OCDS reference files)",
    )
    return parser


class _RecordPackage:
    """Wraps one-record-per-line output into a single record package document."""

    def __init__(self, sink: IO[bytes], header: dict[str, object]) -> None:
        self.sink = sink
        self.first = True
        opening = orjson.dumps({**header, "records": []})
        sink.write(opening[: -len(b"]}")])

    def write(self, line: bytes) -> None:
        self.sink.write(line.rstrip(b"\n") if self.first else b"," + line.rstrip(b"\n"))
        self.first = False

    def close(self) -> None:
        self.sink.write(b"]}\n")


def _compile(args: argparse.Namespace, sink: IO[bytes]) -> int:
    if args.package and not (args.uri and args.publisher_name and args.published_date):
        print(
            "sanely ocds compile: --package needs --uri, --publisher-name and --published-date",
            file=sys.stderr,
        )
        return 2
    rules = rules_from_schema(args.schema)
    limits = Limits(args.max_document_bytes, args.bucket_bytes)
    output = Output(versioned=args.versioned, records=args.package)
    if not args.package:
        count = compile_releases(args.files, rules, sink, output, limits, args.jobs)
    else:
        header = {
            "uri": args.uri,
            "version": "1.1",
            "publishedDate": args.published_date,
            "publisher": {"name": args.publisher_name},
        }
        package = _RecordPackage(sink, header)
        count = compile_releases(args.files, rules, package, output, limits, args.jobs)  # type: ignore[arg-type]
        package.close()
    print(f"{count} contracting process(es) compiled", file=sys.stderr)
    return 0


def _validate(args: argparse.Namespace) -> int:
    for path in args.packages:
        validate_package(orjson.loads(path.read_bytes()), args.schema_dir)
        print(f"{path}: valid")
    return 0


def main(argv: Sequence[str]) -> int:
    """Run `sanely ocds ...`."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
        if args.output is None:
            return _compile(args, sys.stdout.buffer)
        with open(args.output, "wb") as sink:
            return _compile(args, sink)
    except (OcdsError, orjson.JSONDecodeError, OSError) as error:
        print(f"sanely ocds {args.command}: {error}", file=sys.stderr)
        return 1
