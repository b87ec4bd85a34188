"""
Letters sent before the typed content keep their text and facts, as typed content: the data
migration run forwards and backwards on a row shaped as the previous code stored it.
"""

from importlib import import_module

import pytest
from django.apps import apps

from sanely.documents import Document, Paragraph
from sanely.portal.accounts.models import Role
from sanely.portal.competition.models import Letter

pytestmark = pytest.mark.django_db

migration = import_module("sanely.portal.competition.migrations.0003_letter_content_is_a_document")


def test_a_letter_sent_before_becomes_typed_content_and_back(wessex, kestrel, procurement):
    sent = Letter.objects.create(
        procurement=procurement,
        recipient=kestrel.organisation,
        kind="regret",
        subject="Not selected to tender",
        body="Thank you.\n\nRanked 5 of 5.\nTotal: 6 points.",
        content={"rank": 5},  # the facts alone, as letters were stored before
        sent_by=wessex.people[Role.PROCUREMENT_LEAD],
        sent_at=procurement.created_at,
    )
    migration.forwards(apps, None)
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
    migration.forwards(apps, None)  # run again, it changes nothing
    assert letter.content == Letter.objects.get(pk=sent.pk).content
    migration.backwards(apps, None)
    assert {"rank": 5} == Letter.objects.get(pk=sent.pk).content
