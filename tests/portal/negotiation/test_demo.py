"""The demo's negotiation works on a competition procurement, under both regimes."""

import pytest

from sanely.documents.letters.clarification import KIND as CLARIFICATION
from sanely.portal.competition.models import Letter, Standing
from sanely.portal.competition.selectors import tenderers
from sanely.portal.core.clock import now
from sanely.portal.demo import negotiation as demo
from sanely.portal.negotiation.models import Clarification, DocumentRevision, Meeting
from sanely.portal.negotiation.selectors import equal_treatment_check

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("regime", ["neg", "pcr"])
def test_the_demo_negotiates_a_round_equally_then_reduces(request, lead, regime):
    n = request.getfixturevalue(regime)
    demo.negotiate_round(n.procurement, round=n.round, lead=lead, now=now())
    assert (3, 1, 1) == (
        Meeting.objects.count(),
        Clarification.objects.count(),
        DocumentRevision.objects.count(),
    )
    assert equal_treatment_check(procurement=n.procurement).clean
    assert 3 == Letter.objects.filter(kind=CLARIFICATION).count()
    reduction = demo.reduce(n.procurement, lead=lead, keep=2, now=now())
    # The demo scores the tenderers a little lower each, in the order of their names.
    kestrel, osprey, heron = n.tenderers
    assert [heron.organisation.pk, kestrel.organisation.pk] == reduction.kept
    assert ["Heron Transit CIC", "Kestrel Mobility Ltd"] == [
        o.name for o in tenderers(n.procurement)
    ]
    reduced = n.procurement.participants.get(organisation=osprey.organisation)
    assert Standing.REDUCED == reduced.standing
