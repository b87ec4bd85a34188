"""
The scoring arithmetic: every figure is worked out by hand in a comment beside its assertion.
Properties (hypothesis) check what must hold for any input: a ranking is a permutation, points
never exceed the weight, a lower price never scores fewer points.
"""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanely.procedure import (
    PRICE_FORMULAS,
    AwardCriterion,
    Breakdown,
    CandidateResult,
    Points,
    ProcedureError,
    Ranked,
    Recommendation,
    ScoringDesignError,
    ScoringError,
    ScoringInputError,
    SelectionCriterion,
    Shortlist,
    SubCriterion,
    abnormally_low,
    assess_candidate,
    best_price_quality,
    price_points,
    quality_points,
    rank,
    recommend,
    shortlist,
    staged_reduction,
)
from sanely.procedure._scoring._common import listed as _names
from sanely.procedure._scoring._common import ordinal as _ordinal

D = Decimal

APPROACH = AwardCriterion(
    "Approach", "quality", D(50), (SubCriterion("Method", D(60)), SubCriterion("Team", D(40)))
)
PRICE = AwardCriterion("Price", "price", D(30))
SOCIAL = AwardCriterion("Social value", "social_value", D(20))
CRITERIA = [APPROACH, PRICE, SOCIAL]


# --- price ------------------------------------------------------------------------------------


def test_both_formulas_are_published_as_sentences():
    assert ["relative_to_lowest", "linear_to_max_cost"] == list(PRICE_FORMULAS)
    assert PRICE_FORMULAS["relative_to_lowest"].startswith("Price points = price weight ×")
    assert "a price at the maximum cost scores 0" in PRICE_FORMULAS["linear_to_max_cost"]


def test_relative_to_lowest_gives_the_lowest_the_full_weight_and_others_in_proportion():
    points = price_points(
        {"a": D(100000), "b": D(125000)}, formula="relative_to_lowest", weight=D(30)
    )

    # a: 30 * 100,000 ÷ 100,000 = 30; b: 30 * 100,000 ÷ 125,000 = 24
    assert (
        Points("Price", D("30.00"), "lowest £100,000.00 ÷ £100,000.00 × 30 = 30.00", "price", D(30))
        == points["a"]
    )
    assert (
        Points("Price", D("24.00"), "lowest £100,000.00 ÷ £125,000.00 × 30 = 24.00", "price", D(30))
        == points["b"]
    )


def test_relative_to_lowest_rounds_only_the_final_points_half_up():
    points = price_points(
        {"a": D(100000), "b": D(130000)}, formula="relative_to_lowest", weight=D(30)
    )

    # 30 * 100,000 ÷ 130,000 = 23.0769… → 23.08
    assert D("23.08") == points["b"].points


def test_relative_to_lowest_ignores_the_maximum_cost():
    points = price_points(
        {"a": D(200)}, formula="relative_to_lowest", weight=D(10), max_cost=D(100)
    )

    assert D("10.00") == points["a"].points


def test_linear_to_max_cost_scores_the_distance_below_the_maximum():
    points = price_points(
        {"a": D(100000), "b": D(125000), "c": D(150000)},
        formula="linear_to_max_cost",
        weight=D(30),
        max_cost=D(150000),
    )

    # a: 30 * (150,000 - 100,000) ÷ (150,000 - 100,000) = 30
    # b: 30 * 25,000 ÷ 50,000 = 15; c (at the maximum): 30 * 0 ÷ 50,000 = 0
    assert D("30.00") == points["a"].points
    assert (
        "(maximum £150,000.00 − £125,000.00) ÷ (maximum £150,000.00 − lowest £100,000.00)"
        " × 30 = 15.00"
    ) == points["b"].explanation
    assert D("15.00") == points["b"].points
    assert D("0.00") == points["c"].points


def test_linear_to_max_cost_gives_equal_prices_below_the_maximum_the_full_weight():
    points = price_points(
        {"a": D(90), "b": D(90)}, formula="linear_to_max_cost", weight=D(40), max_cost=D(100)
    )

    # 40 * (100 - 90) ÷ (100 - 90) = 40 each
    assert [D("40.00"), D("40.00")] == [p.points for p in points.values()]


def test_linear_to_max_cost_gives_every_price_at_the_maximum_the_full_weight_not_0_over_0():
    points = price_points(
        {"a": D(100), "b": D(100)}, formula="linear_to_max_cost", weight=D(40), max_cost=D(100)
    )

    assert D("40.00") == points["b"].points
    assert (
        "every tender is at the maximum cost £100.00, so each scores the full weight 40 = 40.00"
        == points["b"].explanation
    )


def test_linear_to_max_cost_refuses_a_price_above_the_maximum_naming_the_tenderer():
    with pytest.raises(
        ScoringError, match=r"The price of “b”, £101\.00, is above the maximum cost £100\.00"
    ):
        price_points(
            {"a": D(90), "b": D(101)}, formula="linear_to_max_cost", weight=D(40), max_cost=D(100)
        )


@pytest.mark.parametrize("max_cost", [None, D(0), D("NaN")])
def test_linear_to_max_cost_needs_a_positive_maximum_cost(max_cost):
    with pytest.raises(ScoringError, match="needs the published maximum cost"):
        price_points({"a": D(90)}, formula="linear_to_max_cost", weight=D(40), max_cost=max_cost)


def test_no_prices_score_nothing():
    assert {} == price_points({}, formula="relative_to_lowest", weight=D(30))


def test_an_unknown_formula_is_refused_with_the_known_ones():
    with pytest.raises(
        ScoringError,
        match="Unknown price formula 'cheapest_wins': use one of relative_to_lowest, linear_to_max_cost",
    ):
        price_points({"a": D(1)}, formula="cheapest_wins", weight=D(30))


@pytest.mark.parametrize("price", [D(0), D(-5), D("Infinity"), D("NaN")])
def test_a_price_that_is_not_a_positive_amount_is_refused(price):
    with pytest.raises(
        ScoringError, match=r"The price of “a” is .*: a price must be a positive amount"
    ):
        price_points({"a": price}, formula="relative_to_lowest", weight=D(30))


@pytest.mark.parametrize("weight", [D(0), D(-1), D("100.01"), D("NaN")])
def test_a_price_weight_outside_0_to_100_is_refused(weight):
    with pytest.raises(
        ScoringError, match=r"The weight of the price criterion is .*: give it a percentage above 0"
    ):
        price_points({"a": D(1)}, formula="relative_to_lowest", weight=weight)


# --- quality ----------------------------------------------------------------------------------


def test_quality_points_are_the_weighted_share_of_the_scale():
    points = quality_points(AwardCriterion("Fit", "quality", D(40)), D(4), scale_max=5)

    # 40 * 4 ÷ 5 = 32
    assert Points("Fit", D("32.00"), "score 4 of 5 × weight 40 = 32.00", "quality", D(40)) == points


def test_quality_points_round_half_up_not_to_even():
    points = quality_points(AwardCriterion("Fit", "quality", D("12.5")), D(1), scale_max=4)

    # 12.5 * 1 ÷ 4 = 3.125 → 3.13 half up (half to even would give 3.12)
    assert D("3.13") == points.points
    assert "score 1 of 4 × weight 12.5 = 3.13" == points.explanation


def test_quality_points_of_thirds_are_exact_until_the_final_rounding():
    criterion = AwardCriterion("Fit", "quality", D(40))

    # 40 * 1 ÷ 3 = 13.333… → 13.33; 40 * 2 ÷ 3 = 26.666… → 26.67
    assert D("13.33") == quality_points(criterion, D(1), scale_max=3).points
    assert D("26.67") == quality_points(criterion, D(2), scale_max=3).points


def test_sub_criteria_weigh_their_scores_within_the_criterion():
    points = quality_points(APPROACH, {"Method": D(4), "Team": D(3)}, scale_max=5)

    # 50 * (60 % * 4/5 + 40 % * 3/5) = 50 * (0.48 + 0.24) = 36
    assert D("36.00") == points.points
    assert (
        "Method score 4 of 5 × 60 % + Team score 3 of 5 × 40 %, × weight 50 = 36.00"
        == points.explanation
    )
    assert "quality" == points.kind


def test_a_criterion_without_sub_criteria_accepts_one_score_under_the_empty_name():
    points = quality_points(SOCIAL, {"": D(5)}, scale_max=5)

    # 20 * 5 ÷ 5 = 20
    assert D("20.00") == points.points
    assert "social_value" == points.kind


def test_sub_scores_for_a_criterion_without_sub_criteria_are_refused():
    with pytest.raises(
        ScoringError, match="“Social value” has no sub-criteria but was given scores for “Reach”"
    ):
        quality_points(SOCIAL, {"Reach": D(3)}, scale_max=5)


def test_one_score_for_a_criterion_with_sub_criteria_is_refused():
    with pytest.raises(
        ScoringError, match="give a score for each of “Method” and “Team”, not one score"
    ):
        quality_points(APPROACH, D(3), scale_max=5)


def test_every_sub_criterion_must_be_scored():
    with pytest.raises(ScoringError, match="No score on “Team” of “Approach”"):
        quality_points(APPROACH, {"Method": D(3)}, scale_max=5)


def test_a_score_on_an_unknown_sub_criterion_is_refused():
    with pytest.raises(ScoringError, match="“Budget” is not a sub-criterion of “Approach”"):
        quality_points(APPROACH, {"Method": D(3), "Team": D(3), "Budget": D(1)}, scale_max=5)


@pytest.mark.parametrize("score", [D(-1), D(6), D("NaN")])
def test_a_score_outside_the_scale_is_refused(score):
    with pytest.raises(
        ScoringError, match="on “Fit” is outside the scale: give a score from 0 to 5"
    ):
        quality_points(AwardCriterion("Fit", "quality", D(40)), score, scale_max=5)


def test_a_sub_score_outside_the_scale_is_refused_naming_the_sub_criterion():
    with pytest.raises(
        ScoringError, match="The score 7 on “Team” of “Approach” is outside the scale"
    ):
        quality_points(APPROACH, {"Method": D(3), "Team": D(7)}, scale_max=5)


def test_a_scale_below_1_is_refused():
    with pytest.raises(ScoringError, match="The scoring scale maximum is 0"):
        quality_points(SOCIAL, D(0), scale_max=0)


def test_the_price_criterion_is_not_scored_as_quality():
    with pytest.raises(
        ScoringError, match="“Price” is the price criterion: score it with price_points"
    ):
        quality_points(PRICE, D(3), scale_max=5)


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        (
            AwardCriterion("Fit", "beauty", D(40)),
            "Award criterion “Fit” has kind 'beauty': use one of quality, social_value, price",
        ),
        (AwardCriterion("Fit", "quality", D(0)), "The weight of award criterion “Fit” is 0"),
        (
            AwardCriterion("Cost", "price", D(40), (SubCriterion("Capex", D(100)),)),
            "The price criterion “Cost” has sub-criteria",
        ),
        (
            AwardCriterion(
                "Fit", "quality", D(40), (SubCriterion("A", D(50)), SubCriterion("A", D(50)))
            ),
            "Two sub-criteria of “Fit” are named “A”",
        ),
        (
            AwardCriterion(
                "Fit", "quality", D(40), (SubCriterion("A", D(-10)), SubCriterion("B", D(110)))
            ),
            "The weight of sub-criterion “A” of “Fit” is -10",
        ),
        (
            AwardCriterion(
                "Fit", "quality", D(40), (SubCriterion("A", D(50)), SubCriterion("B", D(40)))
            ),
            "The sub-criteria of “Fit” weigh 90 % in all: their weights must add to 100",
        ),
    ],
)
def test_an_invalid_criterion_is_refused_saying_what_to_change(criterion, message):
    with pytest.raises(ScoringError, match=message):
        quality_points(criterion, D(1), scale_max=5)


# --- best price-quality ratio -----------------------------------------------------------------

SCORES = {
    "a": {"Approach": {"Method": D(4), "Team": D(3)}, "Social value": D(5)},
    "b": {"Approach": {"Method": D(5), "Team": D(5)}, "Social value": D(2)},
}
PRICES = {"a": D(100000), "b": D(125000)}


def test_best_price_quality_adds_every_criterion_in_the_published_order():
    result = best_price_quality(CRITERIA, SCORES, PRICES, scale_max=5, formula="relative_to_lowest")

    # a: Approach 50 * (0.6 * 4/5 + 0.4 * 3/5) = 36; Price 30 * 1 = 30; Social 20 * 5/5 = 20
    # b: Approach 50 * (0.6 + 0.4) = 50; Price 30 * 100/125 = 24; Social 20 * 2/5 = 8
    assert ["a", "b"] == list(result)
    assert D("86.00") == result["a"].total
    assert D("82.00") == result["b"].total
    assert ["Approach", "Price", "Social value"] == [p.criterion for p in result["b"].points]
    assert [D("50.00"), D("24.00"), D("8.00")] == [p.points for p in result["b"].points]
    assert ["quality", "price", "social_value"] == [p.kind for p in result["b"].points]
    assert isinstance(result["b"], Breakdown)


def test_the_total_is_the_sum_of_the_points_shown_so_the_breakdown_adds_up():
    criteria = [
        AwardCriterion("One", "quality", D(40)),
        AwardCriterion("Two", "quality", D(40)),
        AwardCriterion("Cost", "price", D(20)),
    ]
    result = best_price_quality(
        criteria,
        {"a": {"One": D(1), "Two": D(1)}},
        {"a": D(500)},
        scale_max=3,
        formula="relative_to_lowest",
    )

    # 13.33 + 13.33 + 20.00 = 46.66 (the exact sum, 46.666…, would round to 46.67)
    assert D("46.66") == result["a"].total
    assert "Cost" == result["a"].points[2].criterion


def test_without_a_price_criterion_prices_are_not_needed():
    criteria = [
        AwardCriterion("Fit", "quality", D(70)),
        AwardCriterion("Reach", "social_value", D(30)),
    ]
    result = best_price_quality(
        criteria,
        {"a": {"Fit": D(10), "Reach": D(0)}},
        {},
        scale_max=10,
        formula="linear_to_max_cost",
    )

    # 70 * 10/10 + 30 * 0/10 = 70
    assert D("70.00") == result["a"].total


def test_price_alone_scores_tenderers_without_scores():
    result = best_price_quality(
        [AwardCriterion("Cost", "price", D(100))],
        {},
        {"a": D(80), "b": D(100)},
        scale_max=5,
        formula="linear_to_max_cost",
        max_cost=D(120),
    )

    # a: 100 * (120 - 80) ÷ (120 - 80) = 100; b: 100 * 20 ÷ 40 = 50
    assert {"a": D("100.00"), "b": D("50.00")} == {k: b.total for k, b in result.items()}


def test_a_tenderer_without_a_price_is_named():
    with pytest.raises(
        ScoringError,
        match="No price for “b”: every tenderer needs a price under the criterion “Price”",
    ):
        best_price_quality(CRITERIA, SCORES, {"a": D(1)}, scale_max=5, formula="relative_to_lowest")


def test_a_priced_tenderer_without_scores_is_named_with_the_criterion():
    with pytest.raises(ScoringError, match="Tenderer “c” has no score on “Approach”"):
        best_price_quality(
            CRITERIA, SCORES, {**PRICES, "c": D(1)}, scale_max=5, formula="relative_to_lowest"
        )


def test_a_score_error_names_the_tenderer():
    scores = {**SCORES, "b": {"Approach": {"Method": D(9), "Team": D(5)}, "Social value": D(2)}}

    with pytest.raises(
        ScoringError,
        match="Tenderer “b”: The score 9 on “Method” of “Approach” is outside the scale",
    ):
        best_price_quality(CRITERIA, scores, PRICES, scale_max=5, formula="relative_to_lowest")


def test_a_score_on_a_criterion_not_published_is_refused():
    scores = {**SCORES, "a": {**SCORES["a"], "Price": D(3)}}

    with pytest.raises(
        ScoringError,
        match="Tenderer “a” has scores on “Price”, which is not a scored award criterion",
    ):
        best_price_quality(CRITERIA, scores, PRICES, scale_max=5, formula="relative_to_lowest")


def test_best_price_quality_refuses_an_unknown_formula_even_without_a_price_criterion():
    with pytest.raises(ScoringError, match="Unknown price formula 'lowest'"):
        best_price_quality(
            [AwardCriterion("Fit", "quality", D(100))], {}, {}, scale_max=5, formula="lowest"
        )


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ([], "There are no award criteria"),
        (
            [APPROACH, AwardCriterion("Approach", "quality", D(50))],
            "Two award criteria are named “Approach”",
        ),
        ([PRICE, AwardCriterion("Cost", "price", D(70))], "There is more than one price criterion"),
        ([APPROACH, PRICE], "The award criteria weigh 80 % in all: their weights must add to 100"),
        (
            [AwardCriterion("Fit", "quality", D(100)), AwardCriterion("Cost", "price", D(10))],
            "The award criteria weigh 110 % in all",
        ),
    ],
)
def test_an_invalid_set_of_award_criteria_is_refused(criteria, message):
    with pytest.raises(ScoringError, match=message):
        best_price_quality(criteria, {}, {}, scale_max=5, formula="relative_to_lowest")


def test_best_price_quality_refuses_a_scale_below_1():
    with pytest.raises(ScoringError, match="The scoring scale maximum is -1"):
        best_price_quality(CRITERIA, SCORES, PRICES, scale_max=-1, formula="relative_to_lowest")


# --- abnormally low ---------------------------------------------------------------------------


def test_a_price_far_below_the_mean_of_the_others_is_flagged_with_the_reason():
    flagged = abnormally_low({"a": D(60000), "b": D(90000), "c": D(110000)}, percent=D(20))

    # a: others' mean (90,000 + 110,000) ÷ 2 = 100,000; 40 % below → flagged
    # b: others' mean 85,000, above it; c: others' mean 75,000, above it
    assert {
        "a": "£60,000.00 is 40.0 % below the mean of the other tenders (£100,000.00);"
        " the threshold is 20 %."
    } == flagged


def test_a_price_is_compared_with_the_others_only():
    # a against b alone: (100,000 - 70,000) ÷ 100,000 = 30 % below → flagged. Against the mean
    # of all (85,000) it would be 17.6 % below, and not flagged.
    assert ["a"] == list(abnormally_low({"a": D(70000), "b": D(100000)}, percent=D(20)))


def test_a_price_exactly_at_the_threshold_is_not_flagged():
    # (100,000 - 80,000) ÷ 100,000 = exactly 20 %, not more than 20 %
    assert {} == abnormally_low({"a": D(80000), "b": D(100000)}, percent=D(20))


def test_the_percentage_shows_enough_places_to_be_above_the_threshold():
    flagged = abnormally_low({"a": D(79960), "b": D(100000)}, percent=D(20))

    # (100,000 - 79,960) ÷ 100,000 = 20.04 %: "20.0 %" would not read as above 20 %
    assert flagged["a"].startswith("£79,960.00 is 20.04 % below")


def test_a_percentage_a_hair_above_the_threshold_reads_just_over_it():
    flagged = abnormally_low({"a": D("79999.9"), "b": D(100000)}, percent=D(20))

    # 20.0001 % is 20.000 to three places
    assert flagged["a"].startswith("£79,999.90 is just over 20 % below")


def test_one_tender_cannot_be_abnormally_low():
    assert {} == abnormally_low({"a": D(1)}, percent=D(20))


@pytest.mark.parametrize("percent", [D(-1), D(100), D("NaN")])
def test_a_threshold_outside_0_to_100_is_refused(percent):
    with pytest.raises(ScoringError, match="The abnormally low threshold is"):
        abnormally_low({"a": D(1), "b": D(2)}, percent=percent)


def test_abnormally_low_refuses_a_zero_price():
    with pytest.raises(ScoringError, match="The price of “b” is 0"):
        abnormally_low({"a": D(1), "b": D(0)}, percent=D(20))


# --- ranking and recommendation ---------------------------------------------------------------


def test_equal_totals_share_a_rank_and_the_next_rank_skips():
    ranked = rank({"c": D(60), "b": D(70), "a": D("70.00"), "d": D(80)})

    assert [
        Ranked("d", D(80), 1, False),
        Ranked("a", D("70.00"), 2, True),
        Ranked("b", D(70), 2, True),
        Ranked("c", D(60), 4, False),
    ] == ranked


def test_nothing_to_rank_ranks_nothing():
    assert [] == rank({})


def test_a_total_that_is_not_a_number_is_refused():
    with pytest.raises(ScoringError, match="The total of “a” is NaN"):
        rank({"a": D("NaN")})


def test_ranking_keeps_every_digit_of_a_long_total():
    # 29 significant digits: negating in the default 28-digit context would merge them
    ranked = rank({"a": D("1.0000000000000000000000000001"), "b": D(1)})

    assert ["a", "b"] == [r.tenderer for r in ranked]
    assert [1, 2] == [r.rank for r in ranked]


def test_recommend_takes_the_top_tenderer_for_a_single_partnership():
    ranked = rank({"a": D(70), "b": D(80)})

    assert Recommendation(
        ("b",), (), "The 1 highest-ranked tenderer is recommended: “b”."
    ) == recommend(ranked, partners=1)


def test_recommend_takes_the_top_tenderers_when_there_is_no_tie():
    ranked = rank({"a": D(90), "b": D(80), "c": D(70)})

    assert Recommendation(
        ("a", "b"), (), "The 2 highest-ranked tenderers are recommended: “a” and “b”."
    ) == recommend(ranked, partners=2)


def test_recommend_takes_everyone_when_there_are_partnerships_for_all():
    ranked = rank({"a": D(90), "b": D(90)})
    recommendation = recommend(ranked, partners=3)

    assert ("a", "b") == recommendation.partners
    assert (
        "2 ranked tenderers for 3 partnerships: all are recommended." == recommendation.explanation
    )


def test_a_single_tender_for_a_single_partnership_is_recommended():
    assert Recommendation(
        ("a",), (), "1 ranked tenderer for 1 partnership: it is recommended."
    ) == recommend(rank({"a": D(50)}), partners=1)


def test_a_tie_across_the_boundary_is_left_to_a_decision():
    ranked = rank({"a": D(90), "b": D(80), "c": D(80), "d": D(70)})
    recommendation = recommend(ranked, partners=2)

    assert ("a",) == recommendation.partners
    assert ("b", "c") == recommendation.tie_at_boundary
    assert (
        "“a” recommended; “b” and “c” tie on 80.00 points for 1 remaining place: a decision is"
        " needed, with a reason, on which of them to recommend."
    ) == recommendation.explanation


def test_a_tie_at_the_top_leaves_every_place_to_a_decision():
    ranked = rank({"a": D(80), "b": D(80), "c": D(80)})
    recommendation = recommend(ranked, partners=2)

    assert () == recommendation.partners
    assert ("a", "b", "c") == recommendation.tie_at_boundary
    assert recommendation.explanation.startswith(
        "“a”, “b” and “c” tie on 80.00 points for 2 remaining places"
    )


def test_a_tie_wholly_inside_the_partnerships_needs_no_decision():
    ranked = rank({"a": D(80), "b": D(80), "c": D(70)})

    assert Recommendation(
        ("a", "b"), (), "The 2 highest-ranked tenderers are recommended: “a” and “b”."
    ) == recommend(ranked, partners=2)


def test_nothing_ranked_recommends_nobody():
    assert Recommendation((), (), "There is no tender to recommend.") == recommend([], partners=1)


def test_recommend_needs_at_least_one_partnership():
    with pytest.raises(ScoringError, match="The number of partnerships is 0: it must be 1 or more"):
        recommend([], partners=0)


# --- selection --------------------------------------------------------------------------------

INSURANCE = SelectionCriterion("Insurance", "pass_fail")
EXPERIENCE = SelectionCriterion("Experience", "scored", weight=D(2), minimum_score=D(3))
CAPACITY = SelectionCriterion("Capacity", "scored")
SELECTION = [INSURANCE, EXPERIENCE, CAPACITY]


def test_a_candidate_passing_everything_qualifies_with_its_weighted_total():
    result = assess_candidate(
        "x", SELECTION, {"Insurance": True, "Experience": D(4), "Capacity": D(3)}, scale_max=5
    )

    # 2 * 4 + 1 * 3 = 11; the pass/fail criterion adds nothing
    assert CandidateResult("x", True, D("11.00"), ()) == result


def test_every_failure_is_a_reason():
    result = assess_candidate(
        "x", SELECTION, {"Insurance": False, "Experience": D(2), "Capacity": D(5)}, scale_max=5
    )

    # 2 * 2 + 1 * 5 = 9, but it fails two criteria
    assert (
        CandidateResult(
            "x",
            False,
            D("9.00"),
            (
                "failed the pass/fail criterion “Insurance”",
                "scored 2 of 5 on “Experience”, below the minimum of 3",
            ),
        )
        == result
    )


def test_a_score_at_the_minimum_qualifies():
    result = assess_candidate("x", [EXPERIENCE], {"Experience": D("3.0")}, scale_max=5)

    # 2 * 3.0 = 6
    assert (True, D("6.00")) == (result.qualifies, result.total)


@pytest.mark.parametrize(
    ("criteria", "marks", "message"),
    [
        (
            SELECTION,
            {"Insurance": True, "Experience": D(4)},
            "Candidate “x” has no mark on “Capacity”",
        ),
        (
            [INSURANCE],
            {"Insurance": True, "Size": D(1)},
            "Candidate “x” has marks on “Size”, which is not a selection criterion",
        ),
        (
            [INSURANCE, INSURANCE],
            {"Insurance": True},
            "Two selection criteria are named “Insurance”",
        ),
        (
            [SelectionCriterion("Size", "guess")],
            {"Size": True},
            "has assessment 'guess': use one of pass_fail, scored",
        ),
        (
            [INSURANCE],
            {"Insurance": D(1)},
            "the mark 1 on the pass/fail criterion “Insurance”: mark it passed or failed",
        ),
        ([CAPACITY], {"Capacity": True}, "is marked True on the scored criterion “Capacity”"),
        ([CAPACITY], {"Capacity": 3}, "is marked 3 on the scored criterion “Capacity”"),
        (
            [SelectionCriterion("Size", "scored", weight=D(-1))],
            {"Size": D(1)},
            "The weight of selection criterion “Size” is -1",
        ),
        (
            [SelectionCriterion("Size", "scored", minimum_score=D(6))],
            {"Size": D(1)},
            "The minimum score of selection criterion “Size” is 6",
        ),
        (
            [CAPACITY],
            {"Capacity": D(6)},
            "Candidate “x”: The score 6 on “Capacity” is outside the scale",
        ),
    ],
)
def test_invalid_marks_or_criteria_are_refused(criteria, marks, message):
    with pytest.raises(ScoringError, match=message):
        assess_candidate("x", criteria, marks, scale_max=5)


def test_assess_candidate_refuses_a_scale_below_1():
    with pytest.raises(ScoringError, match="The scoring scale maximum is 0"):
        assess_candidate("x", [INSURANCE], {"Insurance": True}, scale_max=0)


def _result(candidate: str, total: str, *reasons: str) -> CandidateResult:
    return CandidateResult(candidate, not reasons, D(total), reasons)


def test_the_highest_totals_are_invited_up_to_the_maximum_and_the_rest_told_why():
    results = [
        _result(k, t)
        for k, t in [("a", "20.00"), ("b", "18.00"), ("c", "14.00"), ("d", "16.00"), ("e", "12.00")]
    ]

    chosen = shortlist(results, minimum=3, maximum=4)

    assert ("a", "b", "d", "c") == chosen.invited
    assert {
        "e": "ranked 5th of 5 qualifying candidates with 12.00 points; the 4 invited scored"
        " 14.00 to 20.00"
    } == chosen.not_invited
    assert (
        "The 4 highest-scoring of 5 qualifying candidates are invited, the maximum."
        == chosen.reason
    )


def test_a_tie_at_the_maximum_invites_every_tied_candidate_and_says_so():
    results = [_result("a", "20"), _result("b", "15"), _result("c", "15"), _result("d", "10")]

    chosen = shortlist(results, minimum=1, maximum=2)

    assert ("a", "b", "c") == chosen.invited
    assert (
        "3 of 4 qualifying candidates are invited: the maximum is 2, but “b” and “c” tie on"
        " 15.00 points at the boundary, so every tied candidate is invited."
    ) == chosen.reason
    assert {
        "d": "ranked 4th of 4 qualifying candidates with 10.00 points; the 3 invited scored 15.00 to 20.00"
    } == chosen.not_invited


def test_the_shortlist_names_tied_candidates_by_the_names_given():
    results = [_result("1", "20"), _result("2", "15"), _result("3", "15")]

    chosen = shortlist(results, minimum=1, maximum=2, names={"2": "Heron CIC", "3": "Osprey Ltd"})

    assert "but “Heron CIC” and “Osprey Ltd” tie on 15.00 points" in chosen.reason


def test_one_invited_is_named_in_the_singular():
    chosen = shortlist([_result("a", "20"), _result("b", "10")], minimum=1, maximum=1)

    assert (
        "ranked 2nd of 2 qualifying candidates with 10.00 points; the candidate invited scored 20.00"
        == chosen.not_invited["b"]
    )
    assert (
        "The 1 highest-scoring of 2 qualifying candidates is invited, the maximum." == chosen.reason
    )


def test_failing_candidates_are_told_every_criterion_they_failed():
    results = [
        _result("a", "20"),
        _result(
            "b",
            "30",
            "failed the pass/fail criterion “Insurance”",
            "scored 1 of 5 on “Experience”, below the minimum of 3",
        ),
    ]

    chosen = shortlist(results, minimum=1, maximum=None)

    assert ("a",) == chosen.invited
    assert {
        "b": "did not meet the selection criteria: failed the pass/fail criterion “Insurance”;"
        " scored 1 of 5 on “Experience”, below the minimum of 3"
    } == chosen.not_invited
    assert "The only qualifying candidate is invited: no maximum was set." == chosen.reason


def test_everyone_qualifying_within_the_maximum_is_invited():
    chosen = shortlist(
        [_result("a", "1"), _result("b", "2"), _result("c", "2")], minimum=3, maximum=5
    )

    assert (
        Shortlist(
            ("b", "c", "a"), {}, "All 3 qualifying candidates are invited: within the maximum of 5."
        )
        == chosen
    )


@pytest.mark.parametrize(
    ("qualifying", "reason"),
    [
        (
            0,
            "No candidate meets the selection criteria, fewer than the minimum of 3: nobody can be invited.",
        ),
        (
            1,
            "Only 1 candidate meets the selection criteria, fewer than the minimum of 3: all qualifying candidates are invited.",
        ),
        (
            2,
            "Only 2 candidates meet the selection criteria, fewer than the minimum of 3: all qualifying candidates are invited.",
        ),
    ],
)
def test_fewer_qualifying_than_the_minimum_invites_all_who_qualify(qualifying, reason):
    results = [_result(k, "10") for k in "ab"[:qualifying]] + [_result("z", "0", "failed")]

    chosen = shortlist(results, minimum=3, maximum=5)

    assert tuple("ab"[:qualifying]) == chosen.invited
    assert reason == chosen.reason
    assert ["z"] == list(chosen.not_invited)


@pytest.mark.parametrize(
    ("results", "minimum", "maximum", "message"),
    [
        ([], 0, None, "The minimum number of candidates is 0: it must be 1 or more"),
        ([], 3, 2, r"The maximum number of candidates \(2\) is below the minimum \(3\)"),
        ([_result("a", "1"), _result("a", "2")], 1, None, "Two candidate results are named “a”"),
    ],
)
def test_an_invalid_shortlist_request_is_refused(results, minimum, maximum, message):
    with pytest.raises(ScoringError, match=message):
        shortlist(results, minimum=minimum, maximum=maximum)


# --- staged reduction -------------------------------------------------------------------------


def test_staged_reduction_keeps_the_top_and_tells_the_rest_why():
    ranked = rank({"a": D(90), "b": D(80), "c": D(70), "d": D(60)})

    kept, removed = staged_reduction(ranked, keep=2)

    assert ("a", "b") == kept
    assert {
        "c": "ranked 3rd of 4 with 70.00 points; the 2 kept scored 80.00 to 90.00",
        "d": "ranked 4th of 4 with 60.00 points; the 2 kept scored 80.00 to 90.00",
    } == removed


def test_staged_reduction_keeps_everyone_tied_at_the_boundary():
    ranked = rank({"a": D(90), "b": D(80), "c": D(80), "d": D(60)})

    kept, removed = staged_reduction(ranked, keep=2)

    assert ("a", "b", "c") == kept
    assert ["d"] == list(removed)


def test_staged_reduction_to_one_names_the_tenderer_kept_in_the_singular():
    kept, removed = staged_reduction(rank({"a": D(90), "b": D(80)}), keep=1)

    assert ("a",) == kept
    assert {"b": "ranked 2nd of 2 with 80.00 points; the tenderer kept scored 90.00"} == removed


def test_staged_reduction_keeps_everyone_when_few_enough():
    assert (("b", "a"), {}) == staged_reduction(rank({"a": D(1), "b": D(2)}), keep=5)


def test_staged_reduction_must_keep_someone():
    with pytest.raises(ScoringError, match="The number of tenderers to keep is 0"):
        staged_reduction([], keep=0)


# --- helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
    ],
)
def test_ordinals_are_english(n, expected):
    assert expected == _ordinal(n)


def test_names_are_quoted_and_joined():
    assert "“a”" == _names(["a"])
    assert "“a”, “b” and “c”" == _names(["a", "b", "c"])


# --- properties -------------------------------------------------------------------------------

keys = st.text(alphabet="abcdefgh", min_size=1, max_size=3)
money = st.decimals(min_value=D("0.01"), max_value=D(10_000_000), places=2)
totals = st.dictionaries(keys, st.decimals(min_value=0, max_value=100, places=2), max_size=12)
weights = st.decimals(min_value=D("0.1"), max_value=D(100), places=1)


@given(totals)
def test_a_ranking_is_a_permutation_with_competition_ranks(given_totals):
    ranked = rank(given_totals)

    assert sorted(given_totals) == sorted(r.tenderer for r in ranked)
    for r in ranked:
        assert 1 + sum(t > r.total for t in given_totals.values()) == r.rank
        assert (sum(t == r.total for t in given_totals.values()) > 1) == r.tied
    assert sorted(ranked, key=lambda r: (-r.total, r.tenderer)) == ranked


@settings(deadline=None)
@given(
    st.dictionaries(keys, money, min_size=1, max_size=8),
    weights,
    st.sampled_from(list(PRICE_FORMULAS)),
    money,
)
def test_price_points_never_exceed_the_weight_and_a_lower_price_never_scores_fewer(
    prices, weight, formula, headroom
):
    points = price_points(
        prices, formula=formula, weight=weight, max_cost=max(prices.values()) + headroom
    )

    for a, price_a in prices.items():
        assert D(0) <= points[a].points <= weight.quantize(D("0.01"))
        for b, price_b in prices.items():
            if price_a < price_b:
                assert points[a].points >= points[b].points


@given(weights, st.integers(min_value=1, max_value=100), st.data())
def test_quality_points_never_exceed_the_weight(weight, scale, data):
    score = data.draw(st.decimals(min_value=0, max_value=scale, places=1))

    points = quality_points(AwardCriterion("Fit", "quality", weight), score, scale_max=scale)

    assert D(0) <= points.points <= weight.quantize(D("0.01"))


@given(totals, st.integers(min_value=1, max_value=6))
def test_staged_reduction_splits_everyone_and_keeps_at_least_keep(given_totals, keep):
    kept, removed = staged_reduction(rank(given_totals), keep=keep)

    assert sorted(given_totals) == sorted([*kept, *removed])
    assert min(keep, len(given_totals)) <= len(kept)
    assert all(given_totals[k] > given_totals[r] for k in kept for r in removed)


@given(totals, st.integers(min_value=1, max_value=6))
def test_recommend_never_chooses_more_than_the_partnerships_or_breaks_a_tie(given_totals, partners):
    recommendation = recommend(rank(given_totals), partners=partners)

    assert len(recommendation.partners) <= partners
    assert not set(recommendation.partners) & set(recommendation.tie_at_boundary)
    assert len(recommendation.partners) + len(recommendation.tie_at_boundary) >= min(
        partners, len(given_totals)
    )


def test_a_published_design_and_an_entered_figure_fail_with_their_own_error_class():
    criteria = [AwardCriterion("Quality", "quality", Decimal(60))]

    with pytest.raises(ScoringDesignError, match="weigh 60 % in all"):
        best_price_quality(criteria, {}, {}, scale_max=10, formula="relative_to_lowest")
    with pytest.raises(ScoringInputError) as entered:
        rank({"42": Decimal("NaN")})

    assert isinstance(entered.value, ProcedureError)
    assert not isinstance(entered.value, ValueError)
    assert "The total of “42” is NaN: give a number." == str(entered.value)


def test_an_error_about_a_tenderer_can_name_it_without_editing_the_sentence():
    criteria = [AwardCriterion("Quality", "quality", Decimal(100))]
    scores = {"7": {"Quality": Decimal(11)}}

    with pytest.raises(ScoringInputError) as error:
        best_price_quality(criteria, scores, {}, scale_max=10, formula="relative_to_lowest")

    assert ("7",) == error.value.parties
    assert error.value.naming({"7": "Osprey Robotics Ltd"}).startswith(
        "Tenderer “Osprey Robotics Ltd”: The score 11 on “Quality” is outside the scale"
    )
