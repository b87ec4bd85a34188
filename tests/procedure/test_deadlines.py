import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanely.procedure import (
    DeadlineError,
    Nation,
    UnknownRegionError,
    UnknownRulebookError,
    deadline_for,
    nation_working_days,
)
from sanely.procedure.cli import main


@pytest.mark.covers("PCR15-31-5")
def test_pcr15_31_5_a_period_ending_on_easter_sunday_2024_runs_to_the_end_of_tuesday():
    # Notice sent Fri 1 Mar 2024; the day of sending is not counted (reg 2(3)(b)), so day 30 is
    # Sun 31 Mar, Easter Sunday; reg 2(4) ends the period at the end of the next working day:
    # Mon 1 Apr is Easter Monday, so Tue 2 Apr.
    deadline = deadline_for("requests-to-participate", "pcr-2015-reg31", date(2024, 3, 1))

    assert date(2024, 4, 2) == deadline.date
    assert deadline.counted == "calendar days"
    assert (deadline.rule, deadline.citation) == (
        "PCR15-31-5",
        "PCR 2015 reg. 31(5), 2(3)(b), 2(4)",
    )


@pytest.mark.covers("PA23-51")
def test_pa_standstill_counts_eight_working_days_across_christmas_and_new_year():
    # Thu 17 Dec 2026 (day 1), 18, 21, 22, 23, 24 Dec; 25 Christmas, 28 Boxing Day substitute;
    # 29 Dec (7), 30 Dec (8).
    deadline = deadline_for("standstill", "pa-2023-cfp-ip", date(2026, 12, 17))

    assert date(2026, 12, 30) == deadline.date
    assert deadline.counted == "working days"
    assert (deadline.rule, deadline.citation) == (
        "PA23-51",
        "Procurement Act 2023 s.51(1)-(2), s.123(1)",
    )


@pytest.mark.covers("PA23-51")
def test_pa_standstill_skips_scotlands_2_january_substitute_even_for_an_english_buyer():
    # Thu 31 Dec (1); Fri 1 Jan 2027 holiday; Mon 4 Jan is Scotland's 2 January substitute;
    # 5, 6, 7, 8 Jan (2-5); 11, 12, 13 Jan (6-8).
    deadline = deadline_for("standstill", "pa-2023-cfp-ip", date(2026, 12, 31), "england")

    assert date(2027, 1, 13) == deadline.date


@pytest.mark.covers("PA23-51")
def test_pa_standstill_over_easter_2027_skips_good_friday_and_easter_monday():
    # Wed 24 Mar (1), Thu 25 (2); 26 Good Friday, 29 Easter Monday; 30 Mar (3) .. 6 Apr (8).
    assert date(2027, 4, 6) == deadline_for("standstill", "pa-2023-cfp-ip", date(2027, 3, 24)).date


@pytest.mark.covers("PA23-51")
def test_pa_standstill_published_on_a_saturday_starts_counting_on_monday():
    assert date(2026, 6, 17) == deadline_for("standstill", "pa-2023-cfp-ip", date(2026, 6, 6)).date


@pytest.mark.covers("PCR15-87-1")
@pytest.mark.parametrize(
    ("nation", "expected"),
    [
        ("england", date(2027, 3, 30)),
        ("wales", date(2027, 3, 30)),
        ("northern-ireland", date(2027, 3, 30)),
    ],
)
def test_pcr_standstill_ending_on_good_friday_moves_past_easter_monday(nation, expected):
    deadline = deadline_for("standstill", "pcr-2015-reg31", date(2027, 3, 16), nation)

    assert expected == deadline.date


@pytest.mark.covers("PCR15-87-1")
def test_pcr_standstill_ending_on_a_working_day_is_the_tenth_day():
    assert date(2026, 6, 11) == deadline_for("standstill", "pcr-2015-reg31", date(2026, 6, 1)).date


def test_scottish_standstill_ending_on_good_friday_ends_on_easter_monday_a_scottish_working_day():
    assert (
        date(2027, 3, 29) == deadline_for("standstill", "pcsr-2015-reg32", date(2027, 3, 16)).date
    )


def test_eu_standstill_moves_off_a_weekend_only():
    # 10 days after Wed 16 Dec 2026 is Sat 26 Dec: moved to Mon 28 Dec.
    assert (
        date(2026, 12, 28)
        == deadline_for("standstill", "eu-2014-24-art31", date(2026, 12, 16)).date
    )


@pytest.mark.covers("PA23-54-TP")
def test_pa_tendering_period_is_25_days():
    deadline = deadline_for("tendering", "pa-2023-cfp-ip", date(2026, 3, 2))

    assert (date(2026, 3, 27), "PA23-54-TP") == (deadline.date, deadline.rule)


@pytest.mark.covers("PCR15-50-1")
def test_pcr_contract_award_notice_is_due_30_days_after_the_contract():
    deadline = deadline_for("contract-award-notice", "pcr-2015-reg31", date(2026, 12, 1))

    assert (date(2026, 12, 31), "PCR15-50-1") == (deadline.date, deadline.rule)


@pytest.mark.covers("PA23-80")
def test_pa_notices_and_payments_are_due_on_the_last_of_30_days_beginning_with_the_fact():
    start = date(2026, 12, 1)

    assert date(2026, 12, 30) == deadline_for("termination-notice", "pa-2023-cfp-ip", start).date
    assert (
        date(2026, 12, 30) == deadline_for("contract-details-notice", "pa-2023-cfp-ip", start).date
    )
    assert date(2026, 12, 30) == deadline_for("invoice-payment", "pa-2023-cfp-ip", start).date


def test_pcr_invoice_is_due_30_days_after_receipt():
    assert (
        date(2026, 12, 31)
        == deadline_for("invoice-payment", "pcr-2015-reg31", date(2026, 12, 1)).date
    )


def test_a_period_the_regime_does_not_have_says_why():
    with pytest.raises(DeadlineError, match="reg 47"):
        deadline_for("tendering", "pcr-2015-reg31", date(2024, 1, 1))


def test_a_regime_used_outside_its_nations_is_refused():
    with pytest.raises(DeadlineError, match="pcr-2015-reg31 does not apply in scotland"):
        deadline_for("standstill", "pcr-2015-reg31", date(2024, 1, 5), "scotland")
    with pytest.raises(DeadlineError, match="eu-2014-24-art31 does not apply in england"):
        deadline_for("standstill", "eu-2014-24-art31", date(2026, 1, 5), "england")


def test_pa_working_days_are_the_same_whichever_uk_nation_is_given():
    start = date(2026, 12, 17)

    dates = {
        deadline_for("standstill", "pa-2023-cfp-ip", start, n).date
        for n in ("england", "wales", "scotland", "northern-ireland", None)
    }

    assert {date(2026, 12, 30)} == dates


def test_an_unknown_nation_is_refused_even_where_it_would_not_change_the_count():
    with pytest.raises(UnknownRegionError, match="unknown nation 'mercia'"):
        deadline_for("standstill", "pa-2023-cfp-ip", date(2026, 12, 17), "mercia")


def test_unknown_kinds_and_regimes_are_refused_with_the_choices():
    with pytest.raises(DeadlineError, match="requests-to-participate"):
        deadline_for("bid", "pcr-2015-reg31", date(2024, 1, 1))
    with pytest.raises(UnknownRulebookError, match="pcsr-2015-reg32"):
        deadline_for("standstill", "pcr-2016", date(2024, 1, 1))


def test_a_regime_is_not_in_force_before_its_first_rulebook():
    with pytest.raises(UnknownRulebookError, match="takes effect on 2025-02-24"):
        deadline_for("standstill", "pa-2023-cfp-ip", date(2025, 2, 23))


def test_command_prints_one_json_object(capsys):
    status = main(["standstill", "--regime", "pa-2023-cfp-ip", "--from", "2026-12-17", "--json"])

    printed = json.loads(capsys.readouterr().out)
    assert status == 0
    assert {"date", "meaning", "counted", "rule", "citation", "row"} == set(printed)
    assert (
        printed["date"],
        printed["counted"],
        printed["rule"],
    ) == ("2026-12-30", "working days", "PA23-51")


def test_command_prints_the_date_and_its_meaning_in_words(capsys):
    status = main(["requests-to-participate", "--regime", "pcr-2015-reg31", "--from", "2024-03-01"])

    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith(
        "2024-04-02  (calendar days; PCR 2015 reg. 31(5), 2(3)(b), 2(4), PCR15-31-5)\n"
    )


def test_command_with_a_bad_date_names_the_argument_and_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["standstill", "--regime", "pa-2023-cfp-ip", "--from", "17/12/2026"])

    assert exit_info.value.code == 2
    assert (
        "argument --from: '17/12/2026' is not a date; write it as YYYY-MM-DD"
        in capsys.readouterr().err
    )


def test_command_with_a_period_the_regime_lacks_exits_2_with_the_reason(capsys):
    status = main(["termination-notice", "--regime", "pcr-2015-reg31", "--from", "2024-01-01"])

    assert status == 2
    assert "requires no notice when a contract ends" in capsys.readouterr().err


def test_command_with_an_unknown_nation_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "standstill",
                "--regime",
                "pcr-2015-reg31",
                "--from",
                "2024-01-01",
                "--nation",
                "cornwall",
            ]
        )

    assert exit_info.value.code == 2
    assert "--nation" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("kind", "rule"), [("contract-award-notice", "PCSR-CAN"), ("invoice-payment", "PCSR-LP")]
)
def test_scottish_notice_and_payment_are_due_30_days_after_the_fact(kind, rule):
    deadline = deadline_for(kind, "pcsr-2015-reg32", date(2027, 3, 1))

    assert (date(2027, 3, 31), rule) == (deadline.date, deadline.rule)


@settings(deadline=None)
@given(st.dates(min_value=date(2015, 3, 1), max_value=date(2030, 12, 1)))
def test_a_pcr_standstill_ends_on_a_working_day_at_least_ten_days_after_sending(sent):
    last = deadline_for("standstill", "pcr-2015-reg31", sent, "northern-ireland").date

    assert nation_working_days(Nation.NORTHERN_IRELAND).is_working_day(last)
    assert 10 <= (last - sent).days <= 15


@settings(deadline=None)
@given(st.dates(min_value=date(2025, 2, 24), max_value=date(2030, 12, 1)))
def test_a_pa_participation_deadline_is_always_25_calendar_days_after_the_notice(published):
    earliest = deadline_for("requests-to-participate", "pa-2023-cfp-ip", published).date

    assert 25 == (earliest - published).days
