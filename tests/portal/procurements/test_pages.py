"""The procurement pages: question pages, check your answers, actions, what happens next."""

from datetime import date

import pytest

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.procurements.models import Procurement

pytestmark = pytest.mark.django_db


def test_starting_a_procurement_leads_to_the_first_question(wessex):
    client = wessex.client(Role.COMMISSIONER)
    assert 200 == client.get("/procurements/new").status_code
    response = client.post(
        "/procurements/new",
        {"title": "Rural transport", "organisation_id": wessex.organisation.pk},
    )
    procurement = Procurement.objects.get()
    assert f"/procurements/{procurement.pk}/design/need" == response.url
    assert "pa-2023-cfp-ip" == procurement.rulebook_id
    listed = client.get("/procurements/")
    assert "Rural transport" in listed.text


def test_an_empty_title_is_shown_in_the_error_summary(wessex):
    client = wessex.client(Role.COMMISSIONER)
    response = client.post(
        "/procurements/new", {"title": "", "organisation_id": wessex.organisation.pk}
    )
    assert 400 == response.status_code
    assert 'href="#title"' in response.text
    assert not Procurement.objects.exists()


def test_people_without_an_authority_cannot_see_procurements(kestrel, wessex):
    assert 403 == kestrel.client(Role.SUPPLIER_ADMIN).get("/procurements/").status_code
    assert 403 == wessex.client(Role.AUDITOR).get("/procurements/new").status_code


def test_a_question_page_saves_rows_and_drops_the_empty_one(make_procurement, wessex):
    pid = make_procurement()
    client = wessex.client(Role.PROCUREMENT_LEAD)
    page = client.get(f"/procurements/{pid}/design/phases")
    assert 200 == page.status_code
    assert 'name="items-1-name"' in page.text  # the empty row to add another phase
    response = client.post(
        f"/procurements/{pid}/design/phases",
        {
            "items-0-name": "Prototype",
            "items-0-duration_months": "6",
            "items-0-max_value": "100000",
            "items-0-targets-0-metric": "Median wait",
            "items-0-targets-0-comparator": "<=",
            "items-0-targets-0-threshold": "20",
            "items-0-targets-0-evidence_standard": "estimate",
            "items-0-targets-1-comparator": "",
            "items-0-instalments-0-description": "On acceptance",
            "items-0-instalments-0-amount": "100000",
            "items-1-name": "",
            "items-1-targets-0-evidence_standard": "ci_bound",
            "more": "1",
        },
    )
    assert f"/procurements/{pid}/design/phases" == response.url
    phases = Procurement.objects.get(pk=pid).design["phases"]["items"]
    assert [("Prototype", 1, 1)] == [
        (p["name"], len(p["targets"]), len(p["instalments"])) for p in phases
    ]


def test_a_question_page_keeps_each_row_key_and_never_shows_it(make_procurement, wessex):
    pid = make_procurement()
    [phase] = Procurement.objects.get(pk=pid).design["phases"]["items"]
    target_key = phase["targets"][0]["key"]
    client = wessex.client(Role.PROCUREMENT_LEAD)
    page = client.get(f"/procurements/{pid}/design/phases").text
    assert f'type="hidden" name="items-0-targets-0-key" value="{target_key}"' in page
    assert 'type="hidden" name="items-1-key" value=""' in page  # the empty row gets one on saving
    response = client.post(
        f"/procurements/{pid}/design/phases",
        {
            "items-0-name": "Discovery",
            "items-0-duration_months": "2",
            "items-0-max_value": "10000",
            "items-0-targets-0-metric": "Interviews",
            "items-0-targets-0-comparator": ">=",
            "items-0-targets-0-threshold": "12",
            "items-1-key": phase["key"],
            "items-1-name": "Prototype",
            "items-1-duration_months": "6",
            "items-1-max_value": "200000",
            "items-1-targets-0-key": target_key,
            "items-1-targets-0-metric": "Median wait",
            "items-1-targets-0-comparator": "<=",
            "items-1-targets-0-threshold": "20",
            "items-1-targets-1-key": "left-empty",
            "items-1-targets-1-comparator": "",
        },
    )
    assert 302 == response.status_code, response.text
    discovery, prototype = Procurement.objects.get(pk=pid).design["phases"]["items"]
    assert (phase["key"], [target_key]) == (prototype["key"], [prototype["targets"][0]["key"]])
    assert discovery["key"] not in {"", phase["key"]}
    check = client.get(f"/procurements/{pid}/check").text
    assert f"target={target_key}" in check  # the link to assess outcome data against it
    assert target_key not in check.replace(f"target={target_key}", "")


def test_contradictions_on_a_question_page_point_to_their_fields(make_procurement, wessex):
    pid = make_procurement()
    before = Procurement.objects.get(pk=pid).design
    client = wessex.client(Role.PROCUREMENT_LEAD)
    answers = {
        "model": "price_quality",
        "social_value_minimum": "10",
        "criteria-0-name": "Quality",
        "criteria-0-kind": "quality",
        "criteria-0-weight": "70",
        "criteria-1-name": "Price",
        "criteria-1-kind": "",
        "criteria-1-weight": "20",
    }
    mistyped = client.post(f"/procurements/{pid}/design/award", answers)
    assert 400 == mistyped.status_code
    assert 'href="#criteria-1-kind"' in mistyped.text
    contradictory = client.post(
        f"/procurements/{pid}/design/award", answers | {"criteria-1-kind": "price"}
    )
    assert 400 == contradictory.status_code
    assert 'href="#criteria"' in contradictory.text
    assert "add up to 90" in contradictory.text
    assert "give it at least 10" in contradictory.text
    assert before == Procurement.objects.get(pk=pid).design


def test_check_your_answers_lists_every_problem_with_its_rule(make_procurement, wessex):
    pid = make_procurement(
        commenced_on=date(2024, 6, 3), phases={"items": []}, ipr={"model": "", "terms": ""}
    )
    page = wessex.client(Role.AUDITOR).get(f"/procurements/{pid}/check")
    assert 200 == page.status_code
    assert "PCR 2015 reg. 31(10)" in page.text
    assert "rule PCR15-31-24" in page.text
    # the auditor reads only: no link to a question page that would refuse them
    assert f"/procurements/{pid}/design/phases" not in page.text
    assert "Change" not in page.text
    writer = wessex.client(Role.COMMISSIONER).get(f"/procurements/{pid}/check")
    assert f"/procurements/{pid}/design/phases" in writer.text
    lawful = make_procurement()
    shown = wessex.client(Role.AUDITOR).get(f"/procurements/{lawful}/check").text
    assert "£600,000.00" in shown
    assert "worth 2.00 times the development investment" in shown


def test_what_happens_next_shows_state_actions_deadline_and_blockers(make_procurement, wessex):
    pid = make_procurement(conflicts={"assessment_complete": False})
    page = wessex.client(Role.COMMISSIONER).get(f"/procurements/{pid}/")
    assert "What happens next" in page.text
    assert "Procurement Act 2023 s.83" in page.text
    assert "rule PA23-83" in page.text
    assert f"/procurements/{pid}/actions/abandon" in page.text


def test_a_refused_action_is_in_the_error_summary_with_rule_and_citation(make_procurement, wessex):
    pid = make_procurement(commenced_on=date(2024, 6, 3), deadline_days=29)
    client = wessex.client(Role.COMMISSIONER)
    url = f"/procurements/{pid}/actions/submit_notice"
    response = client.post(url, {"justification": "Reviewed by legal services."})
    assert 409 == response.status_code
    assert "govuk-error-summary" in response.text
    assert "PCR 2015 reg. 31(5), 2(3)(b), 2(4); rule PCR15-31-5" in response.text
    assert "drafting" == Procurement.objects.get(pk=pid).state


def test_an_action_asks_for_its_justification_then_applies(make_procurement, wessex):
    pid = make_procurement(commenced_on=date(2024, 6, 3))
    client = wessex.client(Role.COMMISSIONER)
    url = f"/procurements/{pid}/actions/submit_notice"
    assert "Record a justification for" in client.get(url).text
    asked = client.post(url, {})
    assert 400 == asked.status_code  # a field to fill in, not a clash with the state
    assert 'href="#justification"' in asked.text
    done = client.post(url, {"justification": "Reviewed by legal services."})
    assert f"/procurements/{pid}/" == done.url
    assert "requests_open" == Procurement.objects.get(pk=pid).state
    assert AuditEvent.objects.filter(action="procurement.submit_notice").exists()
    check = client.get(f"/procurements/{pid}/check").text
    assert "The award criteria and their weighting were fixed when the call for competition" in (
        check
    )
    assert "(PCR 2015 reg. 31(14)). To change them: the award criteria are not negotiable" in check
    assert f"/procurements/{pid}/design/award" not in check
    assert f"/procurements/{pid}/design/timeline" in check
    page = client.get(f"/procurements/{pid}/")
    assert "Requests to participate close" in page.text
    assert "left" in page.text
    # The rules by their name and date; their id and hash only inside the disclosure.
    shown, disclosed = page.text.split('<details class="govuk-details', 1)
    found = Procurement.objects.get(pk=pid)
    assert "Public Contracts Regulations 2015, regulation 31" in shown
    assert found.rulebook_id not in shown
    assert found.rulebook_hash[:12] not in shown
    assert found.rulebook_hash in disclosed.split("</details>", 1)[0]


def test_the_deadline_calculator_is_public(client):
    page = client.get("/deadlines")
    assert 200 == page.status_code
    # The rules and deadlines are offered by their names, never by their codes alone.
    assert ">Procurement Act 2023, competitive flexible procedure" in page.text
    assert ">When the standstill ends<" in page.text
    assert ">pa-2023-cfp-ip<" not in page.text
    answer = client.get(
        "/deadlines",
        {
            "kind": "standstill",
            "regime": "pa-2023-cfp-ip",
            "start": "2026-12-17",
            "nation": "england",
        },
    )
    assert 200 == answer.status_code
    assert "30 December 2026" in answer.text
    assert "Procurement Act 2023 s.51" in answer.text
    refused = client.get(
        "/deadlines", {"kind": "tendering", "regime": "pcr-2015-reg31", "start": "2024-03-01"}
    )
    assert 400 == refused.status_code
    assert 'href="#kind"' in refused.text
    late_documents = client.get(
        "/deadlines",
        {
            "kind": "tendering",
            "regime": "pa-2023-cfp-ip",
            "start": "2027-03-01",
            "circumstances": ["documents_not_all_at_once"],
        },
    )
    assert "31 March 2027" in late_documents.text
    assert "Row of the table applied: tenders may be submitted electronically, but" in (
        late_documents.text
    )


def test_a_procurement_whose_pinned_rules_changed_is_a_clash_not_a_crash(make_procurement, wessex):
    pid = make_procurement()
    Procurement.objects.filter(pk=pid).update(rulebook_hash="0" * 64)
    page = wessex.client(Role.COMMISSIONER).get(f"/procurements/{pid}/")
    assert 409 == page.status_code
    assert "pa-2023-cfp-ip" in page.text


def test_pages_for_changing_take_no_row_lock_outside_a_transaction(
    make_procurement, wessex, monkeypatch
):
    from django.db import connection

    pid = make_procurement()
    client = wessex.client(Role.PROCUREMENT_LEAD)
    # Requests run in autocommit in production, where PostgreSQL refuses a row lock (the test's
    # own transaction would hide that); only a service's transaction may take one.
    monkeypatch.setattr(connection, "get_autocommit", lambda: True)
    assert 200 == client.get(f"/procurements/{pid}/design/need").status_code
    assert 200 == client.get(f"/procurements/{pid}/actions/abandon").status_code


def test_a_published_procurement_links_to_its_submission_rounds(
    wessex, make_procurement, api, lead
):
    pid = make_procurement()
    client = wessex.client(Role.PROCUREMENT_LEAD)
    assert "Submission rounds" not in client.get(f"/procurements/{pid}/").text
    event = "publish_tender_notice"
    acted = api(lead, "post", f"/api/v1/procurements/{pid}/actions/{event}", {})
    assert 200 == acted.status_code, acted.content
    page = client.get(f"/procurements/{pid}/").text
    assert f"/tenders/procurements/{pid}/rounds" in page
    assert f"/award/procurements/{pid}/report" in page


def test_steps_with_their_own_page_are_taken_there_not_by_a_bare_button(wessex):
    from competition import procurement_at

    tendering = procurement_at(wessex, "tendering")
    page = wessex.client(Role.PROCUREMENT_LEAD).get(f"/procurements/{tendering.pk}/").text
    assert "Record negotiations on the negotiation page" in page
    assert f"/procurements/{tendering.pk}/actions/negotiate" not in page
    assert f"/procurements/{tendering.pk}/actions/close_tendering" in page


def test_requests_to_participate_open_without_a_round_say_to_open_one_with_the_link(wessex):
    from datetime import timedelta

    from competition import procurement_at

    from sanely.portal.core.clock import now
    from sanely.portal.tenders.services import submission_round_open

    published = procurement_at(wessex, "participation")
    rounds = f"/tenders/procurements/{published.pk}/rounds"
    page = wessex.client(Role.PROCUREMENT_LEAD).get(f"/procurements/{published.pk}/")
    assert "No round for requests to participate is open" in page.text
    assert f'href="{rounds}">Open a round</a>' in page.text
    at = now()
    submission_round_open(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=published.pk,
        kind="rtp",
        number=1,
        deadline=at + timedelta(days=30),
        now=at,
    )
    page = wessex.client(Role.PROCUREMENT_LEAD).get(f"/procurements/{published.pk}/")
    assert "No round for requests to participate is open" not in page.text
