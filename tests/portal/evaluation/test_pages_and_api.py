"""The evaluation through the API and the pages, from declaration to sign-off."""

import json

import pytest
from portal.evaluation.world import close_tendering, declare_all, ready, score, submit

from sanely.portal.accounts.models import Role
from sanely.portal.competition.models import ConflictDeclaration
from sanely.portal.evaluation.models import Consensus, EvaluationOutcome, Score

pytestmark = pytest.mark.django_db

SCORES = ([8, 7, 6], [7, 7, 9], [6, 5, 5])
PRICES = ("400000", "360000", "390000")


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _api(c):
    return f"/api/v1/evaluation/procurements/{c.procurement.pk}"


def test_through_the_api_an_evaluator_declares_scores_and_submits(c):
    evaluator = c.authority.token_client(Role.EVALUATOR)
    kestrel = c.tenderers[0]
    declared = _post(evaluator, f"{_api(c)}/declarations", {"conflict": False})
    assert (201, False) == (declared.status_code, declared.json()["conflict"])
    url = f"{_api(c)}/tenderers/{kestrel.pk}/scores"
    body = {"criterion": "Quality", "sub_criterion": "Service design", "justification": "Good."}
    refused = _post(evaluator, url, {**body, "score": 12})
    assert 400 == refused.status_code
    assert [
        "Score Service design from 0 to 10; 12 is outside the published scale."
    ] == refused.json()["detail"]["score"]
    assert 200 == _post(evaluator, url, {**body, "score": 8}).status_code
    unknown = _post(evaluator, url, {**body, "score": 8, "weight": 3})
    assert 422 == unknown.status_code
    early = evaluator.post(f"{_api(c)}/tenderers/{kestrel.pk}/submission")
    assert (409, ["Quality: Delivery plan", "Social value"]) == (
        early.status_code,
        early.json()["detail"]["missing"],
    )
    for sub, criterion in (("Delivery plan", "Quality"), ("", "Social value")):
        _post(evaluator, url, {**body, "criterion": criterion, "sub_criterion": sub, "score": 6})
    assert 201 == evaluator.post(f"{_api(c)}/tenderers/{kestrel.pk}/submission").status_code
    shown = evaluator.get(url).json()
    assert (True, [8, 6, 6]) == (shown["submitted"], [float(s["score"]) for s in shown["scores"]])
    overview = evaluator.get(_api(c)).json()
    assert ("Price points = price weight × lowest tendered price ÷ this tender's price.") == (
        overview["price_formula"]
    )
    assert {"Heron Transit CIC": 0, "Kestrel Mobility Ltd": 3, "Osprey Robotics Ltd": 0} == {
        t["tenderer"]["name"]: t["scored"] for t in overview["tenderers"]
    }


def test_through_the_api_the_lead_moderates_ranks_and_signs_off(c):
    ready(
        c,
        {t.pk: s for t, s in zip(c.tenderers, SCORES, strict=True)},
        {t.pk: p for t, p in zip(c.tenderers, PRICES, strict=True)},
    )
    lead = c.authority.token_client(Role.PROCUREMENT_LEAD)
    kestrel = c.tenderers[0]
    sheet = lead.get(f"{_api(c)}/tenderers/{kestrel.pk}/moderation").json()
    assert [True, "0.00"] == [sheet["ready"], sheet["rows"][0]["spread"]]
    changed = _post(
        lead,
        f"{_api(c)}/tenderers/{kestrel.pk}/consensus",
        {"criterion": "Social value", "score": 7, "reason": ""},
    )
    assert (400, ["reason"]) == (changed.status_code, list(changed.json()["detail"]))
    ranking = lead.get(f"{_api(c)}/ranking").json()
    assert [("Osprey Robotics Ltd", "81.00"), ("Kestrel Mobility Ltd", "78.00")] == [
        (line["tenderer"]["name"], line["total"]) for line in ranking["lines"][:2]
    ]
    refused = lead.post(f"{_api(c)}/sign-off")
    assert (409, "conflict") == (refused.status_code, refused.json()["code"])
    close_tendering(c)
    signed = lead.post(f"{_api(c)}/sign-off")
    assert (201, [1, 2, 3]) == (signed.status_code, [o["rank"] for o in signed.json()])
    auditor = c.authority.token_client(Role.AUDITOR)
    assert 3 == len(auditor.get(f"{_api(c)}/ranking").json()["lines"])


def test_the_ranking_is_for_moderators_until_the_sign_off(c):
    declare_all(c)
    assert 403 == c.authority.token_client(Role.AUDITOR).get(f"{_api(c)}/ranking").status_code
    assert 403 == c.authority.token_client(Role.EVALUATOR).get(f"{_api(c)}/ranking").status_code


def _page(c):
    return f"/evaluation/procurements/{c.procurement.pk}/"


def test_the_pages_take_an_evaluator_from_declaration_to_submitted_scores(c):
    browser = c.authority.client(Role.EVALUATOR)
    kestrel = c.tenderers[0]
    overview = browser.get(_page(c))
    assert "Price points = price weight × lowest tendered price ÷ this tender&#39;s price." in (
        overview.text
    )
    declared = browser.post(_page(c) + "declare", {"conflict": "yes", "details": ""})
    assert 400 == declared.status_code
    assert "Say what the conflict is" in declared.text
    assert 302 == browser.post(_page(c) + "declare", {"conflict": "no"}).status_code
    url = f"{_page(c)}tenderers/{kestrel.pk}/scores"
    page = browser.get(url)
    assert f"/tenders/submissions/{c.versions[kestrel.pk].pk}/content" in page.text
    outside = browser.post(url, {"score_0": "12", "justification_0": "Superb."})
    assert 400 == outside.status_code
    assert "Score Service design from 0 to 10; 12 is outside the published scale." in (outside.text)
    saved = browser.post(
        url,
        {
            "score_0": "8",
            "justification_0": "Phone booking tested.",
            "score_1": "7",
            "justification_1": "A plan with dates.",
            "score_2": "6",
            "justification_2": "Jobs.",
        },
    )
    assert 302 == saved.status_code
    assert 3 == Score.objects.count()
    assert 302 == browser.post(url, {"action": "submit"}).status_code
    assert "they can no longer change" in browser.get(url).text


def test_the_moderation_page_shows_the_scores_side_by_side_and_records_a_consensus(c):
    declare_all(c)
    kestrel = c.tenderers[0]
    for role, values in ((Role.EVALUATOR, [7, 6, 5]), (Role.COMMISSIONER, [9, 6, 4])):
        score(c, role, kestrel, values)
        submit(c, role, kestrel)
    browser = c.authority.client(Role.PROCUREMENT_LEAD)
    url = f"{_page(c)}tenderers/{kestrel.pk}/moderation"
    page = browser.get(url)
    assert "Evaluator of Wessex County Council: <strong>7.00</strong>" in page.text
    assert ">2.00<" in page.text  # the spread on Service design
    missing = browser.post(url, {"form": "consensus", "place": "0", "score": "8", "reason": ""})
    assert 400 == missing.status_code
    agreed = browser.post(
        url, {"form": "consensus", "place": "0", "score": "8", "reason": "Met in the middle."}
    )
    assert 302 == agreed.status_code
    assert "Met in the middle." in browser.get(url).text


def test_the_moderation_page_refuses_a_criterion_or_form_that_is_not_listed(c):
    declare_all(c)
    kestrel = c.tenderers[0]
    for role, values in ((Role.EVALUATOR, [7, 6, 5]), (Role.COMMISSIONER, [9, 6, 4])):
        score(c, role, kestrel, values)
        submit(c, role, kestrel)
    browser = c.authority.client(Role.PROCUREMENT_LEAD)
    url = f"{_page(c)}tenderers/{kestrel.pk}/moderation"
    refused = browser.post(
        url, {"form": "consensus", "place": "99", "score": "8", "reason": "Agreed."}
    )
    assert 400 == refused.status_code
    assert "Choose one of the criteria listed." in refused.text
    assert not Consensus.objects.filter(procurement=c.procurement).exists()
    unknown = browser.post(
        url, {"form": "verdict", "place": "0", "score": "8", "reason": "Agreed."}
    )
    assert 400 == unknown.status_code
    assert "Send one of the moderation forms: consensus, strengths, price, low." in unknown.text
    assert not Consensus.objects.filter(procurement=c.procurement).exists()


def test_the_results_page_signs_off(c):
    ready(
        c,
        {t.pk: s for t, s in zip(c.tenderers, SCORES, strict=True)},
        {t.pk: p for t, p in zip(c.tenderers, PRICES, strict=True)},
    )
    browser = c.authority.client(Role.COMMISSIONER)
    url = f"{_page(c)}results"
    # The commissioner scored: a clean declaration, so they may also sign off.
    refused = browser.post(url, {"form": "sign_off"})
    assert 409 == refused.status_code
    assert "signed off once tendering has closed" in refused.text
    close_tendering(c)
    assert 302 == browser.post(url, {"form": "sign_off"}).status_code
    assert 3 == EvaluationOutcome.objects.count()
    assert "Signed-off ranking" in browser.get(url).text


def test_a_supplier_and_the_finance_officer_are_kept_out(c):
    declare_all(c)
    assert 404 == c.orgs[0].client(Role.SUPPLIER_ADMIN).get(_page(c)).status_code
    finance = c.authority.client(Role.FINANCE_OFFICER)
    assert 403 == finance.post(_page(c) + "declare", {"conflict": "no"}).status_code
    assert 3 == ConflictDeclaration.objects.count()


def test_the_moderation_page_decides_on_an_abnormally_low_tender(c):
    ready(
        c,
        {t.pk: s for t, s in zip(c.tenderers, SCORES, strict=True)},
        {t.pk: p for t, p in zip(c.tenderers, ("400000", "360000", "250000"), strict=True)},
    )
    heron = c.tenderers[2]
    browser = c.authority.client(Role.PROCUREMENT_LEAD)
    url = f"{_page(c)}tenderers/{heron.pk}/moderation"
    page = browser.get(url)
    assert "£250,000.00: £250,000.00 is 34.2 % below the mean" in page.text
    assert "Recorded: £250,000.00." in page.text
    unexplained = browser.post(url, {"form": "low", "decision": "accepted", "explanation": ""})
    assert 400 == unexplained.status_code
    decided = browser.post(
        url, {"form": "low", "decision": "accepted", "explanation": "Shared depots."}
    )
    assert 302 == decided.status_code
    results = browser.get(f"{_page(c)}results").text
    assert "Accepted: Shared depots." in results


def test_the_results_page_records_the_choice_at_a_tie(c):
    ready(
        c,
        {t.pk: s for t, s in zip(c.tenderers, [[8, 7, 6], [7, 7, 9], [8, 7, 6]], strict=True)},
        {t.pk: p for t, p in zip(c.tenderers, ("400000", "360000", "400000"), strict=True)},
    )
    kestrel, _, heron = c.tenderers
    browser = c.authority.client(Role.PROCUREMENT_LEAD)
    url = f"{_page(c)}results"
    page = browser.get(url)
    assert "Choose 1 to recommend" in page.text
    assert "tie at the partner boundary" in page.text
    refused = browser.post(url, {"form": "tie", "chosen": [str(kestrel.pk)], "reason": ""})
    assert 400 == refused.status_code
    chosen = browser.post(
        url, {"form": "tie", "chosen": [str(heron.pk)], "reason": "Tested in two villages."}
    )
    assert 302 == chosen.status_code
    assert "tie at the partner boundary" not in browser.get(url).text
