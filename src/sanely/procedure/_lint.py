"""
The checks a rulebook must pass before it ships: `sanely rulebook lint` and the test suite.

Schema validity and references are checked by the loader; this module adds the lifecycle
checks (every state reachable, no dead ends), that every rule is used and cited, and that no
file in force has changed since it was pinned in `lock.json`.
"""

from sanely.procedure._errors import InvalidRulebookError
from sanely.procedure._model import Level, Rulebook
from sanely.procedure._rulebook import (
    content_hash,
    corrected_hashes,
    parse_rulebook,
    pinned_hashes,
    rulebook_files,
)


def _targets(rulebook: Rulebook, state: str) -> set[str]:
    return {e.target for e in rulebook.events if rulebook.leaves(e, state)}


def lifecycle_problems(rulebook: Rulebook) -> list[str]:
    """States that cannot be reached, and non-terminal states with no way out."""
    problems: list[str] = []
    reached = {rulebook.initial_state}
    frontier = [rulebook.initial_state]
    while frontier:
        for target in _targets(rulebook, frontier.pop()) - reached:
            reached.add(target)
            frontier.append(target)
    for state in rulebook.states:
        if state.id not in reached:
            problems.append(f"state {state.id!r} cannot be reached from {rulebook.initial_state!r}")
        if not state.terminal and not _targets(rulebook, state.id) - {state.id}:
            problems.append(f"state {state.id!r} is a dead end: no event leads to another state")
    return problems


def rule_problems(rulebook: Rulebook) -> list[str]:
    """Rules that do nothing: a GUARD or WARN with no check, duty, period or design lock."""
    used_by_periods = {p.rule for p in rulebook.periods.values()}
    used_by_periods |= {lock.rule for lock in rulebook.design_locks}
    return [
        f"rule {rule.id} ({rule.level}) has no check, duty, period or design lock: it can never "
        "apply"
        for rule in rulebook.rules
        if rule.level is not Level.RECORD
        and not rule.checks
        and not rule.duties
        and rule.id not in used_by_periods
    ]


def lint_all() -> list[str]:
    """Every problem in every shipped rulebook file, prefixed with the file's path."""
    problems: list[str] = []
    pins = pinned_hashes()
    shipped: set[str] = set()
    for rulebook_id, effective, file in rulebook_files():
        path = f"{rulebook_id}/{effective.isoformat()}.toml"
        shipped.add(path)
        data = file.read_bytes()
        pinned = pins.get(path)
        if pinned is None:
            problems.append(f"{path}: not pinned in lock.json")
        elif pinned != content_hash(data):
            problems.append(
                f"{path}: changed after it was pinned in lock.json: for a change of the law, "
                "restore it and add a file with a later effective date; for a correction, list "
                "the old hash in corrected.json and pin the new one (rulebooks/README.md)"
            )
        try:
            rulebook = parse_rulebook(data)
        except InvalidRulebookError as error:
            problems.append(f"{path}: {error}")
            continue
        if (rulebook.id, rulebook.effective_from) != (rulebook_id, effective):
            problems.append(f"{path}: id and effective_from must match the file's path")
        problems += [f"{path}: {p}" for p in lifecycle_problems(rulebook) + rule_problems(rulebook)]
    problems += [
        f"lock.json pins {path}, which is not shipped" for path in sorted(set(pins) - shipped)
    ]
    for old_hash, correction in sorted(corrected_hashes().items()):
        if correction["file"] not in shipped:
            problems.append(f"corrected.json names {correction['file']}, which is not shipped")
        elif pins.get(correction["file"]) == old_hash:
            problems.append(f"corrected.json lists the current hash of {correction['file']}")
    return problems
