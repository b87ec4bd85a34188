"""
sanely.procedure: the law of innovation partnerships as data, and a pure engine over it.

Rulebooks (one TOML file per regime and effective date, shipped in `rulebooks/`) declare states,
events, rules with citations and enforcement levels, statutory periods and notices. The engine
takes a rulebook, the `Facts` of one procurement and `now`, and says which events are allowed,
which are refused and why, which need a recorded justification, and what is due next. The same
periods and calendars drive the public deadline calculator. Nothing here reads the clock or
imports the portal.
"""

from sanely.procedure._calculator import KINDS, deadline_for
from sanely.procedure._calendars import (
    UK_ANY_PART,
    Nation,
    WorkingDays,
    bank_holidays,
    easter_sunday,
    nation_working_days,
)
from sanely.procedure._errors import (
    CalendarRangeError,
    DeadlineError,
    InvalidFactsError,
    InvalidRulebookError,
    ProcedureError,
    RulebookError,
    UnknownEventError,
    UnknownRegionError,
    UnknownRulebookError,
)
from sanely.procedure._facts import CHOICES, Criterion, Facts, Occurrence, Phase, Round
from sanely.procedure._machine import (
    LIFECYCLE_RULE,
    check,
    evaluate,
    next_due,
    next_state,
    validate_design,
)
from sanely.procedure._model import (
    Deadline,
    Due,
    Evaluation,
    Evidence,
    Level,
    Problem,
    Refusal,
    Rule,
    Rulebook,
    RuleWarning,
)
from sanely.procedure._rulebook import (
    PA_2023_COMMENCEMENT,
    load_pinned,
    load_rulebook,
    rulebook_for,
    rulebook_ids,
)

__all__ = [
    "CHOICES",
    "KINDS",
    "LIFECYCLE_RULE",
    "PA_2023_COMMENCEMENT",
    "UK_ANY_PART",
    "CalendarRangeError",
    "Criterion",
    "Deadline",
    "DeadlineError",
    "Due",
    "Evaluation",
    "Evidence",
    "Facts",
    "InvalidFactsError",
    "InvalidRulebookError",
    "Level",
    "Nation",
    "Occurrence",
    "Phase",
    "Problem",
    "ProcedureError",
    "Refusal",
    "Round",
    "Rule",
    "RuleWarning",
    "Rulebook",
    "RulebookError",
    "UnknownEventError",
    "UnknownRegionError",
    "UnknownRulebookError",
    "WorkingDays",
    "bank_holidays",
    "check",
    "deadline_for",
    "easter_sunday",
    "evaluate",
    "load_pinned",
    "load_rulebook",
    "nation_working_days",
    "next_due",
    "next_state",
    "rulebook_for",
    "rulebook_ids",
    "validate_design",
]
