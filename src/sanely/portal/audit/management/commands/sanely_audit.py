from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanely.portal.audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit trail: walk the hash chain; exit 1 at the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        report = audit_verify()
        if report.intact:
            self.stdout.write(f"Audit trail intact: {report.checked} events verified.")
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
