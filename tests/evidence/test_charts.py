"""Charts: valid SVG with a text alternative and the data table beside it."""

import xml.etree.ElementTree as ET

import pytest

from sanely.evidence import ChartError, comparison_chart, time_series_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """Parse our own generated SVG (trusted input) to check it is well-formed."""
    return ET.fromstring(svg)  # noqa: S314


def test_time_series_marks_the_start_of_the_pilot() -> None:
    periods = [f"2025-{m:02d}" for m in range(1, 13)]
    values = [12.0, 12.5, 11.8, 12.2, 12.1, 11.9, 9.0, 8.8, 8.5, 8.9, 8.6, 8.4]
    chart = time_series_chart(periods, values, "2025-07", "Average waiting time", "minutes")
    root = parse(chart.svg)
    assert ("Average waiting time", chart.alt_text) == (
        root.findtext(f"{SVG}title"),
        root.findtext(f"{SVG}desc"),
    )
    assert (
        "Average waiting time: 12 periods from 2025-01 to 2025-12; the pilot starts in 2025-07. "
        "Before it the values average 12.1; from it they average 8.7 minutes."
    ) == chart.alt_text
    assert ("Period", "Average waiting time") == chart.table[0]
    assert ("2025-07", "9") == chart.table[7]
    assert 1 == sum(1 for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray"))


def test_a_series_starting_with_the_pilot_has_no_before_average() -> None:
    chart = time_series_chart(["1", "2"], [0.0, 0.0], "1", "Complaints")
    assert "Complaints: 2 periods from 1 to 2; the pilot starts in 1. from it they average 0." == (
        chart.alt_text
    )
    parse(chart.svg)


def test_group_comparison_draws_intervals_and_the_target() -> None:
    chart = comparison_chart(
        ["Pilot", "Comparison"],
        [-4.2, -0.5],
        [-5.4, -1.6],
        [-3.1, 0.7],
        "Change in waiting time",
        "minutes",
        threshold=-2.0,
    )
    root = parse(chart.svg)
    assert 2 == len(root.findall(f"{SVG}circle"))
    assert (
        "Change in waiting time: Pilot -4.2 (from -5.4 to -3.1); Comparison -0.5 (from -1.6 to "
        "0.7); the target is -2 minutes."
    ) == chart.alt_text
    assert ("Pilot", "-4.2", "-5.4", "-3.1") == chart.table[1]


def test_group_comparison_without_a_target_or_units() -> None:
    chart = comparison_chart(["All"], [5.0], [5.0], [5.0], "Level")
    assert "Level: All 5 (from 5 to 5)." == chart.alt_text
    parse(chart.svg)


def test_group_comparisons_on_one_page_have_their_own_ids() -> None:
    first = parse(comparison_chart(["All"], [5.0], [4.0], [6.0], "Level", key="one").svg)
    second = parse(comparison_chart(["All"], [5.0], [4.0], [6.0], "Level", key="two").svg)
    assert "one-title one-desc" == first.get("aria-labelledby")
    assert "two-title two-desc" == second.get("aria-labelledby")
    assert "chart-title chart-desc" == parse(
        comparison_chart(["All"], [5.0], [4.0], [6.0], "Level").svg
    ).get("aria-labelledby")


def test_series_that_do_not_fit_together_are_chart_errors() -> None:
    with pytest.raises(ChartError, match="intervention must be a period"):
        time_series_chart(["1", "2"], [1.0, 2.0], "3", "x")
    with pytest.raises(ChartError, match="one entry per group"):
        comparison_chart(["a"], [1.0, 2.0], [0.0], [3.0], "x")
