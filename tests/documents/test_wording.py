"""How numbers, money, counts, sentences, dates and times are written."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from sanely.documents import NaiveTime
from sanely.documents.wording import money, number, plural, sentence, uk_date, uk_instant


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("50.00"), "50"),
        (Decimal("2.50"), "2.5"),
        (Decimal("0.25"), "0.25"),
        (Decimal("1E+2"), "100"),
        (Decimal("0.000"), "0"),
        (7, "7"),
        ("4.50", "4.5"),
    ],
)
def test_a_number_has_no_trailing_zeros_and_no_exponent(value, written):
    assert written == number(value)


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (Decimal("1250000.00"), "£1,250,000.00"),
        (Decimal("99.5"), "£99.5"),
        (50000, "£50,000"),
        (Decimal("-20"), "-£20"),
    ],
)
def test_money_is_pounds_as_tendered_with_thousands_grouped(amount, written):
    assert written == money(amount)


def test_a_count_takes_the_plural_unless_it_is_one():
    assert ["0 marks", "1 mark", "2 marks", "1 query", "3 queries"] == [
        plural(0, "mark"),
        plural(1, "mark"),
        plural(2, "mark"),
        plural(1, "query", "queries"),
        plural(3, "query", "queries"),
    ]


def test_a_phrase_becomes_one_sentence():
    assert ["The round is open.", "Ranked 2 of 3.", ""[:0] + "."] == [
        sentence("the round is open"),
        sentence("Ranked 2 of 3..."),
        sentence(""),
    ]


def test_days_and_instants_are_written_in_uk_time():
    assert "30 March 2027" == uk_date(date(2027, 3, 30))
    assert "3 July 2026 12:00:05 BST (11:00:05 UTC)" == uk_instant(
        datetime(2026, 7, 3, 11, 0, 5, tzinfo=UTC)
    )
    assert "1 December 2026 16:30:00 GMT (16:30:00 UTC)" == uk_instant(
        datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
    )


def test_an_instant_without_a_time_zone_is_refused():
    with pytest.raises(NaiveTime, match="no time zone"):
        uk_instant(datetime(2026, 12, 1, 16, 30))  # noqa: DTZ001 - the naive datetime under test
