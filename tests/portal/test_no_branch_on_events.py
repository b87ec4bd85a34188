"""
What an event does is the rulebook's to say (its declared effects), not the portal's: this reads
the portal's code and fails on any `if` (or conditional expression, or `match`) that compares
something with a lifecycle event's name, whether written as a string or as a `lifecycle.*`
constant. Asking the rulebook whether it has a step at all (`rulebook.event(...)`) is not a
comparison: the regime's own file answers it.
"""

import ast
from pathlib import Path

import sanely.portal
from sanely.procedure import events

PORTAL = Path(sanely.portal.__file__).parent
EVENT_IDS = {value for name, value in vars(events).items() if name.isupper()}


def _is_event_name(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in EVENT_IDS
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "lifecycle"
    return isinstance(node, ast.Tuple | ast.List | ast.Set) and any(
        _is_event_name(element) for element in node.elts
    )


def _names_an_event(node: ast.AST) -> bool:
    """Whether `node` compares something with an event's name (`==`, `!=`, `in`, `is`)."""
    return any(
        isinstance(part, ast.Compare)
        and any(_is_event_name(side) for side in (part.left, *part.comparators))
        for part in ast.walk(node)
    ) or any(
        isinstance(part, ast.MatchValue) and _is_event_name(part.value) for part in ast.walk(node)
    )


def _branches_on_events() -> list[str]:
    found = []
    for path in PORTAL.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            tests = []
            if isinstance(node, ast.If | ast.IfExp | ast.While):
                tests = [node.test]
            elif isinstance(node, ast.Match):
                tests = [case.pattern for case in node.cases]
            if any(_names_an_event(test) for test in tests):
                found.append(f"{path.relative_to(PORTAL)}:{node.lineno}")
    return found


def test_no_portal_module_branches_on_an_event_name() -> None:
    assert [] == _branches_on_events()


def test_the_check_finds_a_branch_on_an_event() -> None:
    branch = ast.parse('if event == "negotiate":\n    pass\n').body[0]
    constant = ast.parse("x = 1 if e in (lifecycle.START_PURCHASE,) else 2").body[0]
    asking = ast.parse("if rulebook.event(lifecycle.REDUCE_TENDERS):\n    pass\n").body[0]
    assert _names_an_event(branch.test)  # type: ignore[attr-defined]
    assert _names_an_event(constant.value.test)  # type: ignore[attr-defined]
    assert not _names_an_event(asking.test)  # type: ignore[attr-defined]
