"""
How numbers, money, counts, sentences, dates and times are written in sanely's letters,
emails and pages, in UK English. The one place for it: builders and the portal both use it.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from ._errors import NaiveTime

UK = ZoneInfo("Europe/London")


def number(value: Decimal | int | str) -> str:
    """A score, weight or points as people write them: 50, 2.5, 0.25 (no exponent)."""
    return format(Decimal(value).normalize(), "f")


def money(amount: Decimal | int) -> str:
    """Pounds sterling as tendered, thousands grouped: £1,250,000, £99.50, -£20."""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,}"


def plural(count: int, noun: str, nouns: str = "") -> str:
    """A count and its noun: 1 mark, 3 marks; `nouns` where an s is wrong: 2 queries."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def sentence(text: str) -> str:
    """A phrase as a sentence: capital first, one full stop."""
    return text[:1].upper() + text[1:].rstrip(".") + "."


def uk_date(day: date) -> str:
    """A day as written in the UK: 30 March 2027."""
    return f"{day.day} {day:%B %Y}"


def uk_instant(moment: datetime) -> str:
    """
    An instant to the second, in UK time and in UTC, as receipts and deadlines are given:
    5 December 2026 11:07:40 GMT (11:07:40 UTC).
    """
    if moment.tzinfo is None:
        raise NaiveTime(f"{moment.isoformat()} has no time zone: give an aware datetime.")
    london = moment.astimezone(UK)
    utc = moment.astimezone(UTC)
    return f"{uk_date(london)} {london:%H:%M:%S} {london.tzname()} ({utc:%H:%M:%S} UTC)"
