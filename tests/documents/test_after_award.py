"""
The letters and notices after award: what each states beyond its pinned text (test_letters.py
checks every variant's subject and text), as the portal and the open-data publication read it.
"""

import json
import re
from dataclasses import replace
from datetime import date
from typing import get_args

import pytest

from sanely.documents import from_json, render_text, to_json
from sanely.documents.letters import (
    KINDS,
    contract_performance_notice,
    contract_termination_notice,
    gate_decision,
    payment_made,
)

from .after_award import (
    AFTER_AWARD,
    CHANGE_INTENDED,
    ENDED,
    ENDED_AT_GATE,
    PAID,
    PERFORMANCE,
    TO_KESTREL,
)

DOCUMENTS = [
    pytest.param(KINDS[kind].build(facts), id=f"{kind}-{index}")
    for kind, variants in AFTER_AWARD.items()
    for index, facts in enumerate(variants)
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_no_python_value_leaks_into_the_text(document):
    text = render_text(document)
    for leak in ("Decimal(", "datetime", "{", "}", "[", "]", "..", " .", "()"):
        assert leak not in text
    # A missing value would read "due by None"; a sentence may still begin with "None".
    assert not re.search(r"[a-z,:(] None\b", text)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_each_document_survives_storing_as_the_portal_stores_it(document):
    stored = json.loads(json.dumps(to_json(document)))
    assert document == from_json(stored)
    assert render_text(document) == render_text(from_json(stored))


def test_every_gate_decision_and_every_rating_has_its_words():
    assert set(get_args(gate_decision.Decision)) == set(gate_decision.DECIDED)
    assert set(get_args(contract_performance_notice.Rating)) == set(
        contract_performance_notice.MEANS
    )
    assert set(get_args(contract_termination_notice.Ending)) == set(contract_termination_notice.HOW)


def test_a_gate_decision_states_its_facts_for_the_register():
    facts = gate_decision.build(ENDED).facts
    assert facts["decision"] == "contract_ended"
    assert facts["partner"] == "Osprey Robotics Ltd"
    assert facts["targets"] == [
        {
            "target": "Waiting time",
            "verdict": "not met",
            "sentence": ENDED.targets[0].sentence,
        }
    ]
    assert facts["spend"] == {"spent": "250000.00", "maximum": "250000.00"}
    assert facts["option"]["citation"] == "PCR 2015 reg 31(12)"
    assert facts["representations"] == {
        "by": "2027-08-13",
        "how": ENDED.representations.how,
        "citation": "the partner contract, clause 18.4",
    }
    assert facts["next_by"] is None


@pytest.mark.parametrize(
    ("paid_on", "said"),
    [
        (date(2027, 6, 2), "paid on time."),
        (date(2027, 6, 3), "paid on time."),
        (date(2027, 6, 4), "paid 1 day late."),
    ],
)
def test_a_payment_is_on_time_up_to_and_including_its_due_date(paid_on, said):
    text = render_text(payment_made.build(replace(PAID, paid_on=paid_on)))
    assert f"It was due by 3 June 2027, and {said}" in text


@pytest.mark.parametrize(
    ("ending", "said"),
    [
        ("expiry", "The contract ended on 31 August 2027: it expired at the end of its term."),
        (
            "completion",
            "The contract ended on 31 August 2027: it was discharged, both parties having"
            " performed it in full.",
        ),
    ],
)
def test_a_contract_that_expires_or_is_completed_is_said_to(ending, said):
    termination = replace(ENDED_AT_GATE, ending=ending, reasons="The term ended.")
    assert said in render_text(contract_termination_notice.build(termination))


def test_a_notice_states_every_identifier_the_regulations_ask_for():
    facts = KINDS["contract_change_notice"].build(CHANGE_INTENDED).facts
    assert (facts["procurement_id"], facts["contract_id"]) == (
        "ocds-h6vhtk-04d1f2",
        "WCA-2026-014-C1",
    )
    assert facts["authority"]["identifier"] == "PPON-WCA-0001"
    assert [s["identifier"] for s in facts["suppliers"]] == ["PPON-KML-0042"]
    assert facts["standstill_days"] == 8
    assert facts["value"] == {"before": "850000.00", "after": "900000.00"}


def test_the_performance_notice_rates_each_indicator_on_the_regulations_scale():
    facts = contract_performance_notice.build(PERFORMANCE).facts
    assert [(k["name"], k["rating"]) for k in facts["kpis"]] == [
        ("Punctuality", "good"),
        ("Availability", "approaching target"),
        ("Safety", "requires improvement"),
    ]
    assert facts["period"] == {"starts_on": "2028-04-01", "ends_on": "2029-03-31"}


def test_a_long_title_is_cut_to_the_register_s_subject_length():
    long = replace(TO_KESTREL, title="Autonomous shuttles " * 20)
    document = gate_decision.build(replace(ENDED, to=long))
    assert len(document.subject) == 200
