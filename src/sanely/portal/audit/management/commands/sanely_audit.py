import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanely.portal.audit.services import PublishedHead, audit_verify


def published_head(path: Path) -> PublishedHead:
    """The audit-chain head an open-data package (or a copy of its head alone) carries."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"{path}: cannot read it as JSON: {error}", returncode=2) from None
    head = document.get("auditChainHead", document) if isinstance(document, dict) else None
    sequence = head.get("sequence") if isinstance(head, dict) else None
    digest = head.get("hash") if isinstance(head, dict) else None
    if not isinstance(sequence, int) or sequence < 1 or not isinstance(digest, str):
        raise CommandError(
            f"{path}: no audit-chain head in it: give a release or record package published by"
            ' sanely (it has "auditChainHead": {"sequence": …, "hash": …}).',
            returncode=2,
        )
    return PublishedHead(sequence, digest)


class Command(BaseCommand):
    help = (
        "Verify the audit trail: walk the hash chain; exit 1 at the first broken event. With"
        " --against PACKAGE, also prove the trail up to the head that package published is"
        " unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument(
            "--against",
            type=Path,
            metavar="PACKAGE",
            help="an open-data package (or its auditChainHead) kept from an earlier publication",
        )

    def handle(self, *args: Any, action: str, against: Path | None, **options: Any) -> None:
        head = published_head(against) if against is not None else None
        report = audit_verify(head)
        if report.intact:
            self.stdout.write(f"Audit trail intact: {report.checked} events verified.")
            if head is not None:
                self.stdout.write(
                    f"Event #{head.sequence} still has the hash published in {against}:"
                    " nothing up to it has been rewritten since."
                )
            return
        where = (
            f"event id {report.broken_event_id} (#{report.broken_sequence})"
            if report.broken_event_id
            else "the end of the chain"
        )
        raise CommandError(
            f"Audit trail broken at {where}: {report.problem}."
            f" {report.checked} events before it verified.",
            returncode=1,
        )
