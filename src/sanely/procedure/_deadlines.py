"""
Statutory periods: the day a period ends, counted as its rulebook says.

One function, `period_end`, serves the engine's guards, its due dates and the public deadline
calculator, so that the calculator and the procedures can never disagree.
"""

from calendar import monthrange
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sanely.procedure._calendars import (
    UK_ANY_PART,
    WEEKENDS_ONLY,
    WorkingDays,
    nation_named,
    nation_working_days,
)
from sanely.procedure._errors import DeadlineError
from sanely.procedure._model import Period, Rulebook


def working_days_for(rulebook: Rulebook, nation: str | None) -> WorkingDays:
    """
    The working-day definition a rulebook uses for an authority in `nation`.

    Raises DeadlineError when the rulebook does not apply in that nation.
    """
    chosen = nation_named(nation) if nation else None
    if rulebook.working_days == "uk-any-part":
        days = UK_ANY_PART
    elif rulebook.working_days == "nation":
        chosen = chosen or nation_named(str(rulebook.default_nation))
        days = nation_working_days(chosen)
    else:
        days = WEEKENDS_ONLY
    if chosen is not None and chosen.value not in rulebook.jurisdictions:
        where = ", ".join(rulebook.jurisdictions)
        raise DeadlineError(
            f"{rulebook.id} does not apply in {chosen.value} (it applies in: {where}); "
            "choose the regime of that nation, or give no nation"
        )
    return days


def period_end(
    period: Period, start: date, days: WorkingDays, circumstances: frozenset[str] = frozenset()
) -> date:
    """
    The last day of `period` counted from the fact dated `start`, in `circumstances` where the
    period is a statutory table (PA 2023 s.54). A period of months ends on the day before the
    corresponding day `days` months later when it begins with `start`, on that day otherwise.

    For a minimum period this is the earliest lawful deadline; for a standstill, its last day;
    for a notice or a payment, the due date. A period with `roll` that would end on a day that
    is not a working day ends on the next working day (PCR 2015 reg 2(4), PCSR 2015 reg 2(4)(c),
    Regulation 1182/71 art 3(4)).
    """
    length = period.row_for(circumstances).days
    if period.counted == "months":
        end = add_months(start, length)
        return end - timedelta(days=1) if period.count == "beginning-with" else end
    if period.counted == "working":
        first = start if period.count == "beginning-with" else start + timedelta(days=1)
        return days.nth_beginning_with(first, length)
    offset = length if period.count == "after" else length - 1
    end = start + timedelta(days=max(offset, 0))
    return days.on_or_after(end) if period.roll else end


def add_months(day: date, months: int) -> date:
    """
    The day `months` calendar months after `day`; where that month is shorter, its last day
    (31 January and one month gives 28 or 29 February).
    """
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def describe(
    period: Period,
    start: date,
    end: date,
    days: WorkingDays,
    circumstances: frozenset[str] = frozenset(),
) -> str:
    """The sentence that says what the date means, filled from the rulebook's template."""
    row = period.row_for(circumstances)
    sentence = period.meaning.format(
        date=end.isoformat(),
        start=start.isoformat(),
        days=row.days,
        working_day=days.description,
    )
    return f"{sentence} Row applied: {row.circumstance}." if row.circumstance else sentence


def period_for_kind(rulebook: Rulebook, key: str) -> Period:
    """The rulebook's period `key`, or DeadlineError saying why the regime has none."""
    period = rulebook.periods.get(key)
    if period is not None:
        return period
    reason = rulebook.not_applicable.get(key, "the rulebook does not define this period")
    raise DeadlineError(f"no {key.replace('_', '-')} deadline under {rulebook.id}: {reason}")


UK_TIME = ZoneInfo("Europe/London")


def local_date(moment: datetime, nation: str | None) -> date:
    """
    The calendar date at `moment` where the authority is, which is how the law counts days:
    UK time for an authority in one of the UK's nations; otherwise the moment's own date (so
    pass it in the authority's time zone).
    """
    return moment.astimezone(UK_TIME).date() if nation is not None else moment.date()
