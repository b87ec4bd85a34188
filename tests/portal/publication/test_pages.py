"""
The public pages (search, a procurement, a notice) read only what is published, in plain English
with no identifier of ours; the authority's open-data page and review, and the API's.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from portal.award.isolation import world
from portal.publication.world import (
    abandon,
    fact,
    keep_back,
    published,
    review_all,
    run,
    withhold_value,
)

from sanely.portal.accounts.models import Role
from sanely.portal.award.models import Contract
from sanely.portal.core.clock import now
from sanely.portal.partnerships.models import ContractEnd
from sanely.portal.publication.models import FactStatus, Record, Withholding
from sanely.portal.publication.services import fact_review

pytestmark = pytest.mark.django_db


def text(response):
    """What a reader sees: the page's words without its markup."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_search_finds_by_need_outcome_and_partner(wessex):
    published(wessex, concluded=False)
    browser = Client()
    for words in ("villages", "booked trip", "KESTREL mobility", ""):
        page = text(browser.get("/open/", {"words": words}))
        assert "Demand-responsive rural transport" in page, words
        assert "1 procurement found" in page
    assert "0 procurements found" in text(browser.get("/open/", {"words": "submarines"}))
    assert "0 procurements found" in text(browser.get("/open/", {"stage": "cancelled"}))
    assert "1 procurement found" in text(browser.get("/open/", {"stage": "awarded"}))


def test_search_does_not_find_what_waits_for_review(wessex):
    published(wessex, reviewed=False, concluded=False)
    page = text(Client().get("/open/", {"words": "Kestrel"}))
    assert "0 procurements found" in page


def test_an_unknown_stage_is_refused_naming_the_field(wessex):
    published(wessex, concluded=False)
    response = Client().get("/open/", {"stage": "secret"})
    assert 400 == response.status_code
    assert "There is a problem Choose a stage from the list, or any." in text(response)


def test_the_outcome_is_read_from_what_is_published(wessex):
    """Both partners' contracts ended: the search says so once the endings are published."""
    p = published(wessex)
    assert "active" == Record.objects.get(procurement_id=p.procurement_id).outcome
    for contract in Contract.objects.filter(procurement_id=p.procurement_id):
        ContractEnd.objects.create(
            contract=contract,
            how="At a gate review: terminate the partnership",
            reasons="Neither prototype worked.",
            # The day after: the world's contracts were concluded today, and a record
            # compiles its releases in date order.
            ended_on=(now() + timedelta(days=1)).date(),
            recorded_at=now(),
        )
    run(p.procurement_id)
    assert "0 procurements found" in text(Client().get("/open/", {"outcome": "ended"}))
    review_all(wessex, p.procurement_id)
    assert "ended" == Record.objects.get(procurement_id=p.procurement_id).outcome
    assert "1 procurement found" in text(Client().get("/open/", {"outcome": "ended"}))


def test_a_procurements_page_tells_its_story_without_our_identifiers(wessex):
    p = published(wessex)
    page = text(Client().get(f"/open/{p.ocid}/"))
    for words in (
        "Partnership under way",
        "Residents of 40 villages",
        "Quality 60%",
        "Partner: Kestrel Mobility Ltd",
        "Partner: Osprey Robotics Ltd",
        "Gate review after Prototype",
        "Tender notice (UK4)",
        "Contract award notice (UK6)",
        "Download this procurement as open contracting data",
    ):
        assert words in page, words
    assert not re.search(r"ocds-s4n3ly|party-\d|award-\d|contract-\d|IP-ISO", page)


def test_withheld_information_is_announced_with_its_ground(wessex):
    w = world(wessex, concluded=False)
    run(w.procurement_id)
    withhold_value(wessex, w.procurement_id)
    keep_back(wessex, w.procurement_id)
    run(w.procurement_id)
    ocid = f"ocds-s4n3ly-{w.record.procurement.reference}"
    page = text(Client().get(f"/open/{ocid}/"))
    assert "The award’s value: withheld under Procurement Act 2023 s.94(1)(b)" in page
    assert "s.94(1)(a)" not in page  # the national-security one is not announced
    assert "Osprey" not in page
    assert "pricing" not in page  # the explanation is for the record, not the public
    notice = text(Client().get(f"/open/{ocid}/notices/award-1"))
    assert "The award’s value: withheld under Procurement Act 2023 s.94(1)(b)" in notice


def test_a_cancelled_procurement_says_so_with_its_notice(wessex):
    w = world(wessex, notified=False, concluded=False)
    abandon(wessex, w.procurement_id, "No tender met the minimum requirements.")
    run(w.procurement_id)
    fact_review(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        fact_id=fact(w.procurement_id, "cancellation").pk,
        publish=True,
        now=now(),
    )
    run(w.procurement_id)
    ocid = f"ocds-s4n3ly-{w.record.procurement.reference}"
    page = text(Client().get(f"/open/{ocid}/"))
    assert "Cancelled" in page
    assert "terminated before any contract was awarded. No tender met the minimum" in page
    notice = text(Client().get(f"/open/{ocid}/notices/cancellation"))
    assert "Procurement termination notice (UK12)" in notice
    assert "1 procurement found" in text(Client().get("/open/", {"stage": "cancelled"}))


def test_a_notice_page_reads_the_published_notice(wessex):
    p = published(wessex, concluded=False)
    notice = text(Client().get(f"/open/{p.ocid}/notices/award-1"))
    for words in (
        "Contract award notice (UK6)",
        "Partner Kestrel Mobility Ltd",
        "Standstill period",
        "Assessment summaries sent",
        "3 tenders assessed; 3 final tenders",
    ):
        assert words in notice, words


@pytest.mark.parametrize(
    "url",
    [
        "/open/ocds-s4n3ly-NOTHING/",
        "/open/ocds-s4n3ly-NOTHING/notices/tender",
        "/open/{ocid}/notices/schedule-1",  # published, but carries no notice
        "/open/{ocid}/notices/award-3",  # no such fact
    ],
)
def test_what_is_not_a_published_notice_is_not_found(wessex, url):
    p = published(wessex)
    response = Client().get(url.format(ocid=p.ocid))
    assert 404 == response.status_code
    assert "Page not found" in text(response)


def test_the_authority_sees_every_fact_and_leads_review_them(wessex):
    p = published(wessex, reviewed=False)
    lead_page = text(
        wessex.client(Role.PROCUREMENT_LEAD).get(f"/publication/procurements/{p.procurement_id}/")
    )
    assert (
        "The award to a partner Kestrel Mobility Ltd Waiting for the authority’s review"
        in lead_page
    )
    assert "Review the award to a partner Kestrel Mobility Ltd" in lead_page
    auditor_page = text(
        wessex.client(Role.AUDITOR).get(f"/publication/procurements/{p.procurement_id}/")
    )
    assert "Waiting for the authority’s review" in auditor_page
    assert "Review the award" not in auditor_page
    auditor_review = wessex.client(Role.AUDITOR).get(
        f"/publication/facts/{fact(p.procurement_id, 'award-1').pk}/review"
    )
    assert 403 == auditor_review.status_code


def test_the_review_form_offers_what_may_be_withheld_and_the_regimes_grounds(wessex):
    p = published(wessex, reviewed=False)
    award = fact(p.procurement_id, "award-1")
    browser = wessex.client(Role.PROCUREMENT_LEAD)
    page = text(browser.get(f"/publication/facts/{award.pk}/review"))
    for words in (
        "The award’s value",
        "The counts of requests and tenders",
        "Sensitive commercial information (Procurement Act 2023 s.94(1)(b))",
        "Partner Kestrel Mobility Ltd",
    ):
        assert words in page, words
    assert "PCR 2015" not in page
    refused = browser.post(
        f"/publication/facts/{award.pk}/review",
        {"decision": "publish", "withhold": ["awards.value"], "announced": "on"},
    )
    assert 400 == refused.status_code
    assert "There is a problem" in text(refused)
    assert 'href="#ground"' in refused.content.decode()
    done = browser.post(
        f"/publication/facts/{award.pk}/review",
        {
            "decision": "publish",
            "withhold": ["awards.value"],
            "ground": "pa-sensitive-commercial",
            "explanation": "Pricing.",
            "announced": "on",
        },
    )
    assert 302 == done.status_code
    assert FactStatus.QUEUED == fact(p.procurement_id, "award-1").status
    assert Withholding.objects.filter(fact=award, path="awards.value").exists()
    follow = text(browser.get(done["Location"]))
    assert "Decision recorded: the release is published shortly." in follow


def test_a_review_form_that_is_not_filled_in_properly_is_refused(wessex):
    p = published(wessex, reviewed=False)
    award = fact(p.procurement_id, "award-1")
    response = wessex.client(Role.PROCUREMENT_LEAD).post(
        f"/publication/facts/{award.pk}/review", {"decision": "shred"}
    )
    assert 400 == response.status_code
    assert FactStatus.AWAITING_REVIEW == fact(p.procurement_id, "award-1").status


def test_keeping_back_through_the_page(wessex):
    p = published(wessex, reviewed=False)
    award = fact(p.procurement_id, "award-2")
    response = wessex.client(Role.COMMISSIONER).post(
        f"/publication/facts/{award.pk}/review",
        {
            "decision": "suppress",
            "ground": "pa-sensitive-commercial",
            "explanation": "Pricing.",
            "announced": "on",
        },
        follow=True,
    )
    assert "Decision recorded: the release is kept back." in text(response)
    assert FactStatus.SUPPRESSED == fact(p.procurement_id, "award-2").status


def test_the_api_lists_every_fact_and_records_a_review(wessex):
    p = published(wessex, reviewed=False)
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    body = client.get(f"/api/v1/publication/procurements/{p.procurement_id}/facts").json()
    by_key = {item["release_id"] or item["kind"] + str(item["id"]): item for item in body["items"]}
    assert 8 == len(body["items"])
    award = next(item for item in body["items"] if item["status"] == "awaiting_review")
    assert ["awards.value", "bids"] == award["withholdable"]
    assert any(key.endswith("-tender") for key in by_key)
    refused = client.post(
        f"/api/v1/publication/facts/{award['id']}/review",
        {"publish": True, "withhold": ["awards.value"]},
        content_type="application/json",
    )
    assert 400 == refused.status_code
    assert {"ground", "explanation"} == set(refused.json()["detail"])
    done = client.post(
        f"/api/v1/publication/facts/{award['id']}/review",
        {"publish": True},
        content_type="application/json",
    )
    assert ("queued", []) == (done.json()["status"], done.json()["withholdings"])


def test_the_contract_details_notice_shows_the_kpis_its_release_cannot_carry(wessex):
    """No metrics schema is at hand: the KPIs are left out of the release, not off the notice."""
    p = published(wessex)
    contract = fact(p.procurement_id, "contract-1").published
    assert "agreedMetrics" not in contract.body["contracts"][0]
    notice = text(Client().get(f"/open/{p.ocid}/notices/contract-1"))
    assert "Contract details notice (UK7)" in notice
    kpis = [m["title"] for m in contract.omitted["contracts.agreedMetrics"][0]]
    assert kpis
    assert f"Key performance indicators {'; '.join(kpis)}" in notice
