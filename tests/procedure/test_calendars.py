from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanely.procedure import (
    UK_ANY_PART,
    CalendarRangeError,
    Nation,
    UnknownRegionError,
    bank_holidays,
    easter_sunday,
    nation_working_days,
)
from sanely.procedure._calendars import REGIONS, WEEKENDS_ONLY, nation_named

years = st.integers(min_value=2015, max_value=2030)
days_in_range = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 11, 30))


def test_easter_2027_is_28_march_with_good_friday_and_easter_monday_around_it():
    holidays = bank_holidays("england-and-wales", 2027)

    assert date(2027, 3, 28) == easter_sunday(2027)
    assert holidays[date(2027, 3, 26)] == "Good Friday"
    assert holidays[date(2027, 3, 29)] == "Easter Monday"


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2015, date(2015, 4, 5)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2030, date(2030, 4, 21)),
    ],
)
def test_easter_sunday_matches_published_dates(year, easter):
    assert easter == easter_sunday(year)


def test_christmas_2026_is_a_friday_and_boxing_day_moves_to_monday_28_december():
    holidays = bank_holidays("england-and-wales", 2026)

    assert date(2026, 12, 25).weekday() == 4
    assert holidays[date(2026, 12, 25)] == "Christmas Day"
    assert holidays[date(2026, 12, 28)] == "Boxing Day (substitute day)"
    assert date(2026, 12, 26) not in holidays


def test_christmas_on_a_sunday_moves_to_tuesday_after_boxing_day():
    holidays = bank_holidays("northern-ireland", 2022)

    assert holidays[date(2022, 12, 26)] == "Boxing Day"
    assert holidays[date(2022, 12, 27)] == "Christmas Day (substitute day)"


def test_scotland_keeps_2_january_and_moves_it_off_the_weekend():
    assert bank_holidays("scotland", 2026)[date(2026, 1, 2)] == "2nd January"
    assert bank_holidays("scotland", 2027)[date(2027, 1, 4)] == "2nd January (substitute day)"
    assert date(2027, 1, 4) not in bank_holidays("england-and-wales", 2027)


def test_scotland_has_st_andrews_day_substitute_and_no_easter_monday():
    holidays = bank_holidays("scotland", 2024)

    assert holidays[date(2024, 12, 2)] == "St Andrew's Day (substitute day)"
    assert date(2024, 4, 1) not in holidays


def test_scotland_summer_holiday_is_the_first_monday_of_august():
    assert date(2026, 8, 3) in bank_holidays("scotland", 2026)
    assert date(2026, 8, 31) not in bank_holidays("scotland", 2026)
    assert date(2026, 8, 31) in bank_holidays("england-and-wales", 2026)


def test_northern_ireland_has_st_patricks_day_and_the_twelfth_with_substitutes():
    holidays = bank_holidays("northern-ireland", 2026)

    assert holidays[date(2026, 3, 17)] == "St Patrick's Day"
    assert holidays[date(2026, 7, 13)] == "Battle of the Boyne (Orangemen's Day) (substitute day)"


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize(
    ("day", "absent"),
    [
        (date(2020, 5, 8), date(2020, 5, 4)),
        (date(2022, 6, 2), date(2022, 5, 30)),
        (date(2022, 6, 3), None),
        (date(2022, 9, 19), None),
        (date(2023, 5, 8), None),
    ],
)
def test_one_off_days_are_holidays_everywhere_and_replace_moved_days(region, day, absent):
    holidays = bank_holidays(region, day.year)

    assert day in holidays
    assert absent is None or absent not in holidays


def test_years_outside_the_calendar_data_are_refused():
    with pytest.raises(CalendarRangeError, match="2015 to 2030, not 2031"):
        bank_holidays("scotland", 2031)


def test_unknown_regions_and_nations_are_refused_with_the_choices():
    with pytest.raises(UnknownRegionError, match="england-and-wales"):
        bank_holidays("wales", 2026)
    with pytest.raises(UnknownRegionError, match="northern-ireland"):
        nation_named("ulster")


def test_wales_uses_the_england_and_wales_calendar():
    assert Nation.WALES.region == "england-and-wales"
    assert Nation.SCOTLAND.region == "scotland"


def test_pa_2023_working_days_exclude_a_bank_holiday_in_any_part_of_the_uk():
    # 17 March is a bank holiday only in Northern Ireland; 4 January 2027 only in Scotland.
    assert not UK_ANY_PART.is_working_day(date(2026, 3, 17))
    assert not UK_ANY_PART.is_working_day(date(2027, 1, 4))
    assert nation_working_days(Nation.ENGLAND).is_working_day(date(2027, 1, 4))


def test_weekends_only_calendar_ignores_bank_holidays():
    assert WEEKENDS_ONLY.is_working_day(date(2026, 12, 25))
    assert not WEEKENDS_ONLY.is_working_day(date(2026, 12, 26))
    assert WEEKENDS_ONLY.holiday(date(2026, 12, 25)) is None


@settings(deadline=None)  # the first call per year fills the holiday cache
@given(years, st.sampled_from(REGIONS))
def test_every_holiday_falls_on_a_weekday(year, region):
    assert all(day.weekday() < 5 for day in bank_holidays(region, year))


@settings(deadline=None)  # the first call per year fills the holiday cache
@given(years)
def test_easter_is_a_sunday_between_22_march_and_25_april(year):
    easter = easter_sunday(year)

    assert easter.weekday() == 6
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)


@settings(deadline=None)  # the first call per year fills the holiday cache
@given(days_in_range, st.integers(min_value=1, max_value=20))
def test_the_nth_working_day_beginning_with_a_day_spans_exactly_n_working_days(start, count):
    last = UK_ANY_PART.nth_beginning_with(start, count)

    assert UK_ANY_PART.is_working_day(last)
    assert count == UK_ANY_PART.between(start, last)


@settings(deadline=None)  # the first call per year fills the holiday cache
@given(days_in_range)
def test_on_or_after_returns_the_first_working_day_not_before_the_day(day):
    days = nation_working_days(Nation.SCOTLAND)
    found = days.on_or_after(day)

    assert days.is_working_day(found)
    assert days.between(day, found - timedelta(days=1)) == 0
