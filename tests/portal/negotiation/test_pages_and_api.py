"""The same actions through the pages and the API."""

from datetime import timedelta

import pytest

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.negotiation.models import Clarification, Consent, DocumentRevision, Meeting
from sanely.portal.negotiation.services import document_revision_record, meeting_record

pytestmark = pytest.mark.django_db


def post_json(client, url, body):
    return client.post(url, body, content_type="application/json")


def meeting(lead, n, info=("The depot opens in June.",)):
    return meeting_record(
        actor=lead,
        procurement_id=n.procurement.pk,
        round_id=n.round.pk,
        organisation_id=n.kestrel.organisation.pk,
        held_at=now() - timedelta(hours=1),
        attendees=["A. Lead, Wessex, lead"],
        minutes="Kestrel's secret route plan.",
        information_given=list(info),
        proposed_changes=["other"],
        now=now(),
    )


def test_a_meeting_is_recorded_through_the_page(wessex, neg):
    page = wessex.client(Role.PROCUREMENT_LEAD)
    url = f"/negotiation/procurements/{neg.procurement.pk}/meetings/new"
    assert "Kestrel Mobility Ltd" in page.get(url).text
    form = {
        "round_id": neg.round.pk,
        "organisation_id": neg.kestrel.organisation.pk,
        "held_at": "2026-11-02 10:30",
        "attendees": "A. Lead, Wessex, lead\nK. Ward, Kestrel, CEO",
        "minutes": "Offline mode agreed.",
        "information_given": "The depot opens in June.\n",
        "proposed_change": "other",
        "justification": "",
    }
    sent = page.post(url, form)
    assert 302 == sent.status_code
    recorded = Meeting.objects.get()
    assert (["A. Lead, Wessex, lead", "K. Ward, Kestrel, CEO"], "2026-11-02 10:30:00+00:00") == (
        recorded.attendees,
        str(recorded.held_at),
    )
    detail = page.get(sent["Location"])
    assert "Offline mode agreed." in detail.text
    bad = page.post(url, {**form, "attendees": "Just a name", "minutes": ""})
    assert 400 == bad.status_code
    assert "Write &#39;Just a name&#39; as &#39;name, organisation, role&#39;." in bad.text


def test_a_meeting_is_recorded_through_the_api_and_refusals_carry_the_rule(wessex, pcr):
    api = wessex.token_client(Role.COMMISSIONER)
    url = f"/api/v1/negotiation/procurements/{pcr.procurement.pk}/meetings"
    body = {
        "round_id": pcr.round.pk,
        "organisation_id": pcr.kestrel.organisation.pk,
        "held_at": (now() - timedelta(hours=1)).isoformat(),
        "attendees": ["A, B, C"],
        "minutes": "Met.",
        "proposed_changes": ["award_criteria"],
    }
    refused = post_json(api, url, body)
    assert (409, "PCR15-31-14", "PCR 2015 reg. 31(14)") == (
        refused.status_code,
        refused.json()["rule"],
        refused.json()["citation"],
    )
    made = post_json(api, url, {**body, "proposed_changes": ["other"]})
    assert 201 == made.status_code
    assert [made.json()["id"]] == [m["id"] for m in api.get(url).json()]
    unknown = post_json(api, url, {**body, "colour": "red"})
    assert 422 == unknown.status_code


def test_the_tenderer_reads_its_own_minutes_and_not_anothers(neg, lead):
    recorded = meeting(lead, neg)
    own = neg.kestrel.client(Role.SUPPLIER_MEMBER).get(f"/negotiation/meetings/{recorded.pk}/")
    assert "Kestrel&#39;s secret route plan." in own.text
    other = neg.osprey.token_client(Role.SUPPLIER_ADMIN)
    assert 404 == other.get(f"/api/v1/negotiation/meetings/{recorded.pk}").status_code
    mine = neg.kestrel.token_client(Role.SUPPLIER_ADMIN).get(
        f"/api/v1/negotiation/procurements/{neg.procurement.pk}/mine"
        f"?organisation_id={neg.kestrel.organisation.pk}"
    )
    assert ["Kestrel's secret route plan."] == [m["minutes"] for m in mine.json()["meetings"]]


def test_a_tenderer_never_learns_who_else_received_a_revision(wessex, neg, lead):
    document_revision_record(
        actor=lead,
        procurement_id=neg.procurement.pk,
        title="Spec v2",
        summary="New map.",
        justification="Two weeks remain.",
        now=now(),
    )
    mine = (
        neg.kestrel.token_client(Role.SUPPLIER_ADMIN)
        .get(
            f"/api/v1/negotiation/procurements/{neg.procurement.pk}/mine"
            f"?organisation_id={neg.kestrel.organisation.pk}"
        )
        .json()
    )
    assert ["Spec v2"] == [r["title"] for r in mine["revisions"]]
    assert "recipient_ids" not in mine["revisions"][0]


def test_a_question_is_asked_and_answered_to_all_through_pages(wessex, neg):
    asker = neg.kestrel.client(Role.SUPPLIER_MEMBER)
    mine = f"/negotiation/procurements/{neg.procurement.pk}/as/{neg.kestrel.organisation.pk}/"
    empty = asker.post(mine + "questions", {"question": " "})
    assert (400, True) == (
        empty.status_code,
        "Write your question, in at most 10000 characters." in empty.text,
    )
    asked = asker.post(mine + "questions", {"question": "Is Kestrel's depot heated?"})
    assert 302 == asked.status_code
    asked = Clarification.objects.get()
    lead = wessex.client(Role.PROCUREMENT_LEAD)
    assert (
        "Is Kestrel&#39;s depot heated?"
        in lead.get(f"/negotiation/procurements/{neg.procurement.pk}/").text
    )
    answer_url = f"/negotiation/clarifications/{asked.pk}/answer"
    answered = lead.post(
        answer_url,
        {
            "audience": "all",
            "published_question": "Is the depot heated?",
            "answer": "Yes.",
        },
    )
    assert 302 == answered.status_code
    osprey_page = neg.osprey.client(Role.SUPPLIER_MEMBER).get(
        f"/negotiation/procurements/{neg.procurement.pk}/as/{neg.osprey.organisation.pk}/"
    )
    assert "Is the depot heated?" in osprey_page.text
    assert "Kestrel" not in osprey_page.text.split("<main", 1)[1]


def test_a_question_is_asked_and_answered_to_the_asker_through_the_api(wessex, neg):
    asker = neg.kestrel.token_client(Role.SUPPLIER_ADMIN)
    asked = post_json(
        asker,
        f"/api/v1/negotiation/procurements/{neg.procurement.pk}/questions",
        {"organisation_id": neg.kestrel.organisation.pk, "question": "Is our fleet fine?"},
    )
    assert (201, True) == (asked.status_code, asked.json()["own"])
    api = wessex.token_client(Role.PROCUREMENT_LEAD)
    url = f"/api/v1/negotiation/clarifications/{asked.json()['id']}/answer"
    unjustified = post_json(api, url, {"audience": "tenderer", "answer": "Yes."})
    assert (400, ["justification"]) == (
        unjustified.status_code,
        list(unjustified.json()["detail"]),
    )
    answered = post_json(
        api, url, {"audience": "tenderer", "answer": "Yes.", "justification": "Its own fleet."}
    )
    assert [neg.kestrel.organisation.pk] == answered.json()["recipient_ids"]
    listed = api.get(f"/api/v1/negotiation/procurements/{neg.procurement.pk}/clarifications")
    assert ["Kestrel Mobility Ltd"] == [c["organisation"] for c in listed.json()]
    osprey = neg.osprey.token_client(Role.SUPPLIER_ADMIN).get(
        f"/api/v1/negotiation/procurements/{neg.procurement.pk}/mine"
        f"?organisation_id={neg.osprey.organisation.pk}"
    )
    assert [] == osprey.json()["clarifications"]


def test_a_revision_through_the_page_and_the_api(wessex, neg):
    page = wessex.client(Role.PROCUREMENT_LEAD)
    url = f"/negotiation/procurements/{neg.procurement.pk}/revisions/new"
    form = {"title": "Spec v2", "summary": "New map.", "affects": "other"}
    refused = page.post(url, form)
    assert 400 == refused.status_code  # the justification field is missing
    assert "Procurement Act 2023 s.31(1)-(6): Record why the change is permitted" in refused.text
    assert 302 == page.post(url, {**form, "justification": "Two weeks remain."}).status_code
    api = wessex.token_client(Role.PROCUREMENT_LEAD)
    api_url = f"/api/v1/negotiation/procurements/{neg.procurement.pk}/revisions"
    made = post_json(
        api,
        api_url,
        {"title": "Spec v3", "summary": "Another map.", "justification": "Two weeks remain."},
    )
    assert 201 == made.status_code
    assert ["Spec v2", "Spec v3"] == [r["title"] for r in api.get(api_url).json()]
    assert 2 == DocumentRevision.objects.count()


def test_consents_through_the_page_and_the_api(wessex, neg):
    admin = neg.kestrel.client(Role.SUPPLIER_ADMIN)
    mine = f"/negotiation/procurements/{neg.procurement.pk}/as/{neg.kestrel.organisation.pk}/"
    blanket = admin.post(
        mine + "consents", {"item": "everything", "recipient": "Osprey", "purpose": "x"}
    )
    assert 400 == blanket.status_code
    assert "blanket or too vague" in blanket.text
    given = admin.post(
        mine + "consents",
        {
            "item": "The route map in annex B",
            "recipient": "Osprey Robotics Ltd",
            "purpose": "Shared interface design",
        },
    )
    assert 302 == given.status_code
    consent = Consent.objects.get()
    assert 302 == admin.post(f"/negotiation/consents/{consent.pk}/withdraw").status_code
    again = admin.post(f"/negotiation/consents/{consent.pk}/withdraw")
    assert 409 == again.status_code
    api = neg.kestrel.token_client(Role.SUPPLIER_ADMIN)
    made = post_json(
        api,
        f"/api/v1/negotiation/procurements/{neg.procurement.pk}/consents",
        {
            "organisation_id": neg.kestrel.organisation.pk,
            "item": "The route map in annex B",
            "recipient": "Heron Transit CIC",
            "purpose": "Joint depot use",
        },
    )
    assert 201 == made.status_code
    listed = wessex.token_client(Role.AUDITOR).get(
        f"/api/v1/negotiation/procurements/{neg.procurement.pk}/consents"
    )
    assert [False, True] == [c["active"] for c in listed.json()]
    withdrawn = post_json(api, f"/api/v1/negotiation/consents/{made.json()['id']}/withdraw", {})
    assert (200, False) == (withdrawn.status_code, withdrawn.json()["active"])


def test_the_equal_treatment_check_through_the_page_and_the_api(wessex, neg, lead):
    url = f"/negotiation/procurements/{neg.procurement.pk}/equal-treatment"
    api_url = f"/api/v1{url}"
    auditor = wessex.client(Role.AUDITOR)
    clean = auditor.get(api_url).json()
    assert (True, []) == (clean["clean"], clean["items"])
    assert clean["message"].startswith("Clean:")
    assert "Clean:" in auditor.get(url).text
    meeting(lead, neg)
    flagged = auditor.get(api_url).json()
    assert (False, ["Heron Transit CIC", "Osprey Robotics Ltd"]) == (
        flagged["clean"],
        flagged["items"][0]["missing"],
    )
    page = auditor.get(url).text
    assert "Flagged" in page
    assert "Not given to Heron Transit CIC, Osprey Robotics Ltd" in page
