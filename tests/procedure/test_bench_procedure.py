"""Benchmarks of the engine's hot paths (make bench); they report timings and check results."""

import sys
import time
from dataclasses import replace
from datetime import date, timedelta

import pytest

from procedure.scenarios import GOOD, NOW
from sanely.procedure import UK_ANY_PART, evaluate, load_rulebook

STATES = ("drafting", "tendering", "standstill", "gate_review")


@pytest.mark.bench
def test_bench_evaluating_two_thousand_procurements():
    rulebook = load_rulebook("pcr-2015-reg31")
    procurements = [replace(GOOD, state=STATES[n % len(STATES)]) for n in range(2000)]

    started = time.perf_counter()
    evaluations = [evaluate(rulebook, facts, NOW) for facts in procurements]
    elapsed = time.perf_counter() - started

    sys.stdout.write(f"\nevaluate: {len(evaluations)} procurements in {elapsed:.3f} s\n")
    assert all(e.allowed for e in evaluations)


@pytest.mark.bench
def test_bench_counting_working_days_over_ten_years():
    starts = [date(2016, 1, 1) + timedelta(days=n) for n in range(3650)]

    started = time.perf_counter()
    ends = [UK_ANY_PART.nth_beginning_with(day, 8) for day in starts]
    elapsed = time.perf_counter() - started

    sys.stdout.write(f"\nworking days: {len(ends)} standstills in {elapsed:.3f} s\n")
    assert all(UK_ANY_PART.between(s, e) == 8 for s, e in zip(starts, ends, strict=True))
