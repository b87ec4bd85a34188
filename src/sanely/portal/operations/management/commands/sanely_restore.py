from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanely.portal.core.clock import now
from sanely.portal.operations.backup import BackupRefused, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `sanely backup` into a fresh instance (a new database migrated"
        " with `sanely migrate`, an empty file store, the keys the backup was made with)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the folder `sanely backup` wrote")

    def handle(self, *args: Any, backup: Path, **options: Any) -> None:
        try:
            restored = backup_restore(backup, now=now())
        except BackupRefused as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(
            f"Restored {restored.rows:,} rows and {restored.files:,} files"
            f" ({restored.file_bytes:,} bytes) from {backup}"
            f" (manifest SHA-256 {restored.manifest_sha256}). The audit trail verified."
        )
