"""A procurement in a final state of its rules (abandoned) accepts nothing more from suppliers."""

import pytest
from portal.tenders.sealed_files import pdf, upload
from portal.tenders.test_uploads import begin, put

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.procurements.actions import Action
from sanely.portal.procurements.services import procurement_act
from sanely.portal.tenders.models import ChunkedUpload, SubmissionVersion

pytestmark = pytest.mark.django_db


def abandon(wessex, procurement):
    procurement_act(
        actor=wessex.actor(Role.COMMISSIONER),
        procurement_id=procurement.pk,
        event="abandon",
        action=Action(
            justification="The need is met by the county's own fleet.",
            evidence="Cabinet decision 2026/41.",
        ),
        now=now(),
    )


def closed(response):
    assert 409 == response.status_code, response.content
    message = response.json()["message"]
    assert message.startswith("IP-2026-TEST1 is closed (Procurement terminated without award)")
    assert "accepts nothing more from suppliers" in message


def test_an_abandoned_procurement_refuses_submissions_and_issues_no_receipt(
    wessex, kestrel, procurement, open_round
):
    abandon(wessex, procurement)
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    refused = api.post(
        f"/api/v1/rounds/{open_round.pk}/submissions",
        {
            "organisation_id": kestrel.organisation.pk,
            "part": "Technical proposal",
            "file": upload(),
        },
    )
    closed(refused)
    assert "receipt" not in refused.json()
    assert 0 == SubmissionVersion.objects.count()


def test_an_abandoned_procurement_refuses_uploads_begun_and_to_begin(
    wessex, kestrel, procurement, open_round
):
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    content = pdf()
    upload_id = begin(api, open_round, kestrel.organisation, content).json()["id"]
    abandon(wessex, procurement)
    closed(put(api, upload_id, 0, content))
    closed(api.post(f"/api/v1/uploads/{upload_id}/finish"))
    closed(begin(api, open_round, kestrel.organisation, content))
    assert (1, 0) == (ChunkedUpload.objects.count(), SubmissionVersion.objects.count())


def test_an_abandoned_procurement_refuses_interest(wessex, kestrel, procurement):
    abandon(wessex, procurement)
    refused = kestrel.token_client(Role.SUPPLIER_MEMBER).post(
        f"/api/v1/opportunities/{procurement.pk}/interest",
        {"organisation_id": kestrel.organisation.pk},
        content_type="application/json",
    )
    closed(refused)


def test_an_abandoned_procurement_leaves_the_open_opportunities(
    wessex, kestrel, procurement, client
):
    listed = client.get("/api/v1/opportunities").json()
    assert [procurement.pk] == [o["id"] for o in listed["items"]]
    assert "IP-2026-TEST1" in client.get("/opportunities/").text
    abandon(wessex, procurement)
    assert [] == client.get("/api/v1/opportunities").json()["items"]
    assert "IP-2026-TEST1" not in client.get("/opportunities/").text


def test_the_public_page_of_an_abandoned_procurement_says_it_was_cancelled_and_why(
    wessex, procurement, client
):
    assert "This procurement is closed" not in client.get(f"/opportunities/{procurement.pk}/").text
    abandon(wessex, procurement)
    page = client.get(f"/opportunities/{procurement.pk}/").text
    assert "This procurement is closed: procurement terminated without award on" in page
    assert "The need is met by the county&#39;s own fleet." in page
    assert "Evidence: Cabinet decision 2026/41." in page


def test_a_supplier_is_told_once_that_the_procurement_is_closed_and_offered_nothing(
    wessex, kestrel, procurement, client
):
    abandon(wessex, procurement)
    client.force_login(kestrel.user(Role.SUPPLIER_MEMBER))
    page = client.get(f"/opportunities/{procurement.pk}/").text
    assert 1 == page.count("is closed")
    assert "Express interest" not in page
