"""
Shared set-up for the procedure tests, and the GUARD coverage marker.

A test that exercises a rule says so with `@pytest.mark.covers("RULE-ID", ...)`;
test_guard_coverage.py fails when a GUARD rule of any shipped rulebook has no such test. Run
pytest with -v to print which tests cover each GUARD rule.
"""

from collections import defaultdict

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "covers(*rule_ids): the test exercises these rulebook rules")


def covered_rules(items: list[pytest.Item]) -> dict[str, list[str]]:
    """Rule id -> node ids of the collected tests marked as covering it."""
    result: dict[str, list[str]] = defaultdict(list)
    for item in items:
        for marker in item.iter_markers("covers"):
            for rule_id in marker.args:
                result[rule_id].append(item.nodeid)
    return result


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    if config.option.verbose <= 0:
        return
    from sanely.procedure import Level, load_rulebook, rulebook_ids

    covered = covered_rules(terminalreporter._session.items)
    terminalreporter.section("GUARD rule coverage")
    for rulebook_id in rulebook_ids():
        for rule in load_rulebook(rulebook_id).rules:
            if rule.level is Level.GUARD:
                tests = covered.get(rule.id, [])
                terminalreporter.write_line(f"{rule.id:<16} {len(tests):>3} test(s)")
