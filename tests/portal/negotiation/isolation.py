"""
The negotiation routes' cases for tests/portal/test_organisation_isolation.py: Mercia (another
authority), Merlin (a supplier outside the competition) and Osprey (another tenderer) never
reach Wessex's negotiation nor Kestrel's minutes, questions and consents.
"""

from dataclasses import dataclass
from datetime import timedelta

from portal.negotiation.world import Negotiation, negotiation

from sanely.portal.accounts.models import Role
from sanely.portal.competition.selectors import tenderers
from sanely.portal.core.clock import now
from sanely.portal.negotiation.models import Clarification, Consent, DocumentRevision, Meeting
from sanely.portal.negotiation.services import (
    consent_give,
    document_revision_record,
    meeting_record,
    question_ask,
)

# Routes that hold no organisation's private data, and why.
NEGOTIATION_PUBLIC: dict[str, str] = {}

SECRET = "Kestrel's confidential route plan"


@dataclass
class World:
    n: Negotiation
    meeting: Meeting
    question: Clarification
    consent: Consent

    @property
    def procurement_id(self) -> int:
        return self.n.procurement.pk

    @property
    def kestrel_id(self) -> int:
        return self.n.kestrel.organisation.pk


def world(wessex) -> World:
    n = negotiation(wessex, reference="IP-ISO-NEG")
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    kestrel = n.kestrel.actor(Role.SUPPLIER_ADMIN)
    meeting = meeting_record(
        actor=lead,
        procurement_id=n.procurement.pk,
        round_id=n.round.pk,
        organisation_id=n.kestrel.organisation.pk,
        held_at=now() - timedelta(hours=1),
        attendees=["A. Lead, Wessex, lead"],
        minutes=SECRET,
        information_given=[SECRET],
        proposed_changes=["other"],
        now=now(),
    )
    document_revision_record(
        actor=lead,
        procurement_id=n.procurement.pk,
        title="Spec v2",
        summary="A new map.",
        justification="Two weeks remain.",
        now=now(),
    )
    question = question_ask(
        actor=kestrel,
        procurement_id=n.procurement.pk,
        organisation_id=n.kestrel.organisation.pk,
        question=f"About {SECRET}?",
        now=now(),
    )
    consent = consent_give(
        actor=kestrel,
        procurement_id=n.procurement.pk,
        organisation_id=n.kestrel.organisation.pk,
        item=SECRET,
        recipient="Heron Transit CIC",
        purpose="A joint depot",
        now=now(),
    )
    return World(n, meeting, question, consent)


def outsiders(w: World, mercia, *, tenderer: bool = True) -> list:
    """(browser, API client) of another authority, an outside supplier and another tenderer."""
    people = [(mercia, Role.PROCUREMENT_LEAD), (w.n.outsiders[0], Role.SUPPLIER_ADMIN)]
    if tenderer:
        people.append((w.n.osprey, Role.SUPPLIER_ADMIN))
    return [(org.client(role), org.token_client(role)) for org, role in people]


def _json(client, url, body):
    return client.post(url, body, content_type="application/json")


def _unchanged(w: World) -> None:
    assert (1, 1, 1, 1) == (
        Meeting.objects.count(),
        DocumentRevision.objects.count(),
        Clarification.objects.count(),
        Consent.objects.count(),
    )
    w.question.refresh_from_db()
    w.consent.refresh_from_db()
    assert (False, True) == (w.question.answered, w.consent.active)


def case_authority_reads(wessex, mercia):
    w = world(wessex)
    pages = [
        f"/negotiation/procurements/{w.procurement_id}/",
        f"/negotiation/procurements/{w.procurement_id}/equal-treatment",
    ]
    apis = [
        f"/api/v1/negotiation/procurements/{w.procurement_id}/{what}"
        for what in ("meetings", "clarifications", "revisions", "consents", "equal-treatment")
    ]
    for browser, client in outsiders(w, mercia):
        for url in pages:
            response = browser.get(url)
            assert 404 == response.status_code, url
            assert SECRET not in response.text
        for url in apis:
            response = client.get(url)
            assert 404 == response.status_code, url
            assert SECRET not in response.text


def case_meeting(wessex, mercia):
    w = world(wessex)
    for browser, client in outsiders(w, mercia):
        page = browser.get(f"/negotiation/meetings/{w.meeting.pk}/")
        api = client.get(f"/api/v1/negotiation/meetings/{w.meeting.pk}")
        assert {404} == {page.status_code, api.status_code}
        assert SECRET not in page.text + api.text


def case_meeting_record(wessex, mercia):
    w = world(wessex)
    body = {
        "round_id": w.n.round.pk,
        "organisation_id": w.kestrel_id,
        "attendees": ["A, B, C"],
        "held_at": (now() - timedelta(hours=1)).isoformat(),
        "minutes": "Met.",
    }
    page = f"/negotiation/procurements/{w.procurement_id}/meetings/new"
    for browser, client in outsiders(w, mercia):
        assert 404 == browser.get(page).status_code
        assert 404 == browser.post(page, {**body, "held_at": "2026-11-01 10:00"}).status_code
        api = _json(client, f"/api/v1/negotiation/procurements/{w.procurement_id}/meetings", body)
        assert 404 == api.status_code
    _unchanged(w)


def case_answer(wessex, mercia):
    w = world(wessex)
    body = {"audience": "all", "answer": "Yes."}
    for browser, client in outsiders(w, mercia):
        page = f"/negotiation/clarifications/{w.question.pk}/answer"
        assert 404 == browser.get(page).status_code
        assert 404 == browser.post(page, body).status_code
        api = _json(client, f"/api/v1/negotiation/clarifications/{w.question.pk}/answer", body)
        assert 404 == api.status_code
        assert SECRET not in api.text
    _unchanged(w)


def case_question_receipt(wessex, mercia):
    w = world(wessex)
    for browser, _ in outsiders(w, mercia):
        response = browser.get(f"/negotiation/clarifications/{w.question.pk}/receipt")
        assert 404 == response.status_code
        assert SECRET not in response.text
    _unchanged(w)


def case_revision(wessex, mercia):
    w = world(wessex)
    body = {"title": "Spec v3", "summary": "Changed.", "justification": "Enough time."}
    page = f"/negotiation/procurements/{w.procurement_id}/revisions/new"
    for browser, client in outsiders(w, mercia):
        assert 404 == browser.get(page).status_code
        assert 404 == browser.post(page, {**body, "affects": "other"}).status_code
        api = _json(client, f"/api/v1/negotiation/procurements/{w.procurement_id}/revisions", body)
        assert 404 == api.status_code
    _unchanged(w)


def case_tenderer(wessex, mercia):
    w = world(wessex)
    mine = f"/negotiation/procurements/{w.procurement_id}/as/{w.kestrel_id}/"
    api = f"/api/v1/negotiation/procurements/{w.procurement_id}"
    consent = {"item": "The route map in annex B", "recipient": "Heron", "purpose": "Depot"}
    for browser, client in outsiders(w, mercia):
        page = browser.get(mine)
        read = client.get(f"{api}/mine?organisation_id={w.kestrel_id}")
        assert {404} == {page.status_code, read.status_code}
        assert SECRET not in page.text + read.text
        assert 404 == browser.post(mine + "questions", {"question": "Hm?"}).status_code
        assert 404 == browser.post(mine + "consents", consent).status_code
        asked = _json(
            client, f"{api}/questions", {"organisation_id": w.kestrel_id, "question": "?"}
        )
        given = _json(client, f"{api}/consents", {"organisation_id": w.kestrel_id, **consent})
        assert {404} == {asked.status_code, given.status_code}
    _unchanged(w)


def case_withdraw(wessex, mercia):
    w = world(wessex)
    authority = (wessex.client(Role.PROCUREMENT_LEAD), wessex.token_client(Role.PROCUREMENT_LEAD))
    for browser, client in [*outsiders(w, mercia), authority]:
        page = browser.post(f"/negotiation/consents/{w.consent.pk}/withdraw")
        api = _json(client, f"/api/v1/negotiation/consents/{w.consent.pk}/withdraw", {})
        assert {404} == {page.status_code, api.status_code}
    _unchanged(w)


def case_reduction(wessex, mercia):
    w = world(wessex)
    page = f"/negotiation/procurements/{w.procurement_id}/reduction"
    api = f"/api/v1/negotiation/procurements/{w.procurement_id}/reductions"
    body = {"round_id": w.n.round.pk, "keep": 1, "scores": []}
    for browser, client in outsiders(w, mercia):
        assert 404 == browser.get(page).status_code
        assert 404 == browser.post(page, {"round_id": w.n.round.pk, "keep": 1}).status_code
        assert 404 == client.get(api).status_code
        assert 404 == _json(client, api, body).status_code
    assert 3 == len(tenderers(w.n.procurement))
    _unchanged(w)


NEGOTIATION_CASES: dict[str, object] = {
    "negotiation:question_receipt": case_question_receipt,
    "negotiation:procurement": case_authority_reads,
    "negotiation:equal_treatment": case_authority_reads,
    "api:negotiation_meeting_list": case_authority_reads,
    "api:negotiation_clarification_list": case_authority_reads,
    "api:negotiation_revision_list": case_authority_reads,
    "api:negotiation_consent_list": case_authority_reads,
    "api:negotiation_equal_treatment": case_authority_reads,
    "negotiation:meeting": case_meeting,
    "api:negotiation_meeting_detail": case_meeting,
    "negotiation:meeting_new": case_meeting_record,
    "api:negotiation_meeting_record": case_meeting_record,
    "negotiation:answer": case_answer,
    "api:negotiation_clarification_answer": case_answer,
    "negotiation:revision_new": case_revision,
    "api:negotiation_revision_record": case_revision,
    "negotiation:tenderer": case_tenderer,
    "api:negotiation_tenderer": case_tenderer,
    "negotiation:ask": case_tenderer,
    "api:negotiation_question_ask": case_tenderer,
    "negotiation:consent": case_tenderer,
    "api:negotiation_consent_give": case_tenderer,
    "negotiation:withdraw": case_withdraw,
    "api:negotiation_consent_withdraw": case_withdraw,
    "negotiation:reduction_new": case_reduction,
    "api:negotiation_reduction_list": case_reduction,
    "api:negotiation_reduce": case_reduction,
}
