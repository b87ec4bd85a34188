"""
Sending Procurement Act notices to Find a Tender: nothing without credentials, each attempt
recorded, and notices not yet there shown as due or overdue. The "Find a Tender" here is a
loopback HTTP server the test starts; nothing leaves the machine.
"""

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
from cast import NOW
from portal.engagement.world import uk2_published
from portal.journey import journey_clock

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.publication import events
from sanely.portal.publication.fts import (
    FtsConfig,
    notices_send,
    notices_waiting,
    procurement_notices,
    send_notice,
)

pytestmark = pytest.mark.django_db

PACKAGE = {"releases": [{"id": "r-1"}]}


class FindATender(BaseHTTPRequestHandler):
    """Answers every POST with `reply` and keeps what it was sent."""

    status = 201
    reply = b'{"id": "012345-2026"}'
    received: ClassVar[list[tuple[dict[str, str], dict]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), json.loads(body)))
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(self.reply)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fts_server() -> Iterator[type[FindATender]]:
    handler = type("Handler", (FindATender,), {"received": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    handler.url = f"http://127.0.0.1:{server.server_port}/notices"  # type: ignore[attr-defined]
    yield handler
    server.shutdown()
    server.server_close()


def never(*_: object) -> tuple[int, bytes]:
    raise AssertionError("nothing may be sent without credentials")


def test_without_credentials_nothing_is_sent():
    assert (
        "not configured" == send_notice(PACKAGE, config=FtsConfig("", ""), transport=never).outcome
    )
    assert (
        "not configured"
        == send_notice(PACKAGE, config=FtsConfig("http://x", ""), transport=never).outcome
    )


def test_a_notice_is_posted_with_the_key_and_the_reply_id_kept(fts_server):
    sent = send_notice(PACKAGE, config=FtsConfig(fts_server.url, "s3cret"))
    assert ("sent", "012345-2026") == (sent.outcome, sent.notice_id)
    headers, body = fts_server.received[0]
    assert "Bearer s3cret" == headers["Authorization"]
    assert PACKAGE == body


def test_a_refusal_is_reported_with_the_status(fts_server):
    fts_server.status, fts_server.reply = 400, b'{"error": "noticeType missing"}'
    sent = send_notice(PACKAGE, config=FtsConfig(fts_server.url, "k"))
    assert "refused" == sent.outcome
    assert "HTTP 400" in sent.problem
    assert "noticeType" in sent.problem


def test_an_unreachable_service_is_reported_not_raised():
    def down(*_: object) -> tuple[int, bytes]:
        raise ConnectionRefusedError("connection refused")

    sent = send_notice(PACKAGE, config=FtsConfig("http://127.0.0.1:9/", "k"), transport=down)
    assert "unreachable" == sent.outcome
    assert "connection refused" in sent.problem


def test_a_published_notice_waits_until_sent_and_the_sending_is_recorded(
    wessex, settings, fts_server
):
    procurement = uk2_published(wessex)
    [waiting] = notices_waiting(procurement)
    assert ("UK2", NOW.date()) == (waiting.notice_type, waiting.due_on)
    assert [] == notices_send(procurement_id=procurement.pk, now=NOW)  # not configured
    assert not AuditEvent.objects.filter(action=events.NOTICE_SENT).exists()
    settings.FTS_API_URL, settings.FTS_API_KEY = fts_server.url, "k"
    [sent] = notices_send(procurement_id=procurement.pk, now=NOW + timedelta(hours=1))
    assert "sent" == sent.outcome
    assert (
        "UK2" == fts_server.received[0][1]["releases"][0]["planning"]["documents"][0]["noticeType"]
    )
    [notice] = procurement_notices(procurement)
    assert ("012345-2026", NOW + timedelta(hours=1)) == (notice.fts_id, notice.sent_at)
    assert [] == notices_waiting(procurement)
    assert [] == notices_send(procurement_id=procurement.pk, now=NOW)  # nothing sent twice


def test_a_failed_attempt_is_recorded_and_the_notice_still_waits(wessex, settings, fts_server):
    procurement = uk2_published(wessex)
    settings.FTS_API_URL, settings.FTS_API_KEY = fts_server.url, "k"
    fts_server.status = 503
    notices_send(procurement_id=procurement.pk, now=NOW)
    [waiting] = notices_waiting(procurement)
    assert "HTTP 503" in waiting.problem
    assert AuditEvent.objects.filter(action=events.NOTICE_SEND_FAILED).exists()


def test_a_notice_not_sent_shows_on_what_happens_next_and_turns_overdue(wessex, monkeypatch):
    clock = journey_clock(monkeypatch, NOW)
    procurement = uk2_published(wessex)
    page = wessex.client(Role.COMMISSIONER)
    on_time = page.get(f"/procurements/{procurement.pk}/").text
    assert "Notices waiting to be sent to Find a Tender" in on_time
    assert "due on Find a Tender by 25 November 2026" in on_time
    assert "Overdue" not in on_time
    clock.advance(days=1)
    later = wessex.client(Role.COMMISSIONER).get(f"/procurements/{procurement.pk}/").text
    assert "Overdue" in later


def test_the_api_lists_notices_and_refuses_to_send_without_configuration(wessex):
    procurement = uk2_published(wessex)
    api = wessex.token_client(Role.PROCUREMENT_LEAD)
    listed = api.get(f"/api/v1/publication/procurements/{procurement.pk}/notices").json()
    assert [("UK2", None)] == [(n["notice_type"], n["sent_at"]) for n in listed]
    answer = api.post(f"/api/v1/publication/procurements/{procurement.pk}/notices/send")
    assert 409 == answer.status_code
    assert "not configured" in answer.text
    evaluator = wessex.token_client(Role.EVALUATOR)
    assert (
        403
        == evaluator.post(
            f"/api/v1/publication/procurements/{procurement.pk}/notices/send"
        ).status_code
    )
