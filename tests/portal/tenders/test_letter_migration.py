"""Letters sent before the typed content keep their text and facts, as typed content."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sanely.documents import Document, Paragraph
from sanely.portal.accounts.models import Role
from sanely.portal.competition.models import Letter

BEFORE = [("competition", "0002_own_tables")]
AFTER = [("competition", "0003_letter_content_is_a_document")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_a_letter_sent_before_becomes_typed_content_and_back(wessex, kestrel, procurement):
    old = migrate(BEFORE).get_model("competition", "Letter")
    sent = old.objects.create(
        procurement_id=procurement.pk,
        recipient_id=kestrel.organisation.pk,
        kind="regret",
        subject="Not selected to tender",
        body="Thank you.\n\nRanked 5 of 5.\nTotal: 6 points.",
        content={"rank": 5},
        sent_by_id=wessex.people[Role.PROCUREMENT_LEAD].pk,
        sent_at=procurement.created_at,
    )
    migrate(AFTER)
    letter = Letter.objects.get(pk=sent.pk)
    assert (
        Document(
            "regret",
            "Not selected to tender",
            (Paragraph("Thank you."), Paragraph("Ranked 5 of 5.\nTotal: 6 points.")),
            {"rank": 5},
        )
        == letter.document
    )
    migrate(BEFORE)
    assert {"rank": 5} == old.objects.get(pk=sent.pk).content
    migrate(AFTER)
