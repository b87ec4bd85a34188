"""
On PostgreSQL, numbering a submission's version locks its round without blocking the rows
that refer to the round: a resumable upload begun at the same moment checks its reference to
the round at commit (FOR KEY SHARE), and a full lock (FOR UPDATE) there deadlocked with the
audit chain's lock: one server error in 60 submissions in the deadline rush.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from portal.tenders.sealed_files import upload

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.tenders.services import submission_submit

pytestmark = pytest.mark.django_db


def test_a_submission_being_numbered_locks_its_round_without_blocking_references(
    kestrel, open_round
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    with CaptureQueriesContext(connection) as queries:
        submission_submit(
            actor=kestrel.actor(Role.SUPPLIER_MEMBER),
            round_id=open_round.pk,
            organisation_id=kestrel.organisation.pk,
            part="Technical proposal",
            upload=upload(),
            now=now(),
        )
    locks = [
        q["sql"] for q in queries if '"tenders_submissionround"' in q["sql"] and " FOR " in q["sql"]
    ]
    assert locks, "the round is locked while the version is numbered"
    assert all(lock.endswith("FOR NO KEY UPDATE") for lock in locks), locks
