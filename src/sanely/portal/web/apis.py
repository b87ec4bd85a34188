"""
What every API route shares: authentication, the one error shape, and cursor pagination.

Every 4xx answer has the shape `{code, message, detail, rule?, citation?}`; nothing else
(no stack trace, no hint whether another organisation's object exists) ever leaves.
"""

import base64
import binascii
import logging
from datetime import date, datetime
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from pydantic import ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from sanely.portal.core.errors import ApplicationError
from sanely.portal.core.text import holds_nul

logger = logging.getLogger(__name__)
NUMBER_TOO_LARGE = "A number in the request is larger than any id or value this service stores."


NUMBERS = frozenset({int, float})
# No procurement is dated outside these: a date beyond them is a typing slip (year 9999).
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def _kinds(annotation: Any) -> set[Any]:
    """The plain types a field's annotation allows, with Optional, unions and Annotated opened."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _kinds(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return set().union(*(_kinds(arg) for arg in get_args(annotation)))
    return {origin or annotation}


class InputSchema(Schema):
    """
    Request bodies, taken as sent: a field the API does not know is an error, not silently
    dropped; no text may hold a NUL character, which the database cannot store; and in a
    request (django-ninja validates with the request as context) a number is not read from
    text ("90") or from true/false, a yes-or-no only from true or false. Pages that fill these
    schemas from their forms' text keep the lax reading. Every date is from 2000 to 2099.
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _as_sent(cls, value: Any, info: ValidationInfo) -> Any:
        kinds = _kinds(cls.model_fields[str(info.field_name)].annotation)
        nested = any(isinstance(kind, type) and issubclass(kind, InputSchema) for kind in kinds)
        if not nested and holds_nul(value):  # a nested schema names its own field
            raise PydanticCustomError(
                "nul_character", "Remove the NUL character (\\u0000): text cannot hold it."
            )
        if not (info.context and "request" in info.context):
            return value
        if kinds & NUMBERS and bool not in kinds and isinstance(value, bool):
            raise PydanticCustomError("number_type", "Give a number, not true or false.")
        if kinds & NUMBERS and str not in kinds and isinstance(value, str):
            raise PydanticCustomError(
                "number_type", 'Give a number without quotes, like 90, not "90".'
            )
        if bool in kinds and str not in kinds and value is not None and not isinstance(value, bool):
            raise PydanticCustomError("bool_type", "Give true or false.")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _within_years(cls, value: Any) -> Any:
        day = value.date() if isinstance(value, datetime) else value
        if isinstance(day, date) and not EARLIEST <= day <= LATEST:
            raise PydanticCustomError(
                "date_range",
                f"Give a date from {EARLIEST.year} to {LATEST.year}; {day.isoformat()} is outside.",
            )
        return value


class ErrorOut(Schema):
    code: str
    message: str
    detail: Any = None
    rule: str | None = None
    citation: str | None = None


ERRORS: dict[int, type[Schema]] = dict.fromkeys((400, 401, 403, 404, 409, 413, 422, 429), ErrorOut)


def error_body(code: str, message: str, detail: Any = None, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, "detail": detail, **extra}


def _field_errors(exc: NinjaValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in {"body", "payload"}]
        fields.setdefault(".".join(location) or "body", []).append(str(error.get("msg", "invalid")))
    return fields


def install_error_handlers(api: NinjaAPI) -> None:
    """Route every exception an API view can raise to the one error shape."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return respond(request, exc.status, exc.as_dict())

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields = _field_errors(exc)
        message = "Check these fields: " + ", ".join(sorted(fields)) + "."
        return respond(request, 422, error_body("validation_failed", message, fields))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            401,
            error_body(
                "unauthenticated", "Sign in, or send a valid token as 'Authorization: Bearer …'."
            ),
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if str(exc).startswith("Cannot parse request body"):
            return respond(
                request, 400, error_body("malformed_json", "The body is not valid JSON.")
            )
        return respond(request, exc.status_code, error_body("http_error", str(exc)))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", "No such object."))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(
            request, 413, error_body("body_too_large", "The request body is larger than allowed.")
        )

    @api.exception_handler(OverflowError)
    def number_too_large(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        # An id or number beyond what the database stores cannot name anything.
        return respond(request, 400, error_body("bad_request", NUMBER_TOO_LARGE))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return respond(request, 400, error_body("bad_request", "The request could not be read."))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(
            request,
            500,
            error_body("server_error", "Something went wrong on our side; it was logged."),
        )


class CursorPagination(PaginationBase):
    """
    Pages that stay stable while rows are added: the cursor names the last id seen.
    The queryset must be ordered by primary key.
    """

    class Input(Schema):
        cursor: str | None = Field(None, description="`next_cursor` from the previous page")
        limit: int = Field(50, ge=1, le=200)

    class Output(Schema):
        items: list[Any]
        next_cursor: str | None

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        if pagination.cursor:
            queryset = queryset.filter(pk__gt=cursor_decode(pagination.cursor))
        rows = list(queryset[: pagination.limit + 1])
        more = len(rows) > pagination.limit
        rows = rows[: pagination.limit]
        return {"items": rows, "next_cursor": cursor_encode(rows[-1].pk) if more else None}


def cursor_encode(pk: int) -> str:
    return base64.urlsafe_b64encode(f"after:{pk}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, value = text.partition(":")
        if prefix != "after":
            raise ValueError(prefix)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise ApplicationError(
            "The cursor is not one this API gave out: use `next_cursor` from the previous page.",
            detail={"cursor": ["invalid cursor"]},
        ) from error
