"""Instants: the vault never reads the clock; it checks and formats the instants it is given."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sanely.vault._errors import NaiveDatetime, SubmissionLate

LONDON = ZoneInfo("Europe/London")


def require_aware(value: datetime, what: str) -> datetime:
    """`value` in UTC; a naive datetime is refused because it names no exact instant."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetime(
            f"{what} must be timezone-aware, got the naive datetime {value.isoformat()}; "
            "pass e.g. datetime.now(UTC)"
        )
    return value.astimezone(UTC)


def iso_utc(value: datetime) -> str:
    """ISO-8601 in UTC to the microsecond, e.g. 2026-11-25T12:00:00.000000Z."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_iso_utc(text: str) -> datetime:
    """The instant written by `iso_utc`; ValueError for any other spelling."""
    value = datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=UTC)
    if iso_utc(value) != text:
        raise ValueError(f"{text!r} is not in the form 2026-11-25T12:00:00.000000Z")
    return value


def describe(value: datetime) -> str:
    """An instant for people: exact UTC, and the same instant in Europe/London."""
    london = value.astimezone(LONDON)
    return (
        f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f} UTC "
        f"({london:%Y-%m-%d %H:%M:%S.%f} {london.tzname()} Europe/London)"
    )


def accept_submission(now: datetime, deadline: datetime) -> datetime:
    """The receipt time (`now` in UTC) if a submission received at `now` is in time.

    The time limit is exclusive: at the deadline itself the box is closed, because that
    is the first instant at which the round may be opened. Raises `SubmissionLate`.
    """
    received = require_aware(now, "now")
    limit = require_aware(deadline, "deadline")
    if received >= limit:
        raise SubmissionLate(
            f"Submission refused: received at {describe(received)}, "
            f"which is not before the deadline of {describe(limit)}",
            now=received,
            deadline=limit,
        )
    return received
