"""
Each lifecycle event says in its rulebook which facts it sets; the engine works them out from
the action, and every rulebook's declarations name only facts and sources the engine knows.
"""

import tomllib
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from sanely.procedure import (
    Facts,
    InvalidRulebookError,
    Round,
    action_facts,
    events,
    load_pinned,
    load_rulebook,
    missing_requirements,
    rulebook_ids,
)
from sanely.procedure._effects import Effects, effects_of, effects_problems
from sanely.procedure._rulebook import corrected_hashes, parse_rulebook

RULEBOOKS = Path(__file__).parents[2] / "src/sanely/procedure/rulebooks"
TODAY = date(2026, 3, 2)


def _effects(rulebook_id: str, event: str) -> Effects:
    found = load_rulebook(rulebook_id).event(event)
    assert found is not None
    return found.effects


def test_every_event_id_is_a_constant_and_every_constant_an_event_of_a_rulebook() -> None:
    declared = {
        e["id"]
        for path in RULEBOOKS.glob("*/*.toml")
        for e in tomllib.loads(path.read_text())["events"]
    }
    constants = {v for k, v in vars(events).items() if k.isupper()}
    assert declared == constants
    assert all(getattr(events, v.upper()) == v for v in constants)


def test_inviting_to_tender_sets_the_lists_and_opens_no_round() -> None:
    created = action_facts(
        _effects("pcr-2015-reg31", events.INVITE_TO_TENDER),
        action={"qualified": ("a", "b"), "invited": ["a"]},
        facts=Facts(state="selection"),
        today=TODAY,
    )
    assert (
        {"qualified": frozenset({"a", "b"}), "invited": frozenset({"a"})}
        == created.checked
        == created.stored
    )


@pytest.mark.parametrize("rulebook_id", rulebook_ids())
def test_a_round_is_added_after_those_held_invited_today_with_the_deadline_given(
    rulebook_id: str,
) -> None:
    deadline = datetime(2026, 3, 20, 12, tzinfo=UTC)
    held = (Round(1, closed=True), Round(2, closed=True))
    opened, final = (
        action_facts(
            _effects(rulebook_id, event),
            action={"deadline": deadline},
            facts=Facts(state="tendering", rounds=held),
            today=TODAY,
        ).stored["rounds"]
        for event in (events.OPEN_TENDER_ROUND, events.INVITE_FINAL_TENDERS)
    )
    assert (*held, Round(3, invited_on=TODAY, deadline=deadline)) == opened
    assert (*held, Round(3, final=True, invited_on=TODAY, deadline=deadline)) == final


def test_a_proposed_change_is_checked_and_never_stored() -> None:
    created = action_facts(
        _effects("pcr-2015-reg31", events.NEGOTIATE),
        action={"proposed_changes": ("award_criteria",)},
        facts=Facts(state="tendering"),
        today=TODAY,
    )
    assert {"proposed_changes": frozenset({"award_criteria"})} == created.checked
    assert {} == created.stored


def test_continuing_checks_the_assessment_then_starts_the_next_phase_unassessed() -> None:
    created = action_facts(
        _effects("pa-2023-cfp-ip", events.CONTINUE_PARTNERSHIP),
        action={"targets_assessment": "  Both targets met.  "},
        facts=Facts(state="gate_review", current_phase=1),
        today=TODAY,
    )
    assert {"gate_targets_assessed": True} == created.checked
    assert {"gate_targets_assessed": False, "current_phase": 2} == created.stored


def test_a_blank_assessment_is_not_an_assessment() -> None:
    created = action_facts(
        _effects("pa-2023-cfp-ip", events.TERMINATE_PARTNERSHIP),
        action={"targets_assessment": "   "},
        facts=Facts(state="gate_review"),
        today=TODAY,
    )
    assert {"gate_targets_assessed": False} == created.checked


def test_notices_are_dated_today_or_on_the_day_given() -> None:
    pa = action_facts(
        _effects("pa-2023-cfp-ip", events.PUBLISH_AWARD_NOTICE),
        action={"summaries_sent_on": date(2026, 2, 27), "not_yet_notified": []},
        facts=Facts(state="evaluation"),
        today=TODAY,
    )
    assert date(2026, 2, 27) == pa.stored["decision_notices_sent_on"]
    assert TODAY == pa.stored["contract_award_notice_published_on"]
    assert frozenset() == pa.stored["not_yet_notified"]


def test_the_purchase_carries_the_price_as_given() -> None:
    created = action_facts(
        _effects("pcr-2015-reg31", events.START_PURCHASE),
        action={"purchase_price": Decimal("900000"), "performance_levels_met": True},
        facts=Facts(state="gate_review"),
        today=TODAY,
    )
    assert Decimal("900000") == created.checked["purchase_price"]
    assert created.checked["performance_levels_met"] is True


@pytest.mark.parametrize(
    ("event", "partners", "active", "missing"),
    [
        (events.CONCLUDE_CONTRACTS, None, 0, {"partners": ""}),
        (events.CONCLUDE_CONTRACTS, 3, 0, {}),
        (events.REDUCE_PARTNERS, None, 3, {"partners": "fewer than 3"}),
        (events.REDUCE_PARTNERS, 3, 3, {"partners": "fewer than 3"}),
        (events.REDUCE_PARTNERS, 1, 3, {}),
    ],
)
def test_required_action_fields(
    event: str, partners: int | None, active: int, missing: dict[str, str]
) -> None:
    effects = _effects("pcr-2015-reg31", event)
    facts = Facts(state="gate_review", active_partners=active)
    assert missing == missing_requirements(effects, {"partners": partners}, facts)


def test_an_event_without_declarations_has_no_effects() -> None:
    assert Effects({}, {}, {}, {}) == effects_of({"id": "close_requests"})
    assert Effects({}, {}, {}, {}) == _effects("pcr-2015-reg31", events.CLOSE_REQUESTS)


def test_unknown_facts_sources_and_requirements_are_named() -> None:
    effects = Effects(
        requires={"partners": "some"},
        sets={"notice_on": "yesterday", "colour": "today", "x": True},
        proposes={"proposed_changes": "action.proposed_changes"},
        after={"current_phase": "given:targets_assessment"},
    )
    assert [
        "event e: colour is not a fact",
        "event e: x is not a fact",
        "event e: notice_on comes from unknown source 'yesterday'",
        "event e: requirement 'some' on partners is not one of ['fewer_than_active', 'given']",
    ] == effects_problems("e", effects)


def test_a_rulebook_declaring_an_unknown_fact_is_refused() -> None:
    text = (RULEBOOKS / "pcr-2015-reg31/2015-02-26.toml").read_text()
    broken = text.replace('sets = { notice_on = "today" }', 'sets = { notice_date = "today" }', 1)
    with pytest.raises(InvalidRulebookError, match="notice_date is not a fact"):
        parse_rulebook(broken.encode())


@pytest.mark.parametrize("rulebook_id", rulebook_ids())
def test_a_procurement_pinned_to_any_earlier_edition_loads_the_current_file(
    rulebook_id: str,
) -> None:
    current = load_rulebook(rulebook_id)
    path = f"{rulebook_id}/{current.effective_from.isoformat()}.toml"
    earlier = [h for h, entry in corrected_hashes().items() if entry["file"] == path]
    # as first shipped; with the events' effects declared (issue 9); corrected (issue 10); and the
    # two editions made side by side, one with the law after award (issue 11), one with tender
    # rounds as their own step (issue 10), before they were merged; PCSR's before its late
    # payment citation was read in the Act, and the Act's before its citations stopped naming
    # research notes (issue 14)
    corrected_in_issue_14 = {"pcsr-2015-reg32", "pa-2023-cfp-ip"}
    assert (6 if rulebook_id in corrected_in_issue_14 else 5) == len(earlier)
    for pinned in earlier:
        assert current == load_pinned(rulebook_id, current.effective_from, pinned)
