"""Facts refuse invalid values where they are built; the allow-list keeps the rest private."""

import dataclasses
import json
import typing
from datetime import datetime
from decimal import Decimal

import pytest

from ocds.partnership import CANCELLED, CONFIG, PROCUREMENT, START, at, gbp, lifecycle
from sanely.ocds import (
    AuditHead,
    FactRefused,
    PublicationConfig,
    Publisher,
    _allowlist,
    build_package,
    build_release,
)
from sanely.ocds import facts as f


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: f.Money(amount=Decimal(5), currency=""), "Money.currency: is required"),
        (
            lambda: f.Money(amount=Decimal(5), currency="gbp"),
            "Money.currency: 'gbp' is not an ISO 4217",
        ),
        (lambda: f.Money(amount=Decimal(5), currency=None), "Money.currency: is missing"),
        (lambda: f.Money(amount=Decimal(-1), currency="GBP"), "Money.amount: -1 is negative"),
        (
            lambda: f.Money(amount=Decimal("NaN"), currency="GBP"),
            "Money.amount: NaN is not a finite",
        ),
        (lambda: f.Money(amount=5, currency="GBP"), "Money.amount: expected Decimal, got 5"),
        (
            lambda: f.Period(start=datetime(2026, 1, 1)),  # noqa: DTZ001
            "Period.start: a date must carry its time zone",
        ),
        (lambda: f.Period(start=at(2), end=at(1)), "Period.end: .* is before start"),
        (lambda: f.Planning(id="p", date=None, rationale="R"), "Planning.date: is missing"),
        (lambda: f.Planning(id="p", date=START, rationale="  "), "Planning.rationale: is required"),
        (
            lambda: f.Planning(id="p q", date=START, rationale="R"),
            "Planning.id: 'p q': use letters",
        ),
        (
            lambda: f.Procurement(id="a/b", buyer=PROCUREMENT.buyer, regime="PA2023"),
            "Procurement.id",
        ),
        (
            lambda: f.Procurement(id="a", buyer=PROCUREMENT.buyer, regime="PA2015"),
            "Procurement.regime: 'PA2015' is not one of",
        ),
        (
            lambda: f.Document(
                id="d", document_type="x", title="t", url="file:///x", published=START
            ),
            "Document.url",
        ),
        (
            lambda: f.Document(
                id="d",
                document_type="x",
                title="t",
                url="https://x",
                published=START,
                notice_type="UK18",
            ),
            "Document.notice_type",
        ),
        (lambda: f.BidStatistic(measure="bids", value=-1), "BidStatistic.value: -1 is negative"),
        (
            lambda: f.TenderUpdate(id="u", date=START, documents=()),
            "TenderUpdate.documents: an update",
        ),
        (
            lambda: f.TenderUpdate(id="u", date=START, documents=[]),
            "TenderUpdate.documents: expected a tuple",
        ),
        (
            lambda: f.TenderUpdate(id="u", date=START, documents=("x",)),
            r"TenderUpdate.documents\[0\]: expected Document",
        ),
        (
            lambda: PublicationConfig(ocid_prefix="ocds-x", publisher=Publisher(name="P")),
            "PublicationConfig.ocid_prefix",
        ),
        (lambda: AuditHead(sequence=-1, hash="a" * 64, recorded_at=START), "AuditHead.sequence"),
        (lambda: AuditHead(sequence=1, hash="xyz", recorded_at=START), "AuditHead.hash"),
    ],
)
def test_invalid_facts_are_refused_naming_the_field(make: typing.Any, message: str) -> None:
    with pytest.raises(FactRefused, match=message):
        make()


def test_facts_refuse_a_milestone_of_the_wrong_kind() -> None:
    facts = {type(fact): fact for fact in lifecycle()}
    phase = facts[f.ImplementationSchedule].milestones[0]
    gate = facts[f.GateDecision].milestone
    for fact_type, wrong in [
        (f.TargetVerdict, gate),
        (f.GateDecision, phase),
        (f.InstalmentPaid, phase),
        (f.PurchaseStarted, phase),
    ]:
        with pytest.raises(FactRefused, match=rf"{fact_type.__name__}\.milestone"):
            dataclasses.replace(facts[fact_type], milestone=wrong)
    with pytest.raises(FactRefused, match=r"ImplementationSchedule\.milestones: a schedule"):
        dataclasses.replace(facts[f.ImplementationSchedule], milestones=())
    with pytest.raises(FactRefused, match=r"ContractTermination\.reasons"):
        dataclasses.replace(facts[f.ContractTermination], reasons=())
    with pytest.raises(FactRefused, match=r"Tender\.lots: give at least one lot"):
        dataclasses.replace(facts[f.Tender], lots=())


MARK = "SECRET-MARKER"


def _plant(value: object, counter: list[int]) -> object:
    """A copy of `value` with a numbered marker in every private text field, recursively."""
    if isinstance(value, tuple):
        return tuple(_plant(item, counter) for item in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    public = _allowlist.PUBLIC_FIELDS[type(value)]
    changes: dict[str, object] = {}
    for field in dataclasses.fields(value):
        current = getattr(value, field.name)
        if field.name not in public:
            counter[0] += 1
            changes[field.name] = _marked(current, counter[0])
        else:
            changes[field.name] = _plant(current, counter)
    return dataclasses.replace(value, **changes)


def _marked(current: object, number: int) -> object:
    if isinstance(current, str):
        return f"{MARK}-{number}"
    # The one private non-text field: named tenderers' scores.
    assert () == current
    return (f.TendererScore(tenderer=f"{MARK}-{number}", score=Decimal("87.5")),)


def test_no_private_field_reaches_any_release_or_package() -> None:
    counter = [0]
    procurement = _plant(PROCUREMENT, counter)
    planted = [_plant(fact, counter) for fact in [*lifecycle(), CANCELLED]]
    assert counter[0] >= 30  # every fact type has private fields, planted throughout
    built = [build_release("ocds-s4n3ly", procurement, fact) for fact in planted]
    package = build_package(CONFIG, built, uri="https://council.example/p", published=at(500))
    text = json.dumps(package)
    assert MARK not in text
    assert "87.5" not in text


def test_every_private_field_can_be_redacted() -> None:
    for fact_type, public in _allowlist.PUBLIC_FIELDS.items():
        names = {field.name for field in dataclasses.fields(fact_type)}
        assert public <= names, fact_type  # the allow-list names only real fields
        for field in dataclasses.fields(fact_type):
            if field.name not in public:
                assert field.default is not dataclasses.MISSING, (fact_type, field.name)


def test_a_private_field_without_default_cannot_be_published(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    @dataclasses.dataclass(frozen=True)
    class Leaky:
        secret: str
        extras: list[str] = dataclasses.field(default_factory=list)

    monkeypatch.setitem(_allowlist.PUBLIC_FIELDS, Leaky, frozenset())
    with pytest.raises(TypeError, match="private field 'secret' needs an empty default"):
        _allowlist.redact(Leaky("x", ["y"]))
    monkeypatch.setitem(_allowlist.PUBLIC_FIELDS, Leaky, frozenset({"secret"}))
    assert [] == _allowlist.redact(Leaky("x", ["y"])).extras


def test_the_planted_procurement_still_builds() -> None:
    planted = _plant(PROCUREMENT, [0])
    release = build_release("ocds-s4n3ly", planted, lifecycle()[0]).release
    assert MARK not in json.dumps(release)
    assert gbp(1) == f.Money(amount=Decimal(1), currency="GBP")
