"""The same journeys through the pages and the API: opportunities, rounds, submitting, opening."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from portal.tenders.sealed_files import docx, pdf, upload

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.config.jinja2 import uk_time
from sanely.portal.core.clock import now
from sanely.portal.tenders import events as tenders_events
from sanely.portal.tenders.models import Interest, SubmissionRound, SubmissionVersion

pytestmark = pytest.mark.django_db


def test_anyone_reads_published_opportunities_with_deadlines_in_uk_time(procurement, open_round):
    listing = Client().get("/opportunities/")
    assert 200 == listing.status_code
    assert "Villagers cannot reach the clinic" in listing.text
    detail = Client().get(f"/opportunities/{procurement.pk}/")
    assert "Wessex County Council" in detail.text
    assert "Tenders, round 1" in detail.text
    assert "11 days 23 hours" in detail.text  # time left
    assert uk_time(open_round.deadline, "%-d %B %Y, %H:%M:%S") in detail.text
    api = Client().get(f"/api/v1/opportunities/{procurement.pk}").json()
    assert (
        "Villagers cannot reach the clinic without a car.",
        "Wessex County Council",
        ["Technical proposal", "Commercial proposal"],
    ) == (api["need_summary"], api["authority"], api["rounds"][0]["parts"])


def test_a_supplier_expresses_interest_once(kestrel, procurement):
    page = kestrel.client(Role.SUPPLIER_MEMBER).post(
        f"/opportunities/{procurement.pk}/interest", {"organisation_id": kestrel.organisation.pk}
    )
    assert 302 == page.status_code
    api = kestrel.token_client(Role.SUPPLIER_ADMIN).post(
        f"/api/v1/opportunities/{procurement.pk}/interest",
        {"organisation_id": kestrel.organisation.pk},
        content_type="application/json",
    )
    assert 201 == api.status_code
    assert 1 == Interest.objects.count()
    event = AuditEvent.objects.get(action=tenders_events.INTEREST_EXPRESSED)
    assert procurement.organisation_id == event.authority_id


def test_the_authority_opens_rounds_through_the_page_and_the_api(wessex, procurement, monkeypatch):
    page = wessex.client(Role.COMMISSIONER).post(
        f"/tenders/procurements/{procurement.pk}/rounds",
        {"kind": "rtp", "number": 1, "deadline": "2027-01-10 12:00", "parts": "SQ\nCase studies"},
    )
    assert 302 == page.status_code
    rtp = SubmissionRound.objects.get(kind="rtp")
    assert (["SQ", "Case studies"], "2027-01-10 12:00:00+00:00") == (rtp.parts, str(rtp.deadline))
    summer = wessex.client(Role.COMMISSIONER).post(
        f"/tenders/procurements/{procurement.pk}/rounds",
        {"kind": "tender", "number": 1, "deadline": "2027-07-10 12:00"},
    )
    assert 302 == summer.status_code
    # Noon in British Summer Time is 11:00 UTC.
    assert "2027-07-10 11:00:00+00:00" == str(SubmissionRound.objects.get(kind="tender").deadline)
    again = wessex.client(Role.COMMISSIONER).post(
        f"/tenders/procurements/{procurement.pk}/rounds",
        {"kind": "rtp", "number": 1, "deadline": "2027-01-10 12:00"},
    )
    assert 409 == again.status_code
    assert "already has rtp round 1" in again.text
    lead = wessex.token_client(Role.PROCUREMENT_LEAD)
    url = f"/api/v1/procurements/{procurement.pk}/rounds"
    naive = lead.post(
        url,
        {"kind": "tender", "number": 2, "deadline": "2027-01-01T12:00:00"},
        content_type="application/json",
    )
    assert (400, ["deadline"]) == (naive.status_code, list(naive.json()["detail"]))
    bad = lead.post(
        url,
        {"kind": "bid", "number": 0, "deadline": "2000-01-01T12:00:00Z", "parts": ["", ""]},
        content_type="application/json",
    )
    assert {"kind", "number", "deadline", "parts"} == set(bad.json()["detail"])
    final = {"kind": "tender", "number": 2, "final": True, "deadline": "2027-09-01T12:00:00+01:00"}
    early = lead.post(url, final, content_type="application/json")
    assert (409, "rule_refused", "PA23-20-1/rounds", "Procurement Act 2023 s.20(1), (4)(c)") == (
        early.status_code,
        early.json()["code"],
        early.json()["rule"],
        early.json()["citation"],
    )
    assert early.json()["message"].startswith("Round 1 is still open: final tenders cannot be")
    on_the_page = wessex.client(Role.COMMISSIONER).post(
        f"/tenders/procurements/{procurement.pk}/rounds",
        {**final, "final": "on", "deadline": "2027-09-01 12:00"},
    )
    assert 409 == on_the_page.status_code
    assert "(Procurement Act 2023 s.20(1), (4)(c); rule PA23-20-1/rounds)" in on_the_page.text
    round_one_closed = datetime(2027, 7, 10, 12, 1, tzinfo=UTC)
    monkeypatch.setattr("sanely.portal.tenders.apis.now", lambda: round_one_closed)
    made = lead.post(url, final, content_type="application/json")
    assert (201, "Final tenders (round 2)") == (made.status_code, made.json()["label"])
    assert 3 == len(lead.get(url).json())


def test_a_supplier_submits_through_the_page_and_sees_every_part(kestrel, open_round):
    client = kestrel.client(Role.SUPPLIER_MEMBER)
    url = f"/opportunities/rounds/{open_round.pk}/as/{kestrel.organisation.pk}/"
    fresh = client.get(url)
    assert "Not yet submitted: Technical proposal, Commercial proposal." in fresh.text
    assert "Incomplete" in fresh.text
    sent = client.post(url, {"part": "Technical proposal", "file": upload()})
    assert 302 == sent.status_code
    after = client.get(url)
    assert "Not yet submitted: Commercial proposal." in after.text
    assert "proposal.pdf, version 1" in after.text
    refused = client.post(url, {"part": "Commercial proposal", "file": upload(b"MZ" + bytes(300))})
    assert 400 == refused.status_code
    assert "proposal.pdf is a Windows program" in refused.text
    missing = client.post(url, {"part": "Commercial proposal"})
    assert 400 == missing.status_code
    assert "Choose a file to upload." in missing.text
    assert 1 == SubmissionVersion.objects.count()


def test_a_supplier_submits_through_the_api_and_runs_the_completeness_check(kestrel, open_round):
    api = kestrel.token_client(Role.SUPPLIER_ADMIN)
    org = kestrel.organisation.pk
    url = f"/api/v1/rounds/{open_round.pk}/submissions"
    for part, file in (
        ("Technical proposal", upload()),
        ("Commercial proposal", upload(docx(), "c.docx")),
    ):
        sent = api.post(url, {"organisation_id": org, "part": part, "file": file})
        assert 201 == sent.status_code, sent.content
    assert '"format":"sanely-receipt/1"' in sent.json()["receipt"]
    status = api.get(f"{url}/mine?organisation_id={org}").json()
    assert (True, [], ["submitted", "submitted"]) == (
        status["complete"],
        status["missing"],
        [p["status"] for p in status["parts"]],
    )
    empty = api.post(url, {"organisation_id": org, "part": "Tender", "file": upload(b"", "e.pdf")})
    assert (400, {"part", "file"}) == (empty.status_code, set(empty.json()["detail"]))


def test_the_opening_ceremony_through_the_pages(wessex, sealed):
    lead, commissioner = wessex.client(Role.PROCUREMENT_LEAD), wessex.client(Role.COMMISSIONER)
    page = lead.get(f"/tenders/rounds/{sealed.round_id}/")
    assert "Ask to open the round" in page.text
    assert 302 == lead.post(f"/tenders/rounds/{sealed.round_id}/opening").status_code
    alone = lead.post(f"/tenders/rounds/{sealed.round_id}/opening/confirm")
    assert 409 == alone.status_code
    assert "second authorised person" in alone.text
    assert (
        302 == commissioner.post(f"/tenders/rounds/{sealed.round_id}/opening/confirm").status_code
    )
    opened = wessex.client(Role.EVALUATOR).get(f"/tenders/rounds/{sealed.round_id}/")
    assert "Kestrel Mobility Ltd" in opened.text
    assert "proposal.pdf" in opened.text
    listing = wessex.token_client(Role.AUDITOR).get(f"/api/v1/rounds/{sealed.round_id}/submissions")
    assert [sealed.pk] == [v["id"] for v in listing.json()["items"]]
    content = wessex.token_client(Role.AUDITOR).get(f"/api/v1/submissions/{sealed.pk}/content")
    assert pdf() == b"".join(content.streaming_content)


def test_a_deadline_extension_is_logged_and_everyone_interested_is_told(
    wessex, kestrel, open_round, mailoutbox, django_capture_on_commit_callbacks
):
    Interest.objects.create(
        procurement=open_round.procurement,
        organisation=kestrel.organisation,
        expressed_by=kestrel.user(Role.SUPPLIER_ADMIN),
        expressed_at=now(),
    )
    later = open_round.deadline + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        answer = wessex.token_client(Role.PROCUREMENT_LEAD).post(
            f"/api/v1/rounds/{open_round.pk}/extensions",
            {
                "new_deadline": later.isoformat(),
                "reason": "Upload fault 10:00-12:00",
                "platform_incident": True,
            },
            content_type="application/json",
        )
    assert (201, "Upload fault 10:00-12:00") == (answer.status_code, answer.json()["reason"])
    assert [["supplier_admin@kestrel.example"]] == [m.to for m in mailoutbox]
    assert "Upload fault 10:00-12:00" in mailoutbox[0].body


def test_a_deadline_is_extended_through_the_page_with_its_reason(wessex, open_round):
    url = f"/tenders/rounds/{open_round.pk}/extend"
    assert 403 == wessex.client(Role.EVALUATOR).get(url).status_code
    lead = wessex.client(Role.PROCUREMENT_LEAD)
    later = open_round.deadline + timedelta(days=2)
    unexplained = lead.post(url, {"new_deadline": uk_time(later, "%Y-%m-%d %H:%M"), "reason": ""})
    assert 400 == unexplained.status_code
    assert "Say why the deadline is extended" in unexplained.text
    done = lead.post(
        url,
        {
            "new_deadline": uk_time(later, "%Y-%m-%d %H:%M"),
            "reason": "Uploads failed 09:00-11:00",
            "platform_incident": "on",
        },
    )
    assert 302 == done.status_code
    page = lead.get(f"/tenders/rounds/{open_round.pk}/")
    assert "after a platform fault. Reason: Uploads failed 09:00-11:00" in page.text


def test_a_deadline_in_year_9999_is_refused(wessex, open_round):
    response = wessex.token_client(Role.PROCUREMENT_LEAD).post(
        f"/api/v1/rounds/{open_round.pk}/extensions",
        {"new_deadline": "9999-12-31T23:59:59Z", "reason": "Outage"},
        content_type="application/json",
    )
    assert 422 == response.status_code
    assert "Give a date from 2000 to 2099" in response.json()["detail"]["new_deadline"][0]
