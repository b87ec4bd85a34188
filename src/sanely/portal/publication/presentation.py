"""
How published OCDS data reads on the public pages: plain English rows and tables made from a
compiled release or one release, never from anything unpublished. No identifier of ours (ocid,
party or release id) is shown, only names, dates, amounts and words.
"""

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


@dataclass(frozen=True)
class Milestone:
    title: str
    kind: str
    due: str
    status: str


@dataclass(frozen=True)
class Partner:
    name: str
    rows: list[Row]
    milestones: list[Milestone] = field(default_factory=list)


def _supplier(award: Json) -> str:
    return ", ".join(s.get("name", "") for s in award.get("suppliers", []))


def milestones(contract: Json) -> list[Milestone]:
    return [
        Milestone(
            title=m.get("title", ""),
            kind=MILESTONE_KINDS.get(m.get("code", ""), "Milestone"),
            due=day(m.get("dueDate")),
            status=MILESTONE_STATUSES.get(m.get("status", ""), ""),
        )
        for m in contract.get("implementation", {}).get("milestones", [])
    ]


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
            Partner(_supplier(award), [row for row in rows if row[1]], milestones(contract))
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
        rows += [
            ("Value", amount(contract.get("value"))),
            ("Contract period", span(contract.get("period"))),
            ("Contract signed", day(contract.get("dateSigned"))),
            (
                "Key performance indicators",
                "; ".join(m.get("title", "") for m in contract.get("agreedMetrics", [])),
            ),
        ]
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
