"""Charts of a partnership's progress, in the style (and with the accessibility) of `_charts`:
each intermediate target's verdict, and what was paid against each planned instalment.

Both are drawn for a public page that may show several at once, so each takes a `key` that
makes its ids unique. Neither relies on colour alone: a verdict is told by its column and the
shape of its mark, a bar by its position and its outline (WCAG 2.2, success criterion 1.4.1).
"""

from collections.abc import Sequence
from html import escape

from ._charts import _ACCENT, _INK, _MUTED, _RIGHT, _WIDTH, Chart, _frame, _scale, _ticks
from ._errors import ChartError
from ._verdict import number

# The verdicts a target can show, in the order of the chart's columns, and how each is marked.
VERDICT_MARKS = {
    "met": "#00703c",
    "partly met": "#f47738",
    "not met": "#d4351c",
    "inconclusive": _MUTED,
    "not yet judged": _MUTED,
}
_ROW = 28
_LABEL_CHARS = 40


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1].rstrip() + "…"


def _mark(verdict: str, x: float, y: float) -> str:
    """A verdict's mark: filled disc, half disc, cross, question mark or empty ring."""
    colour = VERDICT_MARKS[verdict]
    if verdict == "met":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{colour}"/>'
    if verdict == "partly met":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="none" stroke="{colour}" '
            f'stroke-width="2"/><path d="M {x:.1f} {y - 7:.1f} A 7 7 0 0 0 {x:.1f} {y + 7:.1f} Z" '
            f'fill="{colour}"/>'
        )
    if verdict == "not met":
        return (
            f'<path d="M {x - 6:.1f} {y - 6:.1f} L {x + 6:.1f} {y + 6:.1f} M {x + 6:.1f} '
            f'{y - 6:.1f} L {x - 6:.1f} {y + 6:.1f}" stroke="{colour}" stroke-width="3"/>'
        )
    if verdict == "inconclusive":
        return (
            f'<text x="{x:.1f}" y="{y + 6:.1f}" text-anchor="middle" font-size="18" '
            f'font-weight="bold" fill="{colour}">?</text>'
        )
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="none" stroke="{colour}" stroke-width="2"/>'
    )


def _heading(verdict: str, x: float, bottom: float) -> str:
    """A column's heading, its last word on a line of its own when the words are long."""
    words = (verdict[0].upper() + verdict[1:]).rsplit(" ", 1)
    lines = words if len(verdict) > 10 and len(words) == 2 else [" ".join(words)]
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{bottom - 15 * (len(lines) - 1 - i):.0f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text text-anchor="middle" fill="{_INK}">{spans}</text>'


def verdict_chart(targets: Sequence[tuple[str, str]], title: str, key: str = "verdicts") -> Chart:
    """One row per target and one column per verdict, the target's mark in its verdict's column.

    `targets` are (name, verdict) with the verdict one of `VERDICT_MARKS`. The text alternative
    counts the verdicts and names each target's; the table lists them.
    """
    if not targets or any(verdict not in VERDICT_MARKS for _, verdict in targets):
        raise ChartError(f"give at least one target, each judged one of {list(VERDICT_MARKS)}.")
    left, top = 256, 72
    step = (_WIDTH - _RIGHT - left) / len(VERDICT_MARKS)
    columns = {v: left + step * (i + 0.5) for i, v in enumerate(VERDICT_MARKS)}
    height = top + _ROW * len(targets) + 16
    axis = [_heading(verdict, x, top - 12) for verdict, x in columns.items()] + [
        f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 12:.0f}" stroke="#d8d8d8"/>'
        for x in columns.values()
    ]
    body: list[str] = []
    for i, (name, verdict) in enumerate(targets):
        y = top + _ROW * (i + 0.5)
        body += [
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" fill="{_INK}">'
            f"{escape(_short(name))}</text>",
            _mark(verdict, columns[verdict], y),
        ]
    counts = [
        f"{sum(v == verdict for _, v in targets)} {verdict}"
        for verdict in VERDICT_MARKS
        if any(v == verdict for _, v in targets)
    ]
    description = (
        f"{title}: {', '.join(counts)}. "
        + "; ".join(f"{name}: {verdict}" for name, verdict in targets)
        + "."
    )
    table = (("Target", "Verdict"), *((name, verdict) for name, verdict in targets))
    return Chart(_frame(title, description, body, axis, key, height), description, table)


def planned_paid_chart(
    labels: Sequence[str],
    planned: Sequence[float | None],
    paid: Sequence[float],
    title: str,
    prefix: str = "",
    key: str = "spend",
) -> Chart:
    """Two bars per instalment: what was planned (outlined) and what has been paid (solid).

    A planned amount that is not known (None) draws no outlined bar and reads "not stated".
    `prefix` goes before each figure (a currency sign).
    """
    if not len(labels) == len(planned) == len(paid) > 0:
        raise ChartError("labels, planned and paid amounts must have one entry per instalment.")
    left, top, bar = 272, 56, 10
    high = max([*paid, *(p for p in planned if p is not None)]) or 1.0
    slope, offset = _scale(0.0, high, left, _WIDTH - _RIGHT)
    zero = offset
    height = top + _ROW * len(labels) + 40
    bottom = height - 32
    body: list[str] = [
        f'<rect x="{left}" y="34" width="12" height="{bar}" fill="#ffffff" stroke="{_INK}"/>',
        f'<text x="{left + 18}" y="{34 + bar}" fill="{_INK}">Planned</text>',
        f'<rect x="{left + 90}" y="34" width="12" height="{bar}" fill="{_ACCENT}"/>',
        f'<text x="{left + 108}" y="{34 + bar}" fill="{_INK}">Paid</text>',
    ]
    for i, (label, due, done) in enumerate(zip(labels, planned, paid, strict=True)):
        y = top + _ROW * i
        body.append(
            f'<text x="{left - 8}" y="{y + bar + 4:.1f}" text-anchor="end" fill="{_INK}">'
            f"{escape(_short(label))}</text>"
        )
        if due is not None:
            body.append(
                f'<rect x="{zero:.1f}" y="{y + 2:.1f}" width="{slope * due:.1f}" '
                f'height="{bar}" fill="#ffffff" stroke="{_INK}"/>'
            )
        body.append(
            f'<rect x="{zero:.1f}" y="{y + bar + 3:.1f}" width="{slope * done:.1f}" '
            f'height="{bar}" fill="{_ACCENT}"/>'
        )
    axis = [
        f'<line x1="{zero:.1f}" y1="{top - 4}" x2="{zero:.1f}" y2="{bottom:.0f}" stroke="{_INK}"/>'
    ] + [
        f'<text x="{slope * tick + offset:.1f}" y="{bottom + 18:.0f}" text-anchor="middle" '
        f'fill="{_INK}">{escape(prefix + number(tick))}</text>'
        for tick in _ticks(0.0, high, 4)
    ]

    def figure(value: float | None) -> str:
        return "not stated" if value is None else prefix + number(value)

    parts = [
        f"{label}: {figure(due)} planned, {figure(done)} paid"
        for label, due, done in zip(labels, planned, paid, strict=True)
    ]
    description = f"{title}: " + "; ".join(parts) + "."
    table = (
        ("Instalment", "Planned", "Paid"),
        *(
            (label, figure(due), figure(done))
            for label, due, done in zip(labels, planned, paid, strict=True)
        ),
    )
    return Chart(_frame(title, description, body, axis, key, height), description, table)
