"""
Find, read and check the rulebook files shipped in `sanely.procedure/rulebooks/`.

Each regime has a folder named after its id holding one TOML file per effective date
(`<id>/<YYYY-MM-DD>.toml`). A file in force is never edited: a change of law is a new file with
a later date, and `lock.json` pins the SHA-256 of every shipped file so that a procurement keeps
the exact rules it started under.
"""

import hashlib
import json
import tomllib
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

import jsonschema

from sanely.procedure._contract_guards import CONTRACT_GUARDS
from sanely.procedure._duties import DUTIES
from sanely.procedure._effects import effects_of, effects_problems
from sanely.procedure._errors import InvalidRulebookError, UnknownRulebookError
from sanely.procedure._guards import GUARDS
from sanely.procedure._model import (
    Check,
    ContractEvent,
    DesignLock,
    DueSpec,
    Duty,
    Event,
    Level,
    ModificationGround,
    NoticeSpec,
    Period,
    PeriodRow,
    Rule,
    Rulebook,
    State,
    Threshold,
)

# LAW.md §0.1 SEL-1: England, Wales and NI procurements commenced before this day stay on PCR 2015.
PA_2023_COMMENCEMENT = date(2025, 2, 24)


def _root() -> Traversable:
    return resources.files("sanely.procedure").joinpath("rulebooks")


def rulebook_files() -> Iterator[tuple[str, date, Traversable]]:
    """Every shipped rulebook file as (id, effective date, file), in id then date order."""
    folders = sorted((f for f in _root().iterdir() if f.is_dir()), key=lambda f: f.name)
    for folder in folders:
        files = sorted(f.name for f in folder.iterdir() if f.name.endswith(".toml"))
        for name in files:
            yield folder.name, date.fromisoformat(name.removesuffix(".toml")), folder / name


def rulebook_ids() -> tuple[str, ...]:
    """The ids of the shipped rulebooks."""
    return tuple(sorted({rid for rid, _, _ in rulebook_files()}))


def content_hash(data: bytes) -> str:
    """The SHA-256 of a rulebook file's bytes, as hex: what a procurement pins."""
    return hashlib.sha256(data).hexdigest()


def pinned_hashes() -> dict[str, str]:
    """`lock.json`: relative path -> SHA-256 of every rulebook file in force."""
    pins: dict[str, str] = json.loads(_root().joinpath("lock.json").read_text(encoding="utf-8"))
    return pins


def corrected_hashes() -> dict[str, dict[str, str]]:
    """
    `corrected.json`: the SHA-256 of each superseded edition of a file corrected in place ->
    the file (relative path), the day of the correction and why. A procurement pinned to such a
    hash is reloaded with the corrected file, because the correction states the law that was in
    force all along (rulebooks/README.md, "Correcting an error").
    """
    corrected: dict[str, dict[str, str]] = json.loads(
        _root().joinpath("corrected.json").read_text(encoding="utf-8")
    )
    return corrected


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(_root().joinpath("schema.json").read_text(encoding="utf-8"))
    return schema


def schema_problems(raw: Mapping[str, Any]) -> list[str]:
    """Every way `raw` (a parsed rulebook) breaks schema.json, as 'path: message' lines."""
    as_json = json.loads(json.dumps(raw, default=str))
    validator = jsonschema.Draft202012Validator(_schema())
    return sorted(
        f"{'/'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message}"
        for error in validator.iter_errors(as_json)
    )


def _params(raw: Mapping[str, Any], named: set[str]) -> Mapping[str, Any]:
    return MappingProxyType({k: v for k, v in raw.items() if k not in named})


def _rule(raw: Mapping[str, Any]) -> Rule:
    level = Level(raw["level"])
    return Rule(
        id=raw["id"],
        citation=raw["citation"],
        summary=raw["summary"],
        level=level,
        verified=raw["verified"],
        citation_verified=raw.get("citation_verified", raw["verified"]),
        source=raw["source"],
        verified_by=raw.get("verified_by", ""),
        level_when_verified=Level(raw.get("level_when_verified", level)),
        evidence=raw.get("evidence", ""),
        checks=tuple(
            Check(
                event=c["event"],
                guard=c.get("guard", ""),
                field=c.get("field", ""),
                params=_params(c, {"event", "guard", "field"}),
            )
            for c in raw.get("checks", ())
        ),
        duties=tuple(
            Duty(d["event"], d["duty"], d["what"], _params(d, {"event", "duty", "what"}))
            for d in raw.get("duties", ())
        ),
    )


def _period(key: str, raw: Mapping[str, Any]) -> Period:
    rows = tuple(
        PeriodRow(r["circumstance"], tuple(r.get("when", ())), r["days"])
        for r in raw.get("rows", ())
    ) or (PeriodRow("", (), raw["days"]),)
    usual = [row.days for row in rows if row.applies(frozenset())]
    return Period(
        key=key,
        kind=raw["kind"],
        days=min(usual, default=0),
        counted=raw["counted"],
        count=raw["count"],
        roll=raw.get("roll", False),
        from_fact=raw["from_fact"],
        from_text=raw["from_text"],
        rule=raw["rule"],
        meaning=raw["meaning"],
        rows=rows,
    )


def parse_rulebook(data: bytes) -> Rulebook:
    """
    Build a Rulebook from the bytes of a rulebook file.

    Raises InvalidRulebookError listing every schema and consistency problem at once.
    """
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidRulebookError(f"not a readable TOML file: {error}") from error
    problems = schema_problems(raw)
    if problems:
        raise InvalidRulebookError("; ".join(problems))
    rulebook = Rulebook(
        id=raw["id"],
        title=raw["title"],
        regime=raw["regime"],
        effective_from=raw["effective_from"],
        content_hash=content_hash(data),
        jurisdictions=tuple(raw["jurisdictions"]),
        default_nation=raw.get("default_nation"),
        working_days=raw["working_days"],
        initial_state=raw["initial_state"],
        design_event=raw["design_event"],
        states=tuple(State(s["id"], s["label"], s.get("terminal", False)) for s in raw["states"]),
        events=tuple(
            Event(e["id"], e["label"], tuple(e["from"]), e["to"], effects_of(e))
            for e in raw["events"]
        ),
        rules=tuple(_rule(r) for r in raw["rules"]),
        periods=MappingProxyType({k: _period(k, v) for k, v in raw["periods"].items()}),
        not_applicable=MappingProxyType(dict(raw.get("not_applicable", {}))),
        dues=tuple(
            DueSpec(d["period"], d["what"], d["done_fact"], tuple(d.get("states", ())))
            for d in raw.get("dues", ())
        ),
        notices=tuple(NoticeSpec(n["event"], n["notice"], n["rule"]) for n in raw["notices"]),
        design_locks=tuple(
            DesignLock(lock["section"], lock["what"], lock["rule"], lock["route"])
            for lock in raw.get("design_locks", ())
        ),
        thresholds=tuple(
            Threshold(
                t["from"],
                t["currency"],
                t["vat"],
                MappingProxyType({k: Decimal(v) for k, v in t["amounts"].items()}),
                t["source"],
            )
            for t in raw.get("thresholds", ())
        ),
        open_questions=tuple(raw.get("open_questions", ())),
        contract_events=tuple(
            ContractEvent(e["id"], e["label"], e["request"], e.get("live", True))
            for e in raw.get("contract_events", ())
        ),
        modification_grounds=tuple(
            ModificationGround(g["id"], g["label"], g["rule"])
            for g in raw.get("modification_grounds", ())
        ),
    )
    problems = consistency_problems(rulebook)
    if problems:
        raise InvalidRulebookError("; ".join(problems))
    return rulebook


def _table_gaps(period: Period) -> list[str]:
    """A table of minimum periods must give a minimum in every combination of circumstances."""
    names = sorted(period.circumstances)
    for mask in range(2 ** len(names)):
        claimed = frozenset(n for i, n in enumerate(names) if mask >> i & 1)
        if not any(row.applies(claimed) for row in period.rows):
            return [f"period {period.key!r} has no row for the circumstances {sorted(claimed)}"]
    return []


def _period_problems(rulebook: Rulebook, rule: Rule, params: Mapping[str, Any]) -> list[str]:
    period = params.get("period")
    if period is not None and period not in rulebook.periods:
        return [f"rule {rule.id} uses unknown period {period!r}"]
    return []


def _check_problems(rulebook: Rulebook, rule: Rule, check: Check) -> list[str]:
    """A check names a declared event and a guard that can read that event's request."""
    problems = _period_problems(rulebook, rule, check.params)
    contract_event = rulebook.contract_event(check.event)
    if contract_event is None and rulebook.event(check.event) is None:
        problems.append(f"rule {rule.id} checks unknown event {check.event!r}")
    if rule.level is Level.RECORD:
        if check.guard:
            problems.append(f"RECORD rule {rule.id} runs guard {check.guard!r}: remove it")
        return problems
    if contract_event is None:
        if check.guard not in GUARDS:
            problems.append(f"rule {rule.id} uses unknown guard {check.guard!r}")
        return problems
    registered = CONTRACT_GUARDS.get(check.guard)
    if registered is None:
        problems.append(f"rule {rule.id} uses unknown contract guard {check.guard!r}")
    elif registered.request not in {None, contract_event.request}:
        problems.append(
            f"rule {rule.id}: guard {check.guard!r} reads a {registered.request}, but "
            f"{check.event!r} judges a {contract_event.request}"
        )
    return problems


def _duty_problems(rulebook: Rulebook, rule: Rule, duty: Duty) -> list[str]:
    """A duty names a declared contract event and a duty function that reads its request."""
    problems = _period_problems(rulebook, rule, duty.params)
    event = rulebook.contract_event(duty.event)
    registered = DUTIES.get(duty.duty)
    if event is None:
        problems.append(
            f"rule {rule.id}: duty {duty.duty!r} names unknown contract event {duty.event!r}"
        )
    if registered is None:
        problems.append(f"rule {rule.id} uses unknown duty {duty.duty!r}")
    elif event is not None and registered.request != event.request:
        problems.append(
            f"rule {rule.id}: duty {duty.duty!r} reads a {registered.request}, but "
            f"{duty.event!r} judges a {event.request}"
        )
    return problems


def _contract_problems(rulebook: Rulebook, event_ids: list[str]) -> list[str]:
    """
    Contract events are named once and apart from lifecycle events; each modification ground
    cites a declared rule and is checked; a check's ground is one the regime has (the schema
    fixes the routes).
    """
    ids = [e.id for e in rulebook.contract_events]
    problems = [
        f"contract event {i!r} is declared twice or is also a lifecycle event"
        for i in sorted(set(ids))
        if ids.count(i) > 1 or i in event_ids
    ]
    rule_ids = {r.id for r in rulebook.rules}
    grounds = [g.id for g in rulebook.modification_grounds]
    problems += [
        f"modification ground {g!r} is declared twice"
        for g in sorted(set(grounds))
        if grounds.count(g) > 1
    ]
    problems += [
        f"modification ground {g.id!r} cites unknown rule {g.rule!r}"
        for g in rulebook.modification_grounds
        if g.rule not in rule_ids
    ]
    checks = [(r.id, c) for r in rulebook.rules for c in r.checks]
    checked = {c.params["ground"] for _, c in checks if "ground" in c.params}
    problems += [f"modification ground {g!r} is never checked" for g in grounds if g not in checked]
    problems += [
        f"rule {rule_id} checks unknown modification ground {c.params['ground']!r}"
        for rule_id, c in checks
        if "ground" in c.params and c.params["ground"] not in grounds
    ]
    return problems


def consistency_problems(rulebook: Rulebook) -> list[str]:
    """
    Every broken reference or policy in a schema-valid rulebook.

    Checks: names refer to declared states, events, guards, rules and periods; ids are unique;
    an unverified rule is never a GUARD (LAW.md §0: [M] rules stay WARN until verified).
    """
    problems: list[str] = []
    state_ids = [s.id for s in rulebook.states]
    event_ids = [e.id for e in rulebook.events]
    rule_ids = [r.id for r in rulebook.rules]
    for kind, ids in (("state", state_ids), ("event", event_ids), ("rule", rule_ids)):
        problems += [
            f"{kind} {i!r} is declared twice" for i in sorted(set(ids)) if ids.count(i) > 1
        ]
    if rulebook.initial_state not in state_ids:
        problems.append(f"initial_state {rulebook.initial_state!r} is not a declared state")
    if rulebook.design_event not in event_ids:
        problems.append(f"design_event {rulebook.design_event!r} is not a declared event")
    for event in rulebook.events:
        for name in (*event.sources, event.target):
            if name != "*" and name not in state_ids:
                problems.append(f"event {event.id!r} names unknown state {name!r}")
        problems += effects_problems(event.id, event.effects)
    for rule in rulebook.rules:
        if rule.level is Level.GUARD and not rule.verified:
            problems.append(f"rule {rule.id} is a GUARD but not verified: make it a WARN")
        if rule.level is Level.RECORD and not rule.evidence:
            problems.append(f"RECORD rule {rule.id} does not say what evidence to capture")
        for check in rule.checks:
            problems += _check_problems(rulebook, rule, check)
        for duty in rule.duties:
            problems += _duty_problems(rulebook, rule, duty)
    problems += _contract_problems(rulebook, event_ids)
    for period in rulebook.periods.values():
        if period.rule not in rule_ids:
            problems.append(f"period {period.key!r} cites unknown rule {period.rule!r}")
        problems += _table_gaps(period)
    sections = [lock.section for lock in rulebook.design_locks]
    for lock in rulebook.design_locks:
        if lock.rule not in rule_ids:
            problems.append(f"design lock {lock.section!r} cites unknown rule {lock.rule!r}")
        elif rulebook.rule(lock.rule).level is not Level.GUARD:
            problems.append(f"design lock {lock.section!r} cites {lock.rule}, which is not a GUARD")
        if sections.count(lock.section) > 1:
            problems.append(f"design section {lock.section!r} is locked twice")
    for due in rulebook.dues:
        if due.period not in rulebook.periods:
            problems.append(f"due {due.what!r} uses unknown period {due.period!r}")
    for notice in rulebook.notices:
        if notice.rule not in rule_ids:
            problems.append(f"notice {notice.notice!r} cites unknown rule {notice.rule!r}")
    return problems


@cache
def _load(rulebook_id: str, effective_from: date) -> Rulebook:
    path = f"{rulebook_id}/{effective_from.isoformat()}.toml"
    data = _root().joinpath(path).read_bytes()
    try:
        rulebook = parse_rulebook(data)
    except InvalidRulebookError as error:
        raise InvalidRulebookError(f"{path}: {error}") from error
    if (rulebook.id, rulebook.effective_from) != (rulebook_id, effective_from):
        raise InvalidRulebookError(f"{path}: id and effective_from must match the file's path")
    return rulebook


def load_rulebook(rulebook_id: str, effective: date | None = None) -> Rulebook:
    """
    The rulebook `rulebook_id` in force on `effective` (the latest file when None).

    A procurement should load the version it started under (its commencement date) and keep
    its `content_hash`; a later file never changes an in-flight procurement.
    """
    dates = [d for rid, d, _ in rulebook_files() if rid == rulebook_id]
    if not dates:
        known = ", ".join(rulebook_ids())
        raise UnknownRulebookError(f"unknown rulebook {rulebook_id!r}: use one of {known}")
    in_force = [d for d in dates if effective is None or d <= effective]
    if not in_force:
        raise UnknownRulebookError(
            f"rulebook {rulebook_id!r} was not in force on {effective}: "
            f"its first version takes effect on {dates[0]}"
        )
    return _load(rulebook_id, in_force[-1])


def load_pinned(rulebook_id: str, effective_from: date, expected_hash: str) -> Rulebook:
    """
    The exact rulebook a procurement recorded, refusing a file whose bytes have changed.

    This is how the portal reloads an in-flight procurement: by id, effective date and hash. A
    hash of an edition later corrected in place (corrected.json) loads the corrected file: its
    `content_hash` then differs from `expected_hash`, so the caller can record the correction
    and pin the new hash.
    """
    rulebook = load_rulebook(rulebook_id, effective_from)
    path = f"{rulebook_id}/{effective_from.isoformat()}.toml"
    superseded = corrected_hashes().get(expected_hash, {}).get("file") == path
    if rulebook.effective_from != effective_from or (
        rulebook.content_hash != expected_hash and not superseded
    ):
        raise UnknownRulebookError(
            f"rulebook {rulebook_id!r} of {effective_from} with hash {expected_hash[:12]}… is not "
            "shipped in this version of sanely: install the release the procurement started under"
        )
    return rulebook


def rulebook_for(jurisdiction: str, commenced_on: date) -> Rulebook:
    """
    The rulebook that governs a procurement commenced on `commenced_on` (LAW.md §0.1).

    Scotland -> PCSR 2015 reg 32 (SEL-3); England, Wales, NI -> PCR 2015 reg 31 before
    24 Feb 2025, the Procurement Act 2023 from then (SEL-1); "eu" -> Directive 2014/24/EU art 31.
    """
    if jurisdiction == "scotland":
        return load_rulebook("pcsr-2015-reg32", commenced_on)
    if jurisdiction == "eu":
        return load_rulebook("eu-2014-24-art31", commenced_on)
    if jurisdiction in {"england", "wales", "northern-ireland"}:
        if commenced_on < PA_2023_COMMENCEMENT:
            return load_rulebook("pcr-2015-reg31", commenced_on)
        return load_rulebook("pa-2023-cfp-ip", commenced_on)
    raise UnknownRulebookError(
        f"unknown jurisdiction {jurisdiction!r}: use england, wales, scotland, northern-ireland "
        "or eu"
    )
