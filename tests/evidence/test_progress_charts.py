"""A partnership's progress charts: each target's verdict, and paid against planned."""

import xml.etree.ElementTree as ET

import pytest

from sanely.evidence import ChartError, planned_paid_chart, verdict_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """Parse our own generated SVG (trusted input) to check it is well-formed."""
    return ET.fromstring(svg)  # noqa: S314


def test_each_target_is_marked_in_its_verdicts_column_by_shape() -> None:
    targets = [
        ("Trips booked", "met"),
        ("Waiting time", "partly met"),
        ("Cost per trip", "not met"),
        ("Satisfaction", "inconclusive"),
        ("Journeys shared by residents of the villages along the route", "not yet judged"),
    ]
    chart = verdict_chart(targets, "Kestrel’s targets", key="verdicts-1")
    root = parse(chart.svg)
    assert "verdicts-1-title verdicts-1-desc" == root.get("aria-labelledby")
    assert "verdicts-1-title" == root.find(f"{SVG}title").get("id")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    # The headings: a long one takes two lines.
    headings = [[s.text for s in t.iter(f"{SVG}tspan")] for t in root.iter(f"{SVG}text")][1:6]
    assert [["Met"], ["Partly met"], ["Not met"], ["Inconclusive"], ["Not yet", "judged"]] == (
        headings
    )
    # A long name is shortened on the chart, whole in the table and the text alternative.
    assert "Journeys shared by residents of the vil…" in texts
    assert ("Journeys shared by residents of the villages along the route", "not yet judged") == (
        chart.table[5]
    )
    # Filled disc (met), ring and half (partly met), ring (not yet judged); a cross; a "?".
    circles = root.findall(f"{SVG}circle")
    assert ["#00703c", "none", "none"] == [c.get("fill") for c in circles]
    assert 2 == len(root.findall(f"{SVG}path"))
    assert "?" in texts
    # Each mark sits in its verdict's column: the met disc under "Met".
    columns = {s.text: s.get("x") for s in root.iter(f"{SVG}tspan")}
    assert columns["Met"] == circles[0].get("cx")
    assert columns["judged"] == circles[2].get("cx")
    assert chart.alt_text.startswith(
        "Kestrel’s targets: 1 met, 1 partly met, 1 not met, 1 inconclusive, 1 not yet judged. "
        "Trips booked: met; Waiting time: partly met;"
    )
    assert ("Target", "Verdict") == chart.table[0]


def test_the_verdict_chart_counts_only_the_verdicts_it_shows() -> None:
    chart = verdict_chart([("A", "met"), ("B", "met")], "Targets")
    assert "Targets: 2 met. A: met; B: met." == chart.alt_text
    assert "verdicts-title verdicts-desc" == parse(chart.svg).get("aria-labelledby")


def test_a_verdict_chart_needs_targets_with_known_verdicts() -> None:
    with pytest.raises(ChartError, match="at least one target"):
        verdict_chart([], "Targets")
    with pytest.raises(ChartError, match="each judged one of"):
        verdict_chart([("A", "unknown")], "Targets")


def test_paid_is_drawn_against_planned_per_instalment() -> None:
    chart = planned_paid_chart(
        ["Design report", "Pilot set-up", "Top-up"],
        [20_000.0, 40_000.0, None],
        [20_000.0, 10_000.0, 5_000.0],
        "Spend against the instalments",
        prefix="£",
        key="spend-2",
    )
    root = parse(chart.svg)
    assert "spend-2-title spend-2-desc" == root.get("aria-labelledby")
    bars = root.findall(f"{SVG}rect")[2:]  # after the legend's two swatches
    # Planned outlined, paid solid; the unknown planned amount draws nothing.
    assert ["#ffffff", "#1d70b8", "#ffffff", "#1d70b8", "#1d70b8"] == [r.get("fill") for r in bars]
    widths = [float(r.get("width")) for r in bars]
    assert widths[0] == widths[1]
    assert widths[2] == pytest.approx(4 * widths[3], abs=0.5)  # drawn to a tenth of a unit
    assert (
        "Spend against the instalments: Design report: £20,000 planned, £20,000 paid; "
        "Pilot set-up: £40,000 planned, £10,000 paid; Top-up: not stated planned, £5,000 paid."
    ) == chart.alt_text
    assert ("Top-up", "not stated", "£5,000") == chart.table[3]
    assert "£40,000" in [t.text for t in root.iter(f"{SVG}text")]


def test_nothing_paid_or_planned_still_draws_an_axis() -> None:
    chart = planned_paid_chart(["First"], [0.0], [0.0], "Spend")
    assert "Spend: First: 0 planned, 0 paid." == chart.alt_text
    parse(chart.svg)


def test_amounts_that_do_not_fit_the_instalments_are_chart_errors() -> None:
    with pytest.raises(ChartError, match="one entry per instalment"):
        planned_paid_chart(["a"], [1.0, 2.0], [1.0], "x")
    with pytest.raises(ChartError, match="one entry per instalment"):
        planned_paid_chart([], [], [], "x")
