"""
How published OCDS data reads on the public pages: plain English rows and tables made from a
compiled release or one release, never from anything unpublished. No identifier of ours (ocid,
party or release id) is shown, only names, dates, amounts and words.
"""

import copy
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sanely import evidence
from sanely.documents.wording import UK, money, number, plural, uk_date

Json = dict[str, Any]
Row = tuple[str, str]
PENNY = Decimal("0.01")

MILESTONE_KINDS = {
    "phase": "Phase",
    "target": "Intermediate target",
    "gate": "Gate review",
    "instalment": "Instalment",
    "purchase": "Purchase",
}
MILESTONE_STATUSES = {
    "scheduled": "Scheduled",
    "met": "Met",
    "notMet": "Not met",
    "partiallyMet": "Partly met",
}
STATISTICS = {
    "requests": ("request to participate", "requests to participate"),
    "bids": ("tender assessed", "tenders assessed"),
    "finalStageBids": ("final tender", "final tenders"),
    "smeFinalStageBids": ("final tender from a small or medium-sized enterprise", ""),
    "vcseFinalStageBids": ("final tender from a voluntary or community organisation", ""),
    "smeBids": ("tender from a small or medium-sized enterprise", ""),
}


def when(text: str | None) -> datetime | None:
    """An OCDS date as an aware datetime (None when absent)."""
    return datetime.fromisoformat(text) if text else None


def day(text: str | None) -> str:
    moment = when(text)
    return uk_date(moment.astimezone(UK).date()) if moment else ""


def amount(value: Json | None) -> str:
    if not value:
        return ""
    figure = Decimal(str(value["amount"]))
    return (
        money(figure) if value.get("currency") == "GBP" else f"{number(figure)} {value['currency']}"
    )


def span(period: Json | None) -> str:
    if not period:
        return ""
    start, end = day(period.get("startDate")), day(period.get("endDate"))
    return f"{start} to {end}" if end else f"from {start}"


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


# The partner's plan on its public page, one table per kind of milestone, in this order.
PLAN_TABLES = {
    "phase": "Phases",
    "target": "Intermediate targets and their verdicts",
    "gate": "Gate decisions",
    "instalment": "Instalments",
    "purchase": "The purchase",
}


# A gate decision's outcome as its release codes it ("Decision: proceedToPurchase. …"), in words.
GATE_OUTCOMES = {
    "continue": "continue to the next phase",
    "reduce": "end this partner’s contract",
    "terminate": "end the partnership",
    "proceedToPurchase": "proceed to the purchase",
}


# A planned value as sanely's releases state it in a milestone's description (1.1.5 milestones
# have no value field).
PLANNED_VALUE = re.compile(r"Value: (\d+(?:\.\d+)?) GBP\.")


def _in_words(description: str) -> str:
    """
    A milestone's description with what its release says in codes said in words: a gate
    decision's outcome, and a planned value in pounds.
    """
    described = PLANNED_VALUE.sub(
        lambda found: f"Value: {amount({'amount': found.group(1), 'currency': 'GBP'})}.",
        description,
    )
    found = re.match(r"Decision: (\w+)\.", described)
    if found is None or found.group(1) not in GATE_OUTCOMES:
        return described
    return f"Decision: {GATE_OUTCOMES[found.group(1)]}." + described[found.end() :]


@dataclass(frozen=True)
class Milestone:
    title: str
    kind: str
    due: str
    status: str
    # What was found or decided (a verdict with its figures, a gate's reasons); "" while due.
    outcome: str = ""


@dataclass(frozen=True)
class Payment:
    instalment: str
    paid_on: str
    amount: str


@dataclass(frozen=True)
class Change:
    made_on: str
    description: str
    grounds: str
    value_after: str


@dataclass(frozen=True)
class Instalment:
    """An instalment of the plan with what was planned for it and what has been paid."""

    title: str
    planned: Decimal | None
    paid: Decimal

    @property
    def planned_text(self) -> str:
        return money(self.planned.quantize(PENNY)) if self.planned is not None else "Not stated"

    @property
    def paid_text(self) -> str:
        return money(self.paid.quantize(PENNY))


@dataclass(frozen=True)
class Partner:
    name: str
    rows: list[Row]
    plan: list[tuple[str, list[Milestone]]] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    spend: str = ""
    changes: list[Change] = field(default_factory=list)
    ended: str = ""
    # The charts of the partner's targets and spend, each with its text alternative.
    verdicts: evidence.Chart | None = None
    instalments: list[Instalment] = field(default_factory=list)
    spending: evidence.Chart | None = None
    # Each target's published estimate with its interval, against the target's threshold.
    estimates: list["Estimate"] = field(default_factory=list)


@dataclass(frozen=True)
class Estimate:
    """A target's chart of its estimates (one per part assessed) and what its table heads."""

    chart: evidence.Chart
    caption: str


def _supplier(award: Json) -> str:
    return ", ".join(s.get("name", "") for s in award.get("suppliers", []))


def _milestone(m: Json) -> Milestone:
    status = m.get("status", "")
    return Milestone(
        title=m.get("title", ""),
        kind=MILESTONE_KINDS.get(m.get("code", ""), "Milestone"),
        due=day(m.get("dueDate")),
        status=MILESTONE_STATUSES.get(status, ""),
        outcome=_in_words(m.get("description", "")) if status not in ("", "scheduled") else "",
    )


def plan(contract: Json) -> list[tuple[str, list[Milestone]]]:
    """The plan's milestones in one table per kind: phases, targets, gates, instalments."""
    found = contract.get("implementation", {}).get("milestones", [])
    # A target's status is its verdict, told from a target still waiting for one.
    verdicts = {m.get("id"): verdict.capitalize() for m, verdict in _judged(contract)}

    def row(m: Json) -> Milestone:
        shown = _milestone(m)
        return replace(shown, status=verdicts[m.get("id")]) if m.get("code") == "target" else shown

    tables = [
        (heading, [row(m) for m in found if m.get("code") == code])
        for code, heading in PLAN_TABLES.items()
    ]
    return [(heading, rows) for heading, rows in tables if rows]


def payments(contract: Json) -> list[Payment]:
    """
    Each payment with the instalment it paid: linked by the transaction's milestone when the
    release can carry the link, else by the transaction id sanely gives
    (`payment-<n>-<instalment>`).
    """
    implementation = contract.get("implementation", {})
    titles = {m.get("id"): m.get("title", "") for m in implementation.get("milestones", [])}
    found = []
    for transaction in implementation.get("transactions", []):
        found.append(
            Payment(
                titles.get(_instalment_of(transaction), "An instalment"),
                day(transaction.get("date")),
                amount(transaction.get("value")),
            )
        )
    return found


def _instalment_of(transaction: Json) -> str:
    """The instalment a payment paid: its milestone's id, "" when the release does not say."""
    linked = transaction.get("relatedImplementationMilestone", {}).get("id")
    named = re.fullmatch(r"payment-\d+-(.+)", str(transaction.get("id", "")))
    return str(linked or (named.group(1) if named else ""))


def spend(contract: Json) -> str:
    """What has been paid so far against the contract's value."""
    paid = [
        Decimal(str(t["value"]["amount"]))
        for t in contract.get("implementation", {}).get("transactions", [])
        if t.get("value")
    ]
    if not paid:
        return ""
    total = amount({"amount": sum(paid, Decimal(0)), "currency": "GBP"})
    value = amount(contract.get("value"))
    return f"{total} paid so far" + (f" of a contract value of {value}" if value else "")


def changes(contract: Json) -> list[Change]:
    return [
        Change(
            made_on=day(a.get("date")),
            description=a.get("description") or a.get("rationale", ""),
            grounds="; ".join(
                c.get("description") or c.get("id", "")
                for c in a.get("rationaleClassifications", [])
            ),
            value_after=amount(a.get("value")),
        )
        for a in contract.get("amendments", [])
    ]


def ended(contract: Json) -> str:
    """Why a partner's contract ended, from its termination rationale."""
    if contract.get("status") != "terminated":
        return ""
    reasons = [
        c.get("description") or c.get("id", "")
        for c in contract.get("terminationRationaleClassifications", [])
    ]
    return "; ".join(reasons) or "The contract has ended."


# A target's published verdict (its milestone's status) in the words its chart uses.
TARGET_VERDICTS = {"met": "met", "partiallyMet": "partly met", "notMet": "not met"}


def target_verdicts(contract: Json) -> list[tuple[str, str]]:
    """
    Each intermediate target of a partner's plan with its verdict in words. Only met, partly
    met and not met are published (OCDS has no status for the rest); a target its phase's
    review passed without a verdict (inconclusive, or without data) is told from one still
    waiting by the review itself: its phase's gate decided, or a verdict published on another
    target due with it (a phase's targets and its gate are all due when the phase ends).
    """
    return [(m.get("title", ""), verdict) for m, verdict in _judged(contract)]


def _judged(contract: Json) -> list[tuple[Json, str]]:
    """Each target milestone of the contract with its verdict in words (`target_verdicts`)."""
    milestones = contract.get("implementation", {}).get("milestones", [])
    reviewed = {
        m.get("dueDate")
        for m in milestones
        if (m.get("code") == "gate" and m.get("status", "scheduled") != "scheduled")
        or (m.get("code") == "target" and m.get("status") in TARGET_VERDICTS)
    }
    return [
        (
            m,
            TARGET_VERDICTS.get(
                m.get("status", ""),
                "inconclusive" if m.get("dueDate") in reviewed else "not yet judged",
            ),
        )
        for m in milestones
        if m.get("code") == "target"
    ]


def instalments(contract: Json) -> list[Instalment]:
    """
    Each planned instalment with its planned value (as its milestone states it) and what has
    been paid against it; payments the release does not link to an instalment come last.
    """
    implementation = contract.get("implementation", {})
    paid: dict[str, Decimal] = {}
    for transaction in implementation.get("transactions", []):
        if transaction.get("value"):
            key = _instalment_of(transaction)
            paid[key] = paid.get(key, Decimal(0)) + Decimal(str(transaction["value"]["amount"]))
    found = []
    for m in implementation.get("milestones", []):
        if m.get("code") == "instalment":
            planned = PLANNED_VALUE.search(m.get("description", ""))
            found.append(
                Instalment(
                    m.get("title", ""),
                    Decimal(planned.group(1)) if planned else None,
                    paid.pop(m.get("id", ""), Decimal(0)),
                )
            )
    if paid:
        found.append(Instalment("Other payments", None, sum(paid.values(), Decimal(0))))
    return found


def _verdict_chart(name: str, contract: Json, key: str) -> evidence.Chart | None:
    targets = target_verdicts(contract)
    if not targets:
        return None
    return evidence.verdict_chart(targets, f"Verdicts on {name}’s intermediate targets", key)


def _spend_chart(name: str, found: list[Instalment], key: str) -> evidence.Chart | None:
    if not found:
        return None
    return evidence.planned_paid_chart(
        [i.title for i in found],
        [float(i.planned) if i.planned is not None else None for i in found],
        [float(i.paid) for i in found],
        f"Paid to {name} against the planned instalments",
        prefix="£",
        key=key,
    )


# A target's comparator in words, and the row of a target assessed without parts.
COMPARED = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than"}
WHOLE = "All the data"


def _figure(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _estimate(milestone: Json, figures: list[Json], key: str) -> Estimate | None:
    """
    A target's published figures as a chart: each part's estimate with its confidence interval,
    and the target's threshold; None when no part has its figures.
    """
    parts = [
        p for p in figures if None not in (_figure(p.get(k)) for k in ("estimate", "low", "high"))
    ]
    if not parts:
        return None
    first, title = parts[0], milestone.get("title", "")
    threshold, units = _figure(first.get("threshold")), str(first.get("units") or "")
    chart = evidence.comparison_chart(
        [str(p.get("part") or WHOLE) for p in parts],
        [float(p["estimate"]) for p in parts],
        [float(p["low"]) for p in parts],
        [float(p["high"]) for p in parts],
        title,
        units=units,
        threshold=threshold,
        key=key,
    )
    level = _figure(first.get("level"))
    caption = f"{title}: the estimate" + (
        f" with its {number(Decimal(str(level)) * 100)}% confidence interval" if level else ""
    )
    wanted = COMPARED.get(str(first.get("comparator")))
    if threshold is not None and wanted:
        caption += f"; the target is {wanted} {number(Decimal(str(threshold)))}"
        caption += f" {units}" if units else ""
    return Estimate(chart, caption)


def release_estimates(release: Json, figures: list[Json]) -> list[Estimate]:
    """The charts a verdict's figures make on the public page, for its review."""
    milestones = [
        m
        for contract in release.get("contracts", [])
        for m in contract.get("implementation", {}).get("milestones", [])
    ]
    charts = [_estimate(m, figures, f"estimates-{i}") for i, m in enumerate(milestones, 1)]
    return [chart for chart in charts if chart is not None]


def _estimates(contract: Json, published: list[tuple[Json, list[Json]]], n: int) -> list[Estimate]:
    """The charts of a partner's published figures, in the order of its plan's targets."""
    order = [m.get("id") for m in contract.get("implementation", {}).get("milestones", [])]
    ranked = sorted(
        published,
        key=lambda found: (
            order.index(found[0].get("id")) if found[0].get("id") in order else len(order)
        ),
    )
    charts = [
        _estimate(m, figures, f"estimates-{n}-{i}") for i, (m, figures) in enumerate(ranked, 1)
    ]
    return [chart for chart in charts if chart is not None]


def partners(
    compiled: Json, figures: dict[str, list[tuple[Json, list[Json]]]] | None = None
) -> list[Partner]:
    """
    Each award with its contract and the contract's plan, as the public reads them; with
    `figures` (`selectors.published_figures`), each published verdict's estimates charted.
    """
    figures = figures or {}
    contracts = {c.get("awardID"): c for c in compiled.get("contracts", [])}
    found = []
    for n, award in enumerate(compiled.get("awards", []), start=1):
        contract = contracts.get(award.get("id"), {})
        rows = [
            ("Value", amount(contract.get("value") or award.get("value"))),
            ("Contract period", span(contract.get("period") or award.get("contractPeriod"))),
            ("Contract signed", day(contract.get("dateSigned"))),
            (
                "Contract status",
                {"active": "Active", "terminated": "Ended"}.get(
                    contract.get("status", ""), "Not signed yet"
                ),
            ),
        ]
        name, planned = _supplier(award), instalments(contract)
        found.append(
            Partner(
                name,
                [row for row in rows if row[1]],
                plan(contract),
                payments(contract),
                spend(contract),
                changes(contract),
                ended(contract),
                _verdict_chart(name, contract, f"verdicts-{n}"),
                planned,
                _spend_chart(name, planned, f"spend-{n}"),
                _estimates(contract, figures.get(contract.get("id", ""), []), n),
            )
        )
    return found


# How a partnership turned out, from its published record, as the search offers it.
OUTCOMES = {
    "purchased": "Bought the solution",
    "ended": "Ended early, without a purchase",
    "active": "Still in partnership",
    "cancelled": "Cancelled before any contract",
}
# The verdicts a procurement's targets can be searched by, by the value the search takes.
VERDICT_FILTERS = {
    "met": "A target met",
    "partly-met": "A target partly met",
    "not-met": "A target not met",
    "inconclusive": "A target inconclusive at its phase’s review",
}


def outcome(compiled: Json) -> str:
    """
    How the procurement turned out so far, one of `OUTCOMES` ("" before any contract): its
    tender cancelled; a purchase milestone met; every partner's contract ended without one;
    else a partnership still running.
    """
    if compiled.get("tender", {}).get("status") == "cancelled":
        return "cancelled"
    contracts = compiled.get("contracts", [])
    if not contracts:
        return ""
    milestones = [m for c in contracts for m in c.get("implementation", {}).get("milestones", [])]
    if any(m.get("code") == "purchase" and m.get("status") == "met" for m in milestones):
        return "purchased"
    if all(c.get("status") == "terminated" for c in contracts):
        return "ended"
    return "active"


def verdicts(compiled: Json) -> list[str]:
    """The verdicts reached on any partner's targets, as `VERDICT_FILTERS` values, in order."""
    found = {
        verdict.replace(" ", "-")
        for contract in compiled.get("contracts", [])
        for _, verdict in target_verdicts(contract)
    }
    return [value for value in VERDICT_FILTERS if value in found]


def criteria(compiled: Json) -> list[Row]:
    """Award criteria and their weights, from the lots of the tender."""
    return [
        (c.get("name", ""), f"{number(Decimal(str(c['numbers'][0]['number'])))}%")
        for lot in compiled.get("tender", {}).get("lots", [])
        for c in lot.get("awardCriteria", {}).get("criteria", [])
        if c.get("numbers")
    ]


def statistics(award_release: Json) -> list[str]:
    found = []
    for statistic in award_release.get("bids", {}).get("statistics", []):
        one, many = STATISTICS.get(statistic["measure"], (statistic["measure"], ""))
        found.append(plural(statistic["value"], one, many))
    return found


def cancellation(compiled: Json) -> str:
    """Why the procurement was terminated, from its termination notice."""
    tender = compiled.get("tender", {})
    if tender.get("status") != "cancelled":
        return ""
    notices = [
        d
        for d in tender.get("documents", [])
        if d.get("documentType") == "tenderCancellationNotice"
    ]
    return notices[-1].get("description", "") if notices else ""


def restored(body: Json, omitted: dict[str, list[Any]]) -> Json:
    """
    A published release with what it could not carry put back (the fields of an extension whose
    schema was not at hand), for its notice page only; values go back in the order taken.
    """
    whole = copy.deepcopy(body)
    for path, values in omitted.items():
        _put_back(whole, path.split("."), list(values))
    return whole


def _put_back(node: object, keys: list[str], values: list[Any]) -> None:
    if isinstance(node, list):
        for item in node:
            _put_back(item, keys, values)
    elif isinstance(node, dict) and values:
        if len(keys) == 1:
            node[keys[0]] = values.pop(0)
        else:
            _put_back(node.setdefault(keys[0], {}), keys[1:], values)


def _contract_rows(contract: Json) -> list[Row]:
    implementation = contract.get("implementation", {})
    rows: list[Row] = [
        ("Value", amount(contract.get("value"))),
        ("Contract period", span(contract.get("period"))),
        ("Contract signed", day(contract.get("dateSigned"))),
        (
            "Key performance indicators",
            "; ".join(m.get("title", "") for m in contract.get("agreedMetrics", [])),
        ),
        ("Contract status", "Ended" if contract.get("status") == "terminated" else ""),
        ("Why it ended", ended(contract) if contract.get("status") == "terminated" else ""),
        ("Date ended", day(implementation.get("endDate"))),
        ("What happened", implementation.get("endDateDetails", "")),
        ("Paid under the contract", amount(implementation.get("finalValue"))),
    ]
    for change in changes(contract):
        rows += [
            ("Change", change.description),
            ("Why the law permits it", change.grounds),
            ("Value after the change", change.value_after),
        ]
    for m in implementation.get("milestones", []):
        shown = _milestone(m)
        rows += [(shown.kind, shown.title), ("Status", shown.status), ("Finding", shown.outcome)]
    for paid in payments(contract):
        rows += [("Paid", paid.amount), ("Paid on", paid.paid_on)]
    for metric in implementation.get("metrics", []):
        for observation in metric.get("observations", []):
            rows += [
                ("Key performance indicator", metric.get("title", "")),
                ("Period assessed", span(observation.get("period"))),
                ("Rating", observation.get("measureClassification", {}).get("description", "")),
                ("Observed", observation.get("measure", "")),
            ]
    return rows


def notice_rows(release: Json) -> list[Row]:
    """What one notice says, in the order its release holds it."""
    tender = release.get("tender", {})
    rows: list[Row] = [
        ("Procurement", tender.get("title", "")),
        ("Buyer", release.get("buyer", {}).get("name", "")),
        ("Procedure", tender.get("procurementMethodDetails", "")),
        ("Estimated value", amount(tender.get("value"))),
        ("Requests to participate close", day(tender.get("expressionOfInterestDeadline"))),
    ]
    suppliers = [p["name"] for p in release.get("parties", []) if "supplier" in p.get("roles", [])]
    rows.append(("Partner", ", ".join(suppliers)))
    for award in release.get("awards", []):
        rows += [
            ("Value", amount(award.get("value"))),
            ("Contract period", span(award.get("contractPeriod"))),
            ("Standstill period", span(award.get("standstillPeriod"))),
            ("Assessment summaries sent", day(award.get("assessmentSummariesDateSent"))),
        ]
    for contract in release.get("contracts", []):
        rows += _contract_rows(contract)
    rows.append(("Tenders", "; ".join(statistics(release))))
    return [row for row in rows if row[1]]


def summary_rows(compiled: Json) -> list[Row]:
    """The key facts of a procurement's public page."""
    tender = compiled.get("tender", {})
    rows = [
        ("Buyer", compiled.get("buyer", {}).get("name", "")),
        ("Procedure", tender.get("procurementMethodDetails", "")),
        ("Estimated value", amount(tender.get("value"))),
        ("Requests to participate close", day(tender.get("expressionOfInterestDeadline"))),
    ]
    return [row for row in rows if row[1]]


def subject(release: Json) -> str:
    """Whom or what one release is about, for the authority's list of facts."""
    suppliers = [p["name"] for p in release.get("parties", []) if "supplier" in p.get("roles", [])]
    amendments = release.get("tender", {}).get("amendments", [])
    reasons = [
        d.get("description", "")
        for d in release.get("tender", {}).get("documents", [])
        if d.get("documentType") == "tenderCancellationNotice"
    ]
    found = suppliers or [a.get("rationale", "") for a in amendments] or reasons
    return ", ".join(found)
