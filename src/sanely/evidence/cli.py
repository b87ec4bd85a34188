"""`sanely evidence`: assess pilot outcome data against a target, without the web application."""

import argparse
import sys
from collections.abc import Sequence

from ._assess import Assessment, assess
from ._errors import EvidenceError
from ._spec import load_spec
from ._verdict import number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sanely evidence", description="Assess pilot outcome data against a target."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("assess", help="assess DATA against the target in SPEC")
    run.add_argument("data", metavar="DATA", help="CSV, XLSX, Parquet or JSON Lines file")
    run.add_argument("--spec", required=True, metavar="SPEC", help="SPEC.toml (docs/evidence.md)")
    run.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _text(result: Assessment) -> str:
    se = "-" if result.std_error is None else number(result.std_error)
    lines = [
        result.explanation,
        "",
        f"estimate      {number(result.estimate)}",
        f"std error     {se}",
        f"{result.confidence:.0%} interval  {number(result.ci_low)} to {number(result.ci_high)}",
        f"p-value       {result.p_value:.4g}",
        f"verdict       {result.verdict}",
        f"method        {result.method}",
        "rows          "
        + "; ".join(
            f"{group}: " + ", ".join(f"{period} {count}" for period, count in periods.items())
            for group, periods in result.n.items()
        ),
    ]
    lines += [f"warning       {warning}" for warning in result.warnings]
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    """Run `sanely evidence ARGS`; returns 0 on success, 2 on bad input (message on stderr)."""
    args = _parser().parse_args(list(argv))
    try:
        result = assess(args.data, load_spec(args.spec))
    except EvidenceError as error:
        print(f"sanely evidence: {error}", file=sys.stderr)
        return 2
    print(result.to_json() if args.json else _text(result))
    return 0
