"""The demo selection: every candidate marked with reasons, one failing insurance, four invited."""

import pytest
from competition import COMMENCED_ON, PCR_COMMENCED_ON
from portal.selection.world import selecting

from sanely.documents.letters.invitation_to_tender import KIND as INVITATION
from sanely.documents.letters.regret import KIND as REGRET
from sanely.portal.accounts.models import Role
from sanely.portal.competition.models import Letter
from sanely.portal.core.clock import now
from sanely.portal.demo.selection import FAIL_REASON, select
from sanely.portal.selection.models import SelectionMark, ShortlistDecision

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("commenced_on", [COMMENCED_ON, PCR_COMMENCED_ON])
def test_the_demo_marks_every_candidate_and_invites_the_four_that_qualify(
    wessex, five, commenced_on
):
    procurement = selecting(wessex, five, commenced_on=commenced_on)
    select(
        procurement,
        assessor=wessex.actor(Role.EVALUATOR),
        lead=wessex.actor(Role.PROCUREMENT_LEAD),
        now=now(),
    )
    assert 15 == SelectionMark.objects.filter(procurement=procurement).count()
    decision = ShortlistDecision.objects.get(procurement=procurement)
    # By name: Curlew, Heron, Kestrel, Merlin (no insurance), Osprey.
    assert "All 4 qualifying candidates are invited: within the maximum of 4." == decision.reason
    merlin = next(s.organisation for s in five if s.organisation.name == "Merlin Buses Ltd")
    regret = Letter.objects.get(procurement=procurement, kind=REGRET)
    assert merlin == regret.recipient
    assert FAIL_REASON in regret.body
    assert 4 == Letter.objects.filter(procurement=procurement, kind=INVITATION).count()
    procurement.refresh_from_db()
    assert "tendering" == procurement.state
