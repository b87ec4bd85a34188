"""The demo's award step: notices, then contracts after the standstill, each once."""

from datetime import timedelta

import pytest
from portal.award.record import SENT_AT

from sanely.portal.accounts.models import Role
from sanely.portal.award.models import Contract
from sanely.portal.competition.models import Letter
from sanely.portal.demo.award import conclude, notify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("regime", ["pa", "pcr"])
def test_the_demo_notifies_then_concludes_once(request, wessex, regime):
    procurement = request.getfixturevalue(regime).procurement
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    for _ in range(2):
        notify(procurement, lead=lead, now=SENT_AT)
        conclude(procurement, lead=lead, now=SENT_AT + timedelta(days=14))
    procurement.refresh_from_db()
    assert (5, 2, "partnership") == (
        Letter.objects.filter(procurement=procurement).count(),
        Contract.objects.filter(procurement=procurement).count(),
        procurement.state,
    )
