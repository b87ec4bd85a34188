"""Targets speak the evidence engine's language, and each phase is checked for being long enough."""

import pytest

from sanely.portal.accounts.models import Role

pytestmark = pytest.mark.django_db


def phases_with(target, months=3):
    return {
        "phases": {
            "items": [
                {
                    "name": "Pilot",
                    "duration_months": months,
                    "max_value": "100000",
                    "targets": [target],
                    "instalments": [],
                }
            ]
        }
    }


WAITING = {
    "metric": "waiting time",
    "statistic": "mean",
    "design": "before_after",
    "comparator": "<=",
    "threshold": "-2",
    "units": "minutes",
    "expected_sd": 6,
    "observations_per_month": 20,
}


def planning(api, lead, pid, design):
    saved = api(lead, "patch", f"/api/v1/procurements/{pid}", design)
    assert 200 == saved.status_code, saved.content
    return saved.json()["target_planning"]


def test_a_phase_too_short_for_its_target_is_warned_with_the_months_it_needs(
    api, lead, make_procurement
):
    pid = make_procurement()
    [plan] = planning(api, lead, pid, phases_with({**WAITING, "key": "waiting"}, months=3))
    assert "waiting" == plan["target_key"]
    assert (
        "This phase is too short to decide its target: about 8 periods are needed."
        == plan["warning"]
    )
    assert plan["minimum_detectable_effect"] == pytest.approx(3.069, abs=1e-3)


def test_the_same_target_over_a_long_enough_phase_is_decidable(api, lead, make_procurement):
    pid = make_procurement()
    [plan] = planning(api, lead, pid, phases_with(WAITING, months=9))
    assert plan["warning"] is None
    assert "long enough to decide it" in plan["explanation"]


def test_without_planning_inputs_the_check_asks_for_them(api, lead, make_procurement):
    pid = make_procurement()
    bare = {k: v for k, v in WAITING.items() if k not in {"expected_sd", "observations_per_month"}}
    [plan] = planning(api, lead, pid, phases_with(bare))
    assert plan["warning"] is None
    assert "expected standard deviation" in plan["explanation"]


def test_the_check_your_answers_page_shows_the_warning(api, lead, make_procurement, wessex):
    pid = make_procurement()
    planning(api, lead, pid, phases_with(WAITING, months=3))
    page = wessex.client(Role.COMMISSIONER).get(f"/procurements/{pid}/check")
    assert 200 == page.status_code
    assert "Can each phase decide its targets?" in page.text
    assert "too short to decide its target" in page.text


def test_an_unknown_statistic_is_refused_naming_the_field(api, lead, make_procurement):
    pid = make_procurement()
    response = api(
        lead, "patch", f"/api/v1/procurements/{pid}", phases_with({**WAITING, "statistic": "mode"})
    )
    assert 422 == response.status_code
    assert any("statistic" in field for field in response.json()["detail"])
