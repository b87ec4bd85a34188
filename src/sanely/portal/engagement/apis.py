"""
JSON API for the preliminary market engagement record: read it, add an event with who took
part, what was shared with every supplier, a change to the design, and publish the UK2. Paths
start with /engagement/.
"""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sanely.portal.accounts.actors import actor_of
from sanely.portal.core.clock import now
from sanely.portal.web.apis import ERRORS, InputSchema

from . import selectors, services
from .models import DesignChange, EngagementEvent, EngagementNotice, Participant, SharedItem

router = Router(tags=["engagement"])


class ParticipantIn(InputSchema):
    name: str = Field(max_length=300)
    is_sme: bool = Field(False, description="a small or medium-sized enterprise")
    is_vcse: bool = Field(False, description="a voluntary, community or social enterprise")


class EventIn(InputSchema):
    title: str = Field(max_length=200)
    form: str = Field(description="event, webinar, questionnaire, meeting, visit or other")
    held_at: datetime = Field(description="when it is or was held, with its time zone")
    location: str = Field("", max_length=300)
    asked: str = Field(max_length=20000, description="what the market was asked")
    participants: list[ParticipantIn] = Field(
        default_factory=list, max_length=services.MOST_PARTICIPANTS
    )


class ParticipantOut(Schema):
    name: str
    is_sme: bool
    is_vcse: bool


class EventOut(Schema):
    id: int
    title: str
    form: str
    held_at: datetime
    location: str
    asked: str
    participants: list[ParticipantOut]
    recorded_at: datetime

    @staticmethod
    def resolve_participants(obj: EngagementEvent) -> list[Participant]:
        return list(obj.participants.all())


class SharedIn(InputSchema):
    title: str = Field(max_length=200)
    content: str = Field(max_length=50000, description="what every supplier was given")
    event_id: int | None = Field(None, description="the event it came from, if one")


class SharedOut(Schema):
    id: int
    title: str
    content: str
    event_id: int | None
    recorded_at: datetime


class DesignChangeIn(InputSchema):
    section: str = Field(description="the design section that changed, e.g. need, award")
    change: str = Field(max_length=20000, description="what changed and what led to it")
    event_id: int | None = Field(None, description="the event it came from, if one")


class DesignChangeOut(Schema):
    id: int
    section: str
    change: str
    event_id: int | None
    recorded_at: datetime


class EngagementNoticeIn(InputSchema):
    closes_on: date = Field(description="the day the engagement closes or closed")
    process: str = Field(max_length=20000, description="how suppliers take part, or took part")


class EngagementNoticeOut(Schema):
    closes_on: date
    process: str
    published_at: datetime
    text: str = Field(description="the notice's words, as published")


class RecordOut(Schema):
    events: list[EventOut]
    shared: list[SharedOut]
    changes: list[DesignChangeOut]
    notice: EngagementNoticeOut | None
    open: bool = Field(description="whether engagement may still be recorded")
    notice_offered: bool = Field(description="whether a UK2 may still be published")
    needs_reasons: bool = Field(
        description="engagement recorded without a UK2, and the design's timeline gives no"
        " reasons for the tender notice (PA 2023 s.17)"
    )


def _notice_out(notice: EngagementNotice, content: selectors.Uk2Content) -> EngagementNoticeOut:
    return EngagementNoticeOut(
        closes_on=notice.closes_on,
        process=notice.process,
        published_at=notice.published_at,
        text=content.text(),
    )


@router.get(
    "/engagement/procurements/{procurement_id}",
    response={200: RecordOut, **ERRORS},
    url_name="engagement_record",
)
def record(request: HttpRequest, procurement_id: int) -> dict[str, object]:
    """The whole engagement record: for the authority's people."""
    procurement, _ = selectors.access_engagement(
        actor=actor_of(request), procurement_id=procurement_id
    )
    found = selectors.engagement_record(procurement=procurement)
    return {
        "events": found.events,
        "shared": found.shared,
        "changes": [change for _, change in found.changes],
        "notice": _notice_out(*found.notice) if found.notice else None,
        "open": found.open,
        "notice_offered": found.notice_offered,
        "needs_reasons": found.needs_reasons,
    }


@router.post(
    "/engagement/procurements/{procurement_id}/events",
    response={201: EventOut, **ERRORS},
    url_name="engagement_event_record",
)
def event_record(request: HttpRequest, procurement_id: int, payload: EventIn) -> Status:
    """A commissioner or procurement lead records an engagement event and who took part."""
    data = payload.dict()
    data["participants"] = [services.Taker(**p) for p in data["participants"]]
    event: EngagementEvent = services.engagement_event_record(
        actor=actor_of(request), procurement_id=procurement_id, now=now(), **data
    )
    return Status(201, event)


@router.post(
    "/engagement/procurements/{procurement_id}/shared",
    response={201: SharedOut, **ERRORS},
    url_name="engagement_shared_record",
)
def shared_record(request: HttpRequest, procurement_id: int, payload: SharedIn) -> Status:
    """What was made available to every supplier."""
    item: SharedItem = services.shared_item_record(
        actor=actor_of(request), procurement_id=procurement_id, now=now(), **payload.dict()
    )
    return Status(201, item)


@router.post(
    "/engagement/procurements/{procurement_id}/changes",
    response={201: DesignChangeOut, **ERRORS},
    url_name="engagement_change_record",
)
def change_record(request: HttpRequest, procurement_id: int, payload: DesignChangeIn) -> Status:
    """A change to the design the engagement led to."""
    change: DesignChange = services.design_change_record(
        actor=actor_of(request), procurement_id=procurement_id, now=now(), **payload.dict()
    )
    return Status(201, change)


@router.post(
    "/engagement/procurements/{procurement_id}/notice",
    response={201: EngagementNoticeOut, **ERRORS},
    url_name="engagement_notice_publish",
)
def notice_publish(
    request: HttpRequest, procurement_id: int, payload: EngagementNoticeIn
) -> Status:
    """Publish the preliminary market engagement notice (UK2; Procurement Act 2023 only)."""
    notice = services.engagement_notice_publish(
        actor=actor_of(request), procurement_id=procurement_id, now=now(), **payload.dict()
    )
    content = selectors.uk2_content(
        notice.procurement,
        closes_on=notice.closes_on,
        process=notice.process,
        at=notice.published_at,
    )
    return Status(201, _notice_out(notice, content))
