"""Staged reduction: by the published award criteria, only where announced, the rest told why."""

import copy
from decimal import Decimal

import pytest
from competition import DESIGN, PCR_COMMENCED_ON
from portal.negotiation.world import negotiation

from sanely.documents.letters.staged_reduction import KIND as STAGED_REDUCTION
from sanely.portal.accounts.models import Role
from sanely.portal.competition.models import Letter, Participant, Standing
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, PermissionDenied, RuleRefused, ValidationFailed
from sanely.portal.negotiation.models import Reduction
from sanely.portal.negotiation.services import TenderScore, tenders_reduce

pytestmark = pytest.mark.django_db

UNANNOUNCED = copy.deepcopy(DESIGN)
UNANNOUNCED["award"]["staged_reduction_announced"] = False


def marks(quality, social, price):
    """DESIGN's criteria: Quality (two sub-criteria), Price, Social value; scale 0 to 10."""
    return TenderScore(
        scores={
            "Quality": {"Service design": Decimal(quality), "Delivery plan": Decimal(quality)},
            "Social value": {"": Decimal(social)},
        },
        price=Decimal(price),
    )


def scored(n, *rows):
    return {t.organisation.pk: marks(*row) for t, row in zip(n.tenderers, rows, strict=True)}


def reduce(actor, n, scores, keep=2, justification="", round_id=None):
    return tenders_reduce(
        actor=actor,
        procurement_id=n.procurement.pk,
        round_id=round_id or n.round.pk,
        scores=scores,
        keep=keep,
        justification=justification,
        now=now(),
    )


def standings(n):
    return {
        p.organisation.name: p.standing
        for p in Participant.objects.filter(procurement=n.procurement)
    }


@pytest.mark.parametrize("regime", ["neg", "pcr"])
def test_the_lowest_ranked_leave_with_their_reason_and_a_letter(request, lead, regime):
    n = request.getfixturevalue(regime)
    reduction = reduce(lead, n, scored(n, (9, 8, 300000), (7, 6, 280000), (5, 5, 320000)))
    assert {
        "Kestrel Mobility Ltd": Standing.INVITED,
        "Osprey Robotics Ltd": Standing.INVITED,
        "Heron Transit CIC": Standing.REDUCED,
    } == standings(n)
    assert ["Kestrel Mobility Ltd", "Osprey Robotics Ltd", "Heron Transit CIC"] == [
        row["name"] for row in reduction.ranking
    ]
    # Quality 60 * 9/10 = 54, price 30 * 280000/300000 = 28, social value 10 * 8/10 = 8.
    assert "90.00" == reduction.ranking[0]["total"]
    heron = str(n.tenderers[2].organisation.pk)
    reason = reduction.reasons[heron]
    assert reason.startswith("Staged reduction after tenders, round 1: ranked 3rd of 3 with")
    assert "the 2 kept scored" in reason
    letter = Letter.objects.get(kind=STAGED_REDUCTION)
    assert ("Heron Transit CIC", True) == (letter.recipient.name, reason in letter.body)
    assert reason == Participant.objects.get(organisation=n.tenderers[2].organisation).reason


def test_a_tie_at_the_boundary_keeps_every_tied_tenderer(neg, lead):
    reduction = reduce(lead, neg, scored(neg, (9, 8, 300000), (7, 6, 300000), (7, 6, 300000)))
    assert 3 == len(reduction.kept)
    assert not Letter.objects.filter(kind=STAGED_REDUCTION).exists()


def test_with_one_tenderer_left_there_is_no_one_to_reduce(neg, lead):
    reduce(lead, neg, scored(neg, (9, 8, 300000), (7, 6, 280000), (5, 5, 320000)), keep=1)
    kestrel = neg.tenderers[0].organisation
    with pytest.raises(Conflict) as refused:
        reduce(lead, neg, {kestrel.pk: marks(9, 8, 300000)}, keep=1)
    assert "Kestrel Mobility Ltd alone is still in the competition" in refused.value.message
    assert 1 == Reduction.objects.count()


def test_under_the_act_an_unannounced_reduction_is_refused_by_the_engine(wessex, lead):
    """PA 2023 s.20(1), (4)(a), (5)(b): only as the tender notice and documents provide."""
    n = negotiation(wessex, design=UNANNOUNCED)
    rows = scored(n, (9, 8, 300000), (7, 6, 280000), (5, 5, 320000))
    with pytest.raises(RuleRefused) as refused:
        reduce(lead, n, rows, justification="We would like fewer tenderers.")
    assert ("PA23-20-4/reduction", "Procurement Act 2023 s.20(1), (4)(a), (5)(b), (6)") == (
        refused.value.rule,
        refused.value.citation,
    )
    assert "did not announce that the number of tenders may be reduced" in refused.value.message
    assert Standing.REDUCED not in standings(n).values()


def test_under_the_regulations_the_engine_refuses_an_unannounced_reduction(wessex, lead):
    """PCR 2015 reg. 31(19), verified (issue 10), is a GUARD: no justification lets it through."""
    n = negotiation(wessex, design=UNANNOUNCED, commenced_on=PCR_COMMENCED_ON)
    rows = scored(n, (9, 8, 300000), (7, 6, 280000), (5, 5, 320000))
    with pytest.raises(RuleRefused) as refused:
        reduce(lead, n, rows, justification="The documents of round 1 announced it.")
    assert ("PCR15-31-19", "PCR 2015 reg. 31(19)") == (
        refused.value.rule,
        refused.value.citation,
    )
    assert 0 == Reduction.objects.count()


def test_every_tenderer_and_criterion_must_be_scored_on_the_scale(neg, lead):
    rows = scored(neg, (9, 8, 300000), (7, 6, 280000), (5, 5, 320000))
    heron = neg.tenderers[2].organisation.pk
    with pytest.raises(ValidationFailed) as incomplete:
        reduce(lead, neg, {k: v for k, v in rows.items() if k != heron}, keep=3)
    assert {
        "scores": ["Score every remaining tenderer; missing: Heron Transit CIC."],
        "keep": ["Keep from 1 to 2 of the 3 remaining tenderers."],
    } == incomplete.value.detail
    with pytest.raises(ValidationFailed) as off_scale:
        reduce(lead, neg, {**rows, heron: marks(11, 5, 320000)})
    assert "Tenderer “Heron Transit CIC”" in off_scale.value.detail["scores"][0]
    assert "give a score from 0 to 10" in off_scale.value.detail["scores"][0]
    assert 0 == Reduction.objects.count()


def test_only_an_opened_round_before_the_final_one(wessex, neg, lead):
    with pytest.raises(ValidationFailed) as refused:
        reduce(lead, neg, scored(neg, (9, 8, 1), (7, 6, 1), (5, 5, 1)), round_id=-1)
    assert ["round_id"] == list(refused.value.detail)


def test_only_commissioners_and_leads_reduce(wessex, neg):
    with pytest.raises(PermissionDenied):
        reduce(wessex.actor(Role.EVALUATOR), neg, {})


def test_a_reduction_through_the_page(wessex, pcr):
    page = wessex.client(Role.PROCUREMENT_LEAD)
    url = f"/negotiation/procurements/{pcr.procurement.pk}/reduction"
    shown = page.get(url)
    assert "Quality: Service design" in shown.text
    assert "Social value" in shown.text
    form = {"round_id": pcr.round.pk, "keep": 2}
    for tenderer, (quality, social, price) in zip(
        pcr.tenderers, [(9, 8, 300000), (7, 6, 280000), (5, 5, 320000)], strict=True
    ):
        pk = tenderer.organisation.pk
        form |= {
            f"t{pk}_0": quality,
            f"t{pk}_1": quality,
            f"t{pk}_2": social,
            f"t{pk}_price": price,
        }
    missing = page.post(url, {**form, f"t{pcr.tenderers[2].organisation.pk}_2": ""})
    assert 400 == missing.status_code
    assert "Heron Transit CIC" in missing.text
    assert 302 == page.post(url, form).status_code
    assert Standing.REDUCED == standings(pcr)["Heron Transit CIC"]
    overview = page.get(f"/negotiation/procurements/{pcr.procurement.pk}/").text
    assert "1. Kestrel Mobility Ltd (90.00)" in overview


def test_a_reduction_through_the_api(wessex, neg):
    api = wessex.token_client(Role.COMMISSIONER)
    url = f"/api/v1/negotiation/procurements/{neg.procurement.pk}/reductions"
    rows = [(9, 8, 300000), (7, 6, 280000), (5, 5, 320000)]
    body = {
        "round_id": neg.round.pk,
        "keep": 1,
        "scores": [
            {
                "organisation_id": t.organisation.pk,
                "price": str(price),
                "marks": [
                    {"criterion": "Quality", "sub_criterion": "Service design", "score": q},
                    {"criterion": "Quality", "sub_criterion": "Delivery plan", "score": q},
                    {"criterion": "Social value", "score": social},
                ],
            }
            for t, (q, social, price) in zip(neg.tenderers, rows, strict=True)
        ],
    }
    made = api.post(url, body, content_type="application/json")
    assert (201, [neg.kestrel.organisation.pk]) == (made.status_code, made.json()["kept"])
    assert [made.json()["id"]] == [r["id"] for r in api.get(url).json()]
    again = api.post(url, body, content_type="application/json")
    assert 409 == again.status_code
    assert "alone is still in the competition" in again.json()["message"]
