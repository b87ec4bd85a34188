"""`compile` gives the reference implementation's compiled and versioned releases, streaming."""

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import ocdsmerge
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocds.feed import write_feed
from ocds.partnership import SCHEMA_DIR
from sanely.ocds import CompileRefused
from sanely.ocds._compile import Limits, Output, compile_releases, pieces, read_entries
from sanely.ocds._merge import compiled_release, rules_from_schema, versioned_release

RELEASE_SCHEMA = SCHEMA_DIR / "standard-1.1.5" / "release-schema.json"
RULES = rules_from_schema(RELEASE_SCHEMA)
MERGER = ocdsmerge.Merger(schema=str(RELEASE_SCHEMA))


PLAIN, DEFAULT_LIMITS = Output(), Limits()


def _compile(
    paths: list[Path], output: Output = PLAIN, limits: Limits = DEFAULT_LIMITS, jobs: int = 1
) -> list[dict]:
    sink = Path(paths[0].parent / "out.jsonl")
    with open(sink, "wb") as out:
        compile_releases(paths, RULES, out, output, limits, jobs)
    return [json.loads(line) for line in sink.read_text().splitlines()]


def _reference(paths: list[Path], versioned: bool = False) -> list[dict]:
    groups = defaultdict(list)
    for path in paths:
        for line in path.read_text().splitlines():
            for release in json.loads(line)["releases"]:
                groups[release["ocid"]].append(release)
    merge = MERGER.create_versioned_release if versioned else MERGER.create_compiled_release
    return [merge(groups[ocid]) for ocid in sorted(groups)]


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    write_feed(path, ocids=80, per_ocid=10, seed=3, per_package=37)
    return path


def test_same_compiled_releases_as_ocdskit_compile(feed: Path, tmp_path: Path) -> None:
    ours = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [
            sys.executable,
            "-m",
            "sanely.cli",
            "ocds",
            "compile",
            str(feed),
            "--schema",
            str(RELEASE_SCHEMA),
        ],
        capture_output=True,
        check=True,
    )
    theirs = subprocess.run(  # noqa: S603
        [Path(sys.executable).parent / "ocdskit", "compile", "--schema", str(RELEASE_SCHEMA)],
        stdin=feed.open("rb"),
        capture_output=True,
        check=True,
    )
    ours_lines = [json.loads(line) for line in ours.stdout.splitlines()]
    assert 80 == len(ours_lines)
    assert [json.loads(line) for line in theirs.stdout.splitlines()] == ours_lines
    assert b"80 contracting process(es) compiled" in ours.stderr


def test_many_buckets_give_the_same_releases_in_ocid_order(feed: Path) -> None:
    one_bucket = _compile([feed])
    many = _compile([feed], limits=Limits(bucket_bytes=100_000))
    assert one_bucket == many == _reference([feed])
    sink = feed.parent / "parallel.jsonl"
    with open(sink, "wb") as out:
        assert 80 == compile_releases(
            [feed], RULES, out, PLAIN, Limits(bucket_bytes=300_000), jobs=2
        )
    assert many == [json.loads(line) for line in sink.read_text().splitlines()]
    assert sorted(r["ocid"] for r in many) == [r["ocid"] for r in many]


def test_pieces_of_a_file_read_at_once_cover_it_at_line_starts(feed: Path) -> None:
    cut = pieces([feed, feed], Limits(piece_bytes=500_000), jobs=3)
    data = feed.read_bytes()
    assert [0, 1, 2, 3, 4, 5] == [piece.number for piece in cut]
    for path_pieces in (cut[:3], cut[3:]):
        starts = [piece.start for piece in path_pieces]
        assert 0 == starts[0]
        assert all(data[start - 1 : start] == b"\n" for start in starts[1:])
        assert [*starts[1:], None] == [piece.end for piece in path_pieces]
    # Too small to cut, or cut for one process only: whole.
    assert [(0, None)] == [(p.start, p.end) for p in pieces([feed], Limits(), jobs=3)]
    assert [(0, None)] == [(p.start, p.end) for p in pieces([feed], Limits(piece_bytes=1), 1)]


def test_releases_read_by_several_processes_merge_as_read_by_one(feed: Path) -> None:
    limits = Limits(bucket_bytes=300_000, piece_bytes=500_000)
    assert _reference([feed]) == _compile([feed], limits=limits, jobs=3)


def test_releases_of_the_same_date_keep_their_order_across_pieces(tmp_path: Path) -> None:
    def package(title: str) -> str:
        release = {"ocid": "o", "date": "2026-01-01", "tender": {"title": title}}
        return json.dumps({"releases": [release]}) + "\n"

    filler = json.dumps({"releases": [{"ocid": "p", "date": "2026-01-01", "x": "y" * 900}]})
    between = (filler + "\n") * 20
    for first, last in (("earlier", "later"), ("later", "earlier")):
        path = _write(tmp_path / "ties.jsonl", package(first) + between + package(last))
        assert 2 == len(pieces([path], Limits(piece_bytes=1_000), jobs=2))
        compiled = _compile([path], limits=Limits(piece_bytes=1_000), jobs=2)
        assert last == compiled[0]["tender"]["title"]


def test_a_line_cut_where_a_piece_starts_is_read_once(tmp_path: Path) -> None:
    # The first line is most of the file: the cuts for three processes land at its end.
    big = json.dumps({"releases": [{"ocid": "a", "date": "1", "x": "y" * 3000}]})
    small = json.dumps({"releases": [{"ocid": "b", "date": "1"}]})
    path = _write(tmp_path / "uneven.jsonl", big + "\n" + small + "\n")
    cut = pieces([path], Limits(piece_bytes=1_000), jobs=3)
    assert [(0, len(big) + 1), (len(big) + 1, None)] == [(p.start, p.end) for p in cut]
    assert ["a", "b"] == [
        r["ocid"] for r in _compile([path], limits=Limits(piece_bytes=1_000), jobs=3)
    ]


def test_each_piece_reads_its_own_lines_and_names_them_as_in_the_file(tmp_path: Path) -> None:
    lines = [json.dumps({"releases": [{"ocid": f"o{n}", "date": "1"}]}) for n in range(6)]
    path = _write(tmp_path / "six.jsonl", "\n".join([*lines, "[1]"]) + "\n")
    cut = pieces([path], Limits(piece_bytes=80), jobs=3)
    assert 3 == len(cut)
    read = []
    for piece in cut[:-1]:
        read.append([json.loads(key) for key, _, _ in read_entries(piece, DEFAULT_LIMITS)])
    with pytest.raises(CompileRefused, match=r"six.jsonl line 7: not OCDS"):
        list(read_entries(cut[-1], DEFAULT_LIMITS))
    assert all(read)
    flat = [ocid for part in read for ocid in part]
    assert [f"o{n}" for n in range(len(flat))] == flat


def test_a_document_over_many_lines_is_read_whole_by_one_process(tmp_path: Path) -> None:
    release = {"ocid": "o", "date": "1", "x": "y" * 300}
    path = _write(tmp_path / "pretty.json", json.dumps({"releases": [release] * 5}, indent=2))
    assert [(0, None)] == [(p.start, p.end) for p in pieces([path], Limits(piece_bytes=100), 2)]
    assert [release | {"id": "o-1", "tag": ["compiled"]}] == _compile([path], jobs=2)


def test_a_refusal_in_a_later_piece_names_its_line(tmp_path: Path) -> None:
    good = json.dumps({"releases": [{"ocid": "o", "date": "2026-01-01", "x": "y" * 100}]})
    path = _write(tmp_path / "late", (good + "\n") * 40 + "{not json\n" + (good + "\n") * 9)
    limits = Limits(piece_bytes=1_000)
    assert 4 == len(pieces([path], limits, jobs=4))
    _refused([path], r"late line 41: not JSON", limits, jobs=4)
    _refused([tmp_path / "missing"], r"missing: cannot read", limits, jobs=2)


def test_numbers_beyond_64_bits_on_a_line_are_read_as_before(tmp_path: Path) -> None:
    # simdjson refuses such a line; orjson reads it (the number as a float), as sanely always has.
    line = json.dumps({"releases": [{"ocid": "o", "date": "1", "n": 2**70}]}) + "\n"
    path = _write(tmp_path / "big.jsonl", line + line.replace('"1"', '"2"'))
    assert float(2**70) == _compile([path])[0]["n"]


def test_versioned_releases_match_ocdsmerge(feed: Path) -> None:
    assert _reference([feed], versioned=True) == _compile([feed], Output(versioned=True))


def test_records_hold_releases_compiled_and_versioned(feed: Path) -> None:
    records = _compile([feed], Output(versioned=True, records=True))
    reference = _reference([feed])
    assert [r["ocid"] for r in reference] == [r["ocid"] for r in records]
    assert reference == [r["compiledRelease"] for r in records]
    assert {10} == {len(r["releases"]) for r in records}
    assert "versionedRelease" in records[0]
    assert "versionedRelease" not in _compile([feed], Output(records=True))[0]


# Differential testing against ocdsmerge on generated releases. Key names fix each value's
# kind, so that releases never disagree on whether a field is an object, array or value.
_scalars = st.one_of(st.none(), st.integers(-3, 3), st.sampled_from(["x", "y", ""]), st.booleans())
# Not both 1 and "1": the reference splits such an item in two; see docs/ocds.md.
_ids = st.sampled_from([1, 2, "a", "b", None])


def _objects(depth: int) -> st.SearchStrategy[dict]:
    fields: dict[str, st.SearchStrategy] = {
        "s1": _scalars,
        "s2": _scalars,
        "w1": st.lists(_scalars, max_size=2),
        "o1": st.none() if depth == 0 else _objects(depth - 1),
    }
    if depth:
        fields["a1"] = st.lists(_items(depth - 1), max_size=3)
    return st.fixed_dictionaries({}, optional=fields)


def _items(depth: int) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({}, optional={"id": _ids, "s1": _scalars, "o1": _objects(depth)})


_releases = st.lists(
    st.fixed_dictionaries(
        {
            "ocid": st.just("ocds-x"),
            "date": st.sampled_from(["2026-01-01", "2026-02-01", "2026-03-01"]),
        },
        optional={
            "id": st.sampled_from(["r1", "r2"]),
            "tag": st.just(["tender"]),
            "tender": _objects(2),
            "awards": st.lists(_items(2), max_size=3),
            # known to the schema: a whole-list field, and objects merged by id
            "parties": st.lists(
                st.fixed_dictionaries(
                    {"id": _ids},
                    optional={
                        "roles": st.lists(st.sampled_from(["buyer", "payer"]), max_size=2),
                        "name": _scalars,
                    },
                ),
                max_size=2,
            ),
        },
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_releases)
def test_merging_matches_ocdsmerge_on_generated_releases(releases: list[dict]) -> None:
    ordered = sorted(releases, key=lambda r: r["date"])
    assert MERGER.create_compiled_release(ordered) == compiled_release("ocds-x", ordered, RULES)
    assert MERGER.create_versioned_release(ordered) == versioned_release("ocds-x", ordered, RULES)


def _write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def _refused(paths: list[Path], match: str, limits: Limits = DEFAULT_LIMITS, jobs: int = 1) -> None:
    with pytest.raises(CompileRefused, match=match):
        _compile(paths, limits=limits, jobs=jobs)


def test_pretty_printed_packages_and_releases_are_streamed(tmp_path: Path) -> None:
    release = {
        "ocid": "ocds-a",
        "id": "1",
        "date": "2026-01-01",
        "tender": {"id": "t", "title": "T"},
    }
    later = {"ocid": "ocds-a", "id": "2", "date": "2026-02-01", "tender": {"title": "U"}}
    package = _write(tmp_path / "p.json", json.dumps({"releases": [release, later]}, indent=2))
    bare = _write(
        tmp_path / "r.json", json.dumps(release, indent=2) + "\n" + json.dumps(later, indent=2)
    )
    huge_line = _write(tmp_path / "h.json", json.dumps({"releases": [release, later]}))
    expected = [
        {
            "tag": ["compiled"],
            "id": "ocds-a-2026-02-01",
            "date": "2026-02-01",
            "ocid": "ocds-a",
            "tender": {"id": "t", "title": "U"},
        }
    ]
    assert expected == _compile([package]) == _compile([bare])
    assert expected == _compile([huge_line], limits=Limits(max_document_bytes=50))
    line_of_releases = _write(
        tmp_path / "l.jsonl", json.dumps(release) + "\n\n" + json.dumps(later) + "\n"
    )
    assert expected == _compile([line_of_releases])


def test_bad_input_is_refused_naming_the_first_bad_release(tmp_path: Path) -> None:
    good = json.dumps({"releases": [{"ocid": "o", "date": "2026-01-01"}]})
    _refused([_write(tmp_path / "a", good + "\n{not json\n")], r"a line 2: not JSON")
    _refused(
        [_write(tmp_path / "b", good + "\n[1, 2]\n")],
        r"b line 2: not OCDS: expected a release package",
    )
    _refused([_write(tmp_path / "c", '{"records": []}\n')], r"c line 1: a record package")
    _refused(
        [
            _write(
                tmp_path / "d",
                json.dumps({"releases": [{"ocid": "o", "date": "d"}, {"id": "x", "date": "d"}]}),
            )
        ],
        r"d line 1, releases\[1\] \(id 'x'\): not OCDS: the release has no 'ocid'",
    )
    _refused(
        [_write(tmp_path / "e", json.dumps({"releases": [{"ocid": "o", "id": 7}]}))],
        r"releases\[0\] \(id 7\): .* no 'date'",
    )
    _refused(
        [_write(tmp_path / "f", json.dumps({"releases": [3]}))],
        r"f line 1, releases\[0\]: a release must be an object, not int",
    )
    _refused(
        [_write(tmp_path / "g", good + "\n" + good + "x" * 80 + "\n")],
        r"g line 2: a document larger than 60 bytes",
        Limits(max_document_bytes=60),
    )
    _refused(
        [_write(tmp_path / "h", '{\n "releases": [{"ocid": "o", "date": "d"}, {"oc\n')],
        r"h: not JSON \(after 1 release\(s\)\)",
    )
    _refused([tmp_path / "missing"], r"missing: cannot read")
    _refused(
        [_write(tmp_path / "j", json.dumps({"releases": [{"ocid": "o"}]}, indent=1))],
        r"j, releases\[0\] \(id None\): not OCDS: the release has no 'date'",
    )
    _refused(
        [_write(tmp_path / "k", json.dumps({"releases": [[]]}, indent=1))],
        r"k, releases\[0\]: a release must be an object, not list",
    )
    huge_number = json.dumps(
        {"releases": [{"ocid": "o", "date": "d", "n": 2**70, "f": 1.5}]}, indent=1
    )
    _refused(
        [_write(tmp_path / "i", huge_number)],
        r"i: not JSON \(after 0 release\(s\)\): parse error: integer overflow",
    )


def test_conflicting_shapes_are_refused_naming_the_ocid_and_release() -> None:
    first = {"ocid": "o", "id": "r1", "date": "1", "tender": "text"}
    second = {"ocid": "o", "id": "r2", "date": "2", "tender": {"id": "t"}}
    with pytest.raises(
        CompileRefused,
        match=r"ocid 'o': release 'r2' has an object at 'tender' where an earlier release had 'text'",
    ):
        compiled_release("o", [first, second], RULES)
    third = {"ocid": "o", "id": "r3", "date": "3", "awards": 5}
    fourth = {"ocid": "o", "id": "r4", "date": "4", "awards": [{"id": "a"}]}
    with pytest.raises(CompileRefused, match="has an array of objects at 'awards'"):
        versioned_release("o", [third, fourth], RULES)


def test_rules_follow_the_schema(tmp_path: Path) -> None:
    assert ("omit", {}) == (RULES["id"][0], dict(RULES["id"][1]))
    assert "omit" == RULES["tag"][0]
    assert "whole" == RULES["parties"][1]["roles"][0]
    assert RULES["awards"][0] is None
    custom = _write(
        tmp_path / "s.json",
        json.dumps(
            {
                "definitions": {
                    "Thing": {"type": "object", "properties": {"name": {"type": "string"}}}
                },
                "properties": {
                    "things": {"type": "array", "items": {"$ref": "#/definitions/Thing"}},
                    "old": {"type": "string", "mergeStrategy": "ocdsOmit"},
                    "versions": {"type": "array", "mergeStrategy": "ocdsVersion"},
                    "loose": {"type": "array", "items": {}},
                    "open": {"type": "array", "items": {"type": "object"}},
                    "thing": {
                        "type": "object",
                        "properties": {"secret": {"type": "string", "omitWhenMerged": True}},
                    },
                },
            }
        ),
    )
    rules = rules_from_schema(custom)
    assert {
        "things": "whole",
        "old": "omit",
        "versions": "whole",
        "loose": None,
        "open": None,
        "thing": None,
    } == {key: rule for key, (rule, _) in rules.items()}
    release = {"ocid": "o", "date": "1", "thing": {"secret": "s", "name": "n"}, "old": "x"}
    expected = ocdsmerge.Merger(schema=json.loads(custom.read_text())).create_compiled_release(
        [release]
    )
    assert expected == compiled_release("o", [release], rules)
    assert {"name": "n"} == expected["thing"]
    with pytest.raises(CompileRefused, match="cannot read the release schema"):
        rules_from_schema(tmp_path / "nope.json")


def test_values_over_objects_and_nulls_follow_the_reference() -> None:
    releases = [
        {
            "ocid": "o",
            "id": "1",
            "date": "1",
            "tender": {"id": "t", "items": [{"id": "i", "x": 1}]},
        },
        {"ocid": "o", "id": "2", "date": "2", "tender": None, "planning": {"budget": None}},
        {
            "ocid": "o",
            "id": "3",
            "date": "3",
            "tender": {"items": "gone?"},
            "awards": [{"x": None}],
        },
        {
            "ocid": "o",
            "id": "4",
            "date": "4",
            "buyer": {"name": "B"},
            "parties": [{"id": "p", "name": None}],
        },
        {"ocid": "o", "id": "5", "date": "5", "buyer": {"name": None}},
    ]
    assert MERGER.create_compiled_release(releases) == compiled_release("o", releases, RULES)
    assert MERGER.create_versioned_release(releases) == versioned_release("o", releases, RULES)
    compiled = compiled_release("o", releases, RULES)
    assert {"id": "t", "items": [{"id": "i", "x": 1}]} == compiled["tender"]
    assert {} == compiled["planning"] == compiled["buyer"]
    assert [{}] == compiled["awards"]


def test_plain_values_merge_beside_an_object_set_earlier() -> None:
    """An object outside the schema whose first release set a nested object (the plain copy
    does not apply), as the reference merges it; Hypothesis reaches this only sometimes."""
    base = {"ocid": "ocds-x", "tag": ["tender"], "initiationType": "tender"}
    releases = [
        {**base, "id": "1", "date": "2026-01-01T00:00:00Z", "extra": {"a": {"b": 1}}},
        {**base, "id": "2", "date": "2026-01-02T00:00:00Z", "extra": {"c": 2}},
    ]
    expected = MERGER.create_compiled_release(releases)
    assert expected == compiled_release("ocds-x", releases, RULES)
    assert {"a": {"b": 1}, "c": 2} == expected["extra"]


MERGING_EXAMPLES = SCHEMA_DIR / "standard-1.1.5" / "docs-examples" / "merging"


def _example_record(name: str) -> dict:
    return json.loads((MERGING_EXAMPLES / name).read_text())["records"][0]


def test_the_standards_merging_examples_compile_to_its_records(tmp_path: Path) -> None:
    """The worked example of the OCDS documentation: five pretty-printed release packages
    (streamed) compile to the compiled and versioned releases of its published records."""
    names = [f"merge-tender-{n}.json" for n in (1, 2, 3)] + [
        "merge-award-1.json",
        "merge-award-2.json",
    ]
    packages = [_write(tmp_path / name, (MERGING_EXAMPLES / name).read_bytes()) for name in names]
    compiled = _compile(packages)
    assert [_example_record("merged.json")["compiledRelease"]] == compiled
    assert [_example_record("merged-tender.json")["compiledRelease"]] == compiled
    versioned = _compile(packages, Output(versioned=True))
    assert [_example_record("versioned.json")["versionedRelease"]] == versioned


def test_an_item_repeated_as_it_was_still_merges_what_equality_hides() -> None:
    """A release repeating an item unchanged is skipped, but not when Python's == hides a
    change (true for 1, 1.0 for 1) or the item holds objects without an `id`, which the
    reference adds again each time."""
    award = {"id": "a", "documents": [{"url": "u"}]}
    valued = {"id": "b", "value": {"amount": 1}}
    party = {"id": "p", "name": "P", "details": {"scale": 1}}
    base = {"ocid": "o", "tag": ["award"]}
    releases = [
        {**base, "id": "1", "date": "1", "awards": [award, valued], "parties": [party]},
        {**base, "id": "2", "date": "2", "awards": [award, valued], "parties": [party]},
        {
            **base,
            "id": "3",
            "date": "3",
            "awards": [{**valued, "value": {"amount": 1.0}}],
            "parties": [{**party, "details": {"scale": True}}],
        },
    ]
    expected = MERGER.create_compiled_release(releases)
    compiled = compiled_release("o", releases, RULES)
    assert json.dumps(expected, sort_keys=True) == json.dumps(compiled, sort_keys=True)
    assert [{"url": "u"}, {"url": "u"}] == compiled["awards"][0]["documents"]
    assert "1.0" == json.dumps(compiled["awards"][1]["value"]["amount"])
    assert {"scale": True} == compiled["parties"][0]["details"]
    assert MERGER.create_versioned_release(releases) == versioned_release("o", releases, RULES)
