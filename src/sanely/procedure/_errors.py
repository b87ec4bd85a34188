"""
The exceptions raised by `sanely.procedure`.

Every error that a caller can act on derives from `ProcedureError`; the message says what was
wrong and what to change.
"""

from collections.abc import Iterable, Mapping, Sequence


class ProcedureError(Exception):
    """Base class of every error raised by sanely.procedure."""


class CalendarRangeError(ProcedureError):
    """A date lies outside the years the holiday calendars cover."""


class UnknownRegionError(ProcedureError):
    """A nation, region or jurisdiction name that sanely does not know."""


class RulebookError(ProcedureError):
    """A rulebook could not be found, read or trusted."""


class UnknownRulebookError(RulebookError):
    """No rulebook has that id, or none was in force on that date."""


class InvalidRulebookError(RulebookError):
    """A rulebook file breaks the schema or the rulebook's own consistency rules."""


class InvalidFactsError(ProcedureError):
    """Facts with a value outside the choices a field allows."""


class UnknownEventError(ProcedureError):
    """An event that the rulebook does not declare."""


class DeadlineError(ProcedureError):
    """A deadline that cannot be computed for the given kind, regime or nation."""


class CircumstanceError(DeadlineError):
    """A circumstance (a row of a statutory table) that the regime's period does not use."""


def listed(names: Iterable[str]) -> str:
    """Names quoted and joined as in a sentence: “A”, “A and B”, “A, B and C”."""
    quoted = [f"“{name}”" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


class ScoringError(ProcedureError):
    """
    Input the scoring arithmetic cannot use, with what is wrong and what to change.

    A message about particular tenderers or candidates keeps them apart from the words around
    them (`before`, `parties`, `after`), so a caller can show their names instead of the keys it
    passed with `naming(...)`, without editing the text.
    """

    def __init__(self, before: str, parties: Sequence[str] = (), after: str = "") -> None:
        self.before, self.parties, self.after = before, tuple(parties), after
        super().__init__(self.naming({}))

    def naming(self, names: Mapping[str, str]) -> str:
        """The message with each party's key replaced by `names[key]` where given."""
        if not self.parties:
            return self.before + self.after
        return self.before + listed(names.get(p, p) for p in self.parties) + self.after


class ScoringDesignError(ScoringError):
    """What the procurement published cannot be scored: criteria, weights, scale, formula."""


class ScoringInputError(ScoringError):
    """A score, mark, price or total entered for a tenderer or candidate cannot be used."""
