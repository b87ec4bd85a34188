"""
How published OCDS data reads on the public pages: plain English rows and tables made from a
compiled release or one release, never from anything unpublished. No identifier of ours (ocid,
party or release id) is shown, only names, dates, amounts and words.
"""

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sanely.documents.wording import UK, money, number, plural, uk_date

Json = dict[str, Any]
Row = tuple[str, str]

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


def _in_words(description: str) -> str:
    """
    A milestone's description with what its release says in codes said in words: a gate
    decision's outcome, and a planned value in pounds (1.1.5 milestones have no value field).
    """
    described = re.sub(
        r"Value: (\d+(?:\.\d+)?) GBP\.",
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
class Partner:
    name: str
    rows: list[Row]
    plan: list[tuple[str, list[Milestone]]] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    spend: str = ""
    changes: list[Change] = field(default_factory=list)
    ended: str = ""


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
    tables = [
        (heading, [_milestone(m) for m in found if m.get("code") == code])
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
        linked = transaction.get("relatedImplementationMilestone", {}).get("id")
        named = re.fullmatch(r"payment-\d+-(.+)", str(transaction.get("id", "")))
        key = linked or (named.group(1) if named else "")
        found.append(
            Payment(
                titles.get(key, "An instalment"),
                day(transaction.get("date")),
                amount(transaction.get("value")),
            )
        )
    return found


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


def partners(compiled: Json) -> list[Partner]:
    """Each award with its contract and the contract's plan, as the public reads them."""
    contracts = {c.get("awardID"): c for c in compiled.get("contracts", [])}
    found = []
    for award in compiled.get("awards", []):
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
        found.append(
            Partner(
                _supplier(award),
                [row for row in rows if row[1]],
                plan(contract),
                payments(contract),
                spend(contract),
                changes(contract),
                ended(contract),
            )
        )
    return found


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
