"""The rulebooks check themselves: schema, lifecycle, citations, pinned hashes, current docs."""

from datetime import date
from pathlib import Path

import pytest

from procedure.scenarios import NOW, facts
from sanely.procedure import (
    InvalidRulebookError,
    Level,
    UnknownRulebookError,
    _lint,
    _rulebook,
    load_pinned,
    load_rulebook,
    rulebook_for,
    rulebook_ids,
    validate_design,
)
from sanely.procedure._docs import render
from sanely.procedure._lint import lifecycle_problems, lint_all, rule_problems
from sanely.procedure._rulebook import (
    content_hash,
    corrected_hashes,
    parse_rulebook,
    pinned_hashes,
    rulebook_files,
    schema_problems,
)
from sanely.procedure.rulebook_cli import main

DOCS = Path(__file__).parents[2] / "docs" / "rulebooks"
PCR_PATH = "pcr-2015-reg31/2015-02-26.toml"


def _pcr_bytes() -> bytes:
    return next(f for rid, _, f in rulebook_files() if rid == "pcr-2015-reg31").read_bytes()


def _edited(old: str, new: str) -> bytes:
    text = _pcr_bytes().decode()
    assert old in text
    return text.replace(old, new, 1).encode()


def test_the_four_regimes_are_shipped():
    assert (
        "eu-2014-24-art31",
        "pa-2023-cfp-ip",
        "pcr-2015-reg31",
        "pcsr-2015-reg32",
    ) == rulebook_ids()


def test_every_shipped_rulebook_passes_lint():
    assert [] == lint_all()


def test_every_rule_is_cited_and_sourced_and_unverified_rules_never_block():
    for rulebook_id in rulebook_ids():
        for rule in load_rulebook(rulebook_id).rules:
            assert rule.citation.strip(), rule.id
            assert rule.source.strip(), rule.id
            assert rule.verified or rule.level is not Level.GUARD, rule.id


def test_every_verified_rule_records_who_verified_it():
    for rulebook_id in rulebook_ids():
        for rule in load_rulebook(rulebook_id).rules:
            assert not rule.verified or rule.verified_by, rule.id


def test_no_pinned_rulebook_file_has_changed():
    pins = pinned_hashes()
    shipped = {
        f"{rid}/{d.isoformat()}.toml": content_hash(f.read_bytes())
        for rid, d, f in rulebook_files()
    }

    assert pins == shipped


def test_the_committed_rulebook_docs_are_current(capsys):
    assert 0 == main(["docs", str(DOCS), "--check"])
    assert "checked 4 rulebook page(s)" in capsys.readouterr().out


def test_docs_check_fails_on_a_stale_page_and_docs_rewrites_it(tmp_path, capsys):
    (tmp_path / "pcr-2015-reg31.md").write_text("stale\n", encoding="utf-8")

    assert 1 == main(["docs", str(tmp_path), "--check"])
    assert "run `make rules-docs`" in capsys.readouterr().err
    assert 0 == main(["docs", str(tmp_path / "new")])
    assert 0 == main(["docs", str(tmp_path / "new"), "--check"])
    assert (
        render(load_rulebook("pa-2023-cfp-ip"))
        == (tmp_path / "new" / "pa-2023-cfp-ip.md").read_text()
    )


def test_the_docs_show_citations_levels_and_the_state_diagram():
    page = render(load_rulebook("pcr-2015-reg31"))

    assert "stateDiagram-v2" in page
    assert "    drafting --> requests_open: submit_notice" in page
    assert (
        "| PCR15-31-5 | PCR 2015 reg. 31(5), 2(3)(b), 2(4) | GUARD | yes | yes | "
        "`close_requests`, `submit_notice` |" in page
    )
    assert "| PCR15-31-10 | PCR 2015 reg. 31(10) | GUARD | yes | yes |" in page


def test_lint_command_reports_no_problems(capsys):
    assert 0 == main(["lint"])
    assert "0 problem(s) in 4 rulebook(s)" in capsys.readouterr().out


def test_lint_command_lists_problems_and_fails(monkeypatch, capsys):
    monkeypatch.setattr(_lint, "pinned_hashes", dict)

    assert 1 == main(["lint"])
    assert f"{PCR_PATH}: not pinned in lock.json" in capsys.readouterr().out


def test_lint_catches_an_edited_file_a_stray_pin_a_misnamed_file_and_a_broken_one(
    monkeypatch, tmp_path
):
    edited = tmp_path / "edited.toml"
    edited.write_bytes(_pcr_bytes() + b"\n# edited\n")
    misnamed = tmp_path / "misnamed.toml"
    misnamed.write_bytes(_pcr_bytes())
    broken = tmp_path / "broken.toml"
    broken.write_bytes(b"id = 1\n")
    files = [
        ("pcr-2015-reg31", date(2015, 2, 26), edited),
        ("pcr-2015-reg31", date(2016, 1, 1), misnamed),
        ("pcr-2015-reg31", date(2017, 1, 1), broken),
    ]
    pins = {
        PCR_PATH: content_hash(_pcr_bytes()),
        "pcr-2015-reg31/2016-01-01.toml": content_hash(_pcr_bytes()),
        "pcr-2015-reg31/2017-01-01.toml": content_hash(b"id = 1\n"),
        "gone/2020-01-01.toml": "0" * 64,
    }
    corrected = {
        "1" * 64: {"file": "gone/2019-01-01.toml"},
        content_hash(_pcr_bytes()): {"file": PCR_PATH},
    }
    monkeypatch.setattr(_lint, "rulebook_files", lambda: iter(files))
    monkeypatch.setattr(_lint, "pinned_hashes", lambda: pins)
    monkeypatch.setattr(_lint, "corrected_hashes", lambda: corrected)

    problems = lint_all()

    assert f"{PCR_PATH}: changed after it was pinned in lock.json" in problems[0]
    assert (
        "pcr-2015-reg31/2016-01-01.toml: id and effective_from must match the file's path"
        == problems[1]
    )
    assert problems[2].startswith(
        "pcr-2015-reg31/2017-01-01.toml: (top): 'design_event' is a required property"
    )
    assert "lock.json pins gone/2020-01-01.toml, which is not shipped" == problems[3]
    assert {
        "corrected.json names gone/2019-01-01.toml, which is not shipped",
        f"corrected.json lists the current hash of {PCR_PATH}",
    } == set(problems[4:])
    assert 6 == len(problems)


def test_an_unreachable_state_and_a_dead_end_are_found():
    text = _edited('from = ["purchase"]\nto = "closed"', 'from = ["purchase"]\nto = "purchase"')
    text = text.replace(b'from = ["*"]', b'from = ["drafting"]')

    problems = lifecycle_problems(parse_rulebook(text))

    assert [
        "state 'purchase' is a dead end: no event leads to another state",
        "state 'closed' cannot be reached from 'drafting'",
    ] == problems


def test_a_blocking_rule_with_nothing_to_check_is_found():
    rulebook = parse_rulebook(
        _edited(
            'from_fact = "contract_concluded_on"\nfrom_text = "the date the contract was concluded"\nrule = "PCR15-50-1"',
            'from_fact = "contract_concluded_on"\nfrom_text = "the date the contract was concluded"\nrule = "PCR15-113"',
        )
    )

    assert [
        "rule PCR15-50-1 (GUARD) has no check, duty, period or design lock: it can never apply"
    ] == rule_problems(rulebook)


def test_a_design_lock_must_cite_a_declared_guard_once_per_section():
    text = _pcr_bytes().decode()
    text = text.replace('rule = "PCR15-31-9"\nroute', 'rule = "PCR15-31-3"\nroute', 1)
    text = text.replace('rule = "PCR15-31-24"\nroute', 'rule = "PCR15-99"\nroute', 1)
    text = text.replace('section = "gates"', 'section = "phases"', 1)

    with pytest.raises(InvalidRulebookError) as error:
        parse_rulebook(text.encode())

    assert (
        "design section 'phases' is locked twice; "
        "design section 'phases' is locked twice; "
        "design lock 'purchase' cites PCR15-31-3, which is not a GUARD; "
        "design lock 'ipr' cites unknown rule 'PCR15-99'"
    ) in str(error.value)


def test_a_table_of_minimum_periods_with_a_gap_is_refused():
    text = (
        next(f for rid, _, f in rulebook_files() if rid == "pa-2023-cfp-ip")
        .read_bytes()
        .decode()
        .replace('when = ["!light_touch", "!urgent"], days = 25', 'when = ["!urgent"], days = 25')
        .replace(
            'when = ["light_touch"], days = 0 },\n  { circumstance = "a state',
            'when = ["light_touch", "urgent"], days = 0 },\n  { circumstance = "a state',
            1,
        )
        .replace(
            'when = ["urgent"], days = 10 },\n  { circumstance = "neither',
            'when = ["dynamic_market"], days = 10 },\n  { circumstance = "neither',
            1,
        )
    )

    with pytest.raises(InvalidRulebookError, match="period 'requests_to_participate' has no row"):
        parse_rulebook(text.encode())


def test_an_unverified_guard_is_refused_by_the_loader():
    text = _edited(
        'id = "PCR15-31-5"\ncitation = "PCR 2015 reg. 31(5), 2(3)(b), 2(4)"',
        'id = "PCR15-31-5"\ncitation = "PCR 2015 reg. 31(5), 2(3)(b), 2(4)"\nlevel_when_verified = "GUARD"',
    ).decode()
    start = text.index("verified = true", text.index('id = "PCR15-31-5"'))
    text = text[:start] + "verified = false" + text[start + len("verified = true") :]

    with pytest.raises(
        InvalidRulebookError, match="rule PCR15-31-5 is a GUARD but not verified: make it a WARN"
    ):
        parse_rulebook(text.encode())


def test_broken_references_are_all_reported_at_once():
    text = _pcr_bytes().decode()
    for old, new in [
        ('initial_state = "drafting"', 'initial_state = "draft"'),
        ('design_event = "submit_notice"', 'design_event = "publish"'),
        ('to = "closed"', 'to = "archived"'),
        ('guard = "call_is_contract_notice"', 'guard = "is_lawful"'),
        ('{ event = "abandon" }', '{ event = "cancel" }'),
        (
            'checks = [{ event = "submit_notice" }]\n\n[[rules]]\nid = "PCR15-31-5"',
            'checks = [{ event = "submit_notice", guard = "need_stated" }]\n\n[[rules]]\nid = "PCR15-31-5"',
        ),
        ('period = "standstill", field', 'period = "cooling_off", field'),
        ('rule = "PCR15-113"', 'rule = "PCR15-999"'),
        ('period = "contract_award_notice"\nwhat', 'period = "award_notice"\nwhat'),
        (
            'notice = "Award decision notice to every candidate and tenderer"\nrule = "PCR15-86-1"',
            'notice = "Award decision notice to every candidate and tenderer"\nrule = "PCR15-86"',
        ),
        ('id = "PCR15-106"', 'id = "PCR15-106"\nevidence = ""'),
        ('[[states]]\nid = "selection"', '[[states]]\nid = "requests_open"'),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    text = text.replace(
        'evidence = "the time the opportunity was published on Contracts Finder"\n', "", 1
    )

    with pytest.raises(InvalidRulebookError) as error:
        parse_rulebook(text.encode())

    message = str(error.value)
    for expected in [
        "state 'requests_open' is declared twice",
        "initial_state 'draft' is not a declared state",
        "design_event 'publish' is not a declared event",
        "event 'complete' names unknown state 'archived'",
        "rule PCR15-31-1 uses unknown guard 'is_lawful'",
        "rule PCR15-84-1 checks unknown event 'cancel'",
        "rule PCR15-87-1 uses unknown period 'cooling_off'",
        "period 'invoice_payment' cites unknown rule 'PCR15-999'",
        "due 'Contract award notice to Find a Tender' uses unknown period 'award_notice'",
        "notice 'Award decision notice to every candidate and tenderer' cites unknown rule 'PCR15-86'",
        "RECORD rule PCR15-106 does not say what evidence to capture",
        "RECORD rule PCR15-31-4 runs guard 'need_stated': remove it",
    ]:
        assert expected in message


def test_schema_problems_name_the_path():
    assert ["states/0: 'label' is a required property"] == schema_problems(
        {
            **_rulebook.tomllib.loads(_pcr_bytes().decode()),
            "states": [{"id": "drafting"}, {"id": "x", "label": "x"}],
        }
    )


def test_a_file_that_is_not_toml_is_refused():
    with pytest.raises(InvalidRulebookError, match="not a readable TOML file"):
        parse_rulebook(b"id = = 1")


def test_a_loaded_file_whose_contents_do_not_match_its_name_is_refused(monkeypatch, tmp_path):
    (tmp_path / "pcr-2015-reg31").mkdir()
    (tmp_path / "pcr-2015-reg31" / "2030-01-01.toml").write_bytes(_pcr_bytes())
    (tmp_path / "pcr-2015-reg31" / "2031-01-01.toml").write_bytes(b"id = 1\n")
    monkeypatch.setattr(_rulebook, "_root", lambda: tmp_path)
    _rulebook._load.cache_clear()
    try:
        with pytest.raises(InvalidRulebookError, match="id and effective_from must match"):
            load_rulebook("pcr-2015-reg31", date(2030, 6, 1))
        with pytest.raises(
            InvalidRulebookError, match=r"2031-01-01.toml: .*'title' is a required property"
        ):
            load_rulebook("pcr-2015-reg31")
    finally:
        _rulebook._load.cache_clear()


def test_the_rulebook_in_force_on_a_date_is_chosen():
    rulebook = load_rulebook("pcr-2015-reg31", date(2020, 1, 1))

    assert date(2015, 2, 26) == rulebook.effective_from
    assert content_hash(_pcr_bytes()) == rulebook.content_hash


@pytest.mark.parametrize(
    ("jurisdiction", "commenced_on", "expected"),
    [
        ("england", date(2025, 2, 23), "pcr-2015-reg31"),
        ("wales", date(2025, 2, 24), "pa-2023-cfp-ip"),
        ("northern-ireland", date(2024, 6, 1), "pcr-2015-reg31"),
        ("northern-ireland", date(2026, 6, 1), "pa-2023-cfp-ip"),
        ("scotland", date(2026, 6, 1), "pcsr-2015-reg32"),
        ("eu", date(2026, 6, 1), "eu-2014-24-art31"),
    ],
)
def test_the_regime_follows_the_nation_and_the_commencement_date(
    jurisdiction, commenced_on, expected
):
    assert expected == rulebook_for(jurisdiction, commenced_on).id


def test_an_unknown_jurisdiction_is_refused():
    with pytest.raises(UnknownRulebookError, match="use england, wales, scotland"):
        rulebook_for("france", date(2026, 1, 1))


def test_an_in_flight_procurement_reloads_exactly_the_rules_it_started_under():
    started = rulebook_for("england", date(2024, 6, 1))

    again = load_pinned(started.id, started.effective_from, started.content_hash)

    assert started == again


def test_a_procurement_pinned_to_a_corrected_edition_reloads_the_corrected_rules():
    before_issue_10 = "259b75d27300fd809c812c7aa0bbeac685f83f885ac698c8f0c9399e37341f2e"
    current = load_rulebook("pcr-2015-reg31", date(2024, 6, 1))

    reloaded = load_pinned("pcr-2015-reg31", date(2015, 2, 26), before_issue_10)

    assert reloaded == current
    assert reloaded.content_hash != before_issue_10
    assert "pcr-2015-reg31/2015-02-26.toml" == corrected_hashes()[before_issue_10]["file"]


def test_a_corrected_hash_of_another_file_is_refused():
    pa_before_issue_10 = "f25a12864a008060f4b3b02154a85452ae03478b6f46fab54ba172f702d98443"

    with pytest.raises(UnknownRulebookError, match="is not shipped in this version"):
        load_pinned("pcr-2015-reg31", date(2015, 2, 26), pa_before_issue_10)


def test_a_pinned_hash_that_no_longer_matches_is_refused():
    started = rulebook_for("england", date(2024, 6, 1))

    with pytest.raises(UnknownRulebookError, match="is not shipped in this version"):
        load_pinned(started.id, started.effective_from, "f" * 64)
    with pytest.raises(UnknownRulebookError, match="is not shipped in this version"):
        load_pinned(started.id, date(2024, 6, 1), started.content_hash)


def test_a_newer_rulebook_file_does_not_change_a_procurement_that_started_earlier(
    monkeypatch, tmp_path
):
    for rid, effective, file in rulebook_files():
        (tmp_path / rid).mkdir(exist_ok=True)
        (tmp_path / rid / f"{effective}.toml").write_bytes(file.read_bytes())
    newer = (
        _pcr_bytes().decode().replace("effective_from = 2015-02-26", "effective_from = 2024-01-01")
    )
    newer = newer.replace("days = 30\ncounted", "days = 35\ncounted", 1)
    (tmp_path / "pcr-2015-reg31" / "2024-01-01.toml").write_text(newer, encoding="utf-8")
    monkeypatch.setattr(_rulebook, "_root", lambda: tmp_path)
    _rulebook._load.cache_clear()
    try:
        old = rulebook_for("england", date(2023, 6, 1))
        new = rulebook_for("england", date(2024, 6, 1))
        design = facts()
        assert (date(2015, 2, 26), 30) == (
            old.effective_from,
            old.periods["requests_to_participate"].days,
        )
        assert (date(2024, 1, 1), 35) == (
            new.effective_from,
            new.periods["requests_to_participate"].days,
        )
        assert [] == [p for p in validate_design(old, design, NOW) if p.level is Level.GUARD]
        assert ["PCR15-31-5"] == [
            p.rule for p in validate_design(new, design, NOW) if p.level is Level.GUARD
        ]
    finally:
        _rulebook._load.cache_clear()


def test_the_thresholds_in_force_on_a_date_are_the_latest_declared():
    pa = load_rulebook("pa-2023-cfp-ip")

    assert 214904 == pa.thresholds_on(date(2025, 12, 31)).amounts["sub_central_goods_services"]
    assert 207720 == pa.thresholds_on(date(2026, 1, 1)).amounts["sub_central_goods_services"]
    with pytest.raises(KeyError, match="no thresholds in force on 2025-02-23"):
        pa.thresholds_on(date(2025, 2, 23))
