"""
Sending published Procurement Act notices to Find a Tender, and what still waits to be sent.

Under the Act a notice is published on the central digital platform (Find a Tender); sanely
prepares each notice as an OCDS release carrying its `noticeType`, publishes it as open data,
and then sends it through this adapter. The adapter is configured from the environment
(`SANELY_FTS_API_URL`, `SANELY_FTS_API_KEY`) and does nothing without both: it answers "not
configured" and the notice stays listed as waiting. Each attempt is recorded in the audit
chain, the reply's notice id with a success, so when a notice was sent (and as what) is
answered from the record itself.

The address and the body Find a Tender's notice-submission API expects could not be verified
from public material: the adapter posts the notice's release package as JSON with the key as
a bearer token, and reads the notice id from the reply's `id` or `noticeId`. Adjust
`send_notice` when onboarding with the Cabinet Office; nothing else depends on the wire format.
"""

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.tasks import task

from sanely import ocds
from sanely.documents.wording import uk_date
from sanely.portal.audit.models import AuditEvent
from sanely.portal.audit.services import audit_record
from sanely.portal.core.clock import now as clock_now
from sanely.portal.procurements.engine import UK
from sanely.portal.procurements.models import Procurement

from . import events
from .models import Fact, Release
from .selectors import notice_document, publication_config

Json = dict[str, Any]
# (url, body, headers, timeout in seconds) -> (HTTP status, reply body); tests inject their own.
Transport = Callable[[str, bytes, dict[str, str], float], tuple[int, bytes]]
TIMEOUT_SECONDS = 30.0
# The Act's notices with a period after the event they report; any other notice has its
# effect only once it is on the platform, so it is due the day sanely published it.
DAYS_ALLOWED = {
    # s.53(1)(b): within 30 days beginning with the day the contract was entered into.
    "UK7": 30,
}


@dataclass(frozen=True)
class FtsConfig:
    api_url: str
    api_key: str

    @property
    def configured(self) -> bool:
        return bool(self.api_url and self.api_key)


def fts_config() -> FtsConfig:
    return FtsConfig(api_url=settings.FTS_API_URL, api_key=settings.FTS_API_KEY)


@dataclass(frozen=True)
class Sent:
    """The outcome of one attempt: sent (with Find a Tender's notice id) or why not."""

    outcome: Literal["sent", "not configured", "refused", "unreachable"]
    notice_id: str = ""
    problem: str = ""


def urllib_transport(
    url: str, body: bytes, headers: dict[str, str], timeout: float
) -> tuple[int, bytes]:
    if not url.startswith(("https://", "http://")):
        raise OSError(f"{url!r} is not an http(s) address")
    # The scheme is checked above: only the configured http(s) address is opened.
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310
            return reply.status, reply.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def send_notice(
    package: Json, *, config: FtsConfig, transport: Transport = urllib_transport
) -> Sent:
    """Post one notice's release package to Find a Tender; never raises for the network."""
    if not config.configured:
        return Sent("not configured")
    headers = {
        "Authorization": f"Bearer {config.api_key}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    try:
        status, reply = transport(
            config.api_url, json.dumps(package).encode(), headers, TIMEOUT_SECONDS
        )
    except OSError as problem:
        return Sent("unreachable", problem=f"Find a Tender could not be reached: {problem}")
    if not 200 <= status < 300:
        said = reply[:500].decode(errors="replace")
        return Sent("refused", problem=f"Find a Tender refused the notice (HTTP {status}): {said}")
    try:
        answer = json.loads(reply)
    except ValueError:
        answer = {}
    notice_id = (
        str(answer.get("id") or answer.get("noticeId") or "") if isinstance(answer, dict) else ""
    )
    return Sent("sent", notice_id=notice_id)


@dataclass(frozen=True)
class Notice:
    """A published Procurement Act notice and where it stands with Find a Tender."""

    fact_id: int
    title: str
    notice_type: str
    published_on: date
    due_on: date
    sent_at: datetime | None
    fts_id: str
    problem: str

    def overdue(self, today: date) -> bool:
        return self.sent_at is None and today > self.due_on

    def due_words(self) -> str:
        return f"due on Find a Tender by {uk_date(self.due_on)}"


def _attempts(fact_ids: list[int]) -> dict[str, AuditEvent]:
    """The last attempt to send each fact's notice, by the fact's id."""
    found = AuditEvent.objects.filter(
        subject_type="publication.fact",
        subject_id__in=[str(i) for i in fact_ids],
        action__in=(events.NOTICE_SENT, events.NOTICE_SEND_FAILED),
    ).order_by("sequence")
    return {event.subject_id: event for event in found}


def procurement_notices(procurement: Procurement) -> list[Notice]:
    """Every published Act notice of the procurement, whether sent, and when each is due."""
    releases = [
        (release, document)
        for release in Release.objects.filter(procurement=procurement).order_by("date", "pk")
        if (document := notice_document(release.body)) is not None and document.get("noticeType")
    ]
    attempts = _attempts([release.fact_id for release, _ in releases])
    found = []
    for release, document in releases:
        published_on = release.date.astimezone(UK).date()
        last = attempts.get(str(release.fact_id))
        sent = last is not None and last.action == events.NOTICE_SENT
        found.append(
            Notice(
                fact_id=release.fact_id,
                title=document.get("title", ""),
                notice_type=document["noticeType"],
                published_on=published_on,
                due_on=published_on
                + timedelta(days=DAYS_ALLOWED.get(document["noticeType"], 1) - 1),
                sent_at=last.at if sent and last else None,
                fts_id=last.payload.get("fts_notice_id", "") if sent and last else "",
                problem=last.payload.get("problem", "") if last and not sent else "",
            )
        )
    return found


def notices_waiting(procurement: Procurement) -> list[Notice]:
    return [notice for notice in procurement_notices(procurement) if notice.sent_at is None]


@transaction.atomic
def notice_send(*, fact_id: int, now: datetime, transport: Transport = urllib_transport) -> Sent:
    """Send one published notice; record the attempt unless nothing could be tried."""
    fact = Fact.objects.select_related("procurement__organisation").get(pk=fact_id)
    release = Release.objects.get(fact=fact)
    package = ocds.build_package(
        publication_config(),
        [ocds.Built(release.body, frozenset(release.extensions))],
        uri=f"{settings.PUBLIC_URL}/ocds/releases",
        published=release.published_at,
    )
    sent = send_notice(package, config=fts_config(), transport=transport)
    if sent.outcome == "not configured":
        return sent
    audit_record(
        action=events.NOTICE_SENT if sent.outcome == "sent" else events.NOTICE_SEND_FAILED,
        subject=fact,
        now=now,
        authority=fact.procurement.organisation,
        payload={"key": fact.key, "fts_notice_id": sent.notice_id, "problem": sent.problem},
    )
    return sent


def notices_send(
    *, procurement_id: int, now: datetime, transport: Transport = urllib_transport
) -> list[Sent]:
    """Send every notice of the procurement still waiting, when Find a Tender is configured."""
    if not fts_config().configured:
        return []
    procurement = Procurement.objects.get(pk=procurement_id)
    return [
        notice_send(fact_id=notice.fact_id, now=now, transport=transport)
        for notice in notices_waiting(procurement)
    ]


@task()
def notices_send_task(*, procurement_id: int) -> int:
    """Background task: send the procurement's waiting notices; returns how many were sent."""
    sent = notices_send(procurement_id=procurement_id, now=clock_now())
    return sum(s.outcome == "sent" for s in sent)
