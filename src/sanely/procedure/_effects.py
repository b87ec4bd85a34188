"""
What a lifecycle event does to the facts, as its rulebook declares it.

Each event may declare, in its rulebook entry:
- `requires`: action fields that must be given (`"given"`), or a partner count that must be
  below the partners now active (`"fewer_than_active"`);
- `sets`: facts the event creates, which its guards see and which are stored once it applies;
- `proposes`: facts its guards see but that are never stored (a proposed change of documents);
- `after`: facts stored once it applies, replacing what the guards saw (a new phase starts with
  its targets not yet assessed).

A fact's value comes from a source: `today`, `action.NAME` (the action's field), `given:NAME`
(whether the action's text field is filled in), `next_round`, `final_round` (the rounds so far and
a new one, or the final one, invited today with the action's `deadline`), `next` (the fact plus
one), or a literal boolean or number.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sanely.procedure._facts import Facts, Round

FACT_NAMES = frozenset(f.name for f in fields(Facts))
NAMED_SOURCES = frozenset({"today", "next_round", "final_round", "next"})
REQUIREMENTS = frozenset({"given", "fewer_than_active"})


@dataclass(frozen=True)
class Effects:
    """The effects one event declares: see the module's docstring."""

    requires: Mapping[str, str]
    sets: Mapping[str, Any]
    proposes: Mapping[str, Any]
    after: Mapping[str, Any]

    @property
    def named_facts(self) -> frozenset[str]:
        return frozenset({*self.sets, *self.proposes, *self.after})


NO_EFFECTS = Effects({}, {}, {}, {})


@dataclass(frozen=True)
class ActionFacts:
    """The facts an action creates: `checked` for its guards, `stored` once it applies."""

    checked: Mapping[str, Any]
    stored: Mapping[str, Any]


def effects_problems(event_id: str, effects: Effects) -> list[str]:
    """Every fact or source an event's declaration names that the engine does not know."""
    problems = [
        f"event {event_id}: {name} is not a fact"
        for name in sorted(effects.named_facts - FACT_NAMES)
    ]
    for table in (effects.sets, effects.proposes, effects.after):
        for name, source in table.items():
            if isinstance(source, str) and not _known_source(source):
                problems.append(f"event {event_id}: {name} comes from unknown source {source!r}")
    problems += [
        f"event {event_id}: requirement {need!r} on {name} is not one of {sorted(REQUIREMENTS)}"
        for name, need in effects.requires.items()
        if need not in REQUIREMENTS
    ]
    return problems


def _known_source(source: str) -> bool:
    kind, _, name = source.partition(".")
    if kind == "action" and name:
        return True
    return source.startswith("given:") or source in NAMED_SOURCES


def effects_of(raw: Mapping[str, Any]) -> Effects:
    """The effects declared in one raw event table of a rulebook file."""
    if not any(key in raw for key in ("requires", "sets", "proposes", "after")):
        return NO_EFFECTS
    return Effects(
        requires=dict(raw.get("requires", {})),
        sets=dict(raw.get("sets", {})),
        proposes=dict(raw.get("proposes", {})),
        after=dict(raw.get("after", {})),
    )


def missing_requirements(
    effects: Effects, action: Mapping[str, Any], facts: Facts
) -> dict[str, str]:
    """Each required action field that is missing: "" when any value will do, else its bound."""
    problems: dict[str, str] = {}
    for name, need in effects.requires.items():
        value = action.get(name)
        if need == "fewer_than_active" and (value is None or value >= facts.active_partners):
            problems[name] = f"fewer than {facts.active_partners}"
        elif value is None:
            problems[name] = ""
    return problems


def action_facts(
    effects: Effects, *, action: Mapping[str, Any], facts: Facts, today: date
) -> ActionFacts:
    """The facts the action creates, worked out from the event's declared sources."""

    def value(name: str, source: Any) -> Any:
        return _value(name, source, action=action, facts=facts, today=today)

    sets = {name: value(name, source) for name, source in effects.sets.items()}
    proposes = {name: value(name, source) for name, source in effects.proposes.items()}
    after = {name: value(name, source) for name, source in effects.after.items()}
    return ActionFacts(checked={**sets, **proposes}, stored={**sets, **after})


def _value(name: str, source: Any, *, action: Mapping[str, Any], facts: Facts, today: date) -> Any:
    if not isinstance(source, str):
        return source
    if source == "today":
        return today
    if source in {"next_round", "final_round"}:
        opened = Round(
            len(facts.rounds) + 1,
            final=source == "final_round",
            invited_on=today,
            deadline=action.get("deadline"),
        )
        return (*facts.rounds, opened)
    if source == "next":
        return getattr(facts, name) + 1
    if source.startswith("given:"):
        return bool(str(action.get(source.removeprefix("given:")) or "").strip())
    field = source.removeprefix("action.")
    given = action.get(field)
    return frozenset(given) if isinstance(given, list | tuple | set | frozenset) else given
