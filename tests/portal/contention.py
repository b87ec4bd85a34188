"""
Work that several threads do at once, each on its own database connection, as web processes
and the worker do. `test_concurrency.py` runs it in-process on PostgreSQL and, through
`sqlite_contention.py`, in a fresh interpreter against a SQLite file.
"""

import threading
from collections import Counter
from collections.abc import Callable

from django.db import connection, transaction

from sanely.portal.audit.models import AuditEvent
from sanely.portal.audit.services import audit_record
from sanely.portal.core.clock import now

SECURITY_EVENT = "security.sealed_access_refused"


def security_event(thread: int, step: int) -> None:
    """What a refused read of sealed content does: read, then record the refusal on its own."""
    with transaction.atomic():
        AuditEvent.objects.filter(action=SECURITY_EVENT).count()
        audit_record(
            action=SECURITY_EVENT,
            subject=("tenders.submissionround", thread),
            now=now(),
            payload={"step": step},
        )


def contend(scenario: Callable[[int, int], None], threads: int, rounds: int) -> Counter[str]:
    """Run `scenario` `rounds` times in each of `threads` threads started together; the errors."""
    errors: Counter[str] = Counter()
    start = threading.Barrier(threads)

    def worker(thread: int) -> None:
        start.wait()
        try:
            for step in range(rounds):
                try:
                    scenario(thread, step)
                except Exception as error:
                    errors[f"{type(error).__name__}: {error}"] += 1
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return errors
