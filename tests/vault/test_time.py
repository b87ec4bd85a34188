"""The deadline check for submissions: the server's instant against the time limit."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sanely.vault import NaiveDatetime, SubmissionLate, accept_submission
from sanely.vault._time import iso_utc, parse_iso_utc

DEADLINE = datetime(2026, 7, 1, 11, 0, tzinfo=UTC)  # 12:00 in London (BST)


def test_a_submission_before_the_deadline_is_accepted_and_its_receipt_time_is_in_utc() -> None:
    now = datetime(2026, 7, 1, 11, 59, 59, 999999, tzinfo=timezone(timedelta(hours=1)))

    received = accept_submission(now, DEADLINE)

    assert datetime(2026, 7, 1, 10, 59, 59, 999999, tzinfo=UTC) == received
    assert received.tzinfo == UTC


def test_a_submission_at_the_exact_deadline_is_late() -> None:
    with pytest.raises(SubmissionLate):
        accept_submission(DEADLINE, DEADLINE)


def test_a_late_submission_is_refused_showing_both_exact_times_in_utc_and_london() -> None:
    now = DEADLINE + timedelta(microseconds=1)

    with pytest.raises(SubmissionLate) as refusal:
        accept_submission(now, DEADLINE)

    assert (
        "Submission refused: received at 2026-07-01 11:00:00.000001 UTC "
        "(2026-07-01 12:00:00.000001 BST Europe/London), which is not before the deadline "
        "of 2026-07-01 11:00:00.000000 UTC (2026-07-01 12:00:00.000000 BST Europe/London)"
    ) == str(refusal.value)
    assert (now, DEADLINE) == (refusal.value.now, refusal.value.deadline)


def test_winter_times_are_shown_in_greenwich_mean_time() -> None:
    deadline = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)

    with pytest.raises(SubmissionLate, match=r"2026-12-31 23:30:00.000000 GMT Europe/London"):
        accept_submission(deadline, deadline)


@pytest.mark.parametrize(
    ("now", "deadline", "named"),
    [
        (datetime(2026, 7, 1), DEADLINE, "now"),  # noqa: DTZ001 - the point of the test
        (DEADLINE, datetime(2026, 7, 1), "deadline"),  # noqa: DTZ001
    ],
)
def test_a_naive_datetime_is_refused_with_a_clear_error(
    now: datetime, deadline: datetime, named: str
) -> None:
    with pytest.raises(NaiveDatetime, match=f"^{named} must be timezone-aware"):
        accept_submission(now, deadline)


@pytest.mark.parametrize(
    "text",
    [
        "2026-07-01T11:00:00Z",
        "2026-07-01T11:00:00.1Z",
        "2026-07-01 11:00:00.000000Z",
        "2026-07-01T11:00:00.000000",
        "2026-07-01T11:00:00.000000+00:00",
        "2026-07-01T11:00:00.000000+01:00Z",
        "yesterday",
    ],
)
def test_only_the_one_spelling_of_an_instant_is_read_back(text: str) -> None:
    with pytest.raises(ValueError, match=r"form 2026-11-25T12:00:00.000000Z|Invalid isoformat"):
        parse_iso_utc(text)


def test_instants_before_the_year_1000_keep_four_digit_years() -> None:
    early = datetime(999, 1, 1, tzinfo=UTC)

    assert "0999-01-01T00:00:00.000000Z" == iso_utc(early)
    assert early == parse_iso_utc(iso_utc(early))
