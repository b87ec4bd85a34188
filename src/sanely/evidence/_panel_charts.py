"""Charts of the panel designs: the gap series of synthetic control and the event-time plot
of staggered adoption, in the style (and with the accessibility) of `_charts`."""

from collections.abc import Mapping
from html import escape

from ._charts import (
    _ACCENT,
    _BOTTOM,
    _HEIGHT,
    _INK,
    _LEFT,
    _RIGHT,
    _TOP,
    _WIDTH,
    Chart,
    _frame,
    _scale,
    _ticks,
    _value_axis,
    time_series_chart,
)
from ._errors import ChartError
from ._spec import Spec
from ._verdict import describe_metric, number


def gap_chart(gaps: Mapping[str, float], change_at: str, pilot: str, units: str = "") -> Chart:
    """The pilot unit minus its synthetic control, period by period, with the change marked:
    near zero before it when the synthetic unit tracks the pilot; the effect after it."""
    title = f"{pilot} minus its synthetic control"
    return time_series_chart(list(gaps), list(gaps.values()), change_at, title, units)


def event_time_chart(
    estimates: Mapping[str, float],
    lows: Mapping[str, float],
    highs: Mapping[str, float],
    title: str,
    units: str = "",
) -> Chart:
    """Effects by periods since joining the pilot (event time), each with its interval, and
    a line at zero: estimates before joining test the parallel-trends assumption."""
    events = list(estimates)
    if not events or set(events) != set(lows) or set(events) != set(highs):
        raise ChartError("estimates, lows and highs must have the same event times.")
    low = min(0.0, *lows.values())
    high = max(0.0, *highs.values())
    slope, offset = _scale(low, high, _HEIGHT - _BOTTOM, _TOP)
    step = (_WIDTH - _LEFT - _RIGHT - 24) / max(len(events) - 1, 1)
    xs = {event: _LEFT + 12 + step * i for i, event in enumerate(events)}
    zero = slope * 0.0 + offset
    body = [
        f'<line x1="{_LEFT}" y1="{zero:.1f}" x2="{_WIDTH - _RIGHT}" y2="{zero:.1f}" '
        f'stroke="{_INK}"/>'
    ]
    for event, x in xs.items():
        body += [
            f'<line x1="{x:.1f}" y1="{slope * lows[event] + offset:.1f}" x2="{x:.1f}" '
            f'y2="{slope * highs[event] + offset:.1f}" stroke="{_ACCENT}" stroke-width="3"/>',
            f'<circle cx="{x:.1f}" cy="{slope * estimates[event] + offset:.1f}" r="5" '
            f'fill="{_INK}"/>',
        ]
    if "0" in xs:
        start = xs["0"] - step / 2
        body += [
            f'<line x1="{start:.1f}" y1="{_TOP}" x2="{start:.1f}" y2="{_HEIGHT - _BOTTOM}" '
            f'stroke="{_INK}" stroke-dasharray="6 4"/>',
            f'<text x="{start + 4:.1f}" y="{_TOP + 12}" fill="{_INK}">Joins the pilot</text>',
        ]
    axis = _value_axis(_ticks(low, high), slope, offset, units) + [
        f'<text x="{x:.1f}" y="{_HEIGHT - _BOTTOM + 18}" text-anchor="middle" fill="{_INK}">'
        f"{escape(event)}</text>"
        for event, x in xs.items()
    ]
    parts = [
        f"{event}: {number(estimates[event])} (from {number(lows[event])} to "
        f"{number(highs[event])})"
        for event in events
    ]
    description = (
        f"{title}, by periods since joining the pilot (0 is the first period in it): "
        + "; ".join(parts)
        + (f" {units}." if units else ".")
    )
    table = (
        ("Periods since joining", "Estimate", "Lower bound", "Upper bound"),
        *(
            (event, number(estimates[event]), number(lows[event]), number(highs[event]))
            for event in events
        ),
    )
    return Chart(_frame(title, description, body, axis), description, table)


def design_chart(
    series: Mapping[str, Mapping[str, float]], details: Mapping[str, float], spec: Spec
) -> Chart | None:
    """The chart a council reader needs for a panel design (None for the other designs):
    the gap series for synthetic control, the event-time plot for staggered adoption."""
    if "gap" in series:
        change_at = list(series["gap"])[int(details["pre_periods"])]
        return gap_chart(series["gap"], change_at, spec.design.treated[0], spec.metric.units)
    if "event_time" in series:
        return event_time_chart(
            series["event_time"],
            series["event_time_low"],
            series["event_time_high"],
            f"Effect on {describe_metric(spec)}",
            spec.metric.units,
        )
    return None
