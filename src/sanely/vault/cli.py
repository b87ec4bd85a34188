"""`sanely vault`: verify a receipt offline; make the keys a portal needs.

Exit status: 0 valid (or done), 1 the receipt is invalid or a file does not match it,
2 bad arguments or unreadable files.
"""

import argparse
import hashlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sanely.vault._errors import KeyInvalid, ReceiptInvalid
from sanely.vault._receipts import Receipt, receipt_verify, signing_key_generate
from sanely.vault._rounds import master_key_generate
from sanely.vault._time import describe


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sanely vault", description="Sealed submissions: receipts and keys."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser(
        "verify-receipt",
        help="check a receipt's signature offline and print what it says",
        description="Check a submission receipt against the portal's published public key.",
    )
    verify.add_argument("receipt", type=Path, metavar="RECEIPT", help="the receipt file (JSON)")
    verify.add_argument(
        "--public-key",
        type=Path,
        required=True,
        metavar="KEY.pem",
        help="the portal's published receipt-signing public key (PEM)",
    )
    verify.add_argument(
        "--file",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="also check that FILE is one the receipt names, by its SHA-256 (repeatable)",
    )
    keygen = commands.add_parser(
        "keygen",
        help="make a receipt-signing key",
        description="Write a new Ed25519 receipt-signing private key (mode 600) and print "
        "its public key, which the portal publishes.",
    )
    keygen.add_argument("private_key", type=Path, metavar="PRIVATE.pem", help="where to write it")
    commands.add_parser(
        "master-key",
        help="print a new master key for the portal's environment",
        description="Print a new random master key-encryption key. Keep it out of the "
        "database and its backups: whoever holds it and the database can open rounds.",
    )
    return parser


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _check_files(receipt: Receipt, digests: dict[Path, str]) -> int:
    on_receipt = {file.sha256: file.name for file in receipt.files}
    status = 0
    for path, digest in digests.items():
        name = on_receipt.get(digest)
        if name is None:
            print(f"DOES NOT MATCH: {path} is not any file on the receipt", file=sys.stderr)
            status = 1
        else:
            print(f"matches:      {path} is {name!r} as received")
    return status


def _verify(receipt_path: Path, key_path: Path, files: list[Path]) -> int:
    try:
        receipt_bytes = receipt_path.read_bytes()
        key_pem = key_path.read_bytes()
        digests = {path: _sha256(path) for path in files}
    except OSError as error:
        print(f"sanely vault: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        receipt = receipt_verify(receipt_bytes, key_pem)
    except KeyInvalid as error:
        print(f"sanely vault: {key_path}: {error}", file=sys.stderr)
        return 2
    except ReceiptInvalid as error:
        print(f"INVALID: {receipt_path}: {error}", file=sys.stderr)
        return 1
    print(f"submission:   {receipt.submission_id} (version {receipt.version})")
    print(f"procurement:  {receipt.procurement_ref}")
    print(f"round:        {receipt.round_ref}")
    print(f"supplier:     {receipt.supplier_ref}")
    print(f"received at:  {describe(receipt.received_at)}")
    for file in receipt.files:
        print(f"file:         {file.name} ({file.size} bytes, SHA-256 {file.sha256})")
    print(f"signed by:    {receipt.key_id}")
    print("valid")
    return _check_files(receipt, digests)


def _keygen(path: Path) -> int:
    key = signing_key_generate()
    try:
        # O_EXCL: never overwrite a key; 0o600: it is a secret.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        print(f"sanely vault: cannot create {path}: {error.strerror}", file=sys.stderr)
        return 2
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.private_pem)
    print(f"# key id {key.key_id}; private key written to {path}")
    print(key.public_pem.decode(), end="")
    return 0


def main(argv: Sequence[str]) -> int:
    """Run `sanely vault` with `argv` (without the program name); the exit status."""
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exit_:
        # argparse exits 2 on bad arguments and 0 after --help.
        return int(exit_.code or 0)
    if args.command == "verify-receipt":
        return _verify(args.receipt, args.public_key, args.file)
    if args.command == "keygen":
        return _keygen(args.private_key)
    print(master_key_generate())
    return 0
