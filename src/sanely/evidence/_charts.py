"""Charts as SVG, generated offline, each with a text alternative and its data table."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ._errors import ChartError
from ._verdict import number

_WIDTH, _HEIGHT = 640, 320
_LEFT, _RIGHT, _TOP, _BOTTOM = 72, 24, 40, 56
_INK, _ACCENT, _MUTED = "#0b0c0c", "#1d70b8", "#505a5f"


@dataclass(frozen=True)
class Chart:
    """An SVG chart, its text alternative, and the table of the data it draws."""

    svg: str
    alt_text: str
    table: tuple[tuple[str, ...], ...]


def _scale(low: float, high: float, start: float, end: float) -> tuple[float, float]:
    """Padded data range mapped linearly onto [start, end]: returns (slope, offset)."""
    span = high - low or abs(high) or 1.0
    low, high = low - 0.08 * span, high + 0.08 * span
    slope = (end - start) / (high - low)
    return slope, start - slope * low


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (steps of 1, 2 or 5 times a power of ten)."""
    raw = (high - low) / count or abs(high) or 1.0
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def _frame(
    title: str,
    description: str,
    body: list[str],
    axis: list[str],
    key: str = "chart",
    height: float = _HEIGHT,
) -> str:
    """The SVG around a chart; `key` makes its ids unique when a page shows several."""
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height:.0f}" '
            f'role="img" aria-labelledby="{key}-title {key}-desc" '
            'font-family="Arial, sans-serif" font-size="13">',
            f'<title id="{key}-title">{escape(title)}</title>',
            f'<desc id="{key}-desc">{escape(description)}</desc>',
            f'<text x="{_LEFT}" y="22" font-size="15" font-weight="bold" fill="{_INK}">'
            f"{escape(title)}</text>",
            *axis,
            *body,
            "</svg>",
        ]
    )


def _value_axis(ticks: list[float], slope: float, offset: float, units: str) -> list[str]:
    lines = [
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_HEIGHT - _BOTTOM}" stroke="{_INK}"/>'
    ]
    for tick in ticks:
        y = slope * tick + offset
        lines.append(
            f'<line x1="{_LEFT - 4}" y1="{y:.1f}" x2="{_WIDTH - _RIGHT}" y2="{y:.1f}" '
            'stroke="#d8d8d8"/>'
        )
        lines.append(
            f'<text x="{_LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="{_INK}">'
            f"{escape(number(tick))}</text>"
        )
    if units:
        lines.append(
            f'<text x="16" y="{_TOP + (_HEIGHT - _TOP - _BOTTOM) / 2:.0f}" fill="{_MUTED}" '
            f'transform="rotate(-90 16 {_TOP + (_HEIGHT - _TOP - _BOTTOM) / 2:.0f})" '
            f'text-anchor="middle">{escape(units)}</text>'
        )
    return lines


def time_series_chart(
    periods: Sequence[str],
    values: Sequence[float],
    intervention: str,
    title: str,
    units: str = "",
) -> Chart:
    """A line chart of a metric by period with the start of the pilot marked.

    `periods` are in time order; `intervention` is the first period of the pilot. The text
    alternative gives the averages before and after, and the table every value (WCAG 2.2,
    success criteria 1.1.1 and 1.3.1; the display follows Wagner et al. 2002, figure 1).
    """
    if len(periods) != len(values) or intervention not in periods:
        raise ChartError("periods and values must match, and intervention must be a period.")
    x_step = (_WIDTH - _LEFT - _RIGHT - 24) / max(len(periods) - 1, 1)
    xs = [_LEFT + 12 + x_step * i for i in range(len(periods))]
    cut = list(periods).index(intervention)
    low, high = min(values), max(values)
    slope, offset = _scale(low, high, _HEIGHT - _BOTTOM, _TOP)
    points = " ".join(f"{x:.1f},{slope * v + offset:.1f}" for x, v in zip(xs, values, strict=True))
    start = xs[cut]
    body = [
        f'<polyline points="{points}" fill="none" stroke="{_ACCENT}" stroke-width="2"/>',
        *(
            f'<circle cx="{x:.1f}" cy="{slope * v + offset:.1f}" r="3" fill="{_ACCENT}"/>'
            for x, v in zip(xs, values, strict=True)
        ),
        f'<line x1="{start:.1f}" y1="{_TOP}" x2="{start:.1f}" y2="{_HEIGHT - _BOTTOM}" '
        f'stroke="{_INK}" stroke-dasharray="6 4"/>',
        f'<text x="{start + 4:.1f}" y="{_TOP + 12}" fill="{_INK}">Pilot starts</text>',
    ]
    step = max(1, len(periods) // 8)
    axis = _value_axis(_ticks(low, high), slope, offset, units) + [
        f'<text x="{x:.1f}" y="{_HEIGHT - _BOTTOM + 18}" text-anchor="middle" fill="{_INK}">'
        f"{escape(label)}</text>"
        for x, label in list(zip(xs, periods, strict=True))[::step]
    ]
    before, after = list(values[:cut]), list(values[cut:])
    description = (
        f"{title}: {len(periods)} periods from {periods[0]} to {periods[-1]}; the pilot starts "
        f"in {intervention}. "
        + (f"Before it the values average {number(sum(before) / len(before))}; " if before else "")
        + f"from it they average {number(sum(after) / len(after))}{' ' + units if units else ''}."
    )
    table = (("Period", title), *((p, number(v)) for p, v in zip(periods, values, strict=True)))
    return Chart(_frame(title, description, body, axis), description, table)


def comparison_chart(
    labels: Sequence[str],
    estimates: Sequence[float],
    lows: Sequence[float],
    highs: Sequence[float],
    title: str,
    units: str = "",
    threshold: float | None = None,
    key: str = "chart",
) -> Chart:
    """Estimates with their confidence intervals, one row per group (and a target line).

    A dot-and-whisker display (Cleveland 1985); the text alternative and the table give
    every estimate and bound (WCAG 2.2, success criteria 1.1.1 and 1.3.1). `key` makes the
    chart's ids unique on a page that shows several.
    """
    if not len(labels) == len(estimates) == len(lows) == len(highs) > 0:
        raise ChartError("labels, estimates, lows and highs must have one entry per group.")
    extremes = [*lows, *highs] + ([threshold] if threshold is not None else [])
    low, high = min(extremes), max(extremes)
    slope, offset = _scale(low, high, _LEFT + 120, _WIDTH - _RIGHT)
    row = (_HEIGHT - _TOP - _BOTTOM) / len(labels)
    body: list[str] = []
    for i, (label, estimate, a, b) in enumerate(zip(labels, estimates, lows, highs, strict=True)):
        y = _TOP + row * (i + 0.5)
        body += [
            f'<text x="{_LEFT + 112}" y="{y + 4:.1f}" text-anchor="end" fill="{_INK}">'
            f"{escape(label)}</text>",
            f'<line x1="{slope * a + offset:.1f}" y1="{y:.1f}" x2="{slope * b + offset:.1f}" '
            f'y2="{y:.1f}" stroke="{_ACCENT}" stroke-width="3"/>',
            f'<circle cx="{slope * estimate + offset:.1f}" cy="{y:.1f}" r="5" fill="{_INK}"/>',
        ]
    axis = [
        f'<line x1="{_LEFT + 120}" y1="{_HEIGHT - _BOTTOM}" x2="{_WIDTH - _RIGHT}" '
        f'y2="{_HEIGHT - _BOTTOM}" stroke="{_INK}"/>'
    ]
    for tick in _ticks(low, high):
        x = slope * tick + offset
        axis.append(
            f'<text x="{x:.1f}" y="{_HEIGHT - _BOTTOM + 18}" text-anchor="middle" '
            f'fill="{_INK}">{escape(number(tick))}</text>'
        )
    if units:
        axis.append(
            f'<text x="{(_LEFT + 120 + _WIDTH - _RIGHT) / 2:.0f}" y="{_HEIGHT - 12}" '
            f'text-anchor="middle" fill="{_MUTED}">{escape(units)}</text>'
        )
    if threshold is not None:
        x = slope * threshold + offset
        body += [
            f'<line x1="{x:.1f}" y1="{_TOP}" x2="{x:.1f}" y2="{_HEIGHT - _BOTTOM}" '
            f'stroke="#d4351c" stroke-dasharray="6 4"/>',
            f'<text x="{x + 4:.1f}" y="{_TOP - 4}" fill="#d4351c">'
            f"Target {escape(number(threshold))}</text>",
        ]
    parts = [
        f"{label} {number(e)} (from {number(a)} to {number(b)})"
        for label, e, a, b in zip(labels, estimates, lows, highs, strict=True)
    ]
    description = f"{title}: " + "; ".join(parts)
    if threshold is not None:
        description += f"; the target is {number(threshold)}"
    description += f"{' ' + units if units else ''}."
    table = (
        ("Group", "Estimate", "Lower bound", "Upper bound"),
        *(
            (label, number(e), number(a), number(b))
            for label, e, a, b in zip(labels, estimates, lows, highs, strict=True)
        ),
    )
    return Chart(_frame(title, description, body, axis, key), description, table)
