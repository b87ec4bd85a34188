"""
Every GUARD rule of every shipped rulebook has at least one test marked `covers(rule id)`.

This test reads the markers of the tests collected in this run, so it fails (it cannot pass
vacuously) when run alone: run the whole tests/procedure suite. `pytest tests/procedure -v`
prints the GUARD coverage report.
"""

import pytest

from procedure.conftest import covered_rules
from sanely.procedure import Level, load_rulebook, rulebook_ids


def _rules_by_level() -> dict[str, Level]:
    return {
        rule.id: rule.level
        for rulebook_id in rulebook_ids()
        for rule in load_rulebook(rulebook_id).rules
    }


def test_every_guard_rule_has_a_test(request: pytest.FixtureRequest):
    covered = covered_rules(request.session.items)

    missing = sorted(
        rule_id
        for rule_id, level in _rules_by_level().items()
        if level is Level.GUARD and not covered.get(rule_id)
    )

    assert [] == missing, f"GUARD rules without a test (run the whole suite): {missing}"


def test_every_covers_marker_names_a_shipped_rule(request: pytest.FixtureRequest):
    unknown = sorted(set(covered_rules(request.session.items)) - set(_rules_by_level()))

    assert [] == unknown
