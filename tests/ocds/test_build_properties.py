"""
Properties of building OCDS: any value given to a fact is kept or refused with `FactRefused`
naming the fact and the field; every fact of the partnership's lifecycle, whatever its internal
notes say, is built into a release that carries none of them; amounts survive to the release.
"""

import dataclasses
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ocds.partnership import CONFIG, PROCUREMENT, START, lifecycle
from sanely.ocds import FactRefused, build_release
from sanely.ocds import facts as f

examples = settings(max_examples=80, deadline=None)
# Anything a form might send: text, numbers, dates, nothing.
anything = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.integers(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.datetimes(),
    st.just(START),
)


def _made_or_refused(make, **fields):
    """The fact, or the refusal; any other exception fails the test."""
    try:
        return make(**fields)
    except FactRefused as refused:
        return refused


@examples
@given(anything, anything)
def test_any_money_is_kept_or_refused_naming_its_field(amount, currency):
    made = _made_or_refused(f.Money, amount=amount, currency=currency)
    if isinstance(made, FactRefused):
        assert ("Money", True) == (made.fact, made.field in {"amount", "currency"}), str(made)
    else:
        assert made.amount >= 0
        assert len(made.currency) == 3


@examples
@given(anything, anything, anything)
def test_any_planning_is_kept_or_refused_naming_its_field(fact_id, date, rationale):
    made = _made_or_refused(f.Planning, id=fact_id, date=date, rationale=rationale)
    if isinstance(made, FactRefused):
        assert ("Planning", True) == (made.fact, made.field in {"id", "date", "rationale"})
    else:
        assert made.rationale.strip()
        assert made.date.utcoffset() is not None


# Letters, digits and spaces: text that JSON writes as it is, so a leak would be found.
NOTE = st.text(st.characters(categories=["L", "Nd", "Zs"]), min_size=6, max_size=40)


@examples
@given(st.sampled_from(lifecycle()), NOTE)
def test_internal_notes_never_reach_a_release(fact, note):
    secret = f"INTERNAL {note}"
    if "internal_notes" in {field.name for field in dataclasses.fields(fact)}:
        fact = dataclasses.replace(fact, internal_notes=secret)
    procurement = dataclasses.replace(PROCUREMENT, internal_notes=secret)
    built = build_release(CONFIG.ocid_prefix, procurement, fact)
    assert secret not in json.dumps(built.release, ensure_ascii=False)


@examples
@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_a_budget_reaches_the_release_as_the_same_amount(amount):
    planning = f.Planning(
        id="planning-1",
        date=START,
        rationale="A need.",
        budget=f.Money(amount=amount, currency="GBP"),
    )
    release = build_release(CONFIG.ocid_prefix, PROCUREMENT, planning).release
    sent = release["planning"]["budget"]["amount"]
    assert ("GBP", amount) == (sent["currency"], Decimal(str(sent["amount"])))
