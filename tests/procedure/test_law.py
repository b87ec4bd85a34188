"""
Cases worked by hand from the words of the statutes, named after the rule they test.

Each date below was counted on a calendar from the text quoted in rulebooks/README.md, not
from the code: PCR 2015 reg 2(3)(b) and 2(4), PCSR 2015 reg 2(4)(c), Regulation 1182/71
art 3(4), and the tables of the Procurement Act 2023 s.54(3)-(4) with the definitions of s.54(5).
The deadline calculator and the engine must give the same answer for every case.
"""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from procedure.scenarios import EU, FINAL_ROUND, GOOD, NOW, PA, PCR, PCSR, SECOND_ROUND, facts
from sanely.procedure import (
    DESIGN_CHANGE,
    CircumstanceError,
    Criterion,
    DeadlineError,
    InvalidFactsError,
    Round,
    check,
    deadline_for,
    design_change_refusal,
    evaluate,
    load_rulebook,
    next_due,
    rulebook_ids,
)
from sanely.procedure.cli import main

BY_ID = {book.id: book for book in (PCR, PA, EU, PCSR)}


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _request_deadline_refusal(rulebook_id: str, notice_on: date, deadline: date, **changes):
    rulebook = BY_ID[rulebook_id]
    design = facts(notice_on=notice_on, rtp_deadline=_noon(deadline), **changes)
    return check(rulebook, design, rulebook.design_event, NOW)


# (regime, nation, notice sent, earliest lawful deadline, why)
REQUEST_PERIODS = [
    ("pcr-2015-reg31", "england", date(2026, 3, 2), date(2026, 4, 1), "day 30 is a Wednesday"),
    ("pcr-2015-reg31", "england", date(2026, 1, 30), date(2026, 3, 2), "day 30 is Sunday 1 Mar"),
    (
        "pcr-2015-reg31",
        "england",
        date(2027, 2, 24),
        date(2027, 3, 30),
        "day 30 is Good Friday 2027; Easter Monday 29 Mar is not a working day either",
    ),
    (
        "pcr-2015-reg31",
        "wales",
        date(2026, 11, 25),
        date(2026, 12, 29),
        "day 30 is Christmas Day 2026 (Friday); Monday 28 Dec is the Boxing Day substitute",
    ),
    (
        "pcr-2015-reg31",
        "england",
        date(2026, 10, 31),
        date(2026, 12, 1),
        "day 30 is St Andrew's Day, a bank holiday in Scotland: any UK bank holiday counts",
    ),
    (
        "pcr-2015-reg31",
        "england",
        date(2027, 2, 15),
        date(2027, 3, 18),
        "day 30 is St Patrick's Day, a bank holiday in Northern Ireland",
    ),
    (
        "pcr-2015-reg31",
        "northern-ireland",
        date(2027, 6, 12),
        date(2027, 7, 13),
        "day 30 is 12 July 2027, a Monday bank holiday in Northern Ireland",
    ),
    (
        "pcr-2015-reg31",
        "england",
        date(2028, 3, 15),
        date(2028, 4, 18),
        "day 30 is Good Friday 2028; then the weekend and Easter Monday 17 Apr",
    ),
    (
        "pcsr-2015-reg32",
        "scotland",
        date(2024, 3, 1),
        date(2024, 4, 1),
        "day 30 is Easter Sunday 2024; Easter Monday is not a bank holiday in Scotland",
    ),
    (
        "pcsr-2015-reg32",
        "scotland",
        date(2026, 12, 3),
        date(2027, 1, 5),
        "day 30 is Saturday 2 Jan 2027; Monday 4 Jan is Scotland's substitute for 2 January",
    ),
    (
        "pcsr-2015-reg32",
        "scotland",
        date(2026, 10, 31),
        date(2026, 12, 1),
        "day 30 is St Andrew's Day 2026 (Monday)",
    ),
    (
        "pcsr-2015-reg32",
        "scotland",
        date(2027, 2, 15),
        date(2027, 3, 17),
        "day 30 is St Patrick's Day, a working day in Scotland",
    ),
    ("eu-2014-24-art31", None, date(2026, 1, 30), date(2026, 3, 2), "day 30 is a Sunday"),
    (
        "eu-2014-24-art31",
        None,
        date(2027, 2, 24),
        date(2027, 3, 26),
        "day 30 is Good Friday, a weekday: national holidays are not shipped",
    ),
    (
        "pa-2023-cfp-ip",
        "england",
        date(2026, 3, 3),
        date(2026, 3, 28),
        "day 25 is a Saturday: the Act counts days and does not move the end of a period",
    ),
]


@pytest.mark.covers("PCR15-31-5", "PCSR15-32-R/rtp-period", "DIR-31-1", "PA23-54-PP")
@pytest.mark.parametrize(
    ("regime", "nation", "notice_on", "earliest", "why"),
    REQUEST_PERIODS,
    ids=[f"{c[0]}:{c[2]}" for c in REQUEST_PERIODS],
)
def test_request_periods_run_to_the_end_of_the_next_working_day_where_the_regime_says_so(
    regime, nation, notice_on, earliest, why
):
    deadline = deadline_for("requests-to-participate", regime, notice_on, nation)
    refusal = _request_deadline_refusal(
        regime, notice_on, earliest - timedelta(days=1), nation=nation
    )

    assert earliest == deadline.date, why
    assert _request_deadline_refusal(regime, notice_on, earliest, nation=nation) is None
    assert (refusal.rule, refusal.citation) == (deadline.rule, deadline.citation)
    assert f"the earliest lawful deadline is {earliest}" in refusal.message


@pytest.mark.covers("PCR15-31-5")
def test_pcr15_31_5_a_deadline_on_the_sunday_the_period_would_have_ended_is_refused():
    # The review's case: notice Fri 30 Jan 2026, deadline Sun 1 Mar 2026; reg 2(4) runs the
    # period to the end of Mon 2 Mar.
    refusal = _request_deadline_refusal("pcr-2015-reg31", date(2026, 1, 30), date(2026, 3, 1))

    assert "PCR 2015 reg. 31(5), 2(3)(b), 2(4)" == refusal.citation
    assert "minimum is 30 calendar days, ending on the next working day" in refusal.message
    assert "move the deadline to 2026-03-02 or later" == refusal.fix


@pytest.mark.covers("PCR15-87-1", "PCSR-DIFF-3")
@pytest.mark.parametrize(
    ("rulebook", "nation"), [(PCR, "england"), (PCSR, "scotland")], ids=["pcr", "pcsr"]
)
def test_a_standstill_whose_10th_day_is_st_andrews_day_runs_to_the_end_of_the_next_day(
    rulebook, nation
):
    # Notices sent Fri 20 Nov 2026: day 10 is Mon 30 Nov 2026, St Andrew's Day (a bank holiday
    # in Scotland, and in "any part of the UK" for PCR reg 2(1)), so the standstill ends at
    # midnight at the end of Tue 1 Dec and the contract may be concluded on Wed 2 Dec.
    sent = facts("standstill", nation=nation, decision_notices_sent_on=date(2026, 11, 20))

    refusal = check(rulebook, sent, "conclude_contracts", _noon(date(2026, 12, 1)))

    assert date(2026, 12, 1) == deadline_for("standstill", rulebook.id, date(2026, 11, 20)).date
    assert "wait until 2026-12-01 has ended" == refusal.fix
    assert check(rulebook, sent, "conclude_contracts", _noon(date(2026, 12, 2))) is None


# s.54(4) tendering periods for an invitation to tender sent on Mon 1 Mar 2027: the period begins
# Tue 2 Mar (s.54(5)); N days end on 1 Mar + N; the Act does not move an end off a holiday.
INVITED = date(2027, 3, 1)
TENDERING_PERIODS = [
    ((), date(2027, 3, 26), "tenders may be submitted electronically, and the tender notice"),
    (("documents_not_all_at_once",), date(2027, 3, 31), "are not all provided at the same time"),
    (("not_electronic",), date(2027, 3, 31), "tenders may not be submitted electronically, but"),
    (("not_electronic", "documents_not_all_at_once"), date(2027, 4, 5), "35 days"),
    (("preselected_only",), date(2027, 3, 11), "not a central government authority, tenders"),
    (("preselected_only", "central_government"), date(2027, 3, 26), "25 days"),
    (
        ("preselected_only", "central_government", "utilities_contract"),
        date(2027, 3, 11),
        "a utilities contract for which tenders",
    ),
    (("negotiated_tendering_period",), INVITED, "negotiated tendering period: no minimum"),
    (("negotiated_tendering_period", "central_government"), date(2027, 3, 26), "25 days"),
    (("light_touch",), INVITED, "light touch contract: no minimum period"),
    (("planned_procurement_notice",), date(2027, 3, 11), "planned procurement notice"),
    (("dynamic_market",), date(2027, 3, 11), "dynamic market: 10 days"),
    (("urgent", "documents_not_all_at_once"), date(2027, 3, 11), "a state of urgency"),
]


@pytest.mark.covers("PA23-54-TP")
@pytest.mark.parametrize(
    ("circumstances", "earliest", "row"),
    TENDERING_PERIODS,
    ids=["+".join(c[0]) or "usual" for c in TENDERING_PERIODS],
)
def test_pa23_54_tp_the_shortest_row_of_the_s54_4_table_that_applies_sets_the_minimum(
    circumstances, earliest, row
):
    deadline = deadline_for("tendering", "pa-2023-cfp-ip", INVITED, None, circumstances)
    claimed = frozenset(circumstances)

    def invite(deadline_day: date):
        opened = Round(1, invited_on=INVITED, deadline=_noon(deadline_day))
        design = facts("tendering", rounds=(opened,), circumstances=claimed)
        return check(PA, design, "open_tender_round", NOW)

    assert earliest == deadline.date
    assert row in deadline.row
    assert f"Row applied: {deadline.row}." in deadline.meaning
    assert invite(earliest) is None
    if earliest > INVITED:
        refusal = invite(earliest - timedelta(days=1))
        assert ("PA23-54-TP", "Procurement Act 2023 s.54(4), (5)") == (
            refusal.rule,
            refusal.citation,
        )
        assert f"earlier than {earliest}" in refusal.message


@pytest.mark.covers("PA23-54-TP")
def test_pa23_54_tp_binds_the_final_round_too():
    # A council (not central government) inviting final tenders from pre-selected suppliers on
    # Mon 7 Jun 2027 may set 10 days: Thu 17 Jun; 16 Jun is one day short.
    def final_round(deadline_day: date):
        rounds = (Round(1, closed=True), Round(2, True, date(2027, 6, 7), _noon(deadline_day)))
        design = facts("tendering", rounds=rounds, circumstances=frozenset({"preselected_only"}))
        return check(PA, design, "invite_final_tenders", NOW)

    assert final_round(date(2027, 6, 17)) is None
    assert "PA23-54-TP" == final_round(date(2027, 6, 16)).rule


@pytest.mark.covers("PA23-54-PP")
@pytest.mark.parametrize(
    ("circumstances", "earliest"),
    [
        ((), date(2026, 3, 28)),
        (("urgent",), date(2026, 3, 13)),
        (("light_touch",), date(2026, 3, 3)),
    ],
)
def test_pa23_54_pp_the_participation_period_table(circumstances, earliest):
    deadline = deadline_for(
        "requests-to-participate", "pa-2023-cfp-ip", date(2026, 3, 3), None, circumstances
    )
    claimed = frozenset(circumstances)
    day_before = _request_deadline_refusal(
        "pa-2023-cfp-ip", date(2026, 3, 3), earliest - timedelta(days=1), circumstances=claimed
    )
    on_the_day = _request_deadline_refusal(
        "pa-2023-cfp-ip", date(2026, 3, 3), earliest, circumstances=claimed
    )

    assert (earliest, "PA23-54-PP") == (deadline.date, deadline.rule)
    assert (on_the_day, day_before.rule) == (None, "PA23-54-PP")


def test_an_option_that_does_not_apply_to_the_period_is_refused_naming_what_applies():
    with pytest.raises(CircumstanceError) as not_pa:
        deadline_for("requests-to-participate", "pcr-2015-reg31", INVITED, None, ["urgent"])
    with pytest.raises(DeadlineError) as not_requests:
        deadline_for("requests-to-participate", "pa-2023-cfp-ip", INVITED, None, ["not_electronic"])
    with pytest.raises(DeadlineError, match="unknown circumstance 'urgency'"):
        deadline_for("tendering", "pa-2023-cfp-ip", INVITED, None, ["urgency"])

    assert (
        "--urgent does not apply to the requests-to-participate period under pcr-2015-reg31; "
        "the options that apply are: none"
    ) == str(not_pa.value)
    assert str(not_requests.value).endswith("the options that apply are: --light-touch, --urgent")


def test_the_tendering_command_takes_the_circumstances_and_names_the_row(capsys):
    status = main(
        [
            "tendering",
            "--regime",
            "pa-2023-cfp-ip",
            "--from",
            "2027-03-01",
            "--documents-not-all-at-once",
            "--not-electronic",
            "--json",
        ]
    )

    printed = capsys.readouterr().out
    assert 0 == status
    assert '"date": "2027-04-05"' in printed
    assert "and the tender notice and associated tender documents are not all provided" in printed


def test_the_command_refuses_an_option_of_another_regime_with_exit_2(capsys):
    status = main(["tendering", "--regime", "pcr-2015-reg31", "--from", "2027-03-01", "--urgent"])

    assert 2 == status
    assert "no tendering deadline under pcr-2015-reg31" in capsys.readouterr().err


@pytest.mark.covers("PA23-53", "PA23-68", "PCR15-113", "PCSR-CAN", "PCR15-50-1")
@pytest.mark.parametrize(
    ("rulebook", "changes", "due_on", "rule"),
    [
        # "before the end of the period of 30 days beginning with the day" of entry: day 30 is
        # 30 Jun (s.53(1)(b)); the same words in s.68(2) for an invoice received on 1 Jun.
        (PA, {"contract_concluded_on": date(2026, 6, 1)}, date(2026, 6, 30), "PA23-53"),
        (PA, {"invoices": ()}, date(2026, 6, 30), "PA23-68"),
        # "within 30 days from the day" it is regarded as valid: 1 Jul (reg 113(2)(a)).
        (PCR, {"invoices": ()}, date(2026, 7, 1), "PCR15-113"),
        # "not later than 30 days after the award" (PCSR reg 51(1), PCR reg 50(1)).
        (PCSR, {"contract_concluded_on": date(2026, 6, 1)}, date(2026, 7, 1), "PCSR-CAN"),
        (PCR, {"contract_concluded_on": date(2026, 6, 1)}, date(2026, 7, 1), "PCR15-50-1"),
    ],
)
def test_notice_and_payment_due_dates(rulebook, changes, due_on, rule):
    from sanely.procedure import Occurrence

    if "invoices" in changes:
        changes = {"invoices": (Occurrence("INV-1", date(2026, 6, 1)),)}
    unmet = {
        "contract_concluded_on": None,
        "contract_details_notice_published_on": None,
        "contract_award_notice_published_on": None,
    }
    pending = facts("partnership", **(unmet | changes))

    due = next_due(rulebook, pending, NOW)

    assert (due_on, rule) == (due.date, due.rule)


def _award(rulebook, weighting: str, criteria, reason: str = ""):
    design = facts(award_criteria=criteria, weighting=weighting, weighting_reason=reason)
    return check(rulebook, design, rulebook.design_event, NOW)


RANGES = (
    Criterion("quality", Decimal(55), Decimal(65)),
    Criterion("price", Decimal(35), Decimal(45)),
)
ORDER = (Criterion("quality"), Criterion("price"))


@pytest.mark.covers("PCR15-67-9", "PCSR15-32-R/award")
@pytest.mark.parametrize("rulebook", [PCR, PCSR], ids=["pcr", "pcsr"])
def test_reg_67_10_11_ranges_and_a_reasoned_order_of_importance_are_lawful(rulebook):
    no_reason = _award(rulebook, "order", ORDER)
    upside_down = _award(rulebook, "ranges", (Criterion("quality", Decimal(65), Decimal(55)),))

    assert _award(rulebook, "ranges", RANGES) is None
    assert _award(rulebook, "order", ORDER, "innovation makes price impossible to weigh") is None
    assert ("weighting_reason", "award_criteria[0].weight_max") == (
        no_reason.field,
        upside_down.field,
    )
    assert "weighting" == _award(rulebook, "described", ORDER, "see annex").field


@pytest.mark.covers("PA23-23")
def test_pa23_23_ranking_or_describing_the_importance_another_way_is_lawful():
    assert _award(PA, "order", ORDER) is None
    assert _award(PA, "described", ORDER, "quality matters most, then price") is None
    assert "PA23-23" == _award(PA, "described", ORDER).rule


@pytest.mark.covers("PA23-52")
@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        ({"partner_contract_values": (Decimal(2_000_000),) * 3}, False),
        ({"partner_contract_values": (Decimal(5_000_000), Decimal(1_000_000))}, False),
        ({"partner_contract_values": (Decimal(5_000_001),)}, True),
        ({"partner_contract_values": ()}, True),
        (
            {"kpis_not_appropriate_reason": "a research contract with no steady-state service"},
            False,
        ),
    ],
)
def test_pa23_52_kpis_per_contract_value_unless_the_authority_records_they_are_inappropriate(
    changes, refused
):
    # s.52(1): "an estimated value of more than £5 million"; s.52(2): unless the authority
    # considers performance could not appropriately be assessed by KPIs. The procurement's
    # estimated value is £6m; with no contract values recorded it stands in.
    design = facts("standstill", kpis=("accuracy",), **changes)

    refusal = check(PA, design, "enter_contracts", NOW)

    assert refused == (refusal is not None and refusal.rule == "PA23-52")


@pytest.mark.parametrize("rulebook_id", rulebook_ids())
def test_abandoning_is_not_possible_once_contracts_exist(rulebook_id):
    rulebook = load_rulebook(rulebook_id)

    after_award = {
        state: "abandon" in evaluate(rulebook, facts(state), NOW).allowed
        for state in ("partnership", "gate_review", "purchase")
    }

    assert {"partnership": False, "gate_review": False, "purchase": False} == after_award
    assert "abandon" in evaluate(rulebook, facts("standstill"), NOW).allowed


@pytest.mark.covers("PCR15-65-5", "PCSR-DIFF-2")
@pytest.mark.parametrize("rulebook", [PCR, PCSR], ids=["pcr", "pcsr"])
def test_with_no_minimum_announced_every_qualified_candidate_is_invited(rulebook):
    # Reg 65(1)-(2) (PCSR reg 66): numbers may be limited only if the notice announced the
    # minimum; four qualify and none was announced, so all four are invited.
    unlimited = facts("selection", min_candidates=None)

    refusal = check(rulebook, unlimited, "invite_to_tender", NOW)

    assert "cannot be limited" in refusal.message
    all_four = replace(unlimited, invited=unlimited.qualified)
    assert check(rulebook, all_four, "invite_to_tender", NOW) is None


@pytest.mark.covers("PA23-24")
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"refinement_reserved": False}, "refinement_reserved"),
        ({"refinement_would_readmit": frozenset({"dyna"})}, "refinement_would_readmit"),
        ({"rounds": FINAL_ROUND}, "rounds"),
    ],
    ids=["s24-1-a", "s24-3", "s24-1-b"],
)
def test_pa23_24_refining_award_criteria(changes, field):
    assert check(PA, facts("tendering"), "refine_award_criteria", NOW) is None
    assert field == check(PA, facts("tendering", **changes), "refine_award_criteria", NOW).field


@pytest.mark.covers("PCR15-31-13", "PA23-20-1/rounds", "DIR-31-3", "PCSR15-32-R/negotiation")
@pytest.mark.parametrize("rulebook", [PCR, PA, EU, PCSR], ids=lambda r: r.id)
@pytest.mark.parametrize(
    ("event", "what"),
    [
        ("open_tender_round", "a further round of tenders"),
        ("invite_final_tenders", "final tenders"),
    ],
)
def test_no_round_is_invited_while_an_earlier_round_is_open(rulebook, event, what):
    opening = replace(SECOND_ROUND, final=event == "invite_final_tenders")
    still_open = facts("tendering", rounds=(Round(1, closed=False), opening))
    closed = facts("tendering", rounds=(Round(1, closed=True), opening))

    refusal = check(rulebook, still_open, event, NOW)

    assert check(rulebook, closed, event, NOW) is None
    assert refusal.citation == rulebook.rule(refusal.rule).citation
    assert f"round 1 is still open: {what} cannot be invited" in refusal.message


@pytest.mark.covers("PCR15-31-13", "DIR-31-3", "PCSR15-32-R/negotiation")
@pytest.mark.parametrize("rulebook", [PCR, EU, PCSR], ids=lambda r: r.id)
def test_no_round_of_revised_tenders_follows_the_final_one(rulebook):
    # PCR reg 31(13): "negotiate ... the initial and all subsequent tenders ... except for the
    # final tender"; a round after the final one would negotiate the final tenders.
    after_final = facts("tendering", rounds=(*FINAL_ROUND, Round(3, invited_on=date(2026, 6, 23))))

    refusal = check(rulebook, after_final, "open_tender_round", NOW)

    assert (refusal.rule, refusal.field) == (rulebook.rule(refusal.rule).id, "rounds")
    assert "round 2 is the final-tender round" in refusal.message


@pytest.mark.covers("PA23-54-TP")
def test_pa23_54_tp_binds_a_round_of_revised_tenders():
    # A council inviting revised tenders from the pre-selected suppliers on Mon 7 Jun 2027:
    # s.54(4) "tenders may be submitted only by pre-selected suppliers" (10 days), so the
    # deadline may be Thu 17 Jun; without that circumstance, 25 days: Fri 2 Jul.
    def revised_round(deadline_day: date, claimed: frozenset[str]):
        rounds = (Round(1, closed=True), Round(2, False, date(2027, 6, 7), _noon(deadline_day)))
        design = facts("tendering", rounds=rounds, circumstances=claimed)
        return check(PA, design, "open_tender_round", NOW)

    preselected = frozenset({"preselected_only"})
    assert revised_round(date(2027, 6, 17), preselected) is None
    assert "PA23-54-TP" == revised_round(date(2027, 6, 16), preselected).rule
    assert revised_round(date(2027, 7, 2), frozenset()) is None
    assert "earlier than 2027-07-02" in revised_round(date(2027, 7, 1), frozenset()).message


@pytest.mark.covers("PA23-20-4/reduction")
def test_pa23_20_4_tenderers_are_reduced_only_as_the_tender_notice_provides():
    # s.20(1): the procedure is carried out "in accordance with a tender notice and any
    # associated tender documents"; s.20(4)(a), (5)(b): a competitive flexible procedure "may
    # limit the number of participating suppliers ... in respect of particular tendering rounds"
    # and "may provide for the exclusion of suppliers ... by reference to an intermediate
    # assessment of tenders". Announced: allowed. Not announced: the documents do not provide
    # for it, so the procedure may not do it.
    announced = facts("tendering", staged_reduction_announced=True)
    silent = replace(announced, staged_reduction_announced=False)

    refusal = check(PA, silent, "reduce_tenders", NOW)

    assert check(PA, announced, "reduce_tenders", NOW) is None
    assert ("PA23-20-4/reduction", "Procurement Act 2023 s.20(1), (4)(a), (5)(b), (6)") == (
        refusal.rule,
        refusal.citation,
    )
    assert "staged_reduction_announced" == refusal.field
    assert check(PA, replace(announced, state="assessment"), "reduce_tenders", NOW).rule == (
        "LIFECYCLE"
    )


def test_only_the_act_has_circumstances_that_choose_a_row_of_a_table():
    assert {"preselected_only", "urgent", "light_touch", "not_electronic"} <= PA.circumstances
    assert frozenset() == PCR.circumstances == PCSR.circumstances == EU.circumstances


def test_pcr15_47_1_a_short_round_asks_for_the_reason_and_is_allowed_with_it():
    short = Round(1, invited_on=date(2026, 4, 20), deadline=_noon(date(2026, 4, 27)))
    design = facts("tendering", rounds=(short,))

    warned = evaluate(PCR, design, NOW)
    justified = evaluate(
        PCR, replace(design, justifications={"PCR15-47-1": "a short pricing update"}), NOW
    )

    assert "open_tender_round" in warned.allowed
    assert ["PCR 2015 reg. 47(1)"] == [
        w.citation for w in warned.warnings if w.event == "open_tender_round"
    ]
    assert not [w for w in justified.warnings if w.event == "open_tender_round"]


LOCKS = [(book, lock) for book in (PCR, PA, EU, PCSR) for lock in book.design_locks]


@pytest.mark.parametrize(
    ("rulebook", "lock"),
    [pytest.param(b, lock, marks=pytest.mark.covers(lock.rule)) for b, lock in LOCKS],
    ids=[f"{b.id}:{lock.section}" for b, lock in LOCKS],
)
def test_a_design_section_fixed_at_publication_is_refused_with_its_rule_and_route(rulebook, lock):
    published = facts(rulebook.events[1].sources[0])

    refusal = design_change_refusal(rulebook, published, lock.section)

    assert design_change_refusal(rulebook, facts("drafting"), lock.section) is None
    assert (DESIGN_CHANGE, lock.rule, rulebook.rule(lock.rule).citation, lock.section) == (
        refusal.event,
        refusal.rule,
        refusal.citation,
        refusal.field,
    )
    assert (refusal.message.startswith(lock.what), lock.route) == (True, refusal.fix)


def test_every_locked_section_cites_a_guard_and_unlisted_sections_stay_editable():
    assert all(book.rule(lock.rule).level.value == "GUARD" for book, lock in LOCKS)
    assert design_change_refusal(PCR, facts("tendering"), "timeline") is None
    assert {"minimum_requirements", "award", "phases", "gates", "purchase"} <= {
        lock.section for lock in EU.design_locks
    }


def test_facts_with_an_unknown_circumstance_are_refused_naming_the_choices():
    with pytest.raises(InvalidFactsError, match="circumstances include urgency; use names from"):
        facts(circumstances=frozenset({"urgency"}))


def test_good_is_lawful_under_every_rulebook_at_the_design_event():
    for rulebook in (PCR, PA, EU, PCSR):
        assert check(rulebook, GOOD, rulebook.design_event, NOW) is None
