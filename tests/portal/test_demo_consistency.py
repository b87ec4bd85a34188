"""
The demo reads like one council's record: loaded at any hour, its meetings and decisions fall
in working hours; each competition talks about its own subject; people are named.
"""

import re
from datetime import time, timedelta

import pytest
from django.db import transaction

from sanely.portal.audit.models import AuditEvent
from sanely.portal.competition.models import Letter
from sanely.portal.core.clock import now
from sanely.portal.demo.load import PEOPLE, demo_load
from sanely.portal.evaluation.models import Strengths
from sanely.portal.negotiation.models import Clarification, DocumentRevision, Meeting
from sanely.portal.procurements.engine import UK
from sanely.portal.procurements.models import Procurement
from sanely.portal.selection.models import SelectionMark

# The mark makes pytest-django create the test database the module's demo is loaded in.
pytestmark = pytest.mark.django_db

WORKING_HOURS = (time(8, 0), time(18, 0))


def _small_hours():
    """4:42 this morning (UK), or yesterday's where that is still to come."""
    local = now().astimezone(UK)
    at = local.replace(hour=4, minute=42, second=0, microsecond=0)
    return at if at <= local else at - timedelta(days=1)


def _working(moment) -> bool:
    start, end = WORKING_HOURS
    return start <= moment.astimezone(UK).time() <= end


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module at 4:42 in the morning, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load(now=_small_hours())
        yield
        transaction.set_rollback(True)


def test_loaded_in_the_small_hours_the_demos_meetings_and_steps_fall_in_working_hours(demo):
    held = list(Meeting.objects.values_list("held_at", flat=True))
    assert held
    assert [] == [m for m in held if not _working(m)]
    authority_people = {email for email, _, organisation, _ in PEOPLE if "Council" in organisation}
    steps = AuditEvent.objects.filter(actor__email__in=authority_people)
    late = [(e.action, e.at.astimezone(UK)) for e in steps if not _working(e.at)]
    assert [] == late


# Words only one demo competition's subject uses (each the start of a word): no other
# competition's record may use them.
SUBJECT_WORDS = {
    "WCC-IP-2024-003": ("gritting", "salt", "frost", "road weather"),
    "WCC-IP-2024-004": ("carer", "care visit", "visit time"),
    "WCC-IP-2025-005": ("discharge", "ward", "readmission"),
    "WCC-IP-2025-006": ("passenger", "school run", "trains"),
    "WCC-IP-2025-007": ("lorr", "telematics", "waste"),
    "WCC-IP-2026-001": ("minibus", "rural trips"),
}


def _texts(procurement) -> list[str]:
    """What the people of one competition wrote about it."""
    texts = list(Meeting.objects.filter(procurement=procurement).values_list("minutes", flat=True))
    for c in Clarification.objects.filter(procurement=procurement):
        texts += [c.question, c.published_question, c.answer]
    texts += DocumentRevision.objects.filter(procurement=procurement).values_list(
        "summary", flat=True
    )
    texts += Strengths.objects.filter(procurement=procurement).values_list("text", flat=True)
    texts += SelectionMark.objects.filter(procurement=procurement).values_list("reason", flat=True)
    texts += Letter.objects.filter(procurement=procurement).values_list("body", flat=True)
    return texts


def test_each_competition_of_the_demo_talks_only_about_its_own_subject(demo):
    for reference in SUBJECT_WORDS:
        procurement = Procurement.objects.get(reference=reference)
        others = [w for r, words in SUBJECT_WORDS.items() if r != reference for w in words]
        for text in _texts(procurement):
            found = [w for w in others if re.search(rf"\b{re.escape(w)}", text.lower())]
            assert not found, f"{reference} ({procurement.title}) mentions {found}: {text}"


def test_no_one_in_the_demos_meetings_is_named_by_their_role(demo):
    for attendees in Meeting.objects.values_list("attendees", flat=True):
        for attendee in attendees:
            name, _, role = (part.strip() for part in attendee.split(",", 2))
            assert name.lower() != role.lower(), attendee
