"""The vault's keys: from the environment in production, made once under var/ in development."""

import subprocess
import sys

import pytest

from sanely import vault

pytestmark = pytest.mark.django_db


def settings_of(env, shown):
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='sanely.portal.config.settings';"
        f" import django; django.setup(); from django.conf import settings; {shown}"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and fixed code
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_the_vault_keys(tmp_path):
    env = {"SANELY_ENV": "production", "SANELY_SECRET_KEY": "x" * 50}
    for missing in ("SANELY_VAULT_MASTER_KEY", "SANELY_RECEIPT_SIGNING_KEY"):
        keys = {
            "SANELY_VAULT_MASTER_KEY": vault.master_key_generate(),
            "SANELY_RECEIPT_SIGNING_KEY": vault.signing_key_generate().private_pem.decode(),
        }
        del keys[missing]
        result = settings_of({**env, **keys, "SANELY_DATA_DIR": str(tmp_path)}, "print(1)")
        assert 0 != result.returncode
        assert "SANELY_VAULT_MASTER_KEY and SANELY_RECEIPT_SIGNING_KEY" in result.stderr
    assert [] == list(tmp_path.iterdir()), "production never makes keys of its own"


def test_development_makes_the_keys_once_and_keeps_them(tmp_path):
    shown = "print(settings.VAULT_MASTER_KEY.strip()); print(settings.RECEIPT_SIGNING_KEY)"
    first = settings_of({"SANELY_DATA_DIR": str(tmp_path)}, shown)
    second = settings_of({"SANELY_DATA_DIR": str(tmp_path)}, shown)
    assert (0, first.stdout) == (second.returncode, second.stdout), second.stderr
    master, pem = first.stdout.split("\n", 1)
    vault.master_key_load(master)
    vault.signing_key_load(pem.encode())
    assert {0o600} == {
        (tmp_path / n).stat().st_mode & 0o777
        for n in ("vault_master_key", "receipt_signing_key.pem")
    }


def test_keys_from_the_environment_are_used_as_given(tmp_path):
    master = vault.master_key_generate()
    result = settings_of(
        {"SANELY_DATA_DIR": str(tmp_path), "SANELY_VAULT_MASTER_KEY": master},
        "print(settings.VAULT_MASTER_KEY)",
    )
    assert master == result.stdout.strip()
    assert not (tmp_path / "vault_master_key").exists()


def test_an_unusable_key_stops_the_start(tmp_path):
    for name, value in (
        ("SANELY_VAULT_MASTER_KEY", "too-short"),
        ("SANELY_RECEIPT_SIGNING_KEY", "-----BEGIN PRIVATE KEY-----\nnonsense\n"),
    ):
        result = settings_of({"SANELY_DATA_DIR": str(tmp_path), name: value}, "print(1)")
        assert 0 != result.returncode
        assert "A vault key in the environment is unusable" in result.stderr, name
