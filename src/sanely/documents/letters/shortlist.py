"""
What the shortlist decision's two letters share: the candidate's marks against every
selection criterion, and the facts both letters state (kept as `Letter.content` has held them).
"""

from dataclasses import dataclass
from decimal import Decimal

from .._content import BulletList, Json, Paragraph, Section
from ..wording import number

PASS_FAIL = "pass_fail"  # noqa: S105 - an assessment, not a password


@dataclass(frozen=True)
class Mark:
    """A candidate's mark on one selection criterion, with the assessors' reason."""

    criterion: str
    assessment: str  # "pass_fail" or "scored"
    weight: Decimal
    minimum_score: Decimal
    scale_max: int
    passed: bool | None  # pass/fail criteria
    score: Decimal | None  # scored criteria
    met: bool
    reason: str


@dataclass(frozen=True)
class Shortlisted:
    """One candidate's outcome of the shortlist decision."""

    authority: str
    candidate: str
    reference: str
    title: str
    opportunity: str  # the address of the opportunity's page
    marks: tuple[Mark, ...]
    qualified: bool
    total: Decimal
    rank: int | None  # None when the candidate did not qualify
    qualifying: int
    invited: bool
    reason: str  # why the candidate was or was not invited
    shortlist_reason: str  # why the shortlist is as it is

    def standing(self) -> str:
        return (
            f"ranked {self.rank} of {self.qualifying} qualifying candidates with"
            f" {self.total} points"
        )


def facts(shortlisted: Shortlisted) -> dict[str, Json]:
    return {
        "criteria": [_mark_facts(mark) for mark in shortlisted.marks],
        "qualified": shortlisted.qualified,
        "total": str(shortlisted.total),
        "rank": shortlisted.rank,
        "qualifying": shortlisted.qualifying,
        "invited": shortlisted.invited,
        "reason": shortlisted.reason,
        "shortlist_reason": shortlisted.shortlist_reason,
    }


def _mark_facts(mark: Mark) -> dict[str, Json]:
    return {
        "criterion": mark.criterion,
        "assessment": mark.assessment,
        "weight": number(mark.weight),
        "minimum_score": number(mark.minimum_score),
        "scale_max": mark.scale_max,
        "passed": mark.passed,
        "score": None if mark.score is None else number(mark.score),
        "met": mark.met,
        "reason": mark.reason,
    }


def mark_line(mark: Mark) -> str:
    if mark.assessment == PASS_FAIL:
        shown = "met" if mark.passed else "not met"
    else:
        score = "no score" if mark.score is None else number(mark.score)
        shown = (
            f"{score} of {mark.scale_max} (weight {number(mark.weight)}, minimum"
            f" {number(mark.minimum_score)})"
        )
    return f"{mark.criterion}: {shown}. Assessors' reason: {mark.reason}"


def all_marks(shortlisted: Shortlisted) -> Section:
    return Section(
        "Your marks against every selection criterion:",
        (
            BulletList(tuple(mark_line(mark) for mark in shortlisted.marks)),
            Paragraph(f"Total: {shortlisted.total} points."),
        ),
    )
