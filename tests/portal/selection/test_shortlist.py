"""
Deciding the shortlist: the engine's invite_to_tender decides, every candidate's standing
moves, each is sent its invitation or regret letter with the reasons; or nothing is stored.
"""

import pytest
from competition import COMMENCED_ON, DESIGN, PCR_COMMENCED_ON
from portal.selection.world import mark, selecting

from sanely.documents.letters.invitation_to_tender import KIND as INVITATION
from sanely.documents.letters.regret import KIND as REGRET
from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.competition.models import Letter, Participant, Standing
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, PermissionDenied, RuleRefused
from sanely.portal.procurements.models import Procurement
from sanely.portal.selection import events as selection_events
from sanely.portal.selection.models import ShortlistDecision
from sanely.portal.selection.selectors import selection_board
from sanely.portal.selection.services import shortlist_decide

pytestmark = pytest.mark.django_db

# Kestrel 14, Osprey 12, Heron 11, Merlin 9, Curlew 6 points (R&D weighs 2, delivery 1).
SCORES = [("5", "4"), ("4", "4"), ("4", "3"), ("3", "3"), ("2", "2")]
REGIMES = [(COMMENCED_ON, "conditions_assessment"), (PCR_COMMENCED_ON, "selection")]


def _decide(wessex, procurement, role=Role.PROCUREMENT_LEAD, justification=""):
    return shortlist_decide(
        actor=wessex.actor(role),
        procurement_id=procurement.pk,
        justification=justification,
        now=now(),
    )


def _nothing_stored(procurement, state):
    procurement.refresh_from_db()
    assert (state, [], []) == (procurement.state, procurement.invited, procurement.qualified)
    assert not ShortlistDecision.objects.exists()
    assert not Participant.objects.exists()
    assert not Letter.objects.filter(kind__in=[INVITATION, REGRET]).exists()


@pytest.mark.parametrize(("commenced_on", "state"), REGIMES)
def test_five_candidates_four_invited_the_fifth_told_its_rank_and_points(
    wessex, five, commenced_on, state
):
    procurement = selecting(wessex, five, commenced_on=commenced_on)
    assert state == procurement.state
    for candidate, (track, delivered) in zip(five, SCORES, strict=True):
        mark(wessex, procurement, candidate, track=track, delivered=delivered)
    decision = _decide(wessex, procurement)
    ids = [c.organisation.pk for c in five]
    assert ids[:4] == decision.invited
    assert (
        "The 4 highest-scoring of 5 qualifying candidates are invited, the maximum."
        == decision.reason
    )
    curlew_reason = "Ranked 5th of 5 qualifying candidates with 6.00 points; the 4 invited scored 9.00 to 14.00."
    assert {str(ids[4]): curlew_reason} == decision.not_invited
    procurement.refresh_from_db()
    assert ("tendering", sorted(map(str, ids[:4])), sorted(map(str, ids))) == (
        procurement.state,
        procurement.invited,
        procurement.qualified,
    )
    standings = {p.organisation_id: (p.standing, p.reason) for p in Participant.objects.all()}
    assert (Standing.NOT_SELECTED, curlew_reason) == standings[ids[4]]
    assert (
        Standing.INVITED,
        "Invited to tender: ranked 1 of 5 qualifying candidates with 14.00 points.",
    ) == standings[ids[0]]
    letters = Letter.objects.filter(procurement=procurement).order_by("recipient__name")
    assert {INVITATION: 4, REGRET: 1} == {
        kind: letters.filter(kind=kind).count() for kind in (INVITATION, REGRET)
    }
    regret = letters.get(kind=REGRET)
    assert ids[4] == regret.recipient_id
    assert curlew_reason in regret.body
    assert (
        "- R&D track record: 2 of 5 (weight 2, minimum 2). Assessors' reason: Track record worth 2."
        in regret.body
    )
    assert ("6.00", 5, False) == (
        regret.facts["total"],
        regret.facts["rank"],
        regret.facts["invited"],
    )
    invitation = letters.get(recipient_id=ids[1])
    assert (2, "12.00", True) == (
        invitation.facts["rank"],
        invitation.facts["total"],
        invitation.facts["invited"],
    )
    assert f"/opportunities/{procurement.pk}/" in invitation.body
    assert [c["criterion"] for c in invitation.facts["criteria"]] == [
        "Insurance and finances",
        "R&D track record",
        "Delivered innovations",
    ]


@pytest.mark.parametrize(("commenced_on", "state"), REGIMES)
def test_when_only_two_qualify_both_are_invited_with_the_reason_recorded(
    wessex, five, commenced_on, state
):
    """PCR reg. 65: fewer qualified than the minimum of 3 may all be invited (invited_enough)."""
    procurement = selecting(wessex, five[:4], commenced_on=commenced_on)
    mark(wessex, procurement, five[0], track="5")
    mark(wessex, procurement, five[1], track="3")
    mark(wessex, procurement, five[2], insured=False)
    mark(wessex, procurement, five[3], track="1")
    decision = _decide(wessex, procurement)
    ids = [c.organisation.pk for c in five]
    reason = (
        "Only 2 candidates meet the selection criteria, fewer than the minimum of 3: all"
        " qualifying candidates are invited."
    )
    assert (ids[:2], reason) == (decision.invited, decision.reason)
    assert {
        str(ids[2]): "Did not meet the selection criteria: failed the pass/fail criterion"
        " “Insurance and finances”.",
        str(ids[3]): "Did not meet the selection criteria: scored 1 of 5 on “R&D track"
        " record”, below the minimum of 2.",
    } == decision.not_invited
    procurement.refresh_from_db()
    assert ("tendering", reason) == (procurement.state, decision.reason)
    heron = Letter.objects.get(recipient_id=ids[2])
    assert (
        "- Insurance and finances: not met. Assessors' reason: No public liability certificate."
        in heron.body
    )
    assert [False, True, True] == [c["met"] for c in heron.facts["criteria"]]


def test_deciding_with_marks_missing_is_refused_and_stores_nothing(wessex, five):
    procurement = selecting(wessex, five[:3])
    mark(wessex, procurement, five[0])
    mark(wessex, procurement, five[1])
    with pytest.raises(Conflict) as refused:
        _decide(wessex, procurement)
    heron = "Heron Transit CIC"
    assert (
        f"3 marks missing: {heron} on Insurance and finances, {heron} on R&D track record,"
        f" {heron} on Delivered innovations. Record them before deciding the shortlist."
    ) == refused.value.message
    _nothing_stored(procurement, "conditions_assessment")


def test_an_engine_refusal_reaches_the_user_unchanged_and_stores_nothing(wessex, five, monkeypatch):
    """PCR reg. 65: the engine refuses inviting fewer than the minimum when enough qualify."""
    from sanely.portal.selection import selectors
    from sanely.procedure import Shortlist

    procurement = selecting(wessex, five[:3], commenced_on=PCR_COMMENCED_ON)
    for candidate in five[:3]:
        mark(wessex, procurement, candidate)
    only_one = Shortlist((str(five[0].organisation.pk),), {}, "One is enough.")
    monkeypatch.setattr(selectors, "shortlist", lambda *a, **k: only_one)
    with pytest.raises(RuleRefused) as refused:
        _decide(wessex, procurement)
    assert ("PCR15-65-5", "PCR 2015 reg. 65(1)-(2), 65(6)-(7)") == (
        refused.value.rule,
        refused.value.citation,
    )
    assert "at least 3 must be" in refused.value.message
    _nothing_stored(procurement, "selection")


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.AUDITOR])
def test_only_commissioners_and_leads_decide(wessex, five, role):
    procurement = selecting(wessex, five[:1])
    mark(wessex, procurement, five[0])
    with pytest.raises(PermissionDenied, match="decides the shortlist"):
        _decide(wessex, procurement, role=role)
    _nothing_stored(procurement, "conditions_assessment")


def test_marks_are_frozen_once_the_shortlist_is_decided(wessex, five):
    procurement = selecting(wessex, five[:1])
    mark(wessex, procurement, five[0])
    _decide(wessex, procurement, role=Role.COMMISSIONER)
    with pytest.raises(Conflict, match="marks can no longer change"):
        mark(wessex, procurement, five[0], track="5")
    with pytest.raises(Conflict, match="marks can no longer change"):
        _decide(wessex, procurement)


def test_the_board_lists_missing_marks_and_proposes_no_shortlist_until_complete(wessex, five):
    procurement = selecting(wessex, five[:2])
    mark(wessex, procurement, five[0])
    board = selection_board(procurement=Procurement.objects.get(pk=procurement.pk))
    assert board.proposed is None
    assert (
        "3 marks missing: Osprey Robotics Ltd on Insurance and finances, Osprey Robotics Ltd on"
        " R&D track record, Osprey Robotics Ltd on Delivered innovations."
    ) == board.missing_sentence
    assert {"qualified": None, "invited": None, "rank": None} == {
        k: board.outcome(five[0].organisation)[k] for k in ("qualified", "invited", "rank")
    }


def test_without_a_published_minimum_the_published_maximum_of_two_is_kept(wessex, five):
    design = {**DESIGN, "partners": {"partner_model": "single", "max_candidates": 2}}
    procurement = selecting(wessex, five[:3], design=design)
    for candidate, track in zip(five[:3], ("5", "4", "3"), strict=True):
        mark(wessex, procurement, candidate, track=track)
    decision = _decide(wessex, procurement)
    assert [c.organisation.pk for c in five[:2]] == decision.invited
    assert "The 2 highest-scoring of 3 qualifying candidates are invited, the maximum." == (
        decision.reason
    )


def test_criteria_the_scoring_cannot_apply_are_shown_and_refuse_the_decision(wessex, five):
    selection = DESIGN["selection"]
    twice = {**selection, "criteria": [*selection["criteria"], selection["criteria"][1]]}
    procurement = selecting(wessex, five[:1], design={**DESIGN, "selection": twice})
    mark(wessex, procurement, five[0])
    page = wessex.client(Role.AUDITOR).get(f"/selection/procurements/{procurement.pk}/")
    assert (200, True) == (page.status_code, "cannot be applied" in page.text)
    with pytest.raises(Conflict, match="The selection criteria cannot be applied: "):
        _decide(wessex, procurement)
    _nothing_stored(procurement, "conditions_assessment")


def test_without_candidates_there_is_no_shortlist_to_decide(wessex):
    procurement = selecting(wessex, [])
    with pytest.raises(Conflict, match="Nobody submitted a request to participate"):
        _decide(wessex, procurement)
    _nothing_stored(procurement, "conditions_assessment")


def test_the_decision_is_audited_for_the_authority_with_who_is_invited(wessex, five):
    procurement = selecting(wessex, five[:2])
    mark(wessex, procurement, five[0])
    mark(wessex, procurement, five[1], insured=False)
    decision = _decide(wessex, procurement)
    event = AuditEvent.objects.get(action=selection_events.SHORTLIST_DECIDED)
    assert (str(decision.pk), wessex.organisation.pk, [five[0].organisation.pk]) == (
        event.subject_id,
        event.organisation_id,
        event.payload["invited"],
    )
    assert [str(five[1].organisation.pk)] == list(event.payload["not_invited"])
