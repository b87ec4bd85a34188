"""Every kind of letter: built from typed facts, rendered by the one renderer, as sent today."""

import json

import pytest

from sanely.documents import from_json, render_text, to_json
from sanely.documents.letters import KINDS, PERSON, PUBLIC, SUPPLIER
from sanely.documents.letters.shortlist import Mark, mark_line

from .examples import EXAMPLES, INVITED, MARKS
from .golden import TODAY, TODAY_FACTS
from .written import WRITTEN

# Every letter, notice and email sanely sends. A new kind is added here, to EXAMPLES and to
# golden.py or written.py (its text checked by hand): the registry must list exactly these.
LETTERS = {
    "invitation_to_tender",
    "regret",
    "round_invitation",
    "clarification",
    "document_revision",
    "staged_reduction",
    "tender_rejected",
    "award_decision",
    "gate_decision",
    "claim_approved",
    "claim_queried",
    "claim_rejected",
    "payment_made",
    "change_agreed",
    "intention_to_terminate",
    "purchase_decision",
}
EMAILS = {"deadline_extended", "submission_receipt", "membership_added", "password_reset"}
NOTICES = {
    "contract_details_notice",
    "contract_performance_notice",
    "contract_change_notice",
    "contract_termination_notice",
    "modification_notice",
}

VARIANTS = [(kind, index) for kind, facts in EXAMPLES.items() for index in range(len(facts))]
# The text each kind is checked against: what the portal sent before the builders existed, or,
# for the kinds written since, the text as written and checked.
EXPECTED = TODAY | WRITTEN


def test_the_registry_lists_every_kind_and_who_it_goes_to():
    assert LETTERS | EMAILS | NOTICES == set(KINDS) == set(EXAMPLES) == set(EXPECTED)
    assert {SUPPLIER: LETTERS, PERSON: EMAILS, PUBLIC: NOTICES} == {
        to: {kind for kind, letter in KINDS.items() if letter.to == to}
        for to in (SUPPLIER, PERSON, PUBLIC)
    }


def test_every_kind_fits_the_letter_register():
    # Letter.kind is at most 40 characters long.
    assert max(map(len, KINDS)) <= 40


@pytest.mark.parametrize(("kind", "index"), VARIANTS)
def test_each_kind_is_built_and_rendered_as_expected(kind, index):
    document = KINDS[kind].build(EXAMPLES[kind][index])
    assert len(EXPECTED[kind]) == len(EXAMPLES[kind])
    assert (kind, *EXPECTED[kind][index]) == (
        document.kind,
        document.subject,
        render_text(document),
    )


@pytest.mark.parametrize(("kind", "index"), VARIANTS)
def test_each_kind_states_the_facts_letters_have_stored(kind, index):
    document = KINDS[kind].build(EXAMPLES[kind][index])
    if kind in TODAY_FACTS:
        assert TODAY_FACTS[kind][index] == document.facts
    assert document == from_json(json.loads(json.dumps(to_json(document))))


def test_the_password_link_is_sent_but_never_kept_in_the_facts():
    reset = EXAMPLES["password_reset"][0]
    document = KINDS["password_reset"].build(reset)
    assert reset.link in render_text(document)
    assert reset.link not in json.dumps(document.facts)


def test_a_scored_criterion_not_yet_scored_says_so():
    unscored = Mark(
        "Delivery record",
        "scored",
        MARKS[2].weight,
        MARKS[2].minimum_score,
        10,
        None,
        None,
        False,
        "Not assessed.",
    )
    assert mark_line(unscored).startswith("Delivery record: no score of 10 (weight 1, minimum 6).")


def test_an_invited_candidate_is_told_its_standing():
    assert "ranked 1 of 3 qualifying candidates with 18.75 points" == INVITED.standing()
