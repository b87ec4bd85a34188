"""
Working days in the parts of the United Kingdom.

The holidays come from `calendars/uk-bank-holidays.toml`: yearly rules (fixed dates, Easter-based
dates, nth Monday of a month) plus one-off days by royal proclamation. This module only applies
them; it never reads the clock. A `WorkingDays` value says which regions' holidays count as
non-working, so the same arithmetic serves PCSR 2015 (Scotland's holidays, reg 2(1)), the
Procurement Act 2023 (a bank holiday in *any* part of the UK, s.123(1)), PCR 2015 (reg 2(1) read
the same way: see rulebooks/README.md) and EU regimes (weekends only, because the member state's
holidays are not shipped).
"""

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from sanely.procedure._errors import CalendarRangeError, UnknownRegionError

_SATURDAY = 5


class Nation(StrEnum):
    """A part of the United Kingdom, as named on the command line."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def region(self) -> str:
        """The holiday calendar of this nation (England and Wales share one)."""
        if self in {Nation.ENGLAND, Nation.WALES}:
            return "england-and-wales"
        return self.value


REGIONS = ("england-and-wales", "scotland", "northern-ireland")


def nation_named(name: str) -> Nation:
    """The nation called `name`, or UnknownRegionError naming the choices."""
    try:
        return Nation(name)
    except ValueError:
        choices = ", ".join(n.value for n in Nation)
        raise UnknownRegionError(f"unknown nation {name!r}: use one of {choices}") from None


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    correction = (century + 8) // 25
    moon = (century - correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon + 15) % 30
    quarter, year_rest = divmod(year_of_century, 4)
    weekday = (32 + 2 * century_rest + 2 * quarter - epact - year_rest) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return date(year, month, day + 1)


def _nth_monday(year: int, month: int, nth: int) -> date:
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(7 - first.weekday()) % 7 + 7 * (nth - 1))
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - timedelta(days=1)
    return last - timedelta(days=last.weekday() + 7 * (-nth - 1))


@dataclass(frozen=True)
class _Data:
    valid_from: date
    valid_until: date
    holidays: tuple[dict[str, Any], ...]
    changes: tuple[dict[str, Any], ...]


@cache
def _data() -> _Data:
    text = resources.files("sanely.procedure").joinpath("calendars/uk-bank-holidays.toml")
    raw = tomllib.loads(text.read_text(encoding="utf-8"))
    return _Data(
        raw["valid_from"], raw["valid_until"], tuple(raw["holidays"]), tuple(raw["changes"])
    )


def _usual_date(rule: dict[str, Any], year: int) -> date:
    if "easter_offset" in rule:
        return easter_sunday(year) + timedelta(days=rule["easter_offset"])
    if "monday" in rule:
        return _nth_monday(year, rule["month"], rule["monday"])
    return date(year, rule["month"], rule["day"])


@cache
def bank_holidays(region: str, year: int) -> dict[date, str]:
    """
    The non-working holidays of one region in one year, date -> name.

    Holidays that fall on a weekend are replaced by the next weekday that is not already a
    holiday, taken in date order (so Christmas on a Saturday gives Monday 27 and Boxing Day on
    Sunday gives Tuesday 28).
    """
    if region not in REGIONS:
        raise UnknownRegionError(f"unknown region {region!r}: use one of {', '.join(REGIONS)}")
    data = _data()
    if not data.valid_from.year <= year <= data.valid_until.year:
        raise CalendarRangeError(
            f"the holiday calendars cover {data.valid_from.year} to {data.valid_until.year}, "
            f"not {year}: extend calendars/uk-bank-holidays.toml"
        )
    usual = sorted(
        (_usual_date(rule, year), rule["name"])
        for rule in data.holidays
        if region in rule["regions"]
    )
    changes = [c for c in data.changes if c["date"].year == year and region in c["regions"]]
    moved = {c["replaces"] for c in changes if "replaces" in c}
    usual = [(day, name) for day, name in usual if day not in moved]
    result = {day: name for day, name in usual if day.weekday() < _SATURDAY}
    for day, name in usual:
        if day.weekday() >= _SATURDAY:
            substitute = day
            while substitute.weekday() >= _SATURDAY or substitute in result:
                substitute += timedelta(days=1)
            result[substitute] = f"{name} (substitute day)"
    result.update({c["date"]: c["name"] for c in changes})
    return dict(sorted(result.items()))


@dataclass(frozen=True)
class WorkingDays:
    """
    A definition of a working day: not a Saturday or Sunday, and not a holiday of `regions`.

    An empty `regions` means weekends only.
    """

    regions: frozenset[str]
    description: str

    def holiday(self, day: date) -> str | None:
        """The name of the holiday on `day`, or None."""
        for region in sorted(self.regions):
            name = bank_holidays(region, day.year).get(day)
            if name is not None:
                return name
        return None

    def is_working_day(self, day: date) -> bool:
        """True when `day` is a working day under this definition."""
        return day.weekday() < _SATURDAY and self.holiday(day) is None

    def on_or_after(self, day: date) -> date:
        """`day` if it is a working day, else the next working day."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def nth_beginning_with(self, day: date, count: int) -> date:
        """The `count`-th working day of a period beginning with `day` (day itself may count)."""
        current = self.on_or_after(day)
        for _ in range(count - 1):
            current = self.on_or_after(current + timedelta(days=1))
        return current

    def between(self, first: date, last: date) -> int:
        """The number of working days from `first` to `last`, both included."""
        return sum(
            self.is_working_day(first + timedelta(days=n)) for n in range((last - first).days + 1)
        )


def nation_working_days(nation: Nation) -> WorkingDays:
    """Working days of one nation: weekends and that nation's bank holidays excluded."""
    return WorkingDays(
        frozenset({nation.region}), f"not a weekend or a bank holiday in {nation.value}"
    )


# Procurement Act 2023 s.123(1): "'working day' means a day other than (a) a Saturday or Sunday,
# or (b) a day which is a bank holiday in any part of the United Kingdom under the Banking and
# Financial Dealings Act 1971". Christmas Day and Good Friday are not named there; they count
# because they are bank holidays in Scotland under the 1971 Act. PCR 2015 reg 2(1) names them and
# "bank holiday within the meaning of" the 1971 Act, with no territorial limit.
UK_ANY_PART = WorkingDays(
    frozenset(REGIONS),
    "not a Saturday, Sunday or bank holiday in any part of the UK, Christmas Day and Good Friday "
    "included",
)

WEEKENDS_ONLY = WorkingDays(frozenset(), "not a Saturday or Sunday")
