"""
The law of each partner contract after award, case by case, worked by hand from the words of
the texts (quoted in docs/after-award-law.md) and named after the rule each case tests.

Amounts follow the statute's arithmetic written out in the test; dates were counted on a
calendar, including weekends and UK bank holidays, before the code was run.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from procedure.contracts import (
    CONTRACT,
    NOW,
    PA_THRESHOLD,
    PILOT_CLAIMS,
    at_noon,
    contract,
    decide,
    dues,
    refused_by,
)
from procedure.scenarios import EU, PA, PCR, PCSR
from sanely.procedure import Assessment, Claim, Ending, Modification, PerformanceLevel, Purchase
from sanely.procedure.contract_events import (
    ASSESS_PERFORMANCE,
    CLAIM_INSTALMENT,
    END_CONTRACT,
    MODIFY_CONTRACT,
    PAY_CLAIM,
    PURCHASE,
)

PCR_LIKE = [PCR, PCSR]
ALL = [PCR, PA, PCSR, EU]

# ---------------------------------------------------------------------------------------------
# Claims: an instalment is paid as the contract provides (PCR reg 31(11), PCSR reg 32(5),
# Directive art 31(2), PA 2023 Sch 8 para 1).

CLAIM_RULES = {
    "pcr-2015-reg31": "PCR15-31-11/claim",
    "pa-2023-cfp-ip": "PA23-S8-1/claim",
    "pcsr-2015-reg32": "PCSR15-32-5/claim",
    "eu-2014-24-art31": "DIR-31-2/claim",
}


@pytest.mark.covers(*CLAIM_RULES.values())
@pytest.mark.parametrize("rulebook", ALL, ids=lambda r: r.id)
@pytest.mark.parametrize("event", [CLAIM_INSTALMENT, PAY_CLAIM])
def test_a_claim_above_what_remains_of_its_phase_is_refused(rulebook, event):
    # The pilot phase may pay £300,000; £120,000 + £100,000 = £220,000 is claimed, so £80,000
    # remains: a claim of £80,000 fits, £80,001 does not.
    facts = contract(claims=PILOT_CLAIMS)

    fits = decide(rulebook, event, Claim("C-3", "pilot", Decimal(80_000), True), facts)
    over = decide(rulebook, event, Claim("C-3", "pilot", Decimal("80000.01"), True), facts)

    assert fits.allowed
    assert [CLAIM_RULES[rulebook.id]] == refused_by(over)
    assert (
        "claim C-3 asks for 80,000.01, but only 80,000 remains of phase 'pilot''s maximum value "
        "of 300,000 (220,000 already claimed)"
    ) == over.refusals[0].message
    assert "amount" == over.refusals[0].field


@pytest.mark.covers("PA23-S8-1/claim")
def test_paying_a_standing_claim_does_not_count_it_twice():
    # C-2 (£100,000) is among the standing claims: paying it leaves £300,000 - £120,000.
    facts = contract(claims=PILOT_CLAIMS)

    assert decide(PA, PAY_CLAIM, PILOT_CLAIMS[1], facts).allowed


@pytest.mark.covers(*CLAIM_RULES.values())
@pytest.mark.parametrize("rulebook", ALL, ids=lambda r: r.id)
def test_a_claim_before_its_condition_is_met_needs_a_gate_approval(rulebook):
    unmet = Claim("C-3", "prototype", Decimal(50_000))

    refused = decide(rulebook, CLAIM_INSTALMENT, unmet)
    approved = decide(rulebook, CLAIM_INSTALMENT, replace(unmet, gate_approved=True))

    assert [CLAIM_RULES[rulebook.id]] == refused_by(refused)
    assert "condition_met" == refused.refusals[0].field
    assert approved.allowed


@pytest.mark.covers("PCR15-31-11/claim")
def test_a_claim_for_a_phase_the_contract_does_not_have_names_the_phases():
    refused = decide(PCR, CLAIM_INSTALMENT, Claim("C-9", "scale-up", Decimal(1), True))

    assert "phase" == refused.refusals[0].field
    assert "(prototype, pilot)" in refused.refusals[0].fix


# ---------------------------------------------------------------------------------------------
# Payment due dates.


@pytest.mark.covers("PA23-68/claim")
@pytest.mark.parametrize(
    ("payable_on", "due_on"),
    [
        # s.68(2)(a): received Fri 4 Dec 2026 is day 1 of 30; day 30 is Sat 2 Jan 2027. The Act
        # does not move it off the weekend, nor off the bank holiday before it.
        (None, date(2027, 1, 2)),
        # (b) "if later, the day on which the payment falls due in accordance with the invoice":
        # Mon 14 Dec 2026 is day 1, so day 30 is Tue 12 Jan 2027.
        (date(2026, 12, 14), date(2027, 1, 12)),
        # A payment day before receipt is not later: receipt counts.
        (date(2026, 12, 1), date(2027, 1, 2)),
    ],
)
def test_pa23_68_payment_is_due_30_days_beginning_with_receipt_or_the_later_invoice_day(
    payable_on, due_on
):
    claim = Claim(
        "C-3",
        "pilot",
        Decimal(10_000),
        True,
        invoice_received_on=date(2026, 12, 4),
        invoice_payable_on=payable_on,
    )

    due = decide(PA, CLAIM_INSTALMENT, claim).dues

    assert [("Payment of the claim: C-3", due_on, "PA23-68/claim")] == [
        (d.what, d.due_on, d.rule) for d in due
    ]
    assert f"Payment is due by {due_on.isoformat()}" in due[0].when


@pytest.mark.covers("PA23-68/claim")
def test_pa23_68_a_payment_after_the_due_day_is_flagged_late():
    # Received Fri 4 Dec 2026: due Sat 2 Jan 2027; paid Mon 4 Jan, which is late.
    paid = Claim(
        "C-3",
        "pilot",
        Decimal(10_000),
        True,
        invoice_received_on=date(2026, 12, 4),
        paid_on=date(2027, 1, 4),
    )

    due = decide(PA, PAY_CLAIM, paid).dues[0]

    assert (date(2027, 1, 2), True) == (due.due_on, due.overdue)


@pytest.mark.covers("PA23-68/claim")
def test_pa23_68_a_disputed_invoice_has_no_payment_day_but_the_payee_is_told_without_delay():
    # s.68(3): the term does not apply while the authority disputes the invoice; s.68(4): it
    # notifies the payee "without undue delay".
    disputed = Claim(
        "C-3", "pilot", Decimal(10_000), True, invoice_received_on=date(2026, 12, 4), disputed=True
    )

    due = decide(PA, CLAIM_INSTALMENT, disputed).dues
    told = dues(
        PA, contract(claims=(replace(disputed, dispute_notified_on=date(2026, 12, 7)),)), NOW
    )

    assert [("Tell the partner its invoice is disputed: C-3", None)] == [
        (d.what, d.due_on) for d in due
    ]
    assert "without undue delay" in due[0].when
    assert () == told


@pytest.mark.covers("PCR15-113/claim")
def test_pcr15_113_payment_is_due_30_days_from_the_day_the_invoice_is_regarded_as_valid():
    # Reg 113(2)(a): "no later than the end of a period of 30 days from the date on which the
    # relevant invoice is regarded as valid and undisputed"; the day itself is not counted
    # (reg 2(3)(b)). Verified Wed 2 Dec 2026: day 30 is Fri 1 Jan 2027, New Year's Day. Reg 2(4)
    # would run to Mon 4 Jan; sanely keeps the earlier date for a duty (docs/decisions.md).
    verified = Claim(
        "C-3",
        "pilot",
        Decimal(10_000),
        True,
        invoice_received_on=date(2026, 11, 27),
        invoice_verified_on=date(2026, 12, 2),
    )

    due = decide(PCR, PAY_CLAIM, verified).dues

    assert [(date(2027, 1, 1), "PCR15-113/claim")] == [(d.due_on, d.rule) for d in due]


@pytest.mark.covers("PCR15-113/claim")
def test_pcr15_113_until_the_invoice_is_verified_there_is_no_day_and_sanely_says_what_to_record():
    received = Claim("C-3", "pilot", Decimal(10_000), True, invoice_received_on=date(2026, 12, 2))

    due = decide(PCR, CLAIM_INSTALMENT, received).dues[0]

    assert (None, False) == (due.due_on, due.overdue)
    assert "record the date the invoice was regarded as valid and undisputed" in due.when


@pytest.mark.parametrize(("rulebook", "rule"), [(PCSR, "PCSR-LP/claim"), (EU, "DIR-LP-4/claim")])
def test_pcsr_and_the_directive_date_payment_from_receipt_under_the_unverified_late_payment_rule(
    rulebook, rule
):
    # Neither PCSR 2015 nor Directive 2014/24 sets a payment period; the late-payment rule the
    # rulebooks carry (unverified, WARN) counts 30 days after receipt: Wed 2 Dec 2026 -> Fri 1 Jan.
    received = Claim("C-3", "pilot", Decimal(10_000), True, invoice_received_on=date(2026, 12, 2))

    due = decide(rulebook, CLAIM_INSTALMENT, received).dues

    assert [(date(2027, 1, 1), rule)] == [(d.due_on, d.rule) for d in due]
    assert not rulebook.rule(rule).verified


# ---------------------------------------------------------------------------------------------
# Modifications: PCR 2015 and PCSR 2015 reg 72.

ADDITIONAL = {"pcr-2015-reg31": "PCR15-72-1b", "pcsr-2015-reg32": "PCSR15-72-1b"}
UNFORESEEABLE = {"pcr-2015-reg31": "PCR15-72-1c", "pcsr-2015-reg32": "PCSR15-72-1c"}


@pytest.mark.covers(*ADDITIONAL.values())
@pytest.mark.parametrize("rulebook", PCR_LIKE, ids=lambda r: r.id)
@pytest.mark.parametrize(
    ("increase", "allowed"),
    [(480_000, True), (500_000, True), (500_001, False), (520_000, False)],
)
def test_reg_72_1_b_additional_services_up_to_50_percent_of_the_original_value(
    rulebook, increase, allowed
):
    # A £1,000,000 services contract: "any increase in price does not exceed 50% of the value of
    # the original contract", so up to £500,000.
    decision = decide(
        rulebook, MODIFY_CONTRACT, Modification("additional", value_change=Decimal(increase))
    )

    assert allowed == decision.allowed
    assert decision.value_after == Decimal(1_000_000 + increase)
    if not allowed:
        assert [ADDITIONAL[rulebook.id]] == refused_by(decision)
        assert "at most 500,000 is allowed for one modification" in decision.refusals[0].message


@pytest.mark.covers("PCR15-72-1b")
def test_pcr15_72_2_a_the_50_percent_limit_applies_to_each_modification_alone():
    # Reg 72(2)(a): with successive modifications the limit "shall apply to the value of each
    # modification": a second £480,000 after a first one is still within 50% of £1,000,000,
    # although together they add 96%.
    first = Modification("additional", value_change=Decimal(480_000))
    facts = contract(modifications=(first,))

    second = decide(PCR, MODIFY_CONTRACT, replace(first, key="M-2"), facts)

    assert second.allowed
    assert Decimal(1_960_000) == second.value_after


@pytest.mark.covers("PCR15-72-1b")
def test_pcr15_72_7_the_indexed_figure_is_the_reference_value():
    # Reg 72(7): with an indexation clause the updated figure is the reference: indexed to
    # £1,100,000, 50% is £550,000, so £520,000 is allowed.
    indexed = contract(indexed_value=Decimal(1_100_000))

    decision = decide(
        PCR, MODIFY_CONTRACT, Modification("additional", value_change=Decimal(520_000)), indexed
    )

    assert decision.allowed


@pytest.mark.covers(*UNFORESEEABLE.values())
@pytest.mark.parametrize("rulebook", PCR_LIKE, ids=lambda r: r.id)
def test_reg_72_1_c_unforeseeable_circumstances_keep_the_nature_and_the_50_percent_cap(rulebook):
    change = Modification("unforeseeable", value_change=Decimal(450_000))

    allowed = decide(rulebook, MODIFY_CONTRACT, change)
    over = decide(rulebook, MODIFY_CONTRACT, replace(change, value_change=Decimal(600_000)))
    nature = decide(rulebook, MODIFY_CONTRACT, replace(change, changes_overall_nature=True))

    assert allowed.allowed
    assert [UNFORESEEABLE[rulebook.id]] == refused_by(over)
    assert ("changes_overall_nature",) == tuple(r.field for r in nature.refusals)
    assert [f"{UNFORESEEABLE[rulebook.id]}/reasons"] == [w.rule for w in allowed.warnings]


@pytest.mark.covers("PCR15-72-1a", "PCSR15-72-1a")
@pytest.mark.parametrize("rulebook", PCR_LIKE, ids=lambda r: r.id)
def test_reg_72_1_a_a_change_the_review_clauses_provide_for_whatever_its_value(rulebook):
    option = Modification("provided_for", kind="purchase_option", value_change=Decimal(900_000))

    allowed = decide(rulebook, MODIFY_CONTRACT, option)
    refused = decide(rulebook, MODIFY_CONTRACT, replace(option, kind="extra_phase"))

    assert allowed.allowed
    assert ("kind",) == tuple(r.field for r in refused.refusals)
    assert "provide for: purchase_option, replacement" in refused.refusals[0].message


DE_MINIMIS = {"pcr-2015-reg31": "PCR15-72-5", "pcsr-2015-reg32": "PCSR15-72-5"}


@pytest.mark.covers(*DE_MINIMIS.values())
@pytest.mark.parametrize("rulebook", PCR_LIKE, ids=lambda r: r.id)
@pytest.mark.parametrize(
    ("third", "allowed"),
    [(24_999, True), (25_000, False), (30_000, False)],
)
def test_reg_72_5_6_the_net_cumulative_value_of_a_de_minimis_series_stays_below_10_percent(
    rulebook, third, allowed
):
    # £1,000,000 services: 10% is £100,000 (below the £214,904 threshold, so 10% binds).
    # £40,000 then £35,000 = £75,000; a third change of £24,999 makes £99,999, below 10%;
    # £25,000 makes exactly £100,000, which is not "below"; £30,000 makes £105,000.
    earlier = (
        Modification("de_minimis", key="M-1", value_change=Decimal(40_000)),
        Modification("de_minimis", key="M-2", value_change=Decimal(35_000)),
    )
    facts = contract(modifications=earlier)

    decision = decide(
        rulebook, MODIFY_CONTRACT, Modification("de_minimis", value_change=Decimal(third)), facts
    )

    assert allowed == decision.allowed
    if not allowed:
        assert [DE_MINIMIS[rulebook.id]] == refused_by(decision)
        assert (
            f"({'2 earlier netting 75,000'}, and {third:,} now), not below 10% of the initial "
            "contract value of 1,000,000 (100,000)"
        ) in decision.refusals[0].message


@pytest.mark.covers("PCR15-72-5")
def test_pcr15_72_5_decreases_net_off_and_works_contracts_have_15_percent():
    # Net: +£40,000, -£20,000, then +£75,000 = £95,000, below £100,000. Works: +£40,000 and
    # +£35,000 then +£30,000 = £105,000, below 15% of £1,000,000 (£150,000).
    netted = contract(
        modifications=(
            Modification("de_minimis", value_change=Decimal(40_000)),
            Modification("de_minimis", value_change=Decimal(-20_000)),
        )
    )
    works = contract(
        works=True,
        modifications=(
            Modification("de_minimis", value_change=Decimal(40_000)),
            Modification("de_minimis", value_change=Decimal(35_000)),
        ),
    )

    assert decide(
        PCR, MODIFY_CONTRACT, Modification("de_minimis", value_change=Decimal(75_000)), netted
    ).allowed
    assert decide(
        PCR, MODIFY_CONTRACT, Modification("de_minimis", value_change=Decimal(30_000)), works
    ).allowed


@pytest.mark.covers("PCR15-72-5")
@pytest.mark.parametrize(
    ("change", "allowed"), [(214_903, True), (214_904, False), (220_000, False)]
)
def test_pcr15_72_5_a_large_contract_is_bound_by_the_threshold_first(change, allowed):
    # £3,000,000 services: 10% is £300,000, but the value must also be below the £214,904
    # threshold: £214,903 is, £214,904 is not.
    large = contract(value_as_awarded=Decimal(3_000_000))

    decision = decide(
        PCR, MODIFY_CONTRACT, Modification("de_minimis", value_change=Decimal(change)), large
    )

    assert allowed == decision.allowed
    if not allowed:
        assert ["PCR15-72-5"] == refused_by(decision)
        assert "not below the threshold of 214,904" in decision.refusals[0].message


@pytest.mark.covers("PCR15-72-5")
def test_pcr15_72_5_without_the_threshold_the_change_cannot_be_judged():
    decision = decide(
        PCR,
        MODIFY_CONTRACT,
        Modification("de_minimis", value_change=Decimal(1_000)),
        contract(threshold=None),
    )

    assert ["threshold"] == [r.field for r in decision.refusals]


@pytest.mark.covers("PCR15-72-1d", "PCSR15-72-1d", "PCR15-72-8", "PCSR15-72-8")
@pytest.mark.parametrize("rulebook", PCR_LIKE, ids=lambda r: r.id)
@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ({"kind": "replacement"}, []),
        ({"restructuring": True, "new_contractor_suitable": True}, []),
        ({"restructuring": True}, ["new_contractor_suitable"]),
        ({"kind": "merger"}, ["restructuring"]),
        (
            {"kind": "replacement", "substantial": frozenset({"economic_balance"})},
            ["substantial"],
        ),
    ],
    ids=["review-clause", "restructuring", "unsuitable", "no-basis", "other-substantial-change"],
)
def test_reg_72_1_d_a_new_contractor_only_by_clause_or_on_restructuring(rulebook, change, refused):
    # Reg 72(1)(d): (i) an unequivocal review clause, or (ii) succession following corporate
    # restructuring by an operator meeting the selection criteria, "provided that this does not
    # entail other substantial modifications".
    decision = decide(
        rulebook,
        MODIFY_CONTRACT,
        Modification("new_contractor", replaces_contractor=True, **change),
    )

    assert refused == [r.field for r in decision.refusals]


@pytest.mark.covers("PCR15-72-8e", "PCSR15-72-8e")
@pytest.mark.parametrize("rulebook", PCR_LIKE, ids=lambda r: r.id)
def test_reg_72_8_e_a_new_contractor_on_any_other_ground_is_substantial(rulebook):
    swap = Modification("additional", value_change=Decimal(10_000), replaces_contractor=True)

    decision = decide(rulebook, MODIFY_CONTRACT, swap)

    assert [{"pcr-2015-reg31": "PCR15-72-8e", "pcsr-2015-reg32": "PCSR15-72-8e"}[rulebook.id]] == (
        refused_by(decision)
    )
    assert "a new contractor by a review clause or on corporate restructuring" in (
        decision.refusals[0].message
    )


@pytest.mark.covers("PCR15-72-8", "PCSR15-72-8")
@pytest.mark.parametrize("rulebook", PCR_LIKE, ids=lambda r: r.id)
@pytest.mark.parametrize(
    "test",
    [
        "materially_different",
        "would_have_changed_competition",
        "economic_balance",
        "extends_scope_considerably",
    ],
)
def test_reg_72_8_each_substantial_test_refuses_a_change_relying_on_not_being_substantial(
    rulebook, test
):
    change = Modification("not_substantial", value_change=Decimal(300_000))

    assert decide(rulebook, MODIFY_CONTRACT, change).allowed
    refused = decide(rulebook, MODIFY_CONTRACT, replace(change, substantial=frozenset({test})))
    assert [r.field for r in refused.refusals] == ["substantial"]


@pytest.mark.covers("PCR15-72-3", "PCSR15-72-3")
@pytest.mark.parametrize("rulebook", PCR_LIKE, ids=lambda r: r.id)
def test_reg_72_3_a_notice_follows_additional_and_unforeseeable_changes_only(rulebook):
    additional = Modification("additional", key="M-1", value_change=Decimal(100_000))
    de_minimis = Modification("de_minimis", key="M-2", value_change=Decimal(10_000))

    notice = decide(rulebook, MODIFY_CONTRACT, additional).dues
    none = decide(rulebook, MODIFY_CONTRACT, de_minimis).dues
    still_open = dues(rulebook, contract(modifications=(additional, de_minimis)), NOW)
    sent = dues(
        rulebook,
        contract(modifications=(replace(additional, notice_sent_on=date(2027, 1, 4)),)),
        NOW,
    )

    assert [("Modification notice for publication: M-1", None)] == [
        (d.what, d.due_on) for d in notice
    ]
    assert "sets no time limit" in notice[0].when
    assert () == none
    assert ["Modification notice for publication: M-1"] == [d.what for d in still_open]
    assert () == sent


def test_the_directive_mirrors_reg_72_but_warns_until_its_text_is_verified():
    over = decide(EU, MODIFY_CONTRACT, Modification("additional", value_change=Decimal(520_000)))

    assert over.allowed
    assert "DIR-72-1b" in [w.rule for w in over.warnings]
    assert not EU.rule("DIR-72-1b").verified


# ---------------------------------------------------------------------------------------------
# Modifications: Procurement Act 2023 s.74 and Schedule 8.

PA_CONTRACT = contract(threshold=PA_THRESHOLD)


def _pa(change: Modification, facts=PA_CONTRACT, now=NOW):
    return decide(PA, MODIFY_CONTRACT, change, facts, now)


NOTICED = date(2027, 1, 4)  # a contract change notice published before the change


@pytest.mark.covers("PA23-S8-4", "PA23-S8-8")
@pytest.mark.parametrize(
    ("ground", "rule"), [("unforeseeable", "PA23-S8-4"), ("additional", "PA23-S8-8")]
)
def test_sch_8_the_50_percent_cap_is_on_the_estimated_value_just_before_each_change(ground, rule):
    # Awarded at £1,000,000 and raised by £200,000 earlier, the estimated value is £1,200,000:
    # "would not increase the estimated value of the contract by more than 50 per cent" allows
    # £600,000 (PCR would allow £500,000 of the original value).
    facts = replace(
        PA_CONTRACT,
        modifications=(Modification("additional", value_change=Decimal(200_000)),),
        justifications={"PA23-74-7": "a separate need"},
    )
    change = Modification(ground, value_change=Decimal(590_000), change_notice_published_on=NOTICED)

    allowed = _pa(change, facts)
    over = _pa(replace(change, value_change=Decimal(610_000)), facts)

    assert allowed.allowed
    assert [rule] == refused_by(over)
    assert "more than 50% of the contract's value before this change, 1,200,000" in (
        over.refusals[0].message
    )


@pytest.mark.covers("PA23-S8-4")
def test_sch_8_para_4_an_unforeseeable_change_may_not_change_the_overall_nature():
    change = Modification(
        "unforeseeable", changes_overall_nature=True, change_notice_published_on=NOTICED
    )

    assert ["PA23-S8-4"] == refused_by(_pa(change))
    assert ["PA23-S8-4/foreseeable"] == [w.rule for w in _pa(change).warnings]


@pytest.mark.covers("PA23-S8-1/change")
def test_sch_8_para_1_a_change_the_contract_and_tender_notice_provide_for():
    option = Modification("provided_for", kind="purchase_option", value_change=Decimal(50_000))

    assert _pa(option).allowed
    assert ["kind"] == [r.field for r in _pa(replace(option, kind="new_site")).refusals]
    assert ["changes_overall_nature"] == [
        r.field for r in _pa(replace(option, changes_overall_nature=True)).refusals
    ]


@pytest.mark.covers("PA23-S8-5")
def test_sch_8_para_5_a_known_risk_must_have_been_identified_in_the_tender_notice():
    identified = contract(threshold=PA_THRESHOLD, provided_for=frozenset({"supply_shortage"}))
    risk = Modification(
        "known_risk",
        kind="supply_shortage",
        value_change=Decimal(500_000),
        change_notice_published_on=NOTICED,
    )

    assert _pa(risk, identified).allowed
    assert ["kind"] == [r.field for r in _pa(risk).refusals]
    assert ["PA23-S8-5"] == refused_by(
        _pa(replace(risk, value_change=Decimal(500_001)), identified)
    )


@pytest.mark.covers("PA23-S8-9", "PA23-74-9", "PA23-75")
def test_sch_8_para_9_the_supplier_changes_only_on_restructuring_and_always_with_a_notice():
    novation = Modification(
        "restructuring", replaces_contractor=True, restructuring=True, new_contractor_suitable=True
    )

    without_notice = _pa(novation)

    assert ["PA23-75"] == refused_by(without_notice)
    assert ["Contract change notice (UK10)"] == [d.what for d in without_notice.dues]
    assert _pa(replace(novation, change_notice_published_on=NOTICED)).allowed
    assert ["new_contractor_suitable", "change_notice_published_on"] == [
        r.field for r in _pa(replace(novation, new_contractor_suitable=False)).refusals
    ]
    assert ["PA23-S8-9", "PA23-75"] == refused_by(
        _pa(replace(novation, restructuring=False, kind="replacement"))
    )
    assert ["PA23-74-9"] == refused_by(
        _pa(Modification("not_substantial", replaces_contractor=True))
    )


@pytest.mark.covers("PA23-74-3")
@pytest.mark.parametrize(
    ("days", "refused"),
    [(73, []), (-73, []), (74, ["term_change_days"]), (-74, ["term_change_days"])],
)
def test_s74_3_a_a_term_change_of_more_than_10_percent_of_the_maximum_term_is_substantial(
    days, refused
):
    # Maximum term on award 730 days: 10% is 73 days; 74 days is "more than 10 per cent".
    change = Modification(
        "not_substantial", term_change_days=days, change_notice_published_on=NOTICED
    )

    assert refused == [r.field for r in _pa(change).refusals]


@pytest.mark.covers("PA23-74-3")
def test_s74_3_scope_and_economic_balance_and_an_unknown_maximum_term():
    change = Modification(
        "not_substantial", term_change_days=10, change_notice_published_on=NOTICED
    )

    assert ["substantial"] == [
        r.field
        for r in _pa(replace(change, substantial=frozenset({"material_scope_change"}))).refusals
    ]
    assert ["substantial"] == [
        r.field for r in _pa(replace(change, substantial=frozenset({"economic_balance"}))).refusals
    ]
    assert ["max_term_days"] == [
        r.field for r in _pa(change, replace(PA_CONTRACT, max_term_days=None)).refusals
    ]


@pytest.mark.covers("PA23-74-4")
@pytest.mark.parametrize(
    ("works", "change", "allowed"),
    [
        (False, 100_000, True),
        (False, 100_001, False),
        (True, 150_000, True),
        (True, 150_001, False),
    ],
)
def test_s74_4_a_a_below_threshold_modification_moves_the_value_10_or_15_percent_at_most(
    works, change, allowed
):
    # s.74(4)(a): "would not itself increase or decrease the estimated value ... by more than
    # 10 per cent" (goods or services) or 15 per cent (works), of £1,000,000.
    decision = _pa(
        Modification(
            "below_threshold", value_change=Decimal(change), change_notice_published_on=NOTICED
        ),
        replace(PA_CONTRACT, works=works),
    )

    assert allowed == decision.allowed


@pytest.mark.covers("PA23-74-4")
@pytest.mark.parametrize(("third", "allowed"), [(37_719, True), (37_720, False), (40_000, False)])
def test_s74_4_b_the_aggregated_below_threshold_modifications_stay_less_than_the_threshold(
    third, allowed
):
    # s.74(4)(b), (6): earlier below-threshold changes added £90,000 and £80,000 (£170,000); the
    # threshold is £207,720, so a third may add £37,719 (total £207,719) but not £37,720.
    earlier = (
        Modification("below_threshold", value_change=Decimal(90_000)),
        Modification("below_threshold", value_change=Decimal(80_000)),
    )
    facts = replace(PA_CONTRACT, modifications=earlier, justifications={"PA23-74-7": "separate"})

    decision = _pa(Modification("below_threshold", value_change=Decimal(third)), facts)

    assert allowed == decision.allowed
    if not allowed:
        assert ["PA23-74-4"] == refused_by(decision)
        assert "not less than the threshold amount of 207,720" in decision.refusals[0].message


@pytest.mark.covers("PA23-74-4")
def test_s74_4_c_no_material_change_of_scope_and_the_threshold_must_be_known():
    scope = Modification(
        "below_threshold",
        value_change=Decimal(5_000),
        substantial=frozenset({"material_scope_change"}),
    )

    assert ["substantial"] == [r.field for r in _pa(scope).refusals]
    assert ["threshold"] == [
        r.field
        for r in _pa(
            replace(scope, substantial=frozenset()), replace(PA_CONTRACT, threshold=None)
        ).refusals
    ]


@pytest.mark.covers("PA23-75")
@pytest.mark.parametrize(
    ("changes", "needs_notice"),
    [
        ({"value_change": Decimal(100_000)}, False),  # 10% of £1,000,000: "10 per cent or less"
        ({"value_change": Decimal(-100_000)}, False),
        ({"value_change": Decimal(100_001)}, True),
        ({"term_change_days": 73}, False),  # 10% of 730 days
        ({"term_change_days": 74}, True),
        ({"value_change": Decimal(50_000), "term_change_days": 74}, True),
    ],
)
def test_s75_2_the_change_notice_exemption_for_small_changes_of_value_and_term(
    changes, needs_notice
):
    change = Modification("not_substantial", **changes)

    decision = _pa(change)
    noticed = _pa(replace(change, change_notice_published_on=NOTICED))

    assert needs_notice == ("PA23-75" in refused_by(decision))
    assert needs_notice == bool(decision.dues)
    assert "PA23-75" not in refused_by(noticed)


@pytest.mark.covers("PA23-75")
def test_s75_works_contracts_are_exempt_up_to_15_percent_and_the_notice_comes_first():
    works = replace(PA_CONTRACT, works=True)
    change = Modification("not_substantial", value_change=Decimal(150_000))
    tomorrow = replace(
        change, value_change=Decimal(150_001), change_notice_published_on=date(2027, 1, 16)
    )

    assert _pa(change, works).allowed
    assert ["PA23-75"] == refused_by(_pa(tomorrow, works))


@pytest.mark.covers("PA23-75", "PA23-77")
def test_s75_6_and_s77_3_a_transferred_ni_authority_publishes_no_change_notice():
    ni = replace(
        PA_CONTRACT,
        nation="northern-ireland",
        authority=frozenset({"transferred_northern_ireland"}),
    )
    change = Modification("not_substantial", value_change=Decimal(400_000))

    decision = _pa(change, ni)

    assert decision.allowed
    assert () == decision.dues


@pytest.mark.covers("PA23-76")
@pytest.mark.parametrize(
    ("ends_on", "today", "field"),
    [
        # Published Thu 24 Dec 2026. Working days "beginning with" that day, counting a bank
        # holiday in any part of the UK: 24 Dec (1); 25 Dec Christmas, 26-27 weekend, 28 Dec
        # Boxing Day substitute; 29 (2), 30 (3), 31 (4); 1 Jan New Year; 2-3 weekend; 4 Jan,
        # Scotland's substitute for 2 January; 5 (5), 6 (6), 7 (7), 8 Jan (8).
        (date(2027, 1, 7), date(2027, 1, 11), "standstill_ends_on"),
        (date(2027, 1, 8), date(2027, 1, 8), "standstill_ends_on"),
        (date(2027, 1, 8), date(2027, 1, 9), None),
    ],
    ids=["shorter-than-8-working-days", "not-yet-over", "over"],
)
def test_s76_a_voluntary_standstill_lasts_8_working_days_and_ends_before_the_change(
    ends_on, today, field
):
    change = Modification(
        "not_substantial",
        value_change=Decimal(400_000),
        change_notice_published_on=date(2026, 12, 24),
        standstill_ends_on=ends_on,
    )

    decision = _pa(change, now=at_noon(today))

    assert ([field] if field else []) == [r.field for r in decision.refusals]
    if field == "standstill_ends_on" and ends_on == date(2027, 1, 7):
        assert "so until the end of 2027-01-08" in decision.refusals[0].message


@pytest.mark.covers("PA23-76")
def test_s76_a_standstill_needs_the_notice_it_belongs_to():
    change = Modification("not_substantial", standstill_ends_on=date(2027, 1, 8))

    assert ["change_notice_published_on"] == [r.field for r in _pa(change).refusals]


@pytest.mark.covers("PA23-77")
@pytest.mark.parametrize(
    ("awarded", "change", "authority", "due_on"),
    [
        # £4,900,000 + £600,000 (12.2%, so a change notice is needed) = £5,500,000, more than
        # £5 million: publish within 90 days beginning with Mon 1 Feb 2027: 28 days of February,
        # 31 of March, 30 of April make 89, so day 90 is Sat 1 May 2027.
        (4_900_000, 600_000, frozenset(), date(2027, 5, 1)),
        # £400,000 is 8.2%: no change notice, so no qualifying modification (s.77(2)(a)).
        (4_900_000, 400_000, frozenset(), None),
        # £3,000,000 + £600,000 stays below £5 million.
        (3_000_000, 600_000, frozenset(), None),
        # s.77(3): not for a devolved Welsh authority.
        (4_900_000, 600_000, frozenset({"devolved_welsh"}), None),
    ],
)
def test_s77_the_modified_contract_over_5_million_is_published_within_90_days(
    awarded, change, authority, due_on
):
    facts = replace(
        PA_CONTRACT, value_as_awarded=Decimal(awarded), nation="wales", authority=authority
    )
    modification = Modification(
        "not_substantial",
        key="M-1",
        value_change=Decimal(change),
        made_on=date(2027, 2, 1),
        change_notice_published_on=NOTICED,
    )

    dues = {d.rule: d.due_on for d in _pa(modification, facts).dues}

    assert due_on == dues.get("PA23-77")
    if due_on:
        assert "PA23-75" in dues


@pytest.mark.covers("PA23-77")
def test_s77_before_the_change_is_dated_the_90_days_are_said_in_words():
    facts = replace(PA_CONTRACT, value_as_awarded=Decimal(4_900_000))
    change = Modification("not_substantial", value_change=Decimal(600_000))

    due = next(d for d in _pa(change, facts).dues if d.rule == "PA23-77")

    assert (None, "within 90 days beginning with the day the change is made") == (
        due.due_on,
        due.when,
    )


def test_s74_7_an_earlier_modification_asks_whether_the_two_are_one():
    facts = replace(
        PA_CONTRACT, modifications=(Modification("below_threshold", value_change=Decimal(1)),)
    )
    change = Modification("below_threshold", value_change=Decimal(1))

    asked = _pa(change, facts)
    justified = _pa(change, replace(facts, justifications={"PA23-74-7": "a different need"}))

    assert ["PA23-74-7"] == [w.rule for w in asked.warnings]
    assert () == justified.warnings


# ---------------------------------------------------------------------------------------------
# The purchase: performance levels met by named evidence, price within the maximum cost.

PURCHASE_RULES = {
    "pcr-2015-reg31": "PCR15-31-9/purchase",
    "pa-2023-cfp-ip": "PA23-S8-1/purchase",
    "pcsr-2015-reg32": "PCSR15-32-2/purchase",
    "eu-2014-24-art31": "DIR-31-2/purchase",
}


@pytest.mark.covers(*PURCHASE_RULES.values())
@pytest.mark.parametrize("rulebook", ALL, ids=lambda r: r.id)
def test_the_purchase_lists_every_unmet_level_and_the_price_gap(rulebook):
    unmet = contract(
        performance_levels=(
            CONTRACT.performance_levels[0],
            PerformanceLevel("alerts within 30 seconds"),
            PerformanceLevel("works without wifi", met_by=" "),
        )
    )

    lawful = decide(rulebook, PURCHASE, Purchase(Decimal(1_000_000)))
    refused = decide(rulebook, PURCHASE, Purchase(Decimal(1_050_000)), unmet)

    assert lawful.allowed
    assert [PURCHASE_RULES[rulebook.id]] * 3 == refused_by(refused)
    assert [
        (
            "performance_levels[1]",
            "performance level 'alerts within 30 seconds' is not shown to be met by any recorded evidence",
        ),
        (
            "performance_levels[2]",
            "performance level 'works without wifi' is not shown to be met by any recorded evidence",
        ),
        ("price", "the purchase price of 1,050,000 is 50,000 above the maximum cost of 1,000,000"),
    ] == [(r.field, r.message) for r in refused.refusals]


@pytest.mark.covers("PCR15-31-9/purchase")
def test_a_purchase_with_nothing_agreed_is_refused_naming_both_fields():
    nothing = contract(performance_levels=(), max_cost=None)

    refused = decide(PCR, PURCHASE, Purchase(Decimal(1)), nothing)

    assert ["performance_levels", "max_cost"] == [r.field for r in refused.refusals]


# ---------------------------------------------------------------------------------------------
# The end of a contract.

GATE_RULES = {
    "pcr-2015-reg31": "PCR15-31-12/contract",
    "pcsr-2015-reg32": "PCSR15-32-6/contract",
    "eu-2014-24-art31": "DIR-31-2/gate",
}


@pytest.mark.covers(*GATE_RULES.values())
@pytest.mark.parametrize("rulebook", [PCR, PCSR, EU], ids=lambda r: r.id)
def test_a_gate_ends_a_partner_contract_only_on_an_announced_option_after_assessing_targets(
    rulebook,
):
    reduce = Ending("gate", date(2027, 1, 15), gate_decision="reduce", targets_assessed=True)
    not_announced = contract(reduction_option_announced=False)

    assert decide(rulebook, END_CONTRACT, reduce).allowed
    assert [GATE_RULES[rulebook.id]] == refused_by(
        decide(rulebook, END_CONTRACT, reduce, not_announced)
    )
    assert ["targets_assessed"] == [
        r.field
        for r in decide(rulebook, END_CONTRACT, replace(reduce, targets_assessed=False)).refusals
    ]
    assert ["gate_decision"] == [
        r.field for r in decide(rulebook, END_CONTRACT, replace(reduce, gate_decision="")).refusals
    ]
    terminate = replace(reduce, gate_decision="terminate")
    assert (
        "terminate the partnership"
        in decide(rulebook, END_CONTRACT, terminate, contract(termination_option_announced=False))
        .refusals[0]
        .message
    )


def test_under_the_act_an_unannounced_gate_exit_warns_as_the_gate_decision_does():
    reduce = Ending("gate", date(2027, 1, 15), gate_decision="reduce", targets_assessed=True)

    decision = decide(PA, END_CONTRACT, reduce, contract(reduction_option_announced=False))

    assert decision.allowed
    assert ["PA23-GATE-EXIT/contract"] == [w.rule for w in decision.warnings]


IMPLIED = Ending(
    "implied_term",
    date(2027, 3, 31),
    ground="supplier_excluded",
    reasons="convicted of fraud on 1 Feb 2027 (Sch 6)",
    notified_on=date(2027, 3, 1),
    notice_ends_on=date(2027, 3, 15),
)


@pytest.mark.covers("PA23-78")
@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({}, []),
        ({"notice_ends_on": date(2027, 3, 31)}, ["notice_ends_on"]),
        ({"notice_ends_on": None}, ["notice_ends_on"]),
        ({"notified_on": None}, ["notified_on"]),
        ({"reasons": " "}, ["notified_on"]),
        ({"ground": "poor_performance"}, ["ground"]),
        ({"ground": "subcontractor_excluded"}, ["subcontracting_opportunity_given"]),
        ({"ground": "subcontractor_excluded", "subcontracting_opportunity_given": True}, []),
    ],
)
def test_s78_implied_termination_after_notice_and_the_chance_of_representations(changes, fields):
    decision = decide(PA, END_CONTRACT, replace(IMPLIED, **changes))

    assert fields == [r.field for r in decision.refusals]


@pytest.mark.covers("PCR15-73", "PCSR15-73")
@pytest.mark.parametrize("rulebook", PCR_LIKE, ids=lambda r: r.id)
def test_reg_73_implied_termination_on_its_own_grounds(rulebook):
    substantial = replace(IMPLIED, ground="substantial_modification")

    assert decide(rulebook, END_CONTRACT, substantial).allowed
    refused = decide(rulebook, END_CONTRACT, IMPLIED)
    assert ["ground"] == [r.field for r in refused.refusals]
    assert "substantial_modification, excluded_at_award, cjeu_infringement" in (
        refused.refusals[0].message
    )


@pytest.mark.parametrize("rulebook", ALL, ids=lambda r: r.id)
def test_ending_under_the_contracts_own_terms_asks_for_the_clause(rulebook):
    breach = Ending("contract_terms", date(2027, 3, 31), reasons="clause 21.2: persistent breach")

    decision = decide(rulebook, END_CONTRACT, breach)

    assert decision.allowed
    assert ["reasons"] == [w.field for w in decision.warnings]


@pytest.mark.covers("PA23-80/contract")
def test_s80_every_ended_contract_starts_the_30_day_termination_notice():
    # Expired on Thu 3 Dec 2026: day 1 of 30, so day 30 is Fri 1 Jan 2027, New Year's Day; the
    # Act does not move it.
    expired = Ending("expiry", date(2026, 12, 3))

    due = decide(PA, END_CONTRACT, expired).dues
    open_after = dues(PA, contract(ending=expired), NOW)
    published = dues(
        PA, contract(ending=replace(expired, notice_published_on=date(2026, 12, 10))), NOW
    )

    assert [("Contract termination notice (UK11)", date(2027, 1, 1), True)] == [
        (d.what, d.due_on, d.overdue) for d in due
    ]
    assert [date(2027, 1, 1)] == [d.due_on for d in open_after]
    assert () == published


@pytest.mark.parametrize("rulebook", [PCR, PCSR, EU], ids=lambda r: r.id)
def test_the_regulations_and_the_directive_require_no_notice_when_a_contract_ends(rulebook):
    assert () == decide(rulebook, END_CONTRACT, Ending("expiry", date(2026, 12, 3))).dues


# ---------------------------------------------------------------------------------------------
# Performance against the KPIs (PA 2023 s.52, s.71).

KPI_CONTRACT = contract(
    value_as_awarded=Decimal(6_000_000),
    concluded_on=date(2027, 3, 1),
    kpis=("accuracy", "response time", "uptime"),
)


@pytest.mark.covers("PA23-71")
def test_s71_the_first_assessment_is_due_within_12_months_of_entry_then_of_each_assessment():
    # 12 months beginning with Mon 1 Mar 2027 end on Tue 29 Feb 2028 (a leap year); after an
    # assessment on Sat 15 Jan 2028, 12 months beginning with it end on Sun 14 Jan 2029.
    first = dues(PA, KPI_CONTRACT, at_noon(date(2027, 6, 1)))
    decided = decide(PA, ASSESS_PERFORMANCE, Assessment(date(2028, 1, 15), "good"), KPI_CONTRACT)
    later = dues(
        PA,
        replace(KPI_CONTRACT, assessments=(Assessment(date(2028, 1, 15), "good"),)),
        at_noon(date(2028, 2, 1)),
    )

    assert [("Contract performance assessment and notice (UK9)", date(2028, 2, 29))] == [
        (d.what, d.due_on) for d in first
    ]
    assert [date(2029, 1, 14)] == [d.due_on for d in decided.dues]
    assert [date(2029, 1, 14)] == [d.due_on for d in later]


@pytest.mark.covers("PA23-71")
def test_s71_a_period_beginning_on_29_february_ends_a_day_early_rather_than_late():
    # 12 months beginning with 29 Feb 2028: there is no 29 Feb 2029, so sanely ends the period on
    # 27 Feb 2029 (the day before 28 Feb), never later than the law allows.
    leap = replace(KPI_CONTRACT, concluded_on=date(2028, 2, 29))

    assert [date(2029, 2, 27)] == [d.due_on for d in dues(PA, leap, at_noon(date(2028, 3, 1)))]


@pytest.mark.covers("PA23-71")
@pytest.mark.parametrize(
    "changes",
    [
        {"value_as_awarded": Decimal(5_000_000)},  # s.52(1): "more than £5 million"
        {"kpis": ()},
        {"kpis_not_appropriate_reason": "a research contract with no steady service"},
    ],
    ids=["not-over-5-million", "no-kpis", "s52-2-reason"],
)
def test_s71_applies_only_where_kpis_were_set_under_s52_1(changes):
    facts = replace(KPI_CONTRACT, **changes)

    assert () == dues(PA, facts, at_noon(date(2027, 6, 1)))
    assert () == decide(PA, END_CONTRACT, Ending("expiry", date(2028, 6, 30)), facts).dues[1:]


@pytest.mark.covers("PA23-71", "PA23-80/contract")
def test_s71_on_termination_the_assessment_is_due_and_the_annual_one_stops():
    ending = Ending("expiry", date(2028, 6, 30))

    decided = decide(PA, END_CONTRACT, ending, KPI_CONTRACT)
    ended = replace(KPI_CONTRACT, ending=ending)
    open_dues = dues(PA, ended, at_noon(date(2028, 7, 1)))
    assessed = dues(
        PA, replace(ended, ending=replace(ending, assessment_published_on=date(2028, 7, 2))), NOW
    )

    assert [
        ("Contract termination notice (UK11)", date(2028, 7, 29)),
        ("Contract performance assessment and notice on termination (UK9)", date(2028, 6, 30)),
    ] == [(d.what, d.due_on) for d in decided.dues]
    assert [
        ("Contract performance assessment and notice on termination (UK9)", True),
        ("Contract termination notice (UK11)", False),
    ] == [(d.what, d.overdue) for d in open_dues]
    assert ["Contract termination notice (UK11)"] == [d.what for d in assessed]


def test_an_assessment_may_be_recorded_after_the_contract_ended():
    ended = replace(KPI_CONTRACT, ending=Ending("expiry", date(2028, 6, 30)))

    decision = decide(
        PA, ASSESS_PERFORMANCE, Assessment(date(2028, 7, 2), "approaching_target"), ended
    )

    assert decision.allowed
    assert () == decision.dues
