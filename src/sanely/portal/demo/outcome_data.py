"""
Simulated outcome data for the demo partnerships, seeded so that every load makes the same files.

A rural demand-responsive bus pilot is simulated day by day and village by village: passenger
trips (Poisson, busier on Fridays, quieter on Saturdays, none on Sundays, lower in winter and in
the August school holidays, taking a month to build up), the wait from asking to travel to the
pick-up, the operating cost of the day and the answers to a one-question satisfaction survey.
The year before the pilot (the same weekdays, 52 weeks earlier) the villages had a timetabled
bus; comparison villages keep it throughout. Days go missing now and then (a ticket machine or
tablet fault), and one partner's booking system was down for nine days.

Each target's file holds only what the target's analysis plan, fixed at conclusion, reads: a
`value` column, and `period` (before/after), `group` (pilot/comparison) or `exposure` where its
design and statistic use them (see `procurements/planning.py::target_spec`); the date and village
stay in the file for people to check.

The household-waste rounds are simulated the same way: miles driven per round and day, and bins
missed per thousand due, before and after the re-routing.
"""

import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

SEED = 20250601
SUNDAY, SATURDAY = 6, 5
# Trips on each weekday relative to an average weekday (Monday first; no service on Sunday).
WEEKDAY_DEMAND = (1.0, 0.95, 0.95, 1.0, 1.15, 0.7)


@dataclass(frozen=True)
class District:
    """One partner's pilot district and how its pilot runs (the simulation's truth)."""

    name: str
    pilot: tuple[str, ...]  # villages served by the partner's demand-responsive buses
    comparison: tuple[str, ...]  # nearby villages that keep the timetabled bus
    extra_trips: float  # passenger trips a village gains a day once the service is known
    shorter_wait: float  # minutes cut from the wait, beyond the comparison villages' change
    cost_per_day: float  # operating cost a village carries a day (vehicle and driver hours), £
    satisfied: float  # share of passengers who say they are satisfied
    confirmed: float  # share of trial bookings confirmed within 10 minutes
    outage_days: int = 0  # consecutive days without data: the booking system was down


@dataclass(frozen=True)
class Village:
    name: str
    group: str  # pilot or comparison
    usual_trips: float  # a day, on the timetabled bus
    usual_wait: float  # minutes from wanting to travel to the next timetabled departure


@dataclass(frozen=True)
class Day:
    """One village's day: the rows every target's file is cut from."""

    on: date
    village: str
    group: str  # pilot or comparison
    period: str  # before or after
    trips: int
    wait_minutes: float  # the day's mean
    cost: float  # the pilot's operating cost that day, £
    answers: tuple[int, ...] = ()  # satisfaction survey answers, 1 for satisfied

    @property
    def piloted(self) -> bool:
        return self.group == "pilot" and self.period == "after"


def _season(day: date) -> float:
    """Demand through the year: lowest in January, highest in June, down in August's holidays."""
    seasonal = 1 + 0.12 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 80) / 365)
    return seasonal * (0.8 if day.month == 8 else 1.0)


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day < end:
        if day.weekday() != SUNDAY:
            yield day
        day += timedelta(days=1)


def district_days(
    district: District, start: date, end: date, rng: np.random.Generator
) -> list[Day]:
    """
    Every village's service days of the pilot (`start` to `end`) and of the same weeks a year
    before. Noise is drawn freely; then the waits of the pilot's days are moved together, and the
    survey's answers dealt out, so that the sample shows the district's effect on the wait and its
    share satisfied exactly: the verdicts do not depend on the day the demo is loaded.
    """
    outage_from = start + timedelta(days=int(rng.integers(40, 100)))
    outage = {outage_from + timedelta(days=d) for d in range(district.outage_days)}
    villages = [
        Village(name, group, rng.uniform(3.5, 7.5), rng.normal(38, 4))
        for group, names in (("pilot", district.pilot), ("comparison", district.comparison))
        for name in names
    ]
    rows = [
        _day(district, village, on, period, (on - start).days, rng)
        for village in villages
        for period in ("before", "after")
        for on in _days(start, end)
        if not (rng.random() < 0.03 or (period == "after" and on in outage))  # days with no data
    ]
    rows = _with_wait_effect(rows, -district.shorter_wait)
    return _with_answers(rows, district.satisfied, rng)


def _day(
    district: District,
    village: Village,
    on: date,
    period: str,
    days_in: int,
    rng: np.random.Generator,
) -> Day:
    day = on - timedelta(days=364) if period == "before" else on  # the same weekday a year before
    demand = WEEKDAY_DEMAND[day.weekday()] * _season(day)
    wait, cost, expected = village.usual_wait, 0.0, village.usual_trips * demand
    if village.group == "comparison" and period == "after":
        wait += 0.8  # the timetables were thinned a little
    if village.group == "pilot" and period == "after":
        build_up = min(1.0, 0.4 + days_in / 50)  # a month or so before villages know it
        expected = (village.usual_trips + district.extra_trips * build_up) * demand
        wait -= district.shorter_wait
        cost = district.cost_per_day * rng.lognormal(0, 0.08)
    trips = int(rng.poisson(expected))
    winter = 3.0 if day.month in (12, 1, 2) else 0.0
    wait += winter + rng.normal(0, 2.5) + rng.normal(0, 9) / math.sqrt(max(trips, 1))
    return Day(day, village.name, village.group, period, trips, max(wait, 2.0), cost)


def _with_wait_effect(rows: list[Day], effect: float) -> list[Day]:
    """The pilot days' waits moved together so the difference in differences is `effect`."""

    def mean(group: str, period: str) -> float:
        waits = [d.wait_minutes for d in rows if (d.group, d.period) == (group, period) and d.trips]
        return sum(waits) / len(waits)

    drawn = mean("pilot", "after") - mean("pilot", "before")
    drawn -= mean("comparison", "after") - mean("comparison", "before")
    return [
        replace(d, wait_minutes=d.wait_minutes + effect - drawn) if d.piloted else d for d in rows
    ]


def _with_answers(rows: list[Day], satisfied: float, rng: np.random.Generator) -> list[Day]:
    """About one passenger in seven answers the survey; `satisfied` of all answers are 1."""
    counts = [int(rng.poisson(0.15 * d.trips)) if d.piloted else 0 for d in rows]
    total = sum(counts)
    answers = np.zeros(total, dtype=int)
    answers[: round(satisfied * total)] = 1
    rng.shuffle(answers)
    bounds = np.cumsum([0, *counts])
    return [
        replace(d, answers=tuple(int(a) for a in answers[low:high])) if high > low else d
        for d, low, high in zip(rows, bounds[:-1], bounds[1:], strict=True)
    ]


def _csv(header: str, lines: list[str]) -> bytes:
    out = io.StringIO()
    out.write(header + "\n")
    out.writelines(line + "\n" for line in lines)
    return out.getvalue().encode()


def trips_file(days: list[Day]) -> bytes:
    """Passenger trips a pilot village made each day, before and during the pilot."""
    return _csv(
        "date,village,period,value",
        [f"{d.on},{d.village},{d.period},{d.trips}" for d in days if d.group == "pilot"],
    )


def wait_file(days: list[Day]) -> bytes:
    """Each village's mean wait of the day, pilot and comparison villages, before and during."""
    return _csv(
        "date,village,group,period,value",
        [f"{d.on},{d.village},{d.group},{d.period},{d.wait_minutes:.1f}" for d in days if d.trips],
    )


def cost_file(days: list[Day]) -> bytes:
    """The pilot's operating cost of each village day (value) and its passenger trips (exposure)."""
    piloted = [d for d in days if d.piloted and d.trips]
    return _csv(
        "date,village,value,exposure",
        [f"{d.on},{d.village},{d.cost:.2f},{d.trips}" for d in piloted],
    )


def satisfaction_file(days: list[Day]) -> bytes:
    """One row per survey answer during the pilot: 1 satisfied, 0 not."""
    return _csv(
        "date,village,value",
        [f"{d.on},{d.village},{a}" for d in days for a in d.answers],
    )


def trial_file(district: District, start: date, rng: np.random.Generator) -> bytes:
    """The phase 1 booking trial: one row per booking, 1 when confirmed within 10 minutes."""
    lines = []
    for on in _days(start, start + timedelta(days=28)):
        for _ in range(int(rng.poisson(16 if on.weekday() != SATURDAY else 8))):
            lines.append(f"{on},{int(rng.random() < district.confirmed)}")
    return _csv("date,value", lines)


@dataclass(frozen=True)
class Routing:
    """One partner's re-routing of household-waste rounds (the simulation's truth)."""

    fewer_miles: float  # miles a round saves a day
    missed_per_thousand: float  # bins missed per thousand due, once routed


def _round_days(start: date, end: date) -> Iterator[date]:
    return (day for day in _days(start, end) if day.weekday() < SATURDAY)


def miles_file(
    routing: Routing,
    rounds: tuple[str, ...],
    start: date,
    end: date,
    rng: np.random.Generator,
    lag_days: int,
) -> bytes:
    """
    Miles each round drove a day on its old routes (`before`, `lag_days` earlier: 364 for the
    same weekdays a year before, 0 for the same days replayed) and on the new ones (`after`).
    """
    lines = []
    for name in rounds:
        usual = rng.normal(56, 7)
        for on in _round_days(start, end):
            for period, day, saving in (
                ("before", on - timedelta(days=lag_days), 0.0),
                ("after", on, routing.fewer_miles),
            ):
                if rng.random() < 0.02:
                    continue  # the lorry's tracker sent nothing that day
                winter = 3.0 if day.month in (12, 1, 2) else 0.0
                miles = usual - saving + winter + rng.normal(0, 4)
                lines.append(f"{day},{name},{period},{miles:.1f}")
    return _csv("date,round,period,value", lines)


def missed_file(
    routing: Routing, rounds: tuple[str, ...], start: date, end: date, rng: np.random.Generator
) -> bytes:
    """Bins each round missed a day (value) and the thousands of bins it was due (exposure)."""
    lines = []
    for name in rounds:
        due = rng.uniform(1.2, 1.6)
        for on in _round_days(start, end):
            if rng.random() < 0.02:
                continue
            thousands = round(due * rng.normal(1, 0.03), 3)
            missed = int(rng.poisson(routing.missed_per_thousand * thousands))
            lines.append(f"{on},{name},{missed},{thousands}")
    return _csv("date,round,value,exposure", lines)
