"""
A lifecycle action as the services pass it to `procurement_act`: plain typed values, so that a
service never builds an API schema to call another. The API's `ActionIn` converts to it.
"""

from dataclasses import asdict, dataclass, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sanely.procedure import Round


@dataclass(frozen=True)
class Action:
    """
    A justification for the rules that ask for one, and the facts the event's rulebook reads.

    `rounds` are the tender rounds held so far as the tenders app records them (when each was
    invited, its deadline, whether it is closed); they replace the procurement's stored rounds
    for this action's guards. None leaves the stored rounds. `deadline` is the deadline of the
    round the action opens.
    """

    justification: str = ""
    evidence: str = ""
    qualified: tuple[str, ...] = ()
    invited: tuple[str, ...] = ()
    proposed_changes: tuple[str, ...] = ()
    summaries_sent_on: date | None = None
    not_yet_notified: tuple[str, ...] = ()
    partners: int | None = None
    targets_assessment: str = ""
    performance_levels_met: bool = False
    purchase_price: Decimal | None = None
    rounds: tuple[Round, ...] | None = None
    deadline: datetime | None = None

    def values(self) -> dict[str, Any]:
        """Every field by name: what the rulebook's `action.NAME` sources read."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def known_facts(self) -> dict[str, Any]:
        """The facts the calling app knows better than the procurement row (its rounds)."""
        return {} if self.rounds is None else {"rounds": self.rounds}

    def as_recorded(self) -> dict[str, Any]:
        """The fields that differ from their defaults, as JSON values for the audit trail."""
        return {
            f.name: _json(getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) != f.default
        }


def _json(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_json(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {name: _json(item) for name, item in asdict(value).items()}
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
