"""Selection: candidates against the selection criteria, and the shortlist invited to tender."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sanely.procedure._errors import ScoringDesignError, ScoringError, ScoringInputError
from sanely.procedure._scoring._common import (
    check_count,
    check_scale,
    check_score,
    check_unique,
    is_or_are,
    listed,
    number,
    ordinal,
    rounded,
    shown,
    spread,
)
from sanely.procedure._scoring.ranking import Ranked, cut, rank

_ASSESSMENTS = ("pass_fail", "scored")


@dataclass(frozen=True)
class SelectionCriterion:
    """
    A published selection criterion: "pass_fail", or "scored" from 0 to the scale maximum,
    where `weight` multiplies the score and a score below `minimum_score` fails the candidate.
    """

    name: str
    assessment: str
    weight: Decimal = Decimal(1)
    minimum_score: Decimal = Decimal(0)


@dataclass(frozen=True)
class CandidateResult:
    """
    A candidate against the selection criteria: whether it qualifies, its weighted total (of
    the scored criteria) and, when it does not qualify, every reason why.
    """

    candidate: str
    qualifies: bool
    total: Decimal
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Shortlist:
    """Who is invited to tender, the reason for each regret letter, and why this many."""

    invited: tuple[str, ...]
    not_invited: dict[str, str]
    reason: str


def assess_candidate(
    candidate: str,
    criteria: Sequence[SelectionCriterion],
    marks: Mapping[str, bool | Decimal],
    *,
    scale_max: int,
) -> CandidateResult:
    """
    A candidate against the selection criteria: it qualifies when it passes every pass/fail
    criterion and reaches every scored criterion's minimum. The total (Σ weight * score over
    the scored criteria) ranks qualifying candidates for the shortlist; the reasons name every
    failure, for the regret letter.
    """
    check_scale(scale_max)
    check_unique("selection criteria", (c.name for c in criteria))
    unknown = sorted(set(marks) - {c.name for c in criteria})
    if unknown:
        raise ScoringInputError(
            "Candidate ",
            (candidate,),
            f" has marks on {listed(unknown)}, which is not a selection criterion: mark only the"
            " published criteria.",
        )
    total = Decimal(0)
    reasons: list[str] = []
    for criterion in criteria:
        mark = _mark(candidate, criterion, marks, scale_max)
        if isinstance(mark, bool):
            if not mark:
                reasons.append(f"failed the pass/fail criterion “{criterion.name}”")
            continue
        total += criterion.weight * mark
        if mark < criterion.minimum_score:
            reasons.append(
                f"scored {number(mark)} of {scale_max} on “{criterion.name}”, below the"
                f" minimum of {number(criterion.minimum_score)}"
            )
    return CandidateResult(candidate, not reasons, rounded(total), tuple(reasons))


def _mark(
    candidate: str,
    criterion: SelectionCriterion,
    marks: Mapping[str, bool | Decimal],
    scale_max: int,
) -> bool | Decimal:
    """The candidate's mark on one criterion, checked against the criterion's assessment."""
    where = f"“{criterion.name}”"
    if criterion.assessment not in _ASSESSMENTS:
        raise ScoringDesignError(
            f"Selection criterion {where} has assessment {criterion.assessment!r}: use one of"
            f" {', '.join(_ASSESSMENTS)}."
        )
    if criterion.name not in marks:
        raise ScoringInputError(
            "Candidate ", (candidate,), f" has no mark on {where}: mark every selection criterion."
        )
    mark = marks[criterion.name]
    if criterion.assessment == "pass_fail":
        if not isinstance(mark, bool):
            raise ScoringInputError(
                "Candidate ",
                (candidate,),
                f" has the mark {mark} on the pass/fail criterion {where}: mark it passed or"
                " failed (True or False).",
            )
        return mark
    if isinstance(mark, bool) or not isinstance(mark, Decimal):
        raise ScoringInputError(
            "Candidate ",
            (candidate,),
            f" is marked {mark!r} on the scored criterion {where}: give a score from 0 to"
            f" {scale_max}.",
        )
    if not criterion.weight.is_finite() or criterion.weight < 0:
        raise ScoringDesignError(
            f"The weight of selection criterion {where} is {criterion.weight}: give a number"
            " of 0 or more."
        )
    minimum = criterion.minimum_score
    if not minimum.is_finite() or not 0 <= minimum <= scale_max:
        raise ScoringDesignError(
            f"The minimum score of selection criterion {where} is {minimum}: give a score from"
            f" 0 to {scale_max}."
        )
    try:
        check_score(where, mark, scale_max)
    except ScoringError as error:
        raise type(error)("Candidate ", (candidate,), f": {error}") from error
    return mark


def _ranked_results(results: Sequence[CandidateResult]) -> list[Ranked]:
    return rank({r.candidate: r.total for r in results})


def shortlist(
    results: Sequence[CandidateResult],
    *,
    minimum: int,
    maximum: int | None,
    names: Mapping[str, str] | None = None,
) -> Shortlist:
    """
    The candidates invited to tender: the qualifying ones by total, up to `maximum` (None: no
    limit). A tie at the maximum invites every tied candidate, because treating equals
    equally outweighs the exact number; fewer qualifying than `minimum` invites all who
    qualify (the procedure may go on with fewer). Each candidate left out gets its reason.
    `names` (key -> name) is how the sentences name candidates; a key without one is quoted.
    """
    check_count("The minimum number of candidates", minimum)
    if maximum is not None and maximum < minimum:
        raise ScoringDesignError(
            f"The maximum number of candidates ({maximum}) is below the minimum ({minimum}):"
            " make the maximum at least the minimum."
        )
    check_unique("candidate results", (r.candidate for r in results))
    qualifying = _ranked_results([r for r in results if r.qualifies])
    count = len(qualifying)
    not_invited = {
        r.candidate: f"did not meet the selection criteria: {'; '.join(r.reasons)}"
        for r in sorted(results, key=lambda r: r.candidate)
        if not r.qualifies
    }
    if count < minimum:
        invited = [r.tenderer for r in qualifying]
        reason = _too_few(count, minimum)
    elif maximum is None or count <= maximum:
        invited = [r.tenderer for r in qualifying]
        limit = "no maximum was set" if maximum is None else f"within the maximum of {maximum}"
        who = (
            "The only qualifying candidate is"
            if count == 1
            else f"All {count} qualifying candidates are"
        )
        reason = f"{who} invited: {limit}."
    else:
        inside, tied, outside = cut(qualifying, maximum)
        kept = inside + tied
        invited = [r.tenderer for r in kept]
        reason = _over_maximum(count, maximum, tied, len(kept), names or {})
        scored = [r.total for r in kept]
        for r in outside:
            not_invited[r.tenderer] = (
                f"ranked {ordinal(r.rank)} of {count} qualifying candidates with {shown(r.total)}"
                f" points; {_invited_phrase(len(kept))} scored {spread(scored)}"
            )
    return Shortlist(tuple(invited), not_invited, reason)


def _too_few(count: int, minimum: int) -> str:
    if count == 0:
        return (
            f"No candidate meets the selection criteria, fewer than the minimum of {minimum}:"
            " nobody can be invited."
        )
    meets = "candidate meets" if count == 1 else "candidates meet"
    return (
        f"Only {count} {meets} the selection criteria, fewer than the minimum of {minimum}:"
        " all qualifying candidates are invited."
    )


def _over_maximum(
    count: int, maximum: int, tied: list[Ranked], invited: int, names: Mapping[str, str]
) -> str:
    if len(tied) == 0:
        return (
            f"The {maximum} highest-scoring of {count} qualifying candidates {is_or_are(maximum)}"
            " invited, the maximum."
        )
    return (
        f"{invited} of {count} qualifying candidates are invited: the maximum is {maximum},"
        f" but {listed(names.get(r.tenderer, r.tenderer) for r in tied)} tie on"
        f" {shown(tied[0].total)} points at the"
        " boundary, so every tied candidate is invited."
    )


def _invited_phrase(invited: int) -> str:
    return "the candidate invited" if invited == 1 else f"the {invited} invited"
