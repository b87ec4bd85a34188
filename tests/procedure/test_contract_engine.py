"""
The contract engine's mechanics: how a contract event is judged, what a bad request or a broken
rulebook gets back, how open duties are listed, and that the rulebooks declare the same contract
events the code names.
"""

import json
import tomllib
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from procedure.contracts import (
    CONTRACT,
    CONTRACT_CASES,
    NOW,
    PILOT_CLAIMS,
    at_noon,
    contract,
    decide,
    dues,
    request_for,
)
from procedure.scenarios import EU, PA, PCR, PCSR, rule_checks
from sanely.procedure import (
    AUTHORITIES,
    LIFECYCLE_RULE,
    ROUTES,
    SUBSTANTIAL_TESTS,
    UK_ANY_PART,
    Assessment,
    Claim,
    ContractFacts,
    Ending,
    InvalidFactsError,
    InvalidRulebookError,
    Level,
    Modification,
    Purchase,
    UnknownEventError,
    classify_modification,
    contract_events,
    decide_contract,
    rulebook_ids,
)
from sanely.procedure._contracts import REQUEST_KINDS
from sanely.procedure._deadlines import add_months, period_end
from sanely.procedure._docs import render
from sanely.procedure._lint import rule_problems
from sanely.procedure._rulebook import parse_rulebook
from sanely.procedure.contract_events import (
    ASSESS_PERFORMANCE,
    CLAIM_INSTALMENT,
    END_CONTRACT,
    MODIFY_CONTRACT,
    PAY_CLAIM,
    PURCHASE,
)

RULEBOOKS = Path(__file__).parents[2] / "src/sanely/procedure/rulebooks"


def _cases(rule, rule_check):
    if rule.level is Level.RECORD:
        return {}, {}
    if rule_check.guard == "needs_judgement":
        justified = {"justifications": {rule.id: "recorded by the contract manager"}}
        return {"facts": justified}, {"facts": {"justifications": {}}}
    return CONTRACT_CASES[rule_check.guard]


CONTRACT_CHECKS = list(
    rule_checks(lambda rulebook, c: rulebook.contract_event(c.event) is not None)
)


@pytest.mark.parametrize(("rulebook", "rule", "rule_check"), CONTRACT_CHECKS)
def test_every_contract_rule_passes_the_lawful_case_and_acts_on_the_broken_one(
    rulebook, rule, rule_check
) -> None:
    ok, bad = _cases(rule, rule_check)
    request = replace(request_for(rulebook, rule_check), **ok.get("request", {}))
    facts = contract(**ok.get("facts", {}))

    before = decide(rulebook, rule_check.event, request, facts)
    after = decide(
        rulebook,
        rule_check.event,
        replace(request, **bad.get("request", {})),
        replace(facts, **bad.get("facts", {})),
    )

    def mine(items):
        return [i for i in items if (i.event, i.rule) == (rule_check.event, rule.id)]

    assert not mine(before.refusals + before.warnings), f"{rule.id} acted on the lawful case"
    if rule.level is Level.GUARD:
        assert mine(after.refusals), f"{rule.id} did not refuse {rule_check.event}"
        assert all(
            r.citation == rule.citation and r.message and r.fix for r in mine(after.refusals)
        )
    elif rule.level is Level.WARN:
        assert mine(after.warnings), f"{rule.id} did not warn before {rule_check.event}"
        assert not mine(after.refusals)
    else:
        assert [rule.evidence] == [e.evidence for e in mine(after.evidence)]


def test_every_contract_event_is_a_constant_and_every_rulebook_declares_them_all() -> None:
    constants = {v for k, v in vars(contract_events).items() if k.isupper()}
    declared = [
        {e["id"] for e in tomllib.loads(path.read_text())["contract_events"]}
        for path in RULEBOOKS.glob("*/*.toml")
    ]

    assert all(events == constants for events in declared)
    assert all(getattr(contract_events, v.upper()) == v for v in constants)


def test_the_schema_names_the_same_routes_tests_authorities_and_requests_as_the_code() -> None:
    schema = json.loads((RULEBOOKS / "schema.json").read_text())
    check = schema["properties"]["rules"]["items"]["properties"]["checks"]["items"]["properties"]
    events = schema["properties"]["contract_events"]["items"]["properties"]

    assert list(ROUTES) == check["route"]["enum"]
    assert list(SUBSTANTIAL_TESTS) == check["tests"]["items"]["enum"]
    assert list(AUTHORITIES) == schema["$defs"]["authorities"]["items"]["enum"]
    assert list(REQUEST_KINDS) == events["request"]["enum"]


def test_an_unknown_event_and_a_request_of_the_wrong_kind_are_errors_naming_the_choices() -> None:
    with pytest.raises(UnknownEventError, match="no contract event 'vary': use one of claim_"):
        decide(PCR, "vary", Purchase(Decimal(1)))
    with pytest.raises(InvalidFactsError, match="purchase judges a purchase: pass a Purchase, not"):
        decide(PCR, PURCHASE, Ending("expiry", date(2027, 1, 1)))
    with pytest.raises(InvalidFactsError, match="ground is 'sch8'; under pcr-2015-reg31 use one"):
        decide(PCR, MODIFY_CONTRACT, Modification("sch8"))


@pytest.mark.parametrize("event", [MODIFY_CONTRACT, PURCHASE, END_CONTRACT])
def test_a_contract_that_has_ended_is_not_changed_bought_under_or_ended_again(event) -> None:
    requests = {
        MODIFY_CONTRACT: Modification("not_substantial", value_change=Decimal(5)),
        PURCHASE: Purchase(Decimal(1)),
        END_CONTRACT: Ending("expiry", date(2027, 1, 2)),
    }
    ended = contract(ending=Ending("expiry", date(2026, 12, 31)))

    decision = decide(PCR, event, requests[event], ended)

    assert [(LIFECYCLE_RULE, "ending")] == [(r.rule, r.field) for r in decision.refusals]
    assert "the contract ended on 2026-12-31" in decision.refusals[0].message


@pytest.mark.parametrize("event", [CLAIM_INSTALMENT, PAY_CLAIM])
def test_claims_and_payments_continue_after_the_contract_ended(event) -> None:
    ended = contract(ending=Ending("expiry", date(2026, 12, 31)))

    assert decide(PCR, event, Claim("C-1", "prototype", Decimal(1), True), ended).allowed


def test_record_rules_ask_for_evidence_and_justified_warnings_are_not_asked_again() -> None:
    change = Modification("additional", value_change=Decimal(10_000))
    justified = contract(justifications={"PCR15-72-1b/reasons": "interoperability"})

    asked = decide(PCR, MODIFY_CONTRACT, change)
    answered = decide(PCR, MODIFY_CONTRACT, change, justified)

    assert ["PCR15-84-7/contract"] == [e.rule for e in asked.evidence]
    assert ["PCR15-72-1b/reasons"] == [w.rule for w in asked.warnings]
    assert () == answered.warnings


def test_a_change_with_no_kind_says_so_and_a_pcr_term_change_has_no_10_percent_test() -> None:
    no_kind = decide(PCR, MODIFY_CONTRACT, Modification("provided_for"))
    longer = decide(PCR, MODIFY_CONTRACT, Modification("not_substantial", term_change_days=365))

    assert "this change (its kind is not given)" in no_kind.refusals[0].message
    assert longer.allowed


def test_an_implied_termination_without_a_ground_says_none_was_given() -> None:
    decision = decide(
        PA,
        END_CONTRACT,
        Ending("implied_term", date(2027, 2, 1), reasons="r", notified_on=date(2027, 1, 2)),
    )

    assert decision.refusals[0].message.startswith("the ground (none given) is not one the law")


def test_classify_judges_the_change_on_every_ground_of_the_regime() -> None:
    change = Modification("provided_for", value_change=Decimal(520_000))

    permitted = {g: d.allowed for g, d in classify_modification(PCR, CONTRACT, change, NOW).items()}

    assert {
        "provided_for": False,  # no clause provides for it
        "additional": False,  # above 50% of £1,000,000
        "unforeseeable": False,
        "new_contractor": False,
        "not_substantial": True,  # the authority has not found it substantial
        "de_minimis": False,
    } == permitted


def test_open_duties_come_overdue_first_then_by_date_then_undated() -> None:
    # Under PCR: a claim whose invoice was verified on Mon 2 Nov 2026 was due Wed 2 Dec (overdue
    # on 15 Jan 2027); one verified on Mon 4 Jan 2027 is due Wed 3 Feb; one not yet verified
    # has no date; a paid one is done; an additional-services change awaits its notice.
    facts = contract(
        claims=(
            Claim("C-3", "prototype", Decimal(1), True, invoice_received_on=date(2026, 12, 30)),
            Claim("C-2", "prototype", Decimal(1), True, invoice_verified_on=date(2027, 1, 4)),
            Claim("C-1", "prototype", Decimal(1), True, invoice_verified_on=date(2026, 11, 2)),
            Claim(
                "C-0",
                "prototype",
                Decimal(1),
                True,
                invoice_verified_on=date(2026, 11, 2),
                paid_on=date(2026, 11, 20),
            ),
        ),
        modifications=(Modification("additional", key="M-1", value_change=Decimal(10)),),
    )

    listed = dues(PCR, facts)

    assert [
        ("Payment of the claim: C-1", date(2026, 12, 2), True),
        ("Payment of the claim: C-2", date(2027, 2, 3), False),
        ("Modification notice for publication: M-1", None, False),
        ("Payment of the claim: C-3", None, False),
    ] == [(d.what, d.due_on, d.overdue) for d in listed]


def test_a_stored_change_is_judged_on_the_value_before_it() -> None:
    # Two changes on a £4,000,000 contract, each with its change notice: +£900,000 (22.5%) takes
    # it to £4,900,000, so s.77 does not bind; +£600,000 (12.2% of £4,900,000) takes it to
    # £5,500,000, so the modified contract is published within 90 days beginning with Mon
    # 1 Mar 2027: day 90 is Sat 29 May 2027.
    first = Modification(
        "not_substantial",
        key="M-1",
        value_change=Decimal(900_000),
        made_on=date(2027, 2, 1),
        change_notice_published_on=date(2027, 1, 20),
    )
    second = replace(
        first,
        key="M-2",
        value_change=Decimal(600_000),
        made_on=date(2027, 3, 1),
        change_notice_published_on=date(2027, 2, 15),
    )
    facts = contract(value_as_awarded=Decimal(4_000_000), modifications=(first, second))

    listed = dues(PA, facts, at_noon(date(2027, 3, 2)))

    assert [("Publish the contract as modified (or the modification): M-2", date(2027, 5, 29))] == [
        (d.what, d.due_on) for d in listed
    ]


def test_items_and_history_of_kinds_without_one() -> None:
    ended = contract(ending=Ending("expiry", date(2027, 1, 1)), claims=PILOT_CLAIMS)

    assert () == ended.items("purchase")
    assert ended.ending == ended.items("ending")[0]
    assert ended is ended.before("ending", 0)
    assert (PILOT_CLAIMS[0],) == ended.before("claim", 1).claims


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Claim("C-1", "pilot", Decimal(0)), "claim C-1: amount is 0; claim more than 0"),
        (
            lambda: Modification("additional", substantial=frozenset({"big"})),
            "substantial includes big; use names from materially_different",
        ),
        (lambda: Ending("lapse", date(2027, 1, 1)), "route is 'lapse'; use one of gate,"),
        (
            lambda: Ending("gate", date(2027, 1, 1), gate_decision="pause"),
            "gate_decision is 'pause'; use one of reduce, terminate",
        ),
        (lambda: Assessment(date(2027, 1, 1), "fine"), "rating is 'fine'; use one of good,"),
        (
            lambda: replace(CONTRACT, value_as_awarded=Decimal(-1)),
            "value_as_awarded is -1; it cannot be negative",
        ),
        (lambda: replace(CONTRACT, max_term_days=0), "max_term_days is 0; give the term in days"),
        (
            lambda: replace(CONTRACT, phases=CONTRACT.phases * 2),
            "phase 'pilot' is listed twice; phase 'prototype' is listed twice",
        ),
        (
            lambda: replace(CONTRACT, authority=frozenset({"scottish"})),
            "authority includes scottish; use devolved_welsh, transferred_northern_ireland",
        ),
    ],
)
def test_facts_and_requests_outside_their_choices_are_refused_naming_the_field(build, message):
    with pytest.raises(InvalidFactsError) as error:
        build()

    assert message in str(error.value)


@pytest.mark.parametrize(
    ("day", "months", "count", "end"),
    [
        (date(2027, 1, 31), 1, "after", date(2027, 2, 28)),
        (date(2027, 1, 31), 1, "beginning-with", date(2027, 2, 27)),
        (date(2027, 12, 15), 1, "after", date(2028, 1, 15)),
        (date(2027, 3, 1), 12, "beginning-with", date(2028, 2, 29)),
    ],
)
def test_periods_of_months_end_on_the_corresponding_day(day, months, count, end) -> None:
    period = replace(PA.periods["performance_assessment"], count=count)
    period = replace(period, rows=(replace(period.rows[0], days=months),))

    assert end == period_end(period, day, UK_ANY_PART)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)


def test_every_rulebook_page_shows_the_contract_events_grounds_and_duties() -> None:
    page = render(PA)

    assert "## After award: each partner contract" in page
    assert "| `modify_contract` | modification | yes | Modify the partner contract |" in page
    assert (
        "| `below_threshold` | a below-threshold modification (s.74(1)(c), (4)) | PA23-74-4 |"
        in (page)
    )
    assert "| `end_contract` | Contract termination notice (UK11) | PA23-80/contract | " in page


def test_a_rule_used_only_by_its_duties_is_not_idle() -> None:
    assert [] == rule_problems(PCR)
    idle = replace(PCR, rules=tuple(replace(r, duties=()) for r in PCR.rules))
    assert "rule PCR15-72-3 (GUARD) has no check, duty, period or design lock" in " ".join(
        rule_problems(idle)
    )


def _pcr_text() -> str:
    return (RULEBOOKS / "pcr-2015-reg31/2015-02-26.toml").read_text()


def test_broken_contract_declarations_are_all_reported_at_once() -> None:
    text = _pcr_text()
    for old, new in [
        # a lifecycle guard on a contract event, and a contract guard on a lifecycle event
        (
            'guard = "claim_within_phase_budget", field = "amount" },\n  { event = "claim_instalment"',
            'guard = "need_stated", field = "amount" },\n  { event = "claim_instalment"',
        ),
        (
            '{ event = "purchase", guard = "purchase_conditions"',
            '{ event = "submit_notice", guard = "purchase_conditions"',
        ),
        # a guard that reads another kind of request
        (
            '{ event = "pay_claim", guard = "claim_within_phase_budget"',
            '{ event = "pay_claim", guard = "purchase_conditions"',
        ),
        # duties: an unknown event, an unknown duty, the wrong kind, an unknown period
        (
            '{ event = "claim_instalment", duty = "payment_due"',
            '{ event = "claim", duty = "payment_due"',
        ),
        ('duty = "modification_notice"', 'duty = "send_notice"'),
        (
            '{ event = "pay_claim", duty = "payment_due", what = "Payment of the claim", period = "invoice_payment"',
            '{ event = "purchase", duty = "payment_due", what = "Payment of the claim", period = "invoice_pay"',
        ),
        # a contract event that is also a lifecycle event
        ('id = "assess_performance"\nlabel', 'id = "complete"\nlabel'),
        # grounds: citing an unknown rule, checked but undeclared
        ('rule = "PCR15-72-1c"\n', 'rule = "PCR15-72-1z"\n'),
        (
            'ground = "de_minimis", guard = "overall_nature_kept"',
            'ground = "tiny", guard = "overall_nature_kept"',
        ),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    # a contract event and a ground declared twice; a ground never checked
    text += (
        '[[contract_events]]\nid = "purchase"\nlabel = "again"\nrequest = "purchase"\n'
        '[[modification_grounds]]\nid = "provided_for"\nlabel = "again"\nrule = "PCR15-72-1a"\n'
        '[[modification_grounds]]\nid = "spare"\nlabel = "unused"\nrule = "PCR15-72-1a"\n'
    )

    with pytest.raises(InvalidRulebookError) as error:
        parse_rulebook(text.encode())

    message = str(error.value)
    for expected in [
        "rule PCR15-31-11/claim uses unknown contract guard 'need_stated'",
        "rule PCR15-31-9/purchase uses unknown guard 'purchase_conditions'",
        "rule PCR15-31-11/claim: guard 'purchase_conditions' reads a purchase, but 'pay_claim' judges a claim",
        "rule PCR15-113/claim: duty 'payment_due' names unknown contract event 'claim'",
        "rule PCR15-72-3 uses unknown duty 'send_notice'",
        "rule PCR15-113/claim: duty 'payment_due' reads a claim, but 'purchase' judges a purchase",
        "rule PCR15-113/claim uses unknown period 'invoice_pay'",
        "contract event 'purchase' is declared twice or is also a lifecycle event",
        "contract event 'complete' is declared twice or is also a lifecycle event",
        "modification ground 'provided_for' is declared twice",
        "modification ground 'unforeseeable' cites unknown rule 'PCR15-72-1z'",
        "modification ground 'spare' is never checked",
        "rule PCR15-72-5 checks unknown modification ground 'tiny'",
    ]:
        assert expected in message


@pytest.mark.parametrize("rulebook_id", rulebook_ids())
def test_every_ground_of_every_regime_names_a_rule_checked_on_that_ground(rulebook_id) -> None:
    rulebook = {b.id: b for b in (PCR, PA, PCSR, EU)}[rulebook_id]

    for ground in rulebook.modification_grounds:
        checks = rulebook.rule(ground.rule).checks
        assert any(c.params.get("ground") == ground.id for c in checks), ground.id


def test_decide_contract_is_the_public_entry_and_dates_in_the_authoritys_day() -> None:
    # 23:30 UTC on 31 Mar 2027 is 00:30 on 1 Apr in London (summer time): a standstill that
    # ended on 31 Mar is over for an English authority.
    change = Modification(
        "not_substantial",
        value_change=Decimal(400_000),
        change_notice_published_on=date(2027, 3, 18),
        standstill_ends_on=date(2027, 3, 31),
    )
    late_evening = at_noon(date(2027, 3, 31)).replace(hour=23, minute=30)

    decision = decide_contract(PA, contract(), MODIFY_CONTRACT, late_evening, change)

    assert decision.allowed


def test_an_assessment_of_a_contract_without_kpis_starts_nothing() -> None:
    assert () == decide(PA, ASSESS_PERFORMANCE, Assessment(date(2027, 1, 4), "good")).dues


def test_contract_facts_need_only_the_contract_as_awarded() -> None:
    bare = ContractFacts("acme", Decimal(100), date(2026, 1, 5))

    assert (Decimal(100), Decimal(100), ()) == (
        bare.current_value,
        bare.initial_value,
        dues(PA, bare),
    )
