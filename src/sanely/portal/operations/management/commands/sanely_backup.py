from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanely.portal.core.clock import now
from sanely.portal.operations.backup import BackupRefused, backup_make


class Command(BaseCommand):
    help = (
        "Back up the database and the stored files as one consistent snapshot, with a manifest"
        " of SHA-256 hashes, into a new folder. Sealed files stay sealed; keys are not in it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="a new (or empty) folder for the backup")

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        try:
            made = backup_make(out, now=now())
        except BackupRefused as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(
            f"Backup written to {out}: {made.rows:,} rows and {made.files:,} files"
            f" ({made.file_bytes:,} bytes). Manifest SHA-256 {made.manifest_sha256}: keep it"
            " apart from the backup to prove later that the manifest is the one written now."
            "\nThe vault's keys are not in the backup: keep SANELY_VAULT_MASTER_KEY and"
            " SANELY_RECEIPT_SIGNING_KEY safe elsewhere; a restore needs them."
        )
