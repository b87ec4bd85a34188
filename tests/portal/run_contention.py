"""
Run by test_concurrency.py in a fresh interpreter, so that the database settings are the ones
a deployment reads from its environment (a SQLite file, or a PostgreSQL database), not the
test suite's:

    DATABASE_URL=... python run_contention.py SCENARIO THREADS ROUNDS

It prints one JSON object: the errors by message, what was recorded, whether the chain holds.
"""

import json
import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "sanely.portal.config.settings"

import django

django.setup()

from contention import SECURITY_EVENT, contend, security_event  # noqa: E402
from django.db import connection  # noqa: E402

from sanely.portal.audit.models import AuditEvent  # noqa: E402
from sanely.portal.audit.services import audit_verify  # noqa: E402

SCENARIOS = {"security_events": security_event}


def main() -> None:
    _, name, threads, rounds = sys.argv
    errors = contend(SCENARIOS[name], int(threads), int(rounds))
    journal_mode = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    sys.stdout.write(
        json.dumps(
            {
                "errors": dict(errors),
                "security_events": AuditEvent.objects.filter(action=SECURITY_EVENT).count(),
                "chain_intact": audit_verify().intact,
                "journal_mode": journal_mode,
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
