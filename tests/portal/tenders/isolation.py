"""
The tenders routes' cases for tests/portal/test_organisation_isolation.py: Mercia (another
authority) and Osprey (another supplier) never reach Wessex's rounds nor Kestrel's submissions.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from cast import SUPPLIER_ROLES, Org, make_org
from competition import invite, procurement_at
from portal.tenders.sealed_files import SECRET, upload

from sanely.documents import Document, Paragraph
from sanely.documents.letters.regret import KIND as REGRET
from sanely.portal.accounts.models import Role
from sanely.portal.competition.services import letter_send
from sanely.portal.core.clock import now
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.models import Interest, SubmissionRound, SubmissionVersion
from sanely.portal.tenders.services import submission_round_open, submission_submit

# Public routes, and why they hold no organisation's private data.
TENDERS_PUBLIC = {
    "receipt_key": "the portal's public receipt-signing key",
}


@dataclass
class World:
    procurement: Procurement
    draft: Procurement
    closed: SubmissionRound
    open: SubmissionRound
    kestrel: Org
    osprey: Org
    version: SubmissionVersion


def _procurement(wessex: Org, reference: str, published: bool) -> Procurement:
    moment = now() - timedelta(days=30)
    return Procurement.objects.create(
        organisation=wessex.organisation,
        reference=reference,
        title=f"Wessex {reference}",
        nation="england",
        commenced_on=date(2026, 10, 1),
        rulebook_id="pcr2015",
        rulebook_effective_from=date(2015, 2, 26),
        rulebook_hash="0" * 64,
        state="published",
        published_at=moment if published else None,
        created_by=wessex.user(Role.COMMISSIONER),
        created_at=moment,
        updated_at=moment,
    )


def world(wessex: Org) -> World:
    procurement = procurement_at(wessex, "tendering", reference="IP-ISO-1")
    draft = _procurement(wessex, "IP-ISO-DRAFT", published=False)
    kestrel = make_org("Kestrel Mobility Ltd", "supplier", SUPPLIER_ROLES, slug="kestrel")
    invite(procurement, kestrel)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    start = now() - timedelta(days=2)
    closed = submission_round_open(
        actor=lead,
        procurement_id=procurement.pk,
        kind="rtp",
        number=1,
        deadline=start + timedelta(days=1),
        now=start,
    )
    open_ = submission_round_open(
        actor=lead,
        procurement_id=procurement.pk,
        kind="tender",
        number=1,
        deadline=now() + timedelta(days=12),
        now=now(),
    )
    osprey = make_org("Osprey Robotics Ltd", "supplier", SUPPLIER_ROLES, slug="osprey")
    version = submission_submit(
        actor=kestrel.actor(Role.SUPPLIER_ADMIN),
        round_id=closed.pk,
        organisation_id=kestrel.organisation.pk,
        part="Request to participate",
        upload=upload(),
        now=start + timedelta(hours=1),
    )
    return World(procurement, draft, closed, open_, kestrel, osprey, version)


def outsiders(w: World, mercia: Org) -> list:
    """(browser, API client) of another authority and of another supplier."""
    return [
        (mercia.client(Role.PROCUREMENT_LEAD), mercia.token_client(Role.PROCUREMENT_LEAD)),
        (w.osprey.client(Role.SUPPLIER_ADMIN), w.osprey.token_client(Role.SUPPLIER_ADMIN)),
    ]


def case_opportunities(wessex, mercia):
    w = world(wessex)
    page = mercia.client(Role.PROCUREMENT_LEAD).get("/opportunities/")
    api = mercia.token_client(Role.PROCUREMENT_LEAD).get("/api/v1/opportunities").json()
    assert w.procurement.title in page.text
    assert w.draft.title not in page.text
    assert [w.procurement.pk] == [o["id"] for o in api["items"]]


def case_opportunity(wessex, mercia):
    w = world(wessex)
    browser = mercia.client(Role.PROCUREMENT_LEAD)
    assert 404 == browser.get(f"/opportunities/{w.draft.pk}/").status_code
    api = mercia.token_client(Role.PROCUREMENT_LEAD)
    assert 404 == api.get(f"/api/v1/opportunities/{w.draft.pk}").status_code
    # A published one shows no submission, nor who submitted.
    page = w.osprey.client(Role.SUPPLIER_ADMIN).get(f"/opportunities/{w.procurement.pk}/")
    assert "Kestrel" not in page.text


def case_interest(wessex, mercia):
    w = world(wessex)
    for browser, client in outsiders(w, mercia):
        page = browser.post(
            f"/opportunities/{w.procurement.pk}/interest",
            {"organisation_id": w.kestrel.organisation.pk},
        )
        api = client.post(
            f"/api/v1/opportunities/{w.procurement.pk}/interest",
            {"organisation_id": w.kestrel.organisation.pk},
            content_type="application/json",
        )
        assert {404} == {page.status_code, api.status_code}
    assert 0 == Interest.objects.count()


def case_submission(wessex, mercia):
    w = world(wessex)
    kestrel_id = w.kestrel.organisation.pk
    for browser, client in outsiders(w, mercia):
        url = f"/opportunities/rounds/{w.open.pk}/as/{kestrel_id}/"
        assert 404 == browser.get(url).status_code
        assert 404 == browser.post(url, {"part": "Tender", "file": upload()}).status_code
        api = client.get(
            f"/api/v1/rounds/{w.open.pk}/submissions/mine?organisation_id={kestrel_id}"
        )
        assert 404 == api.status_code
        sent = client.post(
            f"/api/v1/rounds/{w.open.pk}/submissions",
            {"organisation_id": kestrel_id, "part": "Tender", "file": upload()},
        )
        assert 404 == sent.status_code
    assert [w.version.pk] == list(SubmissionVersion.objects.values_list("pk", flat=True))


def case_upload(wessex, mercia):
    import hashlib

    from sanely.portal.tenders.models import ChunkedUpload
    from sanely.portal.tenders.services import upload_begin

    w = world(wessex)
    content = b"%PDF-1.7\n%%EOF\n"
    upload = upload_begin(
        actor=w.kestrel.actor(Role.SUPPLIER_ADMIN),
        round_id=w.open.pk,
        organisation_id=w.kestrel.organisation.pk,
        part="Tender",
        name="t.pdf",
        total_size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        now=now(),
    )
    for _, client in outsiders(w, mercia):
        body = {
            "organisation_id": w.kestrel.organisation.pk,
            "part": "Tender",
            "name": "t.pdf",
            "total_size": 10,
            "sha256": "0" * 64,
        }
        started = client.post(
            f"/api/v1/rounds/{w.open.pk}/uploads", body, content_type="application/json"
        )
        assert 404 == started.status_code
        assert 404 == client.get(f"/api/v1/uploads/{upload.pk}").status_code
        chunk = client.put(
            f"/api/v1/uploads/{upload.pk}/chunks?offset=0",
            content,
            content_type="application/octet-stream",
        )
        assert 404 == chunk.status_code
        assert 404 == client.post(f"/api/v1/uploads/{upload.pk}/finish").status_code
    assert [upload.pk] == list(ChunkedUpload.objects.values_list("pk", flat=True))
    assert [] == ChunkedUpload.objects.get().received


def case_receipt(wessex, mercia):
    w = world(wessex)
    for browser, client in [
        *outsiders(w, mercia),
        (wessex.client(Role.PROCUREMENT_LEAD), wessex.token_client(Role.PROCUREMENT_LEAD)),
    ]:
        page = browser.get(f"/opportunities/receipts/{w.version.pk}")
        api = client.get(f"/api/v1/submissions/{w.version.pk}/receipt")
        assert {404} == {page.status_code, api.status_code}


def case_rounds(wessex, mercia):
    w = world(wessex)
    deadline = (now() + timedelta(days=5)).isoformat()
    for browser, client in outsiders(w, mercia):
        url = f"/tenders/procurements/{w.procurement.pk}/rounds"
        assert 404 == browser.get(url).status_code
        posted = browser.post(url, {"kind": "tender", "number": 2, "deadline": "2030-01-01 12:00"})
        assert 404 == posted.status_code
        api = f"/api/v1/procurements/{w.procurement.pk}/rounds"
        assert 404 == client.get(api).status_code
        body = {"kind": "tender", "number": 2, "deadline": deadline}
        assert 404 == client.post(api, body, content_type="application/json").status_code
    assert 2 == SubmissionRound.objects.count()


def case_round(wessex, mercia):
    w = world(wessex)
    for browser, client in outsiders(w, mercia):
        assert 404 == browser.get(f"/tenders/rounds/{w.closed.pk}/").status_code
        assert 404 == client.get(f"/api/v1/rounds/{w.closed.pk}/submissions").status_code
        body = {"new_deadline": (now() + timedelta(days=9)).isoformat(), "reason": "x"}
        extended = client.post(
            f"/api/v1/rounds/{w.open.pk}/extensions", body, content_type="application/json"
        )
        assert 404 == extended.status_code
        page = f"/tenders/rounds/{w.open.pk}/extend"
        assert 404 == browser.get(page).status_code
        later = {"new_deadline": "2027-01-01 12:00", "reason": "x"}
        assert 404 == browser.post(page, later).status_code
    assert 0 == w.open.extensions.count()


def case_opening(wessex, mercia):
    w = world(wessex)
    for browser, client in outsiders(w, mercia):
        for url in (
            f"/tenders/rounds/{w.closed.pk}/opening",
            f"/tenders/rounds/{w.closed.pk}/opening/confirm",
            f"/api/v1/rounds/{w.closed.pk}/opening",
            f"/api/v1/rounds/{w.closed.pk}/opening/confirm",
        ):
            poster = client if url.startswith("/api/") else browser
            assert 404 == poster.post(url).status_code, url
    w.closed.refresh_from_db()
    assert (None, None) == (w.closed.opening_requested_at, w.closed.opened_at)


def case_content(wessex, mercia):
    w = world(wessex)
    for browser, client in outsiders(w, mercia):
        page = browser.get(f"/tenders/submissions/{w.version.pk}/content")
        api = client.get(f"/api/v1/submissions/{w.version.pk}/content")
        assert {404} == {page.status_code, api.status_code}
        assert SECRET not in page.content + api.content


def case_letters(wessex, mercia):
    w = world(wessex)
    secret = Document(REGRET, "Not invited", (Paragraph(f"Our reasons: {SECRET.decode()}"),))
    letter = letter_send(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement=w.procurement,
        recipient=w.kestrel.organisation,
        document=secret,
        now=now(),
    )
    kestrel_id = w.kestrel.organisation.pk
    for browser, client in outsiders(w, mercia):
        page = browser.get(f"/opportunities/letters/{letter.pk}")
        one = client.get(f"/api/v1/letters/{letter.pk}")
        listed = client.get(
            f"/api/v1/opportunities/{w.procurement.pk}/letters?organisation_id={kestrel_id}"
        )
        assert {404} == {page.status_code, one.status_code, listed.status_code}
        assert SECRET not in page.content + one.content + listed.content
        assert "Not invited" not in browser.get(f"/opportunities/{w.procurement.pk}/").text


TENDERS_CASES = {
    "tenders:letter": case_letters,
    "api:letter_list": case_letters,
    "api:letter_detail": case_letters,
    "tenders:opportunities": case_opportunities,
    "api:opportunity_list": case_opportunities,
    "tenders:opportunity": case_opportunity,
    "api:opportunity_detail": case_opportunity,
    "tenders:interest": case_interest,
    "api:interest_express": case_interest,
    "tenders:submission": case_submission,
    "api:submission_status": case_submission,
    "api:submission_create": case_submission,
    "tenders:receipt": case_receipt,
    "api:receipt_download": case_receipt,
    "api:upload_begin": case_upload,
    "api:upload_detail": case_upload,
    "api:upload_chunk": case_upload,
    "api:upload_finish": case_upload,
    "tenders:rounds": case_rounds,
    "api:round_list": case_rounds,
    "api:round_open": case_rounds,
    "tenders:round": case_round,
    "api:round_submission_list": case_round,
    "api:round_extend": case_round,
    "tenders:extend": case_round,
    "tenders:opening_request": case_opening,
    "tenders:opening_confirm": case_opening,
    "api:round_opening_request": case_opening,
    "api:round_opening_confirm": case_opening,
    "tenders:content": case_content,
    "api:content_download": case_content,
}
