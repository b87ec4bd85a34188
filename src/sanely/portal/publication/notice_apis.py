"""
The authority's JSON routes for its Procurement Act notices and Find a Tender: each published
notice with when it is due there and whether it was sent, and sending those still waiting.
"""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from sanely.portal.accounts.actors import actor_of
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict
from sanely.portal.web.apis import ERRORS

from . import fts, selectors

router = Router(tags=["publication"])


class NoticeOut(Schema):
    fact_id: int
    title: str
    notice_type: str = Field(description="the Procurement Act notice, UK1 to UK17")
    published_on: date
    due_on: date = Field(description="the last day it is on time on Find a Tender")
    sent_at: datetime | None = Field(description="when Find a Tender accepted it")
    fts_notice_id: str = Field(description="Find a Tender's id for it, from its reply")
    problem: str = Field(description="why the last attempt to send it failed")
    overdue: bool


def _out(notice: fts.Notice) -> NoticeOut:
    return NoticeOut(
        fact_id=notice.fact_id,
        title=notice.title,
        notice_type=notice.notice_type,
        published_on=notice.published_on,
        due_on=notice.due_on,
        sent_at=notice.sent_at,
        fts_notice_id=notice.fts_id,
        problem=notice.problem,
        overdue=notice.overdue(timezone.localdate()),
    )


@router.get(
    "/publication/procurements/{procurement_id}/notices",
    response={200: list[NoticeOut], **ERRORS},
    url_name="publication_notice_list",
)
def notice_list(request: HttpRequest, procurement_id: int) -> list[NoticeOut]:
    """Every published Act notice of the procurement and where it stands with Find a Tender."""
    procurement, _ = selectors.access_publication(
        actor=actor_of(request), procurement_id=procurement_id
    )
    return [_out(notice) for notice in fts.procurement_notices(procurement)]


@router.post(
    "/publication/procurements/{procurement_id}/notices/send",
    response={200: list[NoticeOut], **ERRORS},
    url_name="publication_notice_send",
)
def notice_send(request: HttpRequest, procurement_id: int) -> list[NoticeOut]:
    """A commissioner or procurement lead sends the notices still waiting, now."""
    procurement, _ = selectors.access_publication(
        actor=actor_of(request), procurement_id=procurement_id, write=True
    )
    if not fts.fts_config().configured:
        raise Conflict(
            "Sending to Find a Tender is not configured for this service: publish the notices"
            " there yourself, or ask for SANELY_FTS_API_URL and SANELY_FTS_API_KEY to be set."
        )
    fts.notices_send(procurement_id=procurement.pk, now=now())
    return [_out(notice) for notice in fts.procurement_notices(procurement)]
