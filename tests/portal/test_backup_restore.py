"""
`sanely backup` and `sanely restore`, end to end, as an operator runs them: each instance is a
fresh interpreter with its own data folder and database (`instances.py`). A procurement with a
sealed request to participate is backed up, restored into a fresh instance, and there the audit
chain verifies and the round opens with four eyes and decrypts. The SQLite run of the suite
restores SQLite into SQLite; the PostgreSQL run restores PostgreSQL into PostgreSQL, SQLite into
PostgreSQL and PostgreSQL into SQLite.
"""

import json
import shutil
from pathlib import Path

import pytest
from portal.instances import POSTGRES_RUN, Databases, Instance
from portal.tenders.sealed_files import SECRET

from sanely import vault

SOURCES = ["sqlite", "postgresql"] if POSTGRES_RUN else ["sqlite"]
PATHS = (
    [("postgresql", "postgresql"), ("sqlite", "postgresql"), ("postgresql", "sqlite")]
    if POSTGRES_RUN
    else [("sqlite", "sqlite")]
)


@pytest.fixture(scope="module")
def keys():
    """The vault's keys, given to every instance of the module through the environment."""
    return {
        "SANELY_VAULT_MASTER_KEY": vault.master_key_generate(),
        "SANELY_RECEIPT_SIGNING_KEY": vault.signing_key_generate().private_pem.decode(),
    }


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    made = Databases(tmp_path_factory.mktemp("databases"))
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def backups(databases, keys, tmp_path_factory):
    """Per kind of source database: the seeded world and its backup's folder, made once."""
    made = {}
    for kind in SOURCES:
        folder = tmp_path_factory.mktemp(f"source-{kind}")
        source = Instance(folder, databases.fresh(kind, folder), keys)
        seeded = source.world("seed")
        backed_up = source.sanely("backup", str(folder / "backup"))
        assert 0 == backed_up.returncode, backed_up.stderr
        assert "Backup written to" in backed_up.stdout
        made[kind] = seeded, folder / "backup"
    return made


@pytest.fixture
def fresh(databases, keys, tmp_path):
    """A fresh instance (new migrated database, empty file store) of a kind the test names."""

    def make(kind: str, **environment: str) -> Instance:
        return Instance(tmp_path, databases.fresh(kind, tmp_path), keys, environment)

    return make


@pytest.mark.parametrize(("source", "target"), PATHS)
def test_a_restored_backup_verifies_its_audit_chain_and_its_sealed_round_opens_with_four_eyes(
    backups, fresh, source, target
):
    seeded, backup = backups[source]
    instance = fresh(target)

    restored = instance.sanely("restore", str(backup))

    assert 0 == restored.returncode, restored.stderr
    assert "The audit trail verified" in restored.stdout
    verified = instance.sanely("audit", "verify")
    assert 0 == verified.returncode, verified.stderr
    opened = instance.world("open", str(seeded["round"]), str(seeded["version"]))
    assert opened == {"one_person_refused": True, "sha256": seeded["sha256"], "secret_read": True}
    again = instance.sanely("restore", str(backup))  # a restored instance is no longer fresh
    assert 1 == again.returncode
    assert "This instance already holds data" in again.stderr


@pytest.mark.parametrize("source", SOURCES)
def test_a_backup_holds_sealed_files_as_ciphertext_and_no_key(backups, keys, source):
    _, backup = backups[source]
    manifest = json.loads((backup / "manifest.json").read_text())
    assert [f["name"].startswith("sealed/") for f in manifest["files"]] == [True]
    everything = [p.read_bytes() for p in backup.rglob("*") if p.is_file()]
    for secret in (SECRET, *(key.encode() for key in keys.values())):
        assert not any(secret in content for content in everything)
    master = vault.master_key_load(keys["SANELY_VAULT_MASTER_KEY"])
    assert master.key_id == manifest["keys"]["vault_master_key"]
    assert [master.key_id] == manifest["keys"]["rounds_sealed_under"]


def _alter(path: Path) -> None:
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 1
    path.write_bytes(bytes(content))


@pytest.mark.parametrize("altered", ["a sealed file", "the database"])
def test_a_tampered_backup_is_refused_naming_the_altered_file(
    backups, fresh, tmp_path, altered
):
    _, original = backups[SOURCES[0]]
    backup = tmp_path / "backup"
    shutil.copytree(original, backup)
    manifest = json.loads((backup / "manifest.json").read_text())
    name = (
        f"files/{manifest['files'][0]['name']}" if altered == "a sealed file" else "database.sqlite3"
    )
    _alter(backup / name)
    instance = fresh(SOURCES[0])

    refused = instance.sanely("restore", str(backup))

    assert 1 == refused.returncode
    assert f"{name} does not have the SHA-256 the manifest gives" in refused.stderr
    assert not (tmp_path / "media").exists()  # nothing written to the file store
    assert "intact: 0 events verified" in instance.sanely("audit", "verify").stdout


def test_restoring_with_another_master_key_is_refused_naming_the_variable(backups, fresh):
    _, backup = backups[SOURCES[0]]
    instance = fresh(SOURCES[0], SANELY_VAULT_MASTER_KEY=vault.master_key_generate())

    refused = instance.sanely("restore", str(backup))

    assert 1 == refused.returncode
    assert "Set SANELY_VAULT_MASTER_KEY to the key the backup was made with" in refused.stderr
