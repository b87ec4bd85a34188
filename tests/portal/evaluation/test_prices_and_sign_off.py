"""
Prices, abnormally low tenders, the ranking by the weighted best price-quality ratio, and the
sign-off, under both regimes.

Worked by hand for the published criteria (Quality 60 = Service design 50 % + Delivery plan
50 %, Price 30 relative to the lowest, Social value 10; scale 0 to 10):

* Kestrel 8, 7, 6 at £400,000: quality 60 x (8 x 50 + 7 x 50) / 1000 = 45.00, price
  30 x 360,000 / 400,000 = 27.00, social value 10 x 6 / 10 = 6.00, total 78.00;
* Osprey 7, 7, 9 at £360,000: 42.00 + 30.00 + 9.00 = 81.00;
* Heron 6, 5, 5 at £390,000: 33.00 + 30 x 360,000 / 390,000 = 27.69 + 5.00 = 65.69.

Osprey ranks first and Kestrel second: both recommended (two partners at most); Heron third.
"""

from decimal import Decimal

import pytest
from competition import DESIGN
from django.test import TestCase
from portal.evaluation.world import (
    agree,
    close_tendering,
    competition,
    declare_all,
    price,
    ready,
    score_and_submit_all,
    strengths,
)

from sanely.documents.letters.tender_rejected import KIND as TENDER_REJECTED
from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.competition.models import Letter, Participant, Standing
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanely.portal.evaluation import events as evaluation_events
from sanely.portal.evaluation.models import AbnormallyLowDecision, EvaluationOutcome
from sanely.portal.evaluation.ranking import ranking_of
from sanely.portal.evaluation.selectors import low_flags
from sanely.portal.evaluation.services import (
    abnormally_low_decide,
    evaluation_sign_off,
    price_record,
    tie_choose,
)

pytestmark = pytest.mark.django_db

SCORES = ([8, 7, 6], [7, 7, 9], [6, 5, 5])
PRICES = ("400000", "360000", "390000")


def _ids(c, rows):
    return {t.pk: row for t, row in zip(c.tenderers, rows, strict=True)}


def _sign_off(c):
    return evaluation_sign_off(actor=c.lead, procurement_id=c.procurement.pk, now=now())


def test_the_ranking_is_the_weighted_best_price_quality_ratio_worked_by_hand(c):
    ready(c, _ids(c, SCORES), _ids(c, PRICES))
    ranking = ranking_of(c.procurement)
    assert [
        ("Osprey Robotics Ltd", 1, Decimal("81.00"), True),
        ("Kestrel Mobility Ltd", 2, Decimal("78.00"), True),
        ("Heron Transit CIC", 3, Decimal("65.69"), False),
    ] == [(line.tenderer.name, line.rank, line.total, line.recommended) for line in ranking.lines]
    heron = ranking.lines[2].breakdown
    assert [("Quality", "33.00"), ("Price", "27.69"), ("Social value", "5.00")] == [
        (b["criterion"], b["points"]) for b in heron
    ]
    assert "lowest £360,000.00 \u00f7 £390,000.00 \u00d7 30 = 27.69" == heron[1]["explanation"]
    assert "Service design: Agreed at 6 after discussion." in heron[0]["reasons"]


def test_sign_off_freezes_the_results_under_the_act_in_assessment(c):
    ready(c, _ids(c, SCORES), _ids(c, PRICES))
    with pytest.raises(Conflict, match="at the stage “Final tenders being assessed”"):
        _sign_off(c)
    close_tendering(c)
    assert "assessment" == c.procurement.state
    _sign_off(c)
    outcomes = EvaluationOutcome.objects.order_by("rank")
    assert [("Osprey Robotics Ltd", Decimal("81.00"), Decimal("360000.00"), True)] == [
        (o.tenderer.name, o.total, o.price, o.recommended) for o in outcomes[:1]
    ]
    assert "Osprey Robotics Ltd: tested booking by phone and app." == outcomes[0].strengths
    assert 1 == AuditEvent.objects.filter(action=evaluation_events.SIGNED_OFF).count()
    with pytest.raises(Conflict, match="signed off"):
        agree(c, c.tenderers[0], [1, 1, 1])


def test_under_the_regulations_sign_off_is_in_evaluation(pcr):
    ready(pcr, _ids(pcr, SCORES), _ids(pcr, PRICES))
    with pytest.raises(Conflict, match="at the stage “Final tenders being evaluated”"):
        _sign_off(pcr)
    close_tendering(pcr)
    assert "evaluation" == pcr.procurement.state
    assert 3 == len(_sign_off(pcr))


def test_sign_off_lists_everything_missing(c):
    close_tendering(c)
    declare_all(c)
    with pytest.raises(Conflict) as refused:
        _sign_off(c)
    missing = refused.value.detail["missing"]
    assert (
        "Evaluator of Wessex County Council has not submitted their scores of Heron Transit CIC."
        in missing
    )
    assert "No consensus score of Osprey Robotics Ltd on Quality: Delivery plan." in missing
    assert "No price recorded for Kestrel Mobility Ltd." in missing
    assert "Write the characteristics and relative advantages of Heron Transit CIC." in missing
    assert 3 * (2 + 3 + 1 + 1) == len(missing)
    assert 0 == EvaluationOutcome.objects.count()


def test_a_price_cites_a_final_tender_version_of_that_tenderer(c):
    declare_all(c)
    kestrel, osprey, _ = c.tenderers
    with pytest.raises(ValidationFailed) as refused:
        price_record(
            actor=c.lead,
            procurement_id=c.procurement.pk,
            tenderer_id=kestrel.pk,
            price="-5",
            version_id=c.versions[osprey.pk].pk,
            now=now(),
        )
    assert {"price", "version_id"} == set(refused.value.detail)
    price(c, kestrel, "400000")
    price(c, kestrel, "401000")
    change = AuditEvent.objects.filter(action=evaluation_events.PRICE_RECORDED).last()
    assert ("400000.00", "401000.00") == (change.payload["from"], change.payload["to"])


def _low_competition(c):
    """Heron's £250,000 is 34.2 % below the mean of the others (£380,000)."""
    ready(c, _ids(c, SCORES), _ids(c, ("400000", "360000", "250000")))
    close_tendering(c)


def _decide(c, tenderer, decision, explanation):
    return abnormally_low_decide(
        actor=c.lead,
        procurement_id=c.procurement.pk,
        tenderer_id=tenderer.pk,
        decision=decision,
        explanation=explanation,
        now=now(),
    )


def test_an_abnormally_low_tender_needs_a_recorded_decision_before_sign_off(c):
    _low_competition(c)
    heron = c.tenderers[2]
    flags = low_flags(c.procurement)
    assert [("Heron Transit CIC", None)] == [(f.tenderer.name, f.decision) for f in flags]
    assert "34.2 % below the mean of the other tenders (£380,000.00)" in flags[0].reason
    with pytest.raises(Conflict, match=r"PCR 2015 reg\. 69; Procurement Act 2023 s\.34"):
        _sign_off(c)
    with pytest.raises(ValidationFailed):
        _decide(c, heron, "accepted", " ")
    with pytest.raises(Conflict, match="not flagged"):
        _decide(c, c.tenderers[0], "accepted", "Cheap.")
    _decide(c, heron, "accepted", "Heron shares depots and drivers with its bus routes.")
    outcomes = _sign_off(c)
    assert Decimal("250000.00") == next(o.price for o in outcomes if o.tenderer == heron)


def test_a_rejected_abnormally_low_tender_leaves_the_competition_with_a_letter(c):
    _low_competition(c)
    heron = c.tenderers[2]
    with TestCase.captureOnCommitCallbacks(execute=True):
        _decide(c, heron, "rejected", "The explanation did not cover the drivers' wages.")
    participant = Participant.objects.get(organisation=heron)
    assert Standing.REJECTED == participant.standing
    assert "PCR 2015 reg. 69; Procurement Act 2023 s.34" in participant.reason
    letter = Letter.objects.get(kind=TENDER_REJECTED)
    assert (heron, "The explanation did not cover the drivers' wages.") == (
        letter.recipient,
        letter.facts["reasons"],
    )
    assert 1 == AbnormallyLowDecision.objects.count()
    outcomes = _sign_off(c)
    assert ["Osprey Robotics Ltd", "Kestrel Mobility Ltd"] == [o.tenderer.name for o in outcomes]


def test_a_tie_at_the_partner_boundary_needs_the_moderators_choice(c):
    ready(c, _ids(c, [[8, 7, 6], [7, 7, 9], [8, 7, 6]]), _ids(c, ("400000", "360000", "400000")))
    close_tendering(c)
    kestrel, osprey, heron = c.tenderers
    ranking = ranking_of(c.procurement)
    assert [heron, kestrel] == ranking.tie.tied
    with pytest.raises(Conflict, match="tie at the partner boundary: choose 1 of them"):
        _sign_off(c)
    with pytest.raises(ValidationFailed) as refused:
        tie_choose(
            actor=c.lead, procurement_id=c.procurement.pk, chosen=[osprey.pk], reason="", now=now()
        )
    assert {"chosen", "reason"} == set(refused.value.detail)
    tie_choose(
        actor=c.lead,
        procurement_id=c.procurement.pk,
        chosen=[heron.pk],
        reason="Heron's delivery plan was tested in two villages.",
        now=now(),
    )
    outcomes = {o.tenderer.name: (o.rank, o.recommended) for o in _sign_off(c)}
    assert {
        "Osprey Robotics Ltd": (1, True),
        "Heron Transit CIC": (2, True),
        "Kestrel Mobility Ltd": (2, False),
    } == outcomes


def test_a_single_partner_model_recommends_one(wessex):
    design = {**DESIGN, "partners": {"partner_model": "single", "max_partners": 1}}
    single = competition(wessex, design=design, reference="IP-2026-EVAL2")
    ready(single, _ids(single, SCORES), _ids(single, PRICES))
    assert ["Osprey Robotics Ltd"] == [
        line.tenderer.name for line in ranking_of(single.procurement).lines if line.recommended
    ]


def test_strengths_are_required_and_scoring_needs_every_evaluator(c):
    close_tendering(c)
    declare_all(c)
    score_and_submit_all(c, _ids(c, SCORES))
    for tenderer, row, amount in zip(c.tenderers, SCORES, PRICES, strict=True):
        agree(c, tenderer, row)
        price(c, tenderer, amount)
    with pytest.raises(Conflict) as refused:
        _sign_off(c)
    assert 3 == len(refused.value.detail["missing"])
    for tenderer in c.tenderers:
        strengths(c, tenderer)
    assert [1, 2, 3] == [o.rank for o in _sign_off(c)]


def test_without_a_price_criterion_no_price_is_needed(wessex):
    award = {
        **DESIGN["award"],
        "model": "fixed_price_quality",
        "criteria": [
            {"name": "Quality", "kind": "quality", "weight": "80"},
            {"name": "Social value", "kind": "social_value", "weight": "20"},
        ],
    }
    fixed = competition(wessex, design={**DESIGN, "award": award}, reference="IP-2026-EVAL4")
    declare_all(fixed)
    score_and_submit_all(fixed, _ids(fixed, ([8, 5], [6, 9], [7, 7])))
    for tenderer, row in zip(fixed.tenderers, ([8, 5], [6, 9], [7, 7]), strict=True):
        agree(fixed, tenderer, row)
        strengths(fixed, tenderer)
    close_tendering(fixed)
    outcomes = _sign_off(fixed)
    # Kestrel 80 x 8/10 + 20 x 5/10 = 74; Osprey 48 + 18 = 66; Heron 56 + 14 = 70.
    assert [
        ("Kestrel Mobility Ltd", Decimal("74.00"), None),
        ("Heron Transit CIC", Decimal("70.00"), None),
    ] == [(o.tenderer.name, o.total, o.price) for o in outcomes if o.recommended]


def test_only_a_commissioner_or_lead_signs_off_and_only_once(c):
    ready(c, _ids(c, SCORES), _ids(c, PRICES))
    close_tendering(c)
    with pytest.raises(PermissionDenied):
        evaluation_sign_off(
            actor=c.authority.actor(Role.EVALUATOR), procurement_id=c.procurement.pk, now=now()
        )
    _sign_off(c)
    with pytest.raises(Conflict, match="can no longer change"):
        _sign_off(c)
    assert 3 == EvaluationOutcome.objects.count()


def test_no_price_before_the_final_tenders_are_opened(wessex):
    closed = competition(wessex, opened=False)
    declare_all(closed)
    with pytest.raises(Conflict, match="open the final tender round first"):
        price(closed, closed.tenderers[0], "400000")
