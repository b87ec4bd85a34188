"""
The statutory deadline calculator behind `sanely deadline`, the public page and the API.

It reads the same rulebook periods and calendars as the engine, so the calculator and the
procedures can never disagree.
"""

from collections.abc import Iterable
from datetime import date

from sanely.procedure._deadlines import describe, period_end, period_for_kind, working_days_for
from sanely.procedure._errors import CircumstanceError, DeadlineError
from sanely.procedure._facts import CIRCUMSTANCES
from sanely.procedure._model import Deadline, Period
from sanely.procedure._rulebook import load_rulebook

# Command-line kind -> rulebook period key.
KINDS: dict[str, str] = {
    "requests-to-participate": "requests_to_participate",
    "tendering": "tendering",
    "standstill": "standstill",
    "contract-award-notice": "contract_award_notice",
    "contract-details-notice": "contract_details_notice",
    "termination-notice": "termination_notice",
    "invoice-payment": "invoice_payment",
}


def option(name: str) -> str:
    """The command-line option of a circumstance."""
    return "--" + name.replace("_", "-")


def _check_circumstances(period: Period, rulebook_id: str, claimed: frozenset[str]) -> None:
    unknown = sorted(claimed - set(CIRCUMSTANCES))
    if unknown:
        raise CircumstanceError(
            f"unknown circumstance {unknown[0]!r}: use one of {', '.join(CIRCUMSTANCES)}"
        )
    misplaced = sorted(claimed - period.circumstances)
    if misplaced:
        applicable = ", ".join(option(n) for n in sorted(period.circumstances)) or "none"
        raise CircumstanceError(
            f"{option(misplaced[0])} does not apply to the {period.key.replace('_', '-')} "
            f"period under {rulebook_id}; the options that apply are: {applicable}"
        )


def deadline_for(
    kind: str,
    regime: str,
    start: date,
    nation: str | None = None,
    circumstances: Iterable[str] = (),
) -> Deadline:
    """
    The statutory date of `kind` under rulebook `regime`, counted from the fact dated `start`.

    The date is the earliest lawful deadline for a minimum period (requests to participate,
    tendering), the last day of a standstill, or the due date of a notice or payment. The
    rulebook version is the one in force on `start`. `circumstances` (names in CIRCUMSTANCES)
    choose the row of a statutory table such as PA 2023 s.54(4); the answer names the row.
    Raises DeadlineError (or a RulebookError) with a message that says what to change.
    """
    key = KINDS.get(kind)
    if key is None:
        raise DeadlineError(f"unknown deadline kind {kind!r}: use one of {', '.join(KINDS)}")
    rulebook = load_rulebook(regime, start)
    period = period_for_kind(rulebook, key)
    claimed = frozenset(circumstances)
    _check_circumstances(period, rulebook.id, claimed)
    days = working_days_for(rulebook, nation)
    end = period_end(period, start, days, claimed)
    return Deadline(
        date=end,
        meaning=describe(period, start, end, days, claimed),
        counted=f"{period.counted} days",
        rule=period.rule,
        citation=rulebook.rule(period.rule).citation,
        row=period.row_for(claimed).circumstance,
    )
