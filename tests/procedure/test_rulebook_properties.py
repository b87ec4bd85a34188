"""
Properties of loading a rulebook: a real rulebook with any line removed, or any bytes at all,
loads or is refused with `InvalidRulebookError` saying what is wrong; never another exception.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanely.procedure import InvalidRulebookError
from sanely.procedure._rulebook import parse_rulebook, rulebook_files

RULEBOOKS = {f"{name}@{day}": file.read_bytes() for name, day, file in rulebook_files()}
examples = settings(max_examples=60, deadline=None)


def _loads_or_says_why(data: bytes) -> None:
    """A rulebook, or the documented refusal with a message; any other exception fails."""
    try:
        parse_rulebook(data)
    except InvalidRulebookError as refused:
        message = str(refused)
    else:
        return
    assert message.strip(), "a refusal must say what is wrong"


@pytest.mark.parametrize("name", sorted(RULEBOOKS))
@examples
@given(st.data())
def test_a_rulebook_missing_any_line_loads_or_is_refused_saying_why(name, data):
    lines = RULEBOOKS[name].splitlines(keepends=True)
    gone = data.draw(st.integers(0, len(lines) - 1))
    _loads_or_says_why(b"".join(lines[:gone] + lines[gone + 1 :]))


@pytest.mark.parametrize("name", sorted(RULEBOOKS))
@examples
@given(st.data())
def test_a_rulebook_with_a_value_replaced_loads_or_is_refused_saying_why(name, data):
    lines = RULEBOOKS[name].splitlines(keepends=True)
    assignments = [i for i, line in enumerate(lines) if b" = " in line]
    at = data.draw(st.sampled_from(assignments))
    value = data.draw(st.sampled_from([b"1", b"true", b'"x"', b"[]", b"{}", b"2026-01-01", b"-1"]))
    key = lines[at].split(b" = ", 1)[0]
    changed = [*lines[:at], key + b" = " + value + b"\n", *lines[at + 1 :]]
    _loads_or_says_why(b"".join(changed))


@examples
@given(st.binary(max_size=300))
def test_any_bytes_load_or_are_refused_saying_why(data):
    _loads_or_says_why(data)


def test_a_rulebook_without_its_states_is_refused_naming_them():
    data = next(iter(RULEBOOKS.values()))
    cut = data.index(b"[[states]]")
    with pytest.raises(InvalidRulebookError, match="states"):
        parse_rulebook(data[:cut])
