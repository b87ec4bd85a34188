"""
Every fact each rulebook event declares that it stores is what `procurement_act` writes (through
`store_facts`) and what the engine reads back from the procurement afterwards, for every event of
every rulebook.
"""

from datetime import date
from decimal import Decimal

import pytest
from competition import procurement_at

from sanely.portal.procurements.engine import facts_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import store_facts
from sanely.procedure import Facts, Round, action_facts, load_rulebook, rulebook_ids

pytestmark = pytest.mark.django_db

# An action giving every field, so that every declared source has something to read.
EVERY_FIELD = {
    "qualified": ("1", "2", "3"),
    "invited": ("1", "2"),
    "proposed_changes": ("other",),
    "summaries_sent_on": date(2026, 3, 2),
    "not_yet_notified": ("3",),
    "partners": 1,
    "targets_assessment": "Both targets met on the evidence.",
    "performance_levels_met": True,
    "purchase_price": Decimal("850000.00"),
}
EVENTS = [
    (rulebook_id, event.id)
    for rulebook_id in rulebook_ids()
    for event in load_rulebook(rulebook_id).events
    if event.effects.sets or event.effects.after
]


@pytest.mark.parametrize(("rulebook_id", "event_id"), EVENTS)
def test_the_facts_an_event_stores_are_those_its_rulebook_declares(
    wessex, rulebook_id: str, event_id: str
) -> None:
    event = load_rulebook(rulebook_id).event(event_id)
    assert event is not None
    procurement = procurement_at(wessex, "partnership", current_phase=1, active_partners=3)
    before = facts_of(procurement)
    with_rounds = Facts(**{**before.__dict__, "rounds": (Round(1), Round(2))})
    created = action_facts(
        event.effects, action=EVERY_FIELD, facts=with_rounds, today=date(2026, 3, 5)
    )
    store_facts(procurement, created.stored)
    procurement.save()
    after = facts_of(Procurement.objects.get(pk=procurement.pk))
    declared = {*event.effects.sets, *event.effects.after}
    assert declared == set(created.stored)
    for name, value in created.stored.items():
        assert value == getattr(after, name), name


def test_every_event_that_stores_something_is_checked() -> None:
    assert len(EVENTS) >= 4 * 10  # each rulebook declares its storing steps
