"""
The exceptions raised by `sanely.procedure`.

Every error that a caller can act on derives from `ProcedureError`; the message says what was
wrong and what to change.
"""


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
