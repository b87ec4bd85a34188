"""Typed content: what a document may hold, and its JSON, lossless and checked field by field."""

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanely.documents import (
    BulletList,
    ContentInvalid,
    Document,
    Heading,
    KeyValues,
    Paragraph,
    Preformatted,
    Section,
    Table,
    from_json,
    to_json,
)

EVERY_BLOCK = (
    Heading("Award decision notice"),
    Paragraph("First line\nsecond line"),
    Preformatted('{\n  "signature": "c2ln"\n}'),
    Section(
        "Your tender's points",
        (
            BulletList(("Quality: 54.00", "Price: 27.00")),
            KeyValues((("Total", "81.00"), ("Rank", "1 of 3"))),
            Table("Scores", ("Criterion", "Points"), (("Quality", "54.00"), ("Price", "27.00"))),
        ),
    ),
)
FACTS = {"total": "81.00", "rank": 1, "share": 0.5, "won": True, "note": None, "lines": [{"a": []}]}


def document(**changes):
    fields = {
        "kind": "award_decision",
        "subject": "Decision",
        "blocks": EVERY_BLOCK,
        "facts": FACTS,
    }
    return Document(**{**fields, **changes})


def stored(**changes):
    return {**to_json(document()), **changes}


def test_every_block_survives_json_unchanged():
    data = json.loads(json.dumps(to_json(document())))
    assert document() == from_json(data)
    assert {"format": 1, "kind": "award_decision", "subject": "Decision"}.items() <= data.items()


def test_the_json_is_a_copy_the_document_does_not_share():
    data = to_json(document())
    data["facts"]["lines"][0]["a"].append("changed")
    assert [{"a": []}] == FACTS["lines"]
    assert FACTS == document().facts


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"kind": "Award decision"}, "kind"),
        ({"subject": " "}, "subject"),
        ({"subject": "two\nlines"}, "subject"),
        ({"blocks": (Table("", ("a", "b"), (("1", "2"), ("3",))),)}, "blocks[0].rows[1]"),
        (
            {"blocks": (Section("S", (Table("", ("a",), (("1", "2"),)),)),)},
            "blocks[0].blocks[0].rows[0]",
        ),
        ({"facts": {"price": Decimal("1.50")}}, "facts.price"),
        ({"facts": {"parts": ("a", "b")}}, "facts.parts"),
        ({"facts": {"nested": {1: "x"}}}, "facts.nested"),
        ({"facts": {"score": float("nan")}}, "facts.score"),
        ({"facts": {"rows": [1, float("inf")]}}, "facts.rows[1]"),
    ],
)
def test_content_that_would_not_come_back_from_json_is_refused_by_name(changes, path):
    with pytest.raises(ContentInvalid) as refused:
        document(**changes)
    assert path == refused.value.path
    assert str(refused.value).startswith(f"{path}: ")


@pytest.mark.parametrize(
    ("data", "path", "says"),
    [
        ("a document", "document", "mapping"),
        ({k: v for k, v in stored().items() if k != "facts"}, "document", "facts missing"),
        (stored(extra=1), "document", "extra not known"),
        (stored(format=2), "format", "not a format"),
        (stored(facts=[]), "facts", "mapping"),
        (stored(kind=3), "kind", "text"),
        (stored(blocks={}), "blocks", "list"),
        (stored(blocks=["text"]), "blocks[0]", "type"),
        (stored(blocks=[{"text": "no type"}]), "blocks[0]", "type"),
        (stored(blocks=[{"type": "quote", "text": "x"}]), "blocks[0].type", "'quote' is not"),
        (
            stored(blocks=[{"type": "paragraph", "text": "x", "style": "bold"}]),
            "blocks[0]",
            "style",
        ),
        (stored(blocks=[{"type": "heading", "text": None}]), "blocks[0].text", "text"),
        (
            stored(
                blocks=[
                    {
                        "type": "section",
                        "heading": "S",
                        "blocks": [{"type": "heading", "text": "H"}],
                    }
                ]
            ),
            "blocks[0].blocks[0].type",
            "'heading' is not a block a section can hold",
        ),
        (stored(blocks=[{"type": "bullets", "items": ["a", 2]}]), "blocks[0].items[1]", "text"),
        (stored(blocks=[{"type": "key_values", "pairs": [["a"]]}]), "blocks[0].pairs[0]", "two"),
        (
            stored(
                blocks=[{"type": "table", "caption": "", "header": ["a"], "rows": [["1", "2"]]}]
            ),
            "blocks[0].rows[0]",
            "one cell per column",
        ),
        (stored(facts={"price": {"amount": float("nan")}}), "facts.price.amount", "finite"),
    ],
)
def test_stored_json_that_breaks_the_shape_is_refused_naming_the_field(data, path, says):
    with pytest.raises(ContentInvalid) as refused:
        from_json(data)
    assert path == refused.value.path
    assert says in refused.value.problem


texts = st.text(max_size=12)
bodies = st.one_of(
    st.builds(Paragraph, texts),
    st.builds(Preformatted, texts),
    st.builds(BulletList, st.lists(texts, max_size=3).map(tuple)),
    st.builds(KeyValues, st.lists(st.tuples(texts, texts), max_size=3).map(tuple)),
    st.integers(0, 3).flatmap(
        lambda width: st.builds(
            Table,
            texts,
            st.lists(texts, min_size=width, max_size=width).map(tuple),
            st.lists(st.lists(texts, min_size=width, max_size=width).map(tuple), max_size=3).map(
                tuple
            ),
        )
    ),
)
blocks = st.one_of(
    bodies,
    st.builds(Heading, texts),
    st.builds(Section, texts, st.lists(bodies, max_size=3).map(tuple)),
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
documents = st.builds(
    Document,
    kind=st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
    subject=st.text(min_size=1, max_size=20).filter(lambda s: s.strip() and "\n" not in s),
    blocks=st.lists(blocks, max_size=4).map(tuple),
    facts=st.dictionaries(texts, json_values, max_size=4),
)


@given(documents)
def test_any_document_comes_back_equal_from_its_json_text(any_document):
    assert any_document == from_json(json.loads(json.dumps(to_json(any_document))))
