"""
The typed content of the Act's notices after award (UK9, UK10, UK11), as `Fact.notice` holds
it, read as a notice: a statement and labelled rows in words, with no identifier, address or
code of the record. A row that repeats a figure the authority may withhold (a contract's value,
a KPI's rating) names that figure as what it needs; the public reads it only when a published
release about the same contract carries the same figure (`public_typed_notice`).
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sanely.documents.letters import (
    contract_change_notice,
    contract_performance_notice,
    contract_termination_notice,
)
from sanely.documents.letters.notice import Notice
from sanely.documents.wording import UK, money, plural, uk_date

from .presentation import Json, Row, restored, when

type Evidence = tuple[str, ...]

# Abbreviations of the law, written out: "s.71(2)" as "section 71(2)".
CITED = (
    (r"\bSI 2024/692\b", "the Procurement Regulations 2024"),
    (r"\bss\.\s*(?=\d)", "sections "),
    (r"\bs\.\s*(?=\d)", "section "),
    (r"\bregs\.?\s+(?=\d)", "regulations "),
    (r"\breg\.?\s+(?=\d)", "regulation "),
    (r"\bSch\.?\s+(?=\d)", "Schedule "),
    (r"\bparas\.?\s+(?=\d)", "paragraphs "),
    (r"\bpara\.?\s+(?=\d)", "paragraph "),
    (r"(2023|2024) (?=section|regulation|Schedule)", r"\1, "),
)


def cited(citation: str) -> str:
    """A citation written out: "Procurement Act 2023, section 71(2)"."""
    for pattern, words in CITED:
        citation = re.sub(pattern, words, citation)
    return citation


@dataclass(frozen=True)
class Item:
    """One required item of a notice; `needs` is the published data it repeats, if any."""

    label: str
    text: str
    needs: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class TypedNotice:
    name: str  # "Contract performance notice"
    statement: str
    rows: list[Row]


def _figure(amount: object, currency: str = "GBP") -> Evidence:
    return ("value", format(Decimal(str(amount)).normalize(), "f"), currency)


def _pounds(text: object) -> Decimal:
    """An amount the typed content holds as text; whole pounds without pence (710000.00)."""
    amount = Decimal(str(text))
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


def _on(text: str | None) -> str:
    """A day the typed content holds (ISO), as people write it."""
    return uk_date(date.fromisoformat(text)) if text else ""


def _names(parties: list[Json]) -> str:
    return ", ".join(party.get("name", "") for party in parties)


def _yes(flag: object) -> str:
    return "Yes" if flag else "No"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rating(kpi: Json, period: Json) -> Item:
    """A KPI's rating, shown once the release rating that KPI for the period is published."""
    rating, observed = kpi.get("rating", ""), kpi.get("observed", "")
    meaning = dict[str, str](contract_performance_notice.MEANS.items()).get(rating, "")
    text = f"{_capital(rating)}: {meaning}." + (f" Observed: {observed}" if observed else "")
    period_days = (period.get("starts_on", ""), period.get("ends_on", ""))
    rated = ("rating", kpi.get("name", ""), *period_days, _capital(rating), observed or rating)
    return Item(kpi.get("name", ""), text, (rated,))


def _performance(facts: Json, grounds: Mapping[str, str]) -> list[Item]:
    period = facts.get("period", {})
    assessed = f"{_on(period.get('starts_on'))} to {_on(period.get('ends_on'))}"
    return [
        Item("Period assessed", assessed),
        *(_rating(kpi, period) for kpi in facts.get("kpis", [])),
    ]


def _change(facts: Json, grounds: Mapping[str, str]) -> list[Item]:
    ground, value, term = facts.get("ground", {}), facts.get("value"), facts.get("term")
    name, described = ground.get("name", ""), facts.get("description", "")
    explanation = ground.get("explanation", "")
    standstill = facts.get("standstill_days")
    items = [
        Item("The change", described),
        Item("Ground", _capital(cited(grounds.get(name, name.replace("_", " "))))),
        Item("The provision that permits it", cited(ground.get("citation", ""))),
        # sanely explains a change by its description: said once, not twice.
        Item("Why the change falls within it", explanation if explanation != described else ""),
        Item("A permitted modification under Schedule 8", _yes(facts.get("schedule_8"))),
    ]
    if value:
        before, after = _pounds(value["before"]), _pounds(value["after"])
        items.append(
            Item(
                "Estimated value of the contract",
                f"{money(before)} before the change, {money(after)} after it",
                (_figure(before), _figure(after)),
            )
        )
    if term:
        items.append(
            Item(
                "End of the contract’s term",
                f"{_on(term['before'])} before the change, {_on(term['after'])} after it",
            )
        )
    return [
        *items,
        Item("Suppliers joining the contract", _names(facts.get("joining", []))),
        Item("Suppliers leaving the contract", _names(facts.get("leaving", []))),
        Item("Expected to be modified on", _on(facts.get("modified_on"))),
        Item("Expected to take effect on", _on(facts.get("effective_on"))),
        Item(
            "Voluntary standstill period",
            plural(standstill, "working day") if standstill else "None",
        ),
        Item(
            "Conflicts assessment",
            "Prepared, kept under review and revised as necessary"
            " (Procurement Act 2023, section 83(5)(c))",
        ),
    ]


# The particulars of a supplier's breach (SI 2024/692 reg 41(2)(h)), in the order it lists them.
BREACH = (
    ("obligation", "Obligation breached"),
    ("nature", "Nature of the breach"),
    ("impact", "Impact of the breach"),
    ("duration", "Duration of the breach"),
    ("mitigation", "Steps the supplier took to mitigate it"),
    ("warnings", "Warnings and chances to improve given"),
    ("improvement", "Steps the supplier took to improve, and why they were not enough"),
)


def _breach(breach: Json | None) -> list[Item]:
    if not breach:
        return []
    paid = breach.get("paid") or {}
    resulted = contract_termination_notice.RESULTED.get(breach.get("resulted_in"), "")
    on = _on(breach.get("resulted_on"))
    return [
        Item("The breach resulted in", _capital(resulted) + (f", on {on}" if on else "")),
        Item("Judged to have failed to improve on", _on(breach.get("failed_to_improve_on"))),
        *(Item(label, breach.get(key, "")) for key, label in BREACH),
        Item(
            "Damages or other money paid",
            f"{money(_pounds(paid['amount']))}, {paid.get('basis', '')}" if paid else "",
        ),
        Item("The court or tribunal’s decision", paid.get("decision", "")),
    ]


def _termination(facts: Json, grounds: Mapping[str, str]) -> list[Item]:
    value = _pounds(facts.get("value") or 0)
    how = dict[str, str](contract_termination_notice.HOW.items()).get(facts.get("ending", ""), "")
    return [
        Item("Date ended", _on(facts.get("ended_on"))),
        Item("How it ended", _capital(how)),
        Item("Reasons", facts.get("reasons", "")),
        Item("Estimated value of the contract", money(value), (_figure(value),)),
        *_breach(facts.get("breach")),
    ]


@dataclass(frozen=True)
class NoticeKind:
    notice: Notice  # its name, and how it heads its suppliers
    statement: str  # what it is for, with {authority} and {suppliers}
    items: Callable[[Json, Mapping[str, str]], list[Item]]


NOTICE_KINDS = {
    contract_performance_notice.KIND: NoticeKind(
        contract_performance_notice.NOTICE,
        "{authority} sets out its assessment of the performance of {suppliers} against the key"
        " performance indicators it regards as most material to the contract.",
        _performance,
    ),
    contract_change_notice.KIND: NoticeKind(
        contract_change_notice.NOTICE,
        "{authority} intends to modify its contract with {suppliers}.",
        _change,
    ),
    contract_termination_notice.KIND: NoticeKind(
        contract_termination_notice.NOTICE,
        "{authority} gives notice that its contract with {suppliers} has ended.",
        _termination,
    ),
}


def _typed(
    notice: Json, grounds: Mapping[str, str], shown: Callable[[Item], bool]
) -> TypedNotice | None:
    """The notice of a kind sanely reads, with the rows `shown` lets through; None for others."""
    kind = NOTICE_KINDS.get(notice.get("kind", ""))
    if kind is None:
        return None
    facts = notice.get("facts", {})
    authority = facts.get("authority", {}).get("name", "")
    suppliers = _names(facts.get("suppliers", []))
    items = [
        Item("Contracting authority", authority),
        Item("Procurement", facts.get("procurement", "")),
        Item(kind.notice.suppliers, suppliers),
        *kind.items(facts, grounds),
        Item("Published under", cited(facts.get("citation", ""))),
    ]
    return TypedNotice(
        kind.notice.name,
        kind.statement.format(authority=authority, suppliers=suppliers),
        [(item.label, item.text) for item in items if item.text and shown(item)],
    )


def typed_notice(notice: Json, grounds: Mapping[str, str]) -> TypedNotice | None:
    """The whole notice, as the authority reviews it before anything of it is published."""
    return _typed(notice, grounds, lambda item: True)


def published_evidence(bodies: Iterable[Json], contract_id: str) -> frozenset[Evidence]:
    """The figures published releases give about one contract: its values and its KPI ratings."""
    found: set[Evidence] = set()
    for body in bodies:
        for contract in body.get("contracts", []):
            if contract.get("id") != contract_id:
                continue
            amended = [a.get("value") for a in contract.get("amendments", [])]
            values = [contract.get("value"), *amended]
            found |= {
                _figure(v["amount"], v.get("currency", "")) for v in values if v and "amount" in v
            }
            for metric in contract.get("implementation", {}).get("metrics", []):
                for seen in metric.get("observations", []):
                    period = seen.get("period", {})
                    found.add(
                        (
                            "rating",
                            metric.get("title", ""),
                            _iso_day(period.get("startDate")),
                            _iso_day(period.get("endDate")),
                            seen.get("measureClassification", {}).get("description", ""),
                            seen.get("measure", ""),
                        )
                    )
    return frozenset(found)


def _iso_day(text: str | None) -> str:
    moment = when(text)
    return moment.astimezone(UK).date().isoformat() if moment else ""


def public_typed_notice(
    notice: Json,
    grounds: Mapping[str, str],
    published: Iterable[tuple[Json, dict[str, list[Any]]]],
) -> TypedNotice | None:
    """
    The notice as the public reads it: only the rows whose figures a published release about the
    same contract gives (each release `(body, omitted)`, with what its schema could not carry put
    back), so that nothing withheld, kept back or still waiting for review is shown.
    """
    if notice.get("kind") not in NOTICE_KINDS:
        return None
    shown = published_evidence(
        (restored(body, omitted) for body, omitted in published),
        notice.get("facts", {}).get("contract_id", ""),
    )
    return _typed(notice, grounds, lambda item: set(item.needs) <= shown)
