"""`sanely vault`: a supplier verifies a receipt offline; an operator makes a key."""

import hashlib
import stat
from pathlib import Path

import pytest

from sanely import cli as sanely_cli
from sanely.vault import ReceiptFile, master_key_load, receipt_verify, signing_key_load
from sanely.vault.cli import main

from .test_receipts import RECEIPT, SIGNING_KEY, issue


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    receipt = tmp_path / "receipt.json"
    receipt.write_text(RECEIPT, encoding="utf-8")
    key = tmp_path / "portal-receipts.pem"
    key.write_bytes(SIGNING_KEY.public_pem)
    return receipt, key


def test_a_valid_receipt_is_printed_and_declared_valid(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    receipt, key = files

    status = sanely_cli.main(["vault", "verify-receipt", str(receipt), "--public-key", str(key)])

    out = capsys.readouterr().out
    assert 0 == status
    assert out.endswith("\nvalid\n")
    assert "submission:   sub-1 (version 2)" in out
    assert "received at:  2026-11-25 11:59:59.123456 UTC (2026-11-25 11:59:59.123456 GMT" in out
    assert f"file:         plan.xlsx (9 bytes, SHA-256 {'b' * 64})" in out


def test_an_altered_receipt_is_refused_with_the_reason_on_stderr(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    receipt, key = files
    receipt.write_text(RECEIPT.replace("supplier-7", "supplier-8"), encoding="utf-8")

    status = main(["verify-receipt", str(receipt), "--public-key", str(key)])

    captured = capsys.readouterr()
    assert 1 == status
    assert "" == captured.out
    assert f"INVALID: {receipt}: the signature does not match" in captured.err


def test_an_unreadable_receipt_file_is_a_usage_error(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, key = files
    missing = tmp_path / "missing.json"

    status = main(["verify-receipt", str(missing), "--public-key", str(key)])

    assert 2 == status
    assert f"cannot read {missing}: No such file or directory" in capsys.readouterr().err


def test_a_public_key_file_that_is_not_a_key_is_a_usage_error(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    receipt, key = files
    key.write_text("not a key")

    status = main(["verify-receipt", str(receipt), "--public-key", str(key)])

    assert 2 == status
    assert f"{key}: not a PEM public key" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["verify-receipt", "r.json"], ["frobnicate"]])
def test_bad_arguments_exit_2_with_usage(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert 2 == main(argv)
    assert "usage: sanely vault" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert 0 == main(["--help"])
    assert "verify-receipt" in capsys.readouterr().out


def test_keygen_writes_a_private_key_only_its_owner_can_read_and_prints_the_public_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "signing.pem"

    status = main(["keygen", str(path)])

    key = signing_key_load(path.read_bytes())
    out = capsys.readouterr().out
    assert 0 == status
    assert 0o600 == stat.S_IMODE(path.stat().st_mode)
    assert f"# key id {key.key_id}; private key written to {path}\n" in out
    assert out.endswith(key.public_pem.decode())
    printed_public_key = out[out.index("-----BEGIN PUBLIC KEY-----") :].encode()
    assert key.key_id == receipt_verify(issue(key), printed_public_key).key_id


def test_keygen_never_overwrites_a_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "signing.pem"
    path.write_text("precious")

    status = main(["keygen", str(path)])

    assert 2 == status
    assert "precious" == path.read_text()
    assert f"cannot create {path}: File exists" in capsys.readouterr().err


def test_a_supplier_can_check_that_its_file_is_the_one_received(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tender = tmp_path / "my tender.pdf"
    tender.write_bytes(b"%PDF-1.7 our offer %%EOF")
    other = tmp_path / "draft.pdf"
    other.write_bytes(b"%PDF-1.7 an older draft %%EOF")
    receipt = tmp_path / "receipt.json"
    receipt.write_text(
        issue(
            files=(ReceiptFile("tender.pdf", 24, hashlib.sha256(tender.read_bytes()).hexdigest()),)
        )
    )
    key = tmp_path / "key.pem"
    key.write_bytes(SIGNING_KEY.public_pem)
    command = ["verify-receipt", str(receipt), "--public-key", str(key), "--file", str(tender)]

    assert 0 == main(command)
    assert f"matches:      {tender} is 'tender.pdf' as received\n" in capsys.readouterr().out
    assert 1 == main([*command, "--file", str(other)])
    assert f"DOES NOT MATCH: {other} is not any file on the receipt" in capsys.readouterr().err


def test_a_missing_file_to_check_is_a_usage_error(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    receipt, key = files
    command = ["verify-receipt", str(receipt), "--public-key", str(key)]

    assert 2 == main([*command, "--file", str(tmp_path / "gone.pdf")])
    assert "cannot read" in capsys.readouterr().err


def test_master_key_prints_a_new_key_for_the_environment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert 0 == main(["master-key"])
    first = capsys.readouterr().out
    main(["master-key"])

    assert first != capsys.readouterr().out
    assert 32 == len(master_key_load(first).secret)
