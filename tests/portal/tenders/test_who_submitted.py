"""
Sealed means who too: before a round is opened the authority's readers of the audit trail (page
and API) learn how many suppliers took part, never which ones or what they sent. Once the round
is opened, everything is shown. (The selection: tests/portal/selection/test_sealed_requests.py.)
"""

import pytest

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.tenders import events
from sanely.portal.tenders.services import round_opening_confirm, round_opening_request

pytestmark = pytest.mark.django_db


def open_round(wessex, round_):
    round_opening_request(actor=wessex.actor(Role.PROCUREMENT_LEAD), round_id=round_.pk, now=now())
    round_opening_confirm(actor=wessex.actor(Role.COMMISSIONER), round_id=round_.pk, now=now())


def received(items):
    return [e for e in items if e["action"] == events.SUBMISSION_RECEIVED]


@pytest.mark.parametrize("reader", [Role.AUDITOR, Role.PROCUREMENT_LEAD])
def test_the_audit_api_withholds_who_submitted_and_what_until_the_round_is_opened(
    wessex, kestrel, sealed, reader
):
    api = wessex.token_client(reader)
    listed = api.get("/api/v1/audit/events?limit=200")
    assert 200 == listed.status_code
    [event] = received(listed.json()["items"])
    assert (True, None, None, {}) == (
        event["sealed"],
        event["actor_email"],
        event["organisation_id"],
        event["payload"],
    )
    assert sealed.plaintext_sha256 not in listed.text
    assert sealed.submission_id not in listed.text
    # Nor can a filter by the supplier or its person find the event.
    by_supplier = api.get(f"/api/v1/audit/events?organisation_id={kestrel.organisation.pk}")
    by_person = api.get(f"/api/v1/audit/events?user_email={sealed.submitted_by.email}")
    assert [] == received(by_supplier.json()["items"]) == received(by_person.json()["items"])

    open_round(wessex, sealed.round)

    [event] = received(api.get("/api/v1/audit/events?limit=200").json()["items"])
    assert (False, sealed.submitted_by.email, kestrel.organisation.pk) == (
        event["sealed"],
        event["actor_email"],
        event["organisation_id"],
    )
    assert sealed.plaintext_sha256 == event["payload"]["sha256"]


def test_the_audit_page_withholds_who_submitted_until_the_round_is_opened(wessex, kestrel, sealed):
    client = wessex.client(Role.AUDITOR)
    page = client.get(f"/audit/?action={events.SUBMISSION_RECEIVED}")
    assert 200 == page.status_code
    assert "Withheld until opening" in page.text
    assert sealed.submitted_by.email not in page.text
    assert kestrel.organisation.name not in page.text
    filtered = client.get(f"/audit/?organisation_id={kestrel.organisation.pk}").text
    assert events.SUBMISSION_RECEIVED not in filtered

    open_round(wessex, sealed.round)

    page = client.get(f"/audit/?action={events.SUBMISSION_RECEIVED}").text
    assert "Withheld until opening" not in page
    assert sealed.submitted_by.email in page


def test_an_upload_in_progress_is_withheld_from_the_audit_trail_too(wessex, kestrel, open_round):
    from portal.tenders.test_uploads import begin

    from sanely.portal.tenders.keys import master_key  # noqa: F401 - keys exist for the upload

    supplier = kestrel.token_client(Role.SUPPLIER_MEMBER)
    assert 201 == begin(supplier, open_round, kestrel.organisation, b"%PDF-1.7 x").status_code
    items = wessex.token_client(Role.AUDITOR).get("/api/v1/audit/events?limit=200").json()["items"]
    [started] = [e for e in items if e["action"] == events.UPLOAD_STARTED]
    assert (True, None, {}) == (started["sealed"], started["organisation_id"], started["payload"])
