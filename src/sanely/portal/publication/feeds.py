"""
The open data itself, for anyone and without signing in: release packages a page at a time,
one contracting process as a record, and every release as one gzipped JSON Lines file. Each
package carries the publisher, the licence and the head of the audit chain when it was made.

Bad input (an unreadable `since`, `cursor` or `limit`) gets the API's error shape with status
400, naming the parameter; nothing published yet gets 404, since an empty release package is
not valid OCDS.
"""

import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from sanely import ocds
from sanely.portal.core.errors import ApplicationError, NotFound
from sanely.portal.web.apis import cursor_decode, cursor_encode

from . import selectors

PAGE = 100
MOST = 1000


def _json(body: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(body), status=status, content_type="application/json")


def _refused(error: ApplicationError) -> HttpResponse:
    return _json(error.as_dict(), status=error.status)


def _since(text: str) -> datetime | None:
    """`since` as a day (from its midnight, UTC) or an instant with its time zone."""
    if not text:
        return None
    try:
        moment = (
            datetime.combine(date.fromisoformat(text), time(0), UTC)
            if len(text) == len("2026-12-01")
            else datetime.fromisoformat(text)
        )
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ApplicationError(
            "Give `since` as a day (2026-12-01) or a date and time with its time zone"
            " (2026-12-01T09:00:00Z).",
            detail={"since": ["not a day, or a time without its time zone"]},
        )
    return moment


def _limit(text: str) -> int:
    if not text:
        return PAGE
    if not text.isdigit() or not 1 <= int(text) <= MOST:
        raise ApplicationError(
            f"Give `limit` as a whole number from 1 to {MOST}.",
            detail={"limit": [f"from 1 to {MOST}"]},
        )
    return int(text)


@require_GET
def releases(request: HttpRequest) -> HttpResponse:
    """A page of published releases in publication order, from `since` on, as a package."""
    try:
        since = _since(request.GET.get("since", ""))
        limit = _limit(request.GET.get("limit", ""))
        after = cursor_decode(request.GET["cursor"]) if request.GET.get("cursor") else 0
    except ApplicationError as error:
        return _refused(error)
    rows = list(selectors.releases_published(since=since).filter(pk__gt=after)[: limit + 1])
    if not rows:
        return _refused(NotFound("No release has been published since then."))
    page, more = rows[:limit], len(rows) > limit
    package = ocds.build_package(
        selectors.publication_config(),
        [selectors.built(r) for r in page],
        uri=f"{settings.PUBLIC_URL}{request.get_full_path()}",
        published=max(r.published_at for r in page),
        audit_head=selectors.audit_head(),
    )
    response = _json(package)
    if more:
        query = {**request.GET.dict(), "cursor": cursor_encode(page[-1].pk)}
        response["Link"] = f'<{settings.PUBLIC_URL}{request.path}?{urlencode(query)}>; rel="next"'
    return response


@require_GET
def record(request: HttpRequest, ocid: str) -> HttpResponse:
    """One contracting process: its releases, compiled release and versioned release."""
    try:
        return _json(selectors.record_package(ocid))
    except NotFound as error:
        return _refused(error)


def gzipped(lines: Iterator[bytes]) -> Iterator[bytes]:
    """The lines compressed as one gzip stream, a chunk at a time."""
    compressor = zlib.compressobj(wbits=31)  # 31: the gzip format
    for line in lines:
        if chunk := compressor.compress(line):
            yield chunk
    yield compressor.flush()


@require_GET
def bulk(request: HttpRequest) -> StreamingHttpResponse:
    """Every published release: one release package per line, one line per procurement."""
    lines = (orjson.dumps(package) + b"\n" for package in selectors.bulk_packages())
    response = StreamingHttpResponse(gzipped(lines), content_type="application/gzip")
    response["Content-Disposition"] = 'attachment; filename="releases.jsonl.gz"'
    return response
