"""
`sanely deadline`: compute a statutory deadline from the shipped rulebooks and calendars.

    sanely deadline standstill --regime pa-2023-cfp-ip --from 2026-12-17 --json
    sanely deadline tendering --regime pa-2023-cfp-ip --from 2027-03-01 --documents-not-all-at-once
"""

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date

from sanely.procedure._calculator import KINDS, deadline_for, option
from sanely.procedure._calendars import Nation
from sanely.procedure._errors import ProcedureError
from sanely.procedure._facts import CIRCUMSTANCES
from sanely.procedure._rulebook import rulebook_ids


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sanely deadline",
        description="Compute a statutory deadline: the earliest lawful deadline for a minimum "
        "period, the last day of a standstill, or the due date of a notice or payment.",
    )
    parser.add_argument("kind", choices=list(KINDS), help="which deadline")
    parser.add_argument("--regime", required=True, choices=rulebook_ids(), help="rulebook id")
    parser.add_argument(
        "--from",
        dest="start",
        required=True,
        metavar="YYYY-MM-DD",
        help="the date of the fact the period is counted from (a notice, a contract, an invoice)",
    )
    parser.add_argument(
        "--nation",
        choices=[n.value for n in Nation],
        help="the buying authority's nation (sets the bank holidays where the regime uses them)",
    )
    for name, claim in CIRCUMSTANCES.items():
        parser.add_argument(
            option(name),
            dest="circumstances",
            action="append_const",
            const=name,
            help=f"{claim} (PA 2023 s.54 tables)",
        )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str]) -> int:
    """Run `sanely deadline`; return 0, or 2 for bad input with a message on stderr."""
    parser = _parser()
    args = parser.parse_args(list(argv))
    try:
        start = date.fromisoformat(args.start)
    except ValueError:
        parser.error(f"argument --from: {args.start!r} is not a date; write it as YYYY-MM-DD")
    try:
        deadline = deadline_for(
            args.kind, args.regime, start, args.nation, args.circumstances or ()
        )
    except ProcedureError as error:
        print(f"sanely deadline: error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(
            json.dumps(
                {
                    "date": deadline.date.isoformat(),
                    "meaning": deadline.meaning,
                    "counted": deadline.counted,
                    "rule": deadline.rule,
                    "citation": deadline.citation,
                    "row": deadline.row,
                }
            )
        )
    else:
        print(f"{deadline.date}  ({deadline.counted}; {deadline.citation}, {deadline.rule})")
        print(deadline.meaning)
    return 0
