"""
A lifecycle action as the services pass it to `procurement_act`: plain typed values, so that a
service never builds an API schema to call another. The API's `ActionIn` converts to it.
"""

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Action:
    """A justification for the rules that ask for one, and the facts the event's rulebook reads."""

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

    def values(self) -> dict[str, Any]:
        """Every field by name: what the rulebook's `action.NAME` sources read."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def as_recorded(self) -> dict[str, Any]:
        """The fields that differ from their defaults, as JSON values for the audit trail."""
        return {
            f.name: _json(getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) != f.default
        }


def _json(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, date | Decimal):
        return str(value)
    return value
