"""
The statutory deadline calculator behind `sanely deadline`, the public page and the API.

It reads the same rulebook periods and calendars as the engine, so the calculator and the
procedures can never disagree.
"""

from datetime import date

from sanely.procedure._deadlines import describe, period_end, period_for_kind, working_days_for
from sanely.procedure._errors import DeadlineError
from sanely.procedure._model import Deadline
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


def deadline_for(kind: str, regime: str, start: date, nation: str | None = None) -> Deadline:
    """
    The statutory date of `kind` under rulebook `regime`, counted from the fact dated `start`.

    The date is the earliest lawful deadline for a minimum period (requests to participate,
    tendering), the last day of a standstill, or the due date of a notice or payment. The
    rulebook version is the one in force on `start`. Raises DeadlineError (or a RulebookError)
    with a message that says what to change.
    """
    key = KINDS.get(kind)
    if key is None:
        raise DeadlineError(f"unknown deadline kind {kind!r}: use one of {', '.join(KINDS)}")
    rulebook = load_rulebook(regime, start)
    period = period_for_kind(rulebook, key)
    days = working_days_for(rulebook, nation)
    end = period_end(period, start, days)
    return Deadline(
        date=end,
        meaning=describe(period, start, end, days),
        counted=f"{period.counted} days",
        rule=period.rule,
        citation=rulebook.rule(period.rule).citation,
    )
