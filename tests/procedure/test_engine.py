from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from portal.internal_ids import internal_ids

from procedure.scenarios import CASES, EU, GOOD, NOTICE_ON, NOW, PA, PCR, PCSR, facts, rule_checks
from sanely.procedure import (
    LIFECYCLE_RULE,
    Criterion,
    InvalidFactsError,
    Level,
    Occurrence,
    Phase,
    ProcedureError,
    Round,
    UnknownEventError,
    check,
    evaluate,
    next_due,
    next_state,
    validate_design,
)


def _first_source(rulebook, event_id):
    sources = rulebook.event(event_id).sources
    return rulebook.initial_state if "*" in sources else sources[0]


def _judgement_cases(rule):
    return {"justifications": {rule.id: "reviewed by the head of procurement"}}, {
        "justifications": {}
    }


# The checks on lifecycle events; test_contract_engine.py runs those on contract events.
LIFECYCLE_CHECKS = list(rule_checks(lambda rulebook, c: rulebook.event(c.event) is not None))


def _broken_case_refusals(rulebook, rule_check):
    ok, bad = CASES[rule_check.guard]
    broken = replace(facts(_first_source(rulebook, rule_check.event), **ok), **bad)
    return evaluate(rulebook, broken, NOW).refusals


GUARD_CHECKS = [
    (rulebook, rule_check)
    for rulebook, rule, rule_check in (p.values for p in LIFECYCLE_CHECKS)
    if rule.level is Level.GUARD and rule_check.guard in CASES
]


def test_every_refusal_is_worded_for_people_without_internal_ids():
    worded = {
        f"{r.message} {r.fix}"
        for rulebook, rule_check in GUARD_CHECKS
        for r in _broken_case_refusals(rulebook, rule_check)
    }
    shown = sorted(f"{kind}: {found}" for text in worded for kind, found in internal_ids(text))
    assert len(worded) > 10
    assert [] == shown


@pytest.mark.parametrize(("rulebook", "rule", "rule_check"), LIFECYCLE_CHECKS)
def test_every_rule_allows_the_lawful_case_and_acts_on_the_broken_one(rulebook, rule, rule_check):
    if rule.level is Level.RECORD:
        ok, bad = {}, {}
    elif rule_check.guard == "needs_judgement":
        ok, bad = _judgement_cases(rule)
    else:
        ok, bad = CASES[rule_check.guard]
    state = _first_source(rulebook, rule_check.event)
    lawful = facts(state, **ok)
    broken = replace(lawful, **bad)

    before = evaluate(rulebook, lawful, NOW)
    after = evaluate(rulebook, broken, NOW)

    assert rule_check.event in before.allowed
    mine = [r for r in after.refusals if (r.event, r.rule) == (rule_check.event, rule.id)]
    warned = [w for w in after.warnings if (w.event, w.rule) == (rule_check.event, rule.id)]
    recorded = [e for e in after.evidence if (e.event, e.rule) == (rule_check.event, rule.id)]
    if rule.level is Level.GUARD:
        assert mine, f"{rule.id} did not refuse {rule_check.event}"
        assert rule_check.event not in after.allowed
        assert all(r.citation == rule.citation and r.message and r.fix for r in mine)
    elif rule.level is Level.WARN:
        silent = [w for w in before.warnings if (w.event, w.rule) == (rule_check.event, rule.id)]
        assert not silent, f"{rule.id} warned on the lawful case"
        assert warned, f"{rule.id} did not warn before {rule_check.event}"
        assert rule_check.event in after.allowed
    else:
        assert [rule.evidence] == [e.evidence for e in recorded]


@pytest.mark.covers("PCR15-31-5")
def test_pcr_refuses_a_request_deadline_29_days_after_the_notice_and_allows_30():
    on_day_29 = facts(rtp_deadline=datetime(2026, 3, 31, 23, 59, tzinfo=UTC))
    on_day_30 = facts(rtp_deadline=datetime(2026, 4, 1, 0, 0, tzinfo=UTC))

    refusal = check(PCR, on_day_29, "submit_notice", NOW)

    assert check(PCR, on_day_30, "submit_notice", NOW) is None
    assert (
        refusal.rule,
        refusal.citation,
        refusal.field,
    ) == ("PCR15-31-5", "PCR 2015 reg. 31(5), 2(3)(b), 2(4)", "rtp_deadline")
    assert "earliest lawful deadline is 2026-04-01" in refusal.message
    assert refusal.fix == "move the deadline to 2026-04-01 or later"


@pytest.mark.covers("PCR15-31-8", "DIR-31-1")
@pytest.mark.parametrize(("rulebook", "rule"), [(PCR, "PCR15-31-8"), (EU, "DIR-31-1")])
@pytest.mark.parametrize("model", ["lowest_price", "lowest_cost"])
def test_a_price_only_award_model_is_refused(rulebook, rule, model):
    assert check(rulebook, facts(award_model="price_quality"), "submit_notice", NOW) is None
    assert rule == check(rulebook, facts(award_model=model), "submit_notice", NOW).rule


def test_a_price_only_award_model_under_pa_2023_is_allowed_with_a_justification():
    evaluation = evaluate(PA, facts(award_model="lowest_price"), NOW)

    assert "publish_tender_notice" in evaluation.allowed
    assert [w.rule for w in evaluation.warnings] == ["PA23-19/quality"]


@pytest.mark.covers("PCR15-31-13", "DIR-31-3")
@pytest.mark.parametrize(("rulebook", "rule"), [(PCR, "PCR15-31-13"), (EU, "DIR-31-3")])
def test_negotiating_in_the_final_tender_round_is_refused(rulebook, rule):
    round_two = facts("tendering", rounds=(Round(1), Round(2)))
    final_round = facts("tendering", rounds=(Round(1), Round(2, final=True)))

    refusal = check(rulebook, final_round, "negotiate", NOW)

    assert check(rulebook, round_two, "negotiate", NOW) is None
    assert rule == refusal.rule
    assert refusal.message == "round 2 is the final-tender round: final tenders are not negotiated"


@pytest.mark.covers("PCR15-31-12", "DIR-31-2", "PCSR15-32-6")
@pytest.mark.parametrize(
    ("rulebook", "rule"),
    [(PCR, "PCR15-31-12"), (EU, "DIR-31-2"), (PCSR, "PCSR15-32-6")],
)
def test_reducing_partners_when_the_option_was_not_announced_is_refused(rulebook, rule):
    announced = facts("gate_review", reduction_option_announced=True)
    unannounced = facts("gate_review", reduction_option_announced=False)

    refusal = check(rulebook, unannounced, "reduce_partners", NOW)

    assert check(rulebook, announced, "reduce_partners", NOW) is None
    assert (rule, "reduction_option_announced") == (refusal.rule, refusal.field)


def test_pa_ending_partner_contracts_without_an_announced_right_asks_for_a_reason_not_sch_8():
    # Ending a partner contract is termination under the contract (or s.78), not a modification
    # under Sch 8 para 1, so the Act itself does not refuse it: the authority answers for it.
    evaluation = evaluate(PA, facts("gate_review", reduction_option_announced=False), NOW)

    assert "reduce_partners" in evaluation.allowed
    assert [("reduce_partners", "PA23-GATE-EXIT")] == [
        (w.event, w.rule) for w in evaluation.warnings if w.event == "reduce_partners"
    ]


@pytest.mark.covers("PCR15-31-12")
def test_reducing_the_last_partner_is_refused():
    refusal = check(PCR, facts("gate_review", active_partners=1), "reduce_partners", NOW)

    assert (
        refusal.rule,
        refusal.message,
    ) == ("PCR15-31-12", "only one partner remains, so there is nobody to reduce")


@pytest.mark.covers("PCR15-87-1")
def test_the_contract_cannot_be_concluded_on_the_last_day_of_the_standstill():
    sent = facts("standstill", decision_notices_sent_on=date(2026, 5, 22))
    last_day = datetime(2026, 6, 1, 23, 0, tzinfo=UTC)
    next_day = datetime(2026, 6, 2, 0, 0, tzinfo=UTC)

    refusal = check(PCR, sent, "conclude_contracts", last_day)

    assert check(PCR, sent, "conclude_contracts", next_day) is None
    assert (refusal.rule, refusal.fix) == ("PCR15-87-1", "wait until 2026-06-01 has ended")


@pytest.mark.covers("PCR15-87-1")
def test_a_uk_standstill_ends_at_midnight_uk_time_not_utc():
    """In British Summer Time midnight in England is 23:00 UTC of the day before."""
    sent = facts("standstill", nation="england", decision_notices_sent_on=date(2026, 5, 22))
    last_minute = datetime(2026, 6, 1, 22, 59, tzinfo=UTC)  # 23:59 BST on the last day
    midnight = datetime(2026, 6, 1, 23, 0, tzinfo=UTC)  # 00:00 BST the day after

    refusal = check(PCR, sent, "conclude_contracts", last_minute)

    assert check(PCR, sent, "conclude_contracts", midnight) is None
    assert "PCR15-87-1" == refusal.rule


def test_a_duty_is_overdue_from_the_day_after_it_in_uk_time():
    concluded = facts(
        "partnership",
        nation="england",
        contract_concluded_on=date(2026, 5, 20),
        contract_award_notice_published_on=None,
    )
    due = next_due(PCR, concluded, datetime(2026, 6, 19, 22, 59, tzinfo=UTC))
    later = next_due(PCR, concluded, datetime(2026, 6, 19, 23, 0, tzinfo=UTC))
    assert (date(2026, 6, 19), False, True) == (due.date, due.overdue, later.overdue)


@pytest.mark.covers("PA23-51")
def test_pa_contracts_cannot_be_entered_into_during_a_standstill_over_christmas():
    published = facts("standstill", contract_award_notice_published_on=date(2026, 12, 17))

    refusal = check(PA, published, "enter_contracts", datetime(2026, 12, 30, 17, tzinfo=UTC))

    assert check(PA, published, "enter_contracts", datetime(2026, 12, 31, 9, tzinfo=UTC)) is None
    assert refusal.rule == "PA23-51"


@pytest.mark.covers("PA23-51")
def test_contracts_without_a_published_award_notice_are_refused_by_both_rules():
    unpublished = facts("standstill", contract_award_notice_published_on=None)

    refusals = evaluate(PA, unpublished, NOW).refusals

    assert "PA23-50-1" == check(PA, unpublished, "enter_contracts", NOW).rule
    assert [
        ("PA23-50-1", "publish the contract award notice and observe the standstill"),
        ("PA23-51", "record the date the contract award notice was published"),
    ] == [(r.rule, r.fix) for r in refusals]


def test_a_request_deadline_without_a_notice_date_points_to_the_notice_date():
    problems = validate_design(PCR, facts(notice_on=None), NOW)

    assert [(p.field, p.rule) for p in problems if p.level is Level.GUARD] == [
        ("notice_on", "PCR15-31-5")
    ]


def test_a_design_without_a_request_deadline_is_refused():
    problems = validate_design(PCR, facts(rtp_deadline=None), NOW)

    assert [(p.field, p.rule, p.fix) for p in problems if p.level is Level.GUARD] == [
        ("rtp_deadline", "PCR15-31-5", "set the deadline")
    ]


def test_a_bad_design_is_shown_back_with_every_problem_at_once_each_pointing_to_its_field():
    design = facts(
        award_criteria=(
            Criterion("quality", Decimal(50)),
            Criterion("social value", Decimal(0)),
            Criterion("price", Decimal(30)),
        ),
        phases=(Phase("prototype", ("lab accuracy",), 1), Phase("pilot", (), 1)),
        rtp_deadline=datetime(2026, 2, 20, 12, tzinfo=UTC),
        justifications={"PCR15-31-3": "ok", "PCR15-31-27": "ok", "PCR15-31-28": "ok"},
    )

    problems = validate_design(PCR, design, NOW)

    assert [
        (p.field, p.rule, p.level)
        for p in problems
        if p.rule not in {"PCR15-31-3", "PCR15-31-27", "PCR15-31-28"}
    ] == [
        ("rtp_deadline", "PCR15-31-5", Level.GUARD),
        ("phases[1].targets", "PCR15-31-11", Level.GUARD),
        ("award_criteria[1].weight", "PCR15-67-9", Level.GUARD),
        ("award_criteria", "PCR15-67-9", Level.GUARD),
    ]
    deadline = next(p for p in problems if p.rule == "PCR15-31-5")
    assert deadline.message.startswith("the deadline 2026-02-20 is 10 days before the date")


def test_a_lawful_design_has_only_the_judgement_questions():
    problems = validate_design(PCR, GOOD, NOW)

    assert {"PCR15-31-3", "PCR15-31-27", "PCR15-31-28"} == {p.rule for p in problems}
    assert {Level.WARN} == {p.level for p in problems}


def test_recorded_justifications_silence_warnings_but_not_design_problems():
    justified = facts(justifications={"PCR15-31-3": "a", "PCR15-31-27": "b", "PCR15-31-28": "c"})

    assert evaluate(PCR, justified, NOW).warnings == ()
    assert len(validate_design(PCR, justified, NOW)) == 3


def test_an_event_from_another_state_is_refused_by_the_lifecycle():
    refusal = check(PCR, facts("evaluation"), "negotiate", NOW)

    assert (
        refusal.rule,
        refusal.fix,
    ) == (LIFECYCLE_RULE, "first reach one of the states: tendering")
    assert refusal.message == "'Negotiate tenders' is not possible in state 'evaluation'"


def test_terminal_states_allow_nothing():
    evaluation = evaluate(PCR, facts("closed"), NOW)

    assert (evaluation.allowed, evaluation.refusals) == ((), ())
    assert check(PCR, facts("abandoned"), "abandon", NOW).rule == LIFECYCLE_RULE


def test_unknown_events_and_states_are_errors():
    with pytest.raises(UnknownEventError, match="no event 'sign'"):
        check(PCR, GOOD, "sign", NOW)
    with pytest.raises(UnknownEventError, match="no event 'sign'"):
        next_state(PCR, "sign")
    with pytest.raises(ProcedureError, match="unknown state 'signed'"):
        evaluate(PCR, facts("signed"), NOW)
    with pytest.raises(ProcedureError, match="unknown state 'signed'"):
        check(PCR, facts("signed"), "abandon", NOW)


def test_next_state_follows_the_rulebook():
    assert next_state(PCR, "submit_notice") == "requests_open"
    assert next_state(PA, "publish_tender_notice") == "participation"


def test_evaluation_lists_allowed_events_with_their_evidence_and_the_state():
    evaluation = evaluate(PCR, facts("gate_review", reduction_option_announced=False), NOW)

    assert evaluation.state == "gate_review"
    assert evaluation.allowed == (
        "continue_partnership",
        "terminate_partnership",
        "start_purchase",
    )
    assert [e.rule for e in evaluation.evidence] == []
    assert {"reduce_partners"} == {r.event for r in evaluation.refusals}


@pytest.mark.covers("PCR15-50-1")
def test_next_due_is_the_contract_award_notice_30_days_after_the_contract():
    concluded = facts(
        "partnership",
        contract_concluded_on=date(2026, 5, 20),
        contract_award_notice_published_on=None,
    )

    due = next_due(PCR, concluded, NOW)

    assert (date(2026, 6, 19), "PCR15-50-1", "PCR 2015 reg. 50(1)", False) == (
        due.date,
        due.rule,
        due.citation,
        due.overdue,
    )
    assert (
        next_due(PCR, replace(concluded, contract_award_notice_published_on=date(2026, 5, 25)), NOW)
        is None
    )


def test_next_due_during_a_standstill_is_its_last_day():
    due = evaluate(
        PCR, facts("standstill", decision_notices_sent_on=date(2026, 5, 28)), NOW
    ).next_due

    assert (date(2026, 6, 8), "Standstill ends") == (due.date, due.what)


@pytest.mark.covers("PA23-80")
def test_next_due_picks_the_earliest_open_termination_notice_and_flags_it_overdue():
    ended = facts(
        "gate_review",
        contract_award_notice_published_on=None,
        contract_ends=(
            Occurrence("bolt", date(2026, 4, 1)),
            Occurrence("cora", date(2026, 3, 1), done_on=date(2026, 3, 5)),
            Occurrence("dyna", date(2026, 5, 20)),
        ),
    )

    due = next_due(PA, ended, NOW)

    assert (date(2026, 4, 30), "Contract termination notice (UK11): bolt", True) == (
        due.date,
        due.what,
        due.overdue,
    )


def test_next_due_includes_invoices_received():
    paid = Occurrence("INV-7", date(2026, 5, 20))

    assert (
        date(2026, 6, 18)
        == next_due(
            PA, facts("partnership", contract_award_notice_published_on=None, invoices=(paid,)), NOW
        ).date
    )


def test_nothing_is_due_before_anything_has_happened():
    assert next_due(PA, facts(contract_award_notice_published_on=None), NOW) is None


def test_the_rule_lookup_names_a_missing_rule():
    with pytest.raises(KeyError):
        PCR.rule("PCR15-99")


def test_a_pa_contract_above_5m_needs_three_kpis_and_one_below_does_not():
    small = facts("standstill", kpis=(), estimated_value=Decimal(4_000_000))
    large = facts("standstill", kpis=(), estimated_value=Decimal(6_000_000))
    unknown = facts("standstill", kpis=(), estimated_value=None)

    assert check(PA, small, "enter_contracts", NOW) is None
    assert check(PA, unknown, "enter_contracts", NOW) is None
    assert check(PA, large, "enter_contracts", NOW).rule == "PA23-52"


def test_a_purchase_without_a_price_is_refused_with_both_missing_facts():
    broken = facts("gate_review", purchase_price=None, performance_levels_met=False)

    fields = [r.field for r in evaluate(PCR, broken, NOW).refusals if r.event == "start_purchase"]

    assert fields == ["performance_levels_met", "purchase_price"]


def test_missing_max_cost_is_refused_before_the_contracts():
    refusal = check(PCR, facts("standstill", max_cost=None), "conclude_contracts", NOW)

    assert (refusal.rule, refusal.field) == ("PCR15-31-9", "max_cost")


@pytest.mark.covers("PA23-54-PP")
def test_pa23_54_pp_the_participation_period_is_25_calendar_days_from_the_day_after_the_notice():
    # Tender notice Mon 2 Mar 2026: the period begins Tue 3 Mar (s.54(5)), so 25 days end on
    # Fri 27 Mar; a deadline on Thu 26 Mar gives 24.
    on_day_25 = facts(rtp_deadline=datetime(2026, 3, 27, 9, tzinfo=UTC))
    on_day_24 = facts(rtp_deadline=datetime(2026, 3, 26, 9, tzinfo=UTC))

    refusal = check(PA, on_day_24, "publish_tender_notice", NOW)

    assert check(PA, on_day_25, "publish_tender_notice", NOW) is None
    assert ("PA23-54-PP", "Procurement Act 2023 s.54(3), (5)") == (refusal.rule, refusal.citation)
    assert on_day_24.notice_on == NOTICE_ON


def test_an_unverified_rule_only_warns_even_when_broken():
    evaluation = evaluate(PA, facts(selection_criteria_tags=frozenset()), NOW)

    assert not PA.rule("PA23-22").verified
    assert "publish_tender_notice" in evaluation.allowed
    assert "PA23-22" in {w.rule for w in evaluation.warnings}


def test_a_design_without_need_or_market_evidence_points_to_both_fields():
    problems = validate_design(PCR, facts(need_statement="", market_unavailability=""), NOW)

    assert [("need_statement", "PCR15-31-2a"), ("market_unavailability", "PCR15-31-2a")] == [
        (p.field, p.rule) for p in problems if p.rule == "PCR15-31-2a"
    ]


def test_a_design_without_award_criteria_is_refused():
    refusal = check(PCR, facts(award_criteria=()), "submit_notice", NOW)

    assert ("PCR15-67-9", "no award criteria are set", "award_criteria") == (
        refusal.rule,
        refusal.message,
        refusal.field,
    )


def test_facts_with_misspelt_choices_are_refused_with_every_field_named():
    with pytest.raises(InvalidFactsError) as error:
        facts(award_model="lowest-price", partner_model="many")

    assert (
        "partner_model is 'many'; use one of multiple, single; award_model is 'lowest-price'; "
        "use one of fixed_price_quality, lowest_cost, lowest_price, price_quality"
    ) == str(error.value)
