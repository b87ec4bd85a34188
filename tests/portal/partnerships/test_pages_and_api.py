"""
The partnership through the API and the pages: a partner delivers data and sees its verdict,
the panel opens the gate and decides with reasons; a partner reads only its own part.
"""

import pytest
from portal.partnerships.world import outcome_file, partnership_world

from sanely.portal.accounts.models import Role
from sanely.portal.partnerships.models import ContractEnd, GateReview

pytestmark = pytest.mark.django_db


def test_a_partner_delivers_data_through_the_api_and_reads_its_verdict(
    wessex, django_capture_on_commit_callbacks
) -> None:
    w = partnership_world(wessex)
    contract = w.contract(w.record.kestrel)
    client = w.record.kestrel.token_client(Role.SUPPLIER_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            f"/api/v1/contracts/{contract.pk}/evidence",
            {"target_key": "target-answered", "data": outcome_file(190, 10)},
        )
    assert 201 == sent.status_code, sent.text
    progress = client.get(f"/api/v1/contracts/{contract.pk}/progress").json()
    target = progress["phases"][0]["targets"][0]
    assert "met" == target["verdict"]
    assert target["parts"][0]["explanation"].endswith("the target was at least 0.8: met.")
    data = progress["phases"][0]["instalments"]
    assert {"instalment-data": True, "instalment-effect": True, "instalment-design": False} == {
        i["key"]: i["claimable"] for i in data
    }


def test_bad_data_requests_name_the_field(wessex) -> None:
    w = partnership_world(wessex)
    contract = w.contract(w.record.kestrel)
    client = w.record.kestrel.token_client(Role.SUPPLIER_ADMIN)
    wrong = client.post(
        f"/api/v1/contracts/{contract.pk}/evidence",
        {"target_key": "no-such-target", "data": outcome_file(1, 1, name="x.pdf")},
    )
    assert 400 == wrong.status_code
    assert {"target_key", "data_file"} == set(wrong.json()["detail"])


def test_the_panel_decides_a_gate_through_the_pages(wessex) -> None:
    w = partnership_world(wessex)
    r = w.record
    browser = wessex.client(Role.PROCUREMENT_LEAD)
    page = browser.get(f"/partnerships/procurements/{w.procurement_id}/")
    assert "End the phase and open the review" in page.text
    opened = browser.post(
        f"/partnerships/procurements/{w.procurement_id}/gates", {"phase_key": "phase-design"}
    )
    review = GateReview.objects.get()
    assert f"/partnerships/gates/{review.pk}" == opened.headers["Location"]
    form = {"reasons": "Heron's data did not show the booking standard."}
    for partner, outcome in ((r.kestrel, "continue"), (r.osprey, "continue"), (r.heron, "end")):
        pk = w.contract(partner).pk
        form |= {
            f"outcome-{pk}": outcome,
            f"reasons-{pk}": f"{partner.organisation.name}: {outcome}.",
        }
    refused = browser.post(f"/partnerships/gates/{review.pk}/decision", {**form, "reasons": ""})
    assert 400 == refused.status_code
    assert "Give the panel" in refused.text
    decided = browser.post(f"/partnerships/gates/{review.pk}/decision", form)
    assert 302 == decided.status_code
    assert [w.contract(r.heron)] == [e.contract for e in ContractEnd.objects.all()]


def test_a_partner_sees_only_its_own_part_of_a_gate(wessex) -> None:
    w = partnership_world(wessex)
    r = w.record
    lead = wessex.token_client(Role.PROCUREMENT_LEAD)
    review = lead.post(
        f"/api/v1/partnerships/{w.procurement_id}/gates",
        {"phase_key": "phase-design"},
        content_type="application/json",
    ).json()
    kestrel = r.kestrel.token_client(Role.SUPPLIER_ADMIN)
    seen = kestrel.get(f"/api/v1/gates/{review['id']}").json()
    assert [str(w.contract(r.kestrel).pk)] == list(seen["record"]["partners"])
    page = r.kestrel.client(Role.SUPPLIER_ADMIN).get(f"/partnerships/gates/{review['id']}")
    assert "Osprey" not in page.text
    assert "Heron" not in page.text
    assert "Your report on the phase" in page.text
    assert "Decide the gate" not in page.text


def test_the_plan_page_offers_each_person_only_what_they_may_do(wessex) -> None:
    w = partnership_world(wessex)
    contract = w.contract(w.record.kestrel)
    url = f"/partnerships/contracts/{contract.pk}/plan"
    partner = w.record.kestrel.client(Role.SUPPLIER_MEMBER).get(url).text
    auditor = wessex.client(Role.AUDITOR).get(url).text
    lead = wessex.client(Role.PROCUREMENT_LEAD).get(url).text
    assert "Send outcome data" in partner
    assert "Record an acceptance" not in partner
    assert "Send outcome data" not in auditor
    assert "Record an acceptance" not in auditor
    assert "Record an acceptance" in lead
    assert "target-answered" not in partner.replace('value="target-answered"', "")


def test_a_claim_runs_through_the_api_and_exports_for_finance(wessex, deliver) -> None:
    w = partnership_world(wessex)
    contract = w.contract(w.record.kestrel)
    partner = w.record.kestrel.token_client(Role.SUPPLIER_ADMIN)
    body = {"instalment_key": "instalment-effect", "amount": "20000", "invoice_reference": "INV-7"}
    early = partner.post(
        f"/api/v1/contracts/{contract.pk}/claims", body, content_type="application/json"
    )
    assert 409 == early.status_code
    assert "PA23-S8-1/claim" == early.json()["rule"]
    deliver(w, w.record.kestrel, "target-answered", 190, 10)
    sent = partner.post(
        f"/api/v1/contracts/{contract.pk}/claims", body, content_type="application/json"
    )
    assert 201 == sent.status_code, sent.text
    claim = sent.json()
    finance = wessex.token_client(Role.FINANCE_OFFICER)
    approved = finance.post(f"/api/v1/claims/{claim['id']}/approval")
    assert "approved" == approved.json()["status"]
    browser = wessex.client(Role.FINANCE_OFFICER)
    export = browser.get(f"/partnerships/procurements/{w.procurement_id}/claims.csv")
    assert 200 == export.status_code
    rows = export.content.decode().splitlines()
    assert rows[1].startswith("Kestrel Mobility Ltd,Booking target met,20000.00,INV-7,")
    assert (
        403
        == wessex.client(Role.AUDITOR)
        .get(f"/partnerships/procurements/{w.procurement_id}/claims.csv")
        .status_code
    )
    dues = partner.get(f"/api/v1/contracts/{contract.pk}/dues").json()
    assert any(d["what"].startswith("Payment of the claim") for d in dues)


def test_a_change_through_the_page_makes_a_version_and_a_refused_one_says_why(wessex) -> None:
    w = partnership_world(wessex)
    contract = w.contract(w.record.kestrel)
    browser = wessex.client(Role.PROCUREMENT_LEAD)
    form = {
        "ground": "below_threshold",
        "phase_key": "phase-pilot",
        "max_value": "226000",
        "reason": "Two more villages join the pilot.",
    }
    made = browser.post(f"/partnerships/contracts/{contract.pk}/changes", form)
    assert 302 == made.status_code
    refused = browser.post(
        f"/partnerships/contracts/{contract.pk}/changes",
        {**form, "max_value": "260000", "justification": "Separate decisions."},
    )
    assert 409 == refused.status_code
    assert "PA23-74-4" in refused.text
    page = browser.get(f"/partnerships/contracts/{contract.pk}/plan").text
    assert "Version 2" in page
    assert "Two more villages join the pilot." in page
    listed = wessex.token_client(Role.AUDITOR).get(f"/api/v1/contracts/{contract.pk}/changes")
    assert [2] == [c["version"] for c in listed.json()]


def test_the_dashboard_says_what_is_waiting_in_each_partnership(wessex, deliver) -> None:
    w = partnership_world(wessex)
    deliver(w, w.record.heron, "target-answered", 10, 10)
    for partner in (w.record.kestrel, w.record.osprey):
        deliver(w, partner, "target-answered", 190, 10)
        body = {"instalment_key": "instalment-data", "amount": "10000", "invoice_reference": "I"}
        partner.token_client(Role.SUPPLIER_ADMIN).post(
            f"/api/v1/contracts/{w.contract(partner).pk}/claims",
            body,
            content_type="application/json",
        )
    page = wessex.client(Role.COMMISSIONER).get("/partnerships/").text
    assert "2 waiting for a decision" in page
    assert "At risk</strong> Booking requests answered within a day" in page
    assert page.count("Service design, ends") == 3
    outsider = w.record.kestrel.client(Role.SUPPLIER_ADMIN).get("/partnerships/").text
    assert w.record.procurement.title not in outsider


def test_what_happens_next_lists_the_payments_due_under_the_partner_contracts(
    wessex, deliver
) -> None:
    from sanely.portal.core.clock import now
    from sanely.portal.partnerships.services import claim_approve, claim_submit

    w = partnership_world(wessex)
    deliver(w, w.record.kestrel, "target-answered", 190, 10)
    claim = claim_submit(
        actor=w.record.kestrel.actor(Role.SUPPLIER_ADMIN),
        contract_id=w.contract(w.record.kestrel).pk,
        instalment_key="instalment-data",
        amount=10000,
        invoice_reference="INV-9",
        now=now(),
    )
    claim_approve(actor=wessex.actor(Role.FINANCE_OFFICER), claim_id=claim.pk, now=now())
    page = wessex.client(Role.COMMISSIONER).get(f"/procurements/{w.procurement_id}/").text
    assert "Due under the partner contracts" in page
    assert "Kestrel Mobility Ltd: Payment of the claim" in page


def test_a_checked_verdict_shows_who_checked_it_and_the_threshold_as_written(
    wessex, deliver
) -> None:
    from sanely.portal.core.clock import now
    from sanely.portal.partnerships.services import evidence_validate

    w = partnership_world(wessex)
    delivered = deliver(w, w.record.kestrel, "target-answered", 190, 10)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    evidence_validate(actor=lead, evidence_id=delivered.pk, validation="authority", now=now())
    page = wessex.client(Role.AUDITOR).get(
        f"/partnerships/contracts/{w.contract(w.record.kestrel).pk}/plan"
    )
    assert 200 == page.status_code
    assert f"own analysis ({lead.user.full_name})" in page.text
    assert "at least 0.8</h4>" in page.text


def test_the_panel_approves_an_instalment_on_the_gate_page(wessex) -> None:
    from sanely.portal.partnerships.models import GateDecision

    w = partnership_world(wessex)
    r = w.record
    browser = wessex.client(Role.PROCUREMENT_LEAD)
    browser.post(
        f"/partnerships/procurements/{w.procurement_id}/gates", {"phase_key": "phase-design"}
    )
    review = GateReview.objects.get()
    page = browser.get(f"/partnerships/gates/{review.pk}").text
    assert "Booking data delivered (£10,000.00)" in page
    form = {"reasons": "The booking system was down through no fault of the partners."}
    for partner in (r.kestrel, r.osprey, r.heron):
        pk = w.contract(partner).pk
        form |= {f"outcome-{pk}": "continue", f"reasons-{pk}": "Continue."}
    kestrel = w.contract(r.kestrel).pk
    decided = browser.post(
        f"/partnerships/gates/{review.pk}/decision",
        {**form, f"approve-{kestrel}": "instalment-data"},
    )
    assert 302 == decided.status_code
    assert ["instalment-data"] == GateDecision.objects.get(contract_id=kestrel).approved_instalments


def test_a_purchase_price_that_is_not_a_number_is_refused_on_the_gate_page(wessex) -> None:
    w = partnership_world(wessex)
    browser = wessex.client(Role.PROCUREMENT_LEAD)
    browser.post(
        f"/partnerships/procurements/{w.procurement_id}/gates", {"phase_key": "phase-design"}
    )
    review = GateReview.objects.get()
    form = {"reasons": "Kestrel's service is ready to buy."}
    for partner, outcome in ((w.record.kestrel, "purchase"), (w.record.osprey, "end")):
        pk = w.contract(partner).pk
        form |= {
            f"outcome-{pk}": outcome,
            f"reasons-{pk}": "As the panel found.",
            f"price-{pk}": "a lot",
        }
    refused = browser.post(f"/partnerships/gates/{review.pk}/decision", form)
    assert 400 == refused.status_code
    assert "Give an amount in pounds" in refused.text
    review.refresh_from_db()
    assert review.decided_at is None


def test_a_form_the_role_may_not_use_is_refused_before_the_form_is_read(wessex, deliver) -> None:
    """An empty form from a role that may not use it gets 403, as from the API, not 400."""
    w = partnership_world(wessex)
    kestrel = w.record.kestrel
    contract = w.contract(kestrel)
    deliver(w, kestrel, "target-answered", 190, 10)
    claim = kestrel.token_client(Role.SUPPLIER_ADMIN).post(
        f"/api/v1/contracts/{contract.pk}/claims",
        {"instalment_key": "instalment-data", "amount": "10000", "invoice_reference": "INV-1"},
        content_type="application/json",
    )
    assert 201 == claim.status_code, claim.text
    partner = kestrel.client(Role.SUPPLIER_ADMIN)
    evaluator = wessex.client(Role.EVALUATOR)
    refused = {
        "observation": partner.post(f"/partnerships/contracts/{contract.pk}/observations"),
        "assessment": partner.post(f"/partnerships/contracts/{contract.pk}/assessments"),
        "notice": partner.post(f"/partnerships/contracts/{contract.pk}/termination-notices"),
        "claim": evaluator.post(f"/partnerships/contracts/{contract.pk}/claims"),
        "decision": partner.post(f"/partnerships/claims/{claim.json()['id']}/decision"),
    }
    assert dict.fromkeys(refused, 403) == {n: r.status_code for n, r in refused.items()}
    # The lead may use the forms: its empty one is answered with what it lacks.
    lead = wessex.client(Role.PROCUREMENT_LEAD)
    assert 400 == lead.post(f"/partnerships/contracts/{contract.pk}/observations").status_code
