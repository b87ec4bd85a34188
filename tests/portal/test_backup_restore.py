"""
`sanely backup` and `sanely restore`, end to end, as an operator runs them: each instance is a
fresh interpreter with its own data folder and database (`instances.py`). A procurement with a
sealed request to participate is backed up, restored into a fresh instance, and there the audit
chain verifies and the round opens with four eyes and decrypts. The SQLite run of the suite
restores SQLite into SQLite; the PostgreSQL run restores PostgreSQL into PostgreSQL, SQLite into
PostgreSQL and PostgreSQL into SQLite.
"""

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from portal.instances import (
    POSTGRES_RUN,
    S3_ACCESS,
    S3_REGION,
    Databases,
    Instance,
    new_bucket,
    s3_client,
)
from portal.tenders.sealed_files import SECRET

from sanely import vault
from sanely.portal.core.clock import now
from sanely.portal.operations.backup import BackupRefused, backup_restore

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
        folder = tmp_path / f"instance-{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        return Instance(folder, databases.fresh(kind, folder), keys, environment)

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
    opened = instance.world("open", str(seeded["round"]), str(seeded["version"]))
    assert {
        "chain_intact": True,
        "one_person_refused": True,
        "sha256": seeded["sha256"],
        "secret_read": True,
    } == opened


def test_a_backup_of_an_instance_on_object_storage_restores_into_another_bucket(s3_server, fresh):
    def on_s3() -> dict[str, str]:
        return {
            "SANELY_S3_BUCKET": new_bucket(s3_client(s3_server)),
            "SANELY_S3_ENDPOINT_URL": s3_server,
            "SANELY_S3_REGION": S3_REGION,
            **S3_ACCESS,
        }

    source = fresh(SOURCES[-1], **on_s3())
    seeded = source.world("seed")
    backup = source.folder / "backup"
    assert 0 == source.sanely("backup", str(backup)).returncode
    target = fresh(SOURCES[-1], **on_s3())

    restored = target.sanely("restore", str(backup))

    assert 0 == restored.returncode, restored.stderr
    assert "and 1 files" in restored.stdout
    opened = target.world("open", str(seeded["round"]), str(seeded["version"]))
    assert (True, seeded["sha256"]) == (opened["chain_intact"], opened["sha256"])
    assert [] == list(source.folder.glob("media")) + list(target.folder.glob("media"))


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


# The refusals below come before anything is written, so they run in-process against the
# suite's test database, with the backup's keys unless the test says otherwise.


@pytest.fixture
def same_keys(settings, keys):
    settings.VAULT_MASTER_KEY = keys["SANELY_VAULT_MASTER_KEY"]
    settings.RECEIPT_SIGNING_KEY = keys["SANELY_RECEIPT_SIGNING_KEY"]


def _alter(path: Path) -> None:
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 1
    path.write_bytes(bytes(content))


@pytest.mark.django_db
@pytest.mark.parametrize("altered", ["a sealed file", "the database"])
def test_a_tampered_backup_is_refused_naming_the_altered_file(
    backups, same_keys, settings, tmp_path, altered
):
    backup = tmp_path / "backup"
    shutil.copytree(backups[SOURCES[0]][1], backup)
    manifest = json.loads((backup / "manifest.json").read_text())
    name = (
        f"files/{manifest['files'][0]['name']}"
        if altered == "a sealed file"
        else "database.sqlite3"
    )
    _alter(backup / name)

    with pytest.raises(
        BackupRefused, match=f"^{re.escape(name)} does not have the SHA-256 the manifest"
    ):
        backup_restore(backup, now=now())
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing written to the file store


@pytest.mark.django_db
@pytest.mark.parametrize("signature", ["kept", "removed"])
def test_a_manifest_rewritten_to_match_altered_files_is_refused(
    backups, same_keys, settings, tmp_path, signature
):
    backup = tmp_path / "backup"
    shutil.copytree(backups[SOURCES[0]][1], backup)
    _alter(backup / "database.sqlite3")
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["database"]["sha256"] = hashlib.sha256(
        (backup / "database.sqlite3").read_bytes()
    ).hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    if signature == "removed":
        (backup / "manifest.sig").unlink()

    with pytest.raises(BackupRefused, match=r"^manifest\.json does not carry a valid signature"):
        backup_restore(backup, now=now())
    assert not Path(settings.MEDIA_ROOT).exists()


@pytest.mark.django_db
def test_a_file_added_to_a_backup_is_refused_naming_it(backups, same_keys, tmp_path):
    backup = tmp_path / "backup"
    shutil.copytree(backups[SOURCES[0]][1], backup)
    (backup / "files" / "sealed" / "extra.sealed").write_bytes(b"planted")

    with pytest.raises(BackupRefused, match=r"files/sealed/extra\.sealed, which its manifest does"):
        backup_restore(backup, now=now())


@pytest.mark.django_db
def test_restoring_with_another_master_key_is_refused_naming_the_variable(
    backups, same_keys, settings
):
    settings.VAULT_MASTER_KEY = vault.master_key_generate()

    with pytest.raises(BackupRefused, match="Set SANELY_VAULT_MASTER_KEY to the key the backup"):
        backup_restore(backups[SOURCES[0]][1], now=now())


def test_restoring_into_an_instance_that_holds_data_is_refused_and_stores_nothing(
    backups, same_keys, settings, kestrel
):
    with pytest.raises(BackupRefused, match="This instance already holds data"):
        backup_restore(backups[SOURCES[0]][1], now=now())
    assert not Path(settings.MEDIA_ROOT).exists()
