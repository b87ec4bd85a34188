"""`sanely evidence`: assess pilot outcome data against a target, without the web application."""

import argparse
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ._charts import comparison_chart
from ._errors import EvidenceError
from ._spec import Spec, load_spec
from ._verdict import describe_metric, number

# The estimators (numpy, scipy) and the reader (DuckDB) load only when a command runs them.
if TYPE_CHECKING:
    from ._assess import Assessment
    from ._table import Table


SPEC_KEYS = """SPEC.toml keys (docs/evidence.md explains each):
  [columns]    value, exposure, unit, period, group,
               covariates = baseline columns to adjust for (two_group, did),
               weight = a column of weights (with inference.weights)
  [design]     kind = threshold | before_after | two_group | did | its |
                      synthetic_control | staggered
               treated, control, before, after, fixed_effects, season_length
               its: change_at = first pilot period (or before and after);
                 treated and control = pilot and comparison series (comparative)
               synthetic_control: treated = the one pilot unit, control = donors
                 (default: all other units), change_at = first pilot period
                 (or before and after)
               staggered: columns.group = each unit's first pilot period;
                 comparison = never_treated | not_yet_treated,
                 never_treated = group values meaning never (default ["0"])
  [metric]     statistic = mean | proportion | total | rate | ratio | median |
               percentile; percentile, aggregate = none | unit_period, label, units
  [target]     comparator = >= | > | <= | <, threshold, confidence,
               standard = ci_bound | estimate
  [inference]  method = auto | analytic | bootstrap | wild, errors = auto |
               classical | robust | cluster | hac, interval = bca | percentile,
               replicates, seed, confidence, lags, wild_weights = auto |
               rademacher | webb, weights = analytic | survey
  [data]       missing, on_missing = drop | error, duplicates = keep | drop |
               error, sheet, where
  [sequential] looks, look, spending = obrien_fleming | pocock, futility,
               futility_spending, power, fractions
  [predictors] synthetic_control: column = "before" (its mean before the
               change), or a list of periods, or a list of such lists
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sanely evidence", description="Assess pilot outcome data against a target."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "assess",
        help="assess DATA against the target in SPEC",
        epilog=SPEC_KEYS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("data", metavar="DATA", help="CSV, XLSX, Parquet or JSON Lines file")
    run.add_argument(
        "--spec",
        required=True,
        action="append",
        metavar="SPEC",
        help="SPEC.toml (docs/evidence.md); repeat for the targets of one phase (Holm)",
    )
    run.add_argument("--json", action="store_true", help="print one JSON object per target")
    run.add_argument("--chart", metavar="SVG", help="also write the estimate as an SVG chart")
    planning = commands.add_parser("plan", help="minimum detectable effect of a phase")
    planning.add_argument("--spec", required=True, metavar="SPEC", help="SPEC.toml with [target]")
    planning.add_argument("--sd", type=float, required=True, help="standard deviation per row")
    planning.add_argument("--rows-per-period", type=float, required=True, help="per group")
    planning.add_argument("--periods", type=int, required=True, help="length of the phase")
    planning.add_argument("--units", type=int, help="units per group (for clustering)")
    planning.add_argument("--icc", type=float, default=0.0, help="intra-cluster correlation")
    planning.add_argument("--power", type=float, default=0.8)
    planning.add_argument("--expected", type=float, help="expected value (threshold designs)")
    return parser


def _text(result: "Assessment") -> str:
    se = "-" if result.std_error is None else number(result.std_error)
    lines = [
        result.explanation,
        "",
        f"estimate      {number(result.estimate)}",
        f"std error     {se}",
        f"{result.confidence:.0%} interval  {number(result.ci_low)} to {number(result.ci_high)}",
        f"p-value       {result.p_value:.4g}",
    ]
    if result.p_value_holm is not None:
        lines.append(f"Holm p-value  {result.p_value_holm:.4g}")
    from ._sample import describe_rows

    lines += [f"verdict       {result.verdict}", f"method        {result.method}"]
    lines += [
        f"{'rows' if index == 0 else '':14}{group}: {words}"
        for index, (group, words) in enumerate(describe_rows(result.n))
    ]
    lines += [f"warning       {warning}" for warning in result.warnings]
    return "\n".join(lines)


def _write_charts(path: Path, specs: list[Spec], results: Sequence["Assessment"]) -> None:
    from ._panel_charts import design_chart

    first = specs[0]
    # One synthetic control or staggered target: its gap series or event-time plot.
    chart = design_chart(results[0].series, results[0].details, first) if len(specs) == 1 else None
    chart = chart or comparison_chart(
        [describe_metric(spec) for spec in specs],
        [r.estimate for r in results],
        [r.ci_low for r in results],
        [r.ci_high for r in results],
        "Estimates with their confidence intervals",
        first.metric.units,
        first.target.threshold if first.target and len(specs) == 1 else None,
    )
    path.write_text(chart.svg, encoding="utf-8")


def _read(data: str, spec: Spec) -> "Table":
    from ._ingest import read_table

    return read_table(data, spec)


def _assess_one(data: str, spec: Spec) -> "Assessment":
    """Read the file in a second thread while the estimators load: DuckDB works outside
    Python's global lock, so reading the file overlaps loading scipy."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        table = pool.submit(_read, data, spec)
        from ._assess import assess

        return assess(table.result(), spec)


def _assess(args: argparse.Namespace) -> None:
    specs = [load_spec(path) for path in args.spec]
    if len(specs) == 1:
        results: Sequence[Assessment] = (_assess_one(args.data, specs[0]),)
    else:
        from ._assess import assess_phase

        results = assess_phase(args.data, specs)
    if args.chart:
        _write_charts(Path(args.chart), specs, results)
    for result in results:
        print(result.to_json() if args.json else _text(result))


def _plan(args: argparse.Namespace) -> None:
    from ._planning import plan

    result = plan(
        load_spec(args.spec),
        sd=args.sd,
        rows_per_period=args.rows_per_period,
        periods=args.periods,
        units=args.units,
        icc=args.icc,
        power=args.power,
        expected=args.expected,
    )
    print(result.explanation)


def main(argv: Sequence[str]) -> int:
    """Run `sanely evidence ARGS`; returns 0 on success, 2 on bad input (message on stderr)."""
    args = _parser().parse_args(list(argv))
    try:
        if args.command == "assess":
            _assess(args)
        else:
            _plan(args)
    except EvidenceError as error:
        print(f"sanely evidence: {error}", file=sys.stderr)
        return 2
    return 0
