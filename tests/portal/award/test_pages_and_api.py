"""The award through the pages and the API: who reads, who acts, and refusals shown plainly."""

from datetime import timedelta
from html import escape

import pytest
from portal.award.record import NOT_SELECTED_REASON

from sanely.portal.accounts.models import Role
from sanely.portal.award.models import Contract
from sanely.portal.award.services import award_notify
from sanely.portal.competition.models import Letter
from sanely.portal.core.clock import now

pytestmark = pytest.mark.django_db


def award_url(record, tail=""):
    return f"/award/procurements/{record.procurement.pk}/{tail}"


def api_url(record, tail=""):
    return f"/api/v1/award/procurements/{record.procurement.pk}{tail}"


def notified_weeks_ago(wessex, record):
    award_notify(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=record.procurement.pk,
        now=now() - timedelta(days=21),
    )
    return record


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.EVALUATOR, Role.FINANCE_OFFICER])
def test_every_authority_role_reads_the_award_page_and_report(wessex, pcr, role):
    browser = wessex.client(role)
    page = browser.get(award_url(pcr))
    report = browser.get(award_url(pcr, "report"))
    assert (200, 200) == (page.status_code, report.status_code)
    assert "Kestrel Mobility Ltd" in page.text
    assert escape(NOT_SELECTED_REASON) in report.text
    assert (False, True) == (
        "Send the award decision notices" in page.text,
        "A commissioner or procurement lead of the authority sends them." in page.text,
    )


def test_the_lead_is_offered_the_notices_form(wessex, pcr):
    page = wessex.client(Role.PROCUREMENT_LEAD).get(award_url(pcr))
    assert "Send the award decision notices" in page.text
    assert f'action="/award/procurements/{pcr.procurement.pk}/notify"' in page.text


def test_the_lead_sends_the_notices_from_the_page(wessex, pcr):
    response = wessex.client(Role.PROCUREMENT_LEAD).post(award_url(pcr, "notify"), {})
    assert (302, award_url(pcr)) == (response.status_code, response.url)
    assert 5 == Letter.objects.filter(procurement=pcr.procurement).count()
    page = wessex.client(Role.AUDITOR).get(award_url(pcr))
    assert "No contract can be concluded before then (PCR 2015 reg. 87)" in page.text
    assert "left)" in page.text


def test_concluding_during_the_standstill_shows_the_rule_and_stores_nothing(wessex, pcr):
    lead = wessex.client(Role.PROCUREMENT_LEAD)
    lead.post(award_url(pcr, "notify"), {})
    page = lead.post(award_url(pcr, "conclude"))
    assert 409 == page.status_code
    assert "The standstill runs until the end of" in page.text
    assert "(PCR 2015 reg. 87; rule PCR15-87-1)" in page.text
    assert 0 == Contract.objects.count()


def test_the_commissioner_concludes_after_the_standstill_and_the_partner_reads_it(wessex, pcr):
    notified_weeks_ago(wessex, pcr)
    assert "it has ended" in wessex.client(Role.COMMISSIONER).get(award_url(pcr)).text
    response = wessex.client(Role.COMMISSIONER).post(award_url(pcr, "conclude"))
    assert 302 == response.status_code
    kestrels = Contract.objects.get(partner=pcr.kestrel.organisation)
    page = pcr.kestrel.client(Role.SUPPLIER_MEMBER).get(f"/award/contracts/{kestrels.pk}")
    assert 200 == page.status_code
    assert "95% of trips on time" in page.text
    assert "£450,000.00" in page.text


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.AUDITOR])
def test_other_roles_cannot_notify_or_conclude(wessex, pcr, role):
    browser, client = wessex.client(role), wessex.token_client(role)
    assert 403 == browser.post(award_url(pcr, "notify"), {}).status_code
    api = client.post(api_url(pcr, "/notices"), {}, content_type="application/json")
    assert 403 == api.status_code
    assert 0 == Letter.objects.count()


def test_the_api_sends_notices_and_shows_the_standstill(wessex, pa):
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    sent = client.post(api_url(pa, "/notices"), {}, content_type="application/json")
    assert 201 == sent.status_code
    assert {"Assessment summary"} == {letter["content"]["notice"] for letter in sent.json()}
    detail = client.get(api_url(pa)).json()
    assert ("standstill", "publish_award_notice", "PA23-51") == (
        detail["state"],
        detail["notify_event"],
        detail["standstill"]["rule"],
    )
    assert [1, 2, 3] == [o["rank"] for o in detail["outcomes"]]


def test_the_api_refuses_a_contract_in_the_standstill_with_rule_and_citation(wessex, pa):
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    client.post(api_url(pa, "/notices"), {}, content_type="application/json")
    refused = client.post(api_url(pa, "/contracts"))
    assert (409, "PA23-51", "Procurement Act 2023 s.51") == (
        refused.status_code,
        refused.json()["rule"],
        refused.json()["citation"],
    )
    assert 0 == Contract.objects.count()


def test_the_api_concludes_and_the_partner_lists_its_contract(wessex, pcr):
    notified_weeks_ago(wessex, pcr)
    concluded = wessex.token_client(Role.COMMISSIONER).post(api_url(pcr, "/contracts"))
    assert 201 == concluded.status_code
    assert ["Kestrel Mobility Ltd", "Osprey Robotics Ltd"] == [
        c["partner"] for c in concluded.json()
    ]
    osprey = pcr.osprey.token_client(Role.SUPPLIER_ADMIN)
    listed = osprey.get(f"/api/v1/award/contracts?organisation_id={pcr.osprey.organisation.pk}")
    assert [("Osprey Robotics Ltd", "360000.00")] == [
        (c["partner"], c["tendered_price"]) for c in listed.json()
    ]


def test_unknown_fields_are_refused(wessex, pcr):
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    sent = client.post(api_url(pcr, "/notices"), {"when": "now"}, content_type="application/json")
    assert 422 == sent.status_code
    assert 0 == Letter.objects.count()


def test_the_report_api_and_download(wessex, pcr):
    notified_weeks_ago(wessex, pcr)
    report = wessex.token_client(Role.AUDITOR).get(api_url(pcr, "/report")).json()
    assert ("IP-2024-AWARD", 5) == (report["reference"], len(report["notices"]))
    assert "(a)" == report["checklist"][0]["item"]
    download = wessex.client(Role.AUDITOR).get(award_url(pcr, "report.md"))
    assert (200, "text/markdown; charset=utf-8") == (
        download.status_code,
        download["Content-Type"],
    )
    assert 'filename="procurement-report-IP-2024-AWARD.md"' in download["Content-Disposition"]
    assert "## Decision notices" in download.text


def test_notifying_without_a_signed_off_evaluation_says_why_on_the_page(wessex, pcr):
    pcr.procurement.evaluation_outcomes.all().delete()
    page = wessex.client(Role.PROCUREMENT_LEAD).post(award_url(pcr, "notify"), {})
    assert 409 == page.status_code
    assert "There is no signed-off evaluation for this procurement" in page.text
    assert 0 == Letter.objects.count()
