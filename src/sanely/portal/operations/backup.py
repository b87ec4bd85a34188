"""
Backup and restore (docs/reliability.md, "Backups"): the database, the files it refers to and
the references of the vault's keys, as one consistent snapshot with a manifest of SHA-256s.

The database part is a SQLite file of the portal's tables whatever the source. From SQLite it
is SQLite's online backup of the live database (one consistent copy while others write); from
PostgreSQL the rows are copied into it inside one REPEATABLE READ, READ ONLY transaction, the
same snapshot pg_dump would take, but in a form that SQLite and PostgreSQL instances alike
restore from, with no client tool of a matching version needed. A restore copies the rows into
a fresh, migrated instance in one transaction and checks the audit chain before committing.

Files are copied as stored: sealed tenders stay ciphertext. Keys are never in a backup, only
their ids: the restored instance must be given the same keys through its environment, and a
restore with other keys is refused before anything is written.
"""

import base64
import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

from sanely.portal.audit.services import audit_record, audit_verify
from sanely.portal.tenders.keys import master_key, signing_key
from sanely.portal.tenders.models import SubmissionRound

FORMAT = "sanely-backup/1"
MANIFEST = "manifest.json"
# The manifest's Ed25519 signature by the instance's receipt-signing key, base64: whoever can
# change the files can change the manifest's hashes too, but cannot sign them.
SIGNATURE = "manifest.sig"
DATABASE = "database.sqlite3"
FILES = "files"
RESTORED = "instance.restored"
_SNAPSHOT = "backup_snapshot"  # the alias the snapshot database is opened under
_BLOCK = 1 << 20
# Rows a backup leaves out: sign-in sessions (after a restore everyone signs in again) and
# resumable uploads in progress (they expire within a day and their pieces go as they finish,
# so they cannot be caught with the rest; the supplier starts the upload again).
TRANSIENT = frozenset({"sessions.session", "tenders.chunkedupload"})
# Tables `migrate` itself fills; a fresh instance may hold rows there, which a restore replaces.
FILLED_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission"})


class BackupRefused(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    rows: int
    files: int
    file_bytes: int
    manifest_sha256: str


def _models(*, with_links: bool = True) -> list[type[models.Model]]:
    """The models whose rows a backup holds; `with_links` adds many-to-many link tables."""
    return [
        model
        for model in apps.get_models(include_auto_created=with_links)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in TRANSIENT
    ]


def _stream(source: IO[bytes], target: IO[bytes] | None = None) -> tuple[str, int]:
    """Read `source` to its end in blocks (copying into `target`): its SHA-256 and size."""
    digest, size = hashlib.sha256(), 0
    while block := source.read(_BLOCK):
        digest.update(block)
        size += len(block)
        if target is not None:
            target.write(block)
    return digest.hexdigest(), size


def _hash_file(path: Path) -> str:
    with path.open("rb") as source:
        return _stream(source)[0]


def _safe_name(name: str) -> str:
    """A stored file's name as a manifest may give it: relative, with no way out of its folder."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise BackupRefused(f"The manifest names a file {name!r} outside the backup's files.")
    return name


@contextmanager
def _opened(path: Path) -> Iterator[BaseDatabaseWrapper]:
    """The SQLite file at `path` as a Django database, for the length of the block."""
    connections.settings[_SNAPSHOT] = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
    connections.configure_settings(connections.settings)
    try:
        yield connections[_SNAPSHOT]
    finally:
        connections[_SNAPSHOT].close()
        del connections[_SNAPSHOT]
        del connections.settings[_SNAPSHOT]


def _copy_rows(*, source: str, target: str) -> int:
    """Every backed-up row from one database into the other, as stored; how many."""
    copied = 0
    for model in _models():
        fields = model._meta.concrete_fields
        names = [field.attname for field in fields]
        batch = min(500, connections[target].ops.bulk_batch_size(fields, [None] * 500))
        rows = model._base_manager.using(source).order_by("pk").values_list(*names)
        for chunk in itertools.batched(rows.iterator(chunk_size=2000), batch):
            stored = [model.from_db(target, names, row) for row in chunk]
            # raw: each value as it is, no auto_now or other field defaults applied on the way.
            model._base_manager.using(target)._insert(  # type: ignore[attr-defined]
                stored, fields=fields, raw=True, using=target
            )
            copied += len(stored)
    return copied


def _sqlite_snapshot(path: Path) -> None:
    """SQLite's online backup of the live database, without the transient rows."""
    source = connections[DEFAULT_DB_ALIAS]
    source.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        source.connection.backup(copy)
        for label in TRANSIENT:
            copy.execute(f'DELETE FROM "{apps.get_model(label)._meta.db_table}"')  # noqa: S608
        copy.commit()
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        copy.execute("VACUUM")  # and none of the removed rows left in its free pages
    finally:
        copy.close()


def _postgresql_snapshot(path: Path) -> None:
    """The rows of one REPEATABLE READ transaction, copied into a new SQLite file."""
    source = connections[DEFAULT_DB_ALIAS]
    with _opened(path) as snapshot:
        with snapshot.schema_editor() as editor:
            for model in _models(with_links=False):  # creating a model creates its links
                editor.create_model(model)
        recorder = MigrationRecorder(snapshot)
        recorder.ensure_schema()
        with transaction.atomic(using=DEFAULT_DB_ALIAS), transaction.atomic(using=_SNAPSHOT):
            with source.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            for app, name in MigrationRecorder(source).applied_migrations():
                recorder.record_applied(app, name)
            _copy_rows(source=DEFAULT_DB_ALIAS, target=_SNAPSHOT)


def _referenced_files(database: str) -> set[str]:
    """The names of the stored files that the rows of a database refer to."""
    names: set[str] = set()
    for model in _models(with_links=False):
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for row in model._base_manager.using(database).values_list(*fields) if fields else ():
            names.update(name for name in row if name)
    return names


def _row_counts(database: str) -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.using(database).count() for model in _models()
    }


def _key_references() -> dict[str, str]:
    return {
        "vault_master_key": master_key().key_id,
        "receipt_signing_key": signing_key().key_id,
    }


def _store_file(name: str, files: Path) -> dict[str, Any]:
    """Copy one stored file, as stored, into the backup: its manifest entry."""
    target = files / _safe_name(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with default_storage.open(name, "rb") as source, target.open("wb") as out:
            digest, size = _stream(source, out)
            out.flush()
            os.fsync(out.fileno())
    except FileNotFoundError:
        raise BackupRefused(
            f"The database refers to the stored file {name}, which is not in the file store."
            " Restore the file store from its own copy, or find what removed it, then back up"
            " again."
        ) from None
    return {"name": name, "sha256": digest, "size": size}


def backup_make(out: Path, *, now: datetime) -> Summary:
    """Write a backup of this instance into the new or empty folder `out`."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupRefused(f"{out} is not an empty folder: give a new folder for the backup.")
    out.mkdir(parents=True, exist_ok=True)
    database = out / DATABASE
    if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
        _sqlite_snapshot(database)
    else:
        _postgresql_snapshot(database)
    with _opened(database):
        names = sorted(_referenced_files(_SNAPSHOT))
        rows = _row_counts(_SNAPSHOT)
        sealed_under = sorted(
            set(SubmissionRound.objects.using(_SNAPSHOT).values_list("master_key_id", flat=True))
        )
    files = [_store_file(name, out / FILES) for name in names]
    manifest = {
        "format": FORMAT,
        "made_at": now.isoformat(),
        "source": connections[DEFAULT_DB_ALIAS].vendor,
        "keys": {**_key_references(), "rounds_sealed_under": sealed_under},
        "database": {"name": DATABASE, "sha256": _hash_file(database)},
        "rows": rows,
        "files": files,
    }
    text = json.dumps(manifest, indent=2, sort_keys=True).encode()
    (out / MANIFEST).write_bytes(text)
    (out / SIGNATURE).write_bytes(base64.b64encode(signing_key().sign(text)) + b"\n")
    return Summary(
        rows=sum(rows.values()),
        files=len(files),
        file_bytes=sum(entry["size"] for entry in files),
        manifest_sha256=hashlib.sha256(text).hexdigest(),
    )


def _manifest(folder: Path) -> tuple[dict[str, Any], bytes]:
    try:
        text = (folder / MANIFEST).read_bytes()
        manifest = json.loads(text)
    except (OSError, ValueError) as error:
        raise BackupRefused(f"{folder / MANIFEST} cannot be read: {error}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{folder} is not a sanely backup (its manifest is not {FORMAT}).")
    return manifest, text


def _check_signature(folder: Path, manifest_text: bytes) -> None:
    """The manifest is as the instance that made the backup signed it (its keys are this
    instance's, checked before: this says whether the manifest itself was altered)."""
    try:
        signature = base64.b64decode((folder / SIGNATURE).read_bytes().strip(), validate=True)
    except (OSError, ValueError):
        signature = b""
    if not signing_key().signed(manifest_text, signature):
        raise BackupRefused(
            f"{MANIFEST} does not carry a valid signature in {SIGNATURE}: the manifest has been"
            " altered or its signature lost since the backup was made. Restore from another"
            " backup."
        )


def _verify_files(folder: Path, manifest: dict[str, Any]) -> None:
    """Every file of the backup has the hash its manifest gives, and no file was added."""
    listed = {_safe_name(entry["name"]): entry["sha256"] for entry in manifest["files"]}
    files = folder / FILES
    present = {p.relative_to(files).as_posix() for p in files.rglob("*") if p.is_file()}
    if added := sorted(present - set(listed)):
        raise BackupRefused(
            f"The backup holds {FILES}/{added[0]}, which its manifest does not list: it has been"
            " altered. Restore from another backup."
        )
    checks = [(DATABASE, folder / DATABASE, manifest["database"]["sha256"])]
    checks += [(f"{FILES}/{name}", files / name, digest) for name, digest in listed.items()]
    for label, path, expected in checks:
        if not path.is_file():
            raise BackupRefused(f"The backup has lost {label}. Restore from another backup.")
        if _hash_file(path) != expected:
            raise BackupRefused(
                f"{label} does not have the SHA-256 the manifest gives: it has been altered or"
                " damaged. Restore from another backup."
            )


_KEY_VARIABLES = {
    "vault_master_key": "SANELY_VAULT_MASTER_KEY",
    "receipt_signing_key": "SANELY_RECEIPT_SIGNING_KEY",
}


def _check_keys(needed: dict[str, set[str]]) -> None:
    """This instance has the keys the backup's sealed rounds and receipts were made with."""
    here = _key_references()
    for key, ids in needed.items():
        if ids - {here[key]}:
            wanted, variable = ", ".join(sorted(ids - {here[key]})), _KEY_VARIABLES[key]
            raise BackupRefused(
                f"The backup was made with the key {wanted}, but this instance's {variable} is"
                f" {here[key]}. Set {variable} to the key the backup was made with (keys are"
                " never in a backup), then restore again."
            )


def _check_migrations(database: str) -> None:
    here = set(MigrationRecorder(connections[DEFAULT_DB_ALIAS]).applied_migrations())
    there = set(MigrationRecorder(connections[database]).applied_migrations())
    if not here:
        raise BackupRefused("This database has no tables yet: run `sanely migrate`, then restore.")
    if there - here:
        app, name = sorted(there - here)[0]
        raise BackupRefused(
            f"The backup has the migration {app}.{name}, which this instance has not applied:"
            " run `sanely migrate`, or restore with the version of sanely that made the backup."
        )
    if here - there:
        app, name = sorted(here - there)[0]
        raise BackupRefused(
            f"This instance has the migration {app}.{name}, which the backup lacks: restore with"
            " the version of sanely that made the backup, then upgrade."
        )


def _check_fresh() -> None:
    """The database holds no data yet: a restore overwrites nothing."""
    for model in _models():
        label = model._meta.label_lower
        if label not in FILLED_BY_MIGRATE and model._base_manager.exists():
            raise BackupRefused(
                f"This instance already holds data ({model._meta.verbose_name_plural}): restore"
                " only into a fresh instance, a new database migrated with `sanely migrate`."
            )


def _check_files(names: list[str], manifest: dict[str, Any]) -> None:
    """The backup holds every file its rows refer to, and the file store none of them yet."""
    if missing := sorted(set(names) - {entry["name"] for entry in manifest["files"]}):
        raise BackupRefused(
            f"The backup's database refers to {missing[0]}, which the backup does not hold."
            " Restore from another backup."
        )
    if taken := next((name for name in names if default_storage.exists(name)), None):
        raise BackupRefused(
            f"The file store already holds {taken}: restore only into an empty file store."
        )


def _restore_files(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Copy the backup's files into the file store, checking each again on the way; their names."""
    written: list[str] = []
    try:
        for entry in manifest["files"]:
            with (folder / FILES / entry["name"]).open("rb") as source:
                stored = default_storage.save(entry["name"], File(source, name=entry["name"]))
            written.append(stored)
            with default_storage.open(stored, "rb") as copy:
                if stored != entry["name"] or _stream(copy)[0] != entry["sha256"]:
                    raise BackupRefused(
                        f"{FILES}/{entry['name']} changed while it was restored. Restore again."
                    )
    except BaseException:
        _remove(written)
        raise
    return written


def _remove(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _restore_rows(manifest_sha256: str, manifest: dict[str, Any], now: datetime) -> int:
    """The rows, the sequences after them, a proof of the audit chain and the restore's event."""
    target = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic():
        for label in FILLED_BY_MIGRATE:
            apps.get_model(label)._base_manager.all()._raw_delete(DEFAULT_DB_ALIAS)
        rows = _copy_rows(source=_SNAPSHOT, target=DEFAULT_DB_ALIAS)
        with target.cursor() as cursor:
            for statement in target.ops.sequence_reset_sql(no_style(), _models()):
                cursor.execute(statement)
        report = audit_verify()
        if not report.intact:
            raise BackupRefused(
                f"The backup's audit trail is broken at event #{report.broken_sequence}:"
                f" {report.problem}. Nothing was restored."
            )
        audit_record(
            action=RESTORED,
            subject=("operations.backup", manifest_sha256[:16]),
            now=now,
            payload={
                "manifest_sha256": manifest_sha256,
                "made_at": manifest["made_at"],
                "source": manifest["source"],
            },
        )
    return rows


def backup_restore(folder: Path, *, now: datetime) -> Summary:
    """
    Restore the backup in `folder` into this fresh instance. Every check runs before anything
    is written: the hashes, the keys, the migrations, that nothing would be overwritten. The
    files go first and are removed again if the rows cannot be restored.
    """
    manifest, manifest_text = _manifest(folder)
    manifest_sha256 = hashlib.sha256(manifest_text).hexdigest()
    _check_keys({key: {manifest["keys"][key]} for key in _KEY_VARIABLES})
    _check_signature(folder, manifest_text)
    _verify_files(folder, manifest)
    _check_fresh()
    with tempfile.TemporaryDirectory() as work:
        # Read a private copy, checked once more: the one whose hash was checked is what is read.
        database = Path(work) / DATABASE
        shutil.copyfile(folder / DATABASE, database)
        if _hash_file(database) != manifest["database"]["sha256"]:
            raise BackupRefused(f"{DATABASE} changed while it was read. Restore again.")
        with _opened(database):
            rounds = SubmissionRound.objects.using(_SNAPSHOT)
            _check_keys({"vault_master_key": set(rounds.values_list("master_key_id", flat=True))})
            _check_migrations(_SNAPSHOT)
            _check_files(sorted(_referenced_files(_SNAPSHOT)), manifest)
            written = _restore_files(folder, manifest)
            try:
                rows = _restore_rows(manifest_sha256, manifest, now)
            except BaseException:
                _remove(written)
                raise
    return Summary(
        rows=rows,
        files=len(written),
        file_bytes=sum(entry["size"] for entry in manifest["files"]),
        manifest_sha256=manifest_sha256,
    )
