"""JSON API for the audit trail."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import field_validator

from sanely.portal.accounts.actors import actor_of
from sanely.portal.web.apis import ERRORS, CursorPagination

from .selectors import AuditFilter, audit_event_list

router = Router(tags=["audit trail"])


class AuditEventOut(Schema):
    id: int
    sequence: int
    at: datetime
    sealed: bool = Field(
        description="who and what are withheld until the sealed content is opened"
        " (a submission's round): actor_email and organisation_id are null, payload is empty"
    )
    actor_email: str | None
    organisation_id: int | None
    authority_id: int | None
    action: str
    subject_type: str
    subject_id: str
    payload: dict[str, Any]
    previous_hash: str
    hash: str

    @staticmethod
    def resolve_actor_email(event: Any) -> str | None:
        return event.actor.email if event.actor and not event.sealed else None

    @staticmethod
    def resolve_organisation_id(event: Any) -> int | None:
        return None if event.sealed else event.organisation_id

    @staticmethod
    def resolve_payload(event: Any) -> dict[str, Any]:
        return {} if event.sealed else event.payload


class AuditQuery(Schema):
    organisation_id: int | None = None
    user_email: str = ""
    subject_type: str = ""
    subject_id: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _calendar_date_only(cls, value: Any) -> Any:
        # Pydantic would read a bare number as seconds since 1970; people mean a date.
        if value is None or (isinstance(value, str) and len(value) == 10):
            return value
        raise ValueError("Give a date as YYYY-MM-DD.")


@router.get("/audit/events", response={200: list[AuditEventOut], **ERRORS})
@paginate(CursorPagination)
def audit_events(request: HttpRequest, filters: Query[AuditQuery]):  # type: ignore[no-untyped-def]
    return audit_event_list(actor=actor_of(request), filters=AuditFilter(**filters.model_dump()))
