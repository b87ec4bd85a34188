from pathlib import Path
from typing import Any

import orjson
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanely.portal.publication.feeds import gzipped
from sanely.portal.publication.selectors import bulk_packages, record_packages


class Command(BaseCommand):
    help = (
        "Write every published release to DIR/releases.jsonl.gz (a release package per"
        " procurement per line, as /ocds/releases.jsonl.gz serves them) and every record to"
        " DIR/records.jsonl.gz (a record package per line)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, metavar="DIR")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"{directory}: cannot write there: {error}", returncode=2) from None
        for name, packages in (
            ("releases.jsonl.gz", bulk_packages()),
            ("records.jsonl.gz", record_packages()),
        ):
            with open(directory / name, "wb") as sink:
                for chunk in gzipped(orjson.dumps(p) + b"\n" for p in packages):
                    sink.write(chunk)
                size = sink.tell()
            self.stdout.write(f"{directory / name}: {size} bytes")
