"""
The partnership's facts after award, read from the `partnerships` rows (never written): the
targets' verdicts as the gate review recorded them, each partner's gate decision with the reasons
given to it, the instalments paid, the KPI assessments (UK9), the lawful changes (UK10), the
contracts that ended (UK11) and the move to the purchase.

Every one of them waits for the authority's review before it is published: a verdict's figures,
a payment or a partner's reasons reach the public only once someone has looked at them. What is
read is an allow-list in itself: a claim's amount and day paid but never its invoice, basis,
query or evidence note; a gate's decision and the reasons given to the partner but never the
partners' reports or the panel's record; an ending's reasons but never the representations.

Ids follow the partner's rank and the plan's own keys (`verdict-1-target-trips`,
`gate-phase-design-1`) or their order among the contract's rows (`paid-1-4`, `change-1-2`,
`assessment-1-1-kpi-3`), so each fact is found once.
"""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from sanely.ocds import facts as f
from sanely.portal.award.models import Contract
from sanely.portal.partnerships.models import (
    Claim,
    ClaimStatus,
    ContractChange,
    ContractEnd,
    Evidence,
    GateDecision,
    GateReview,
    Observation,
    Outcome,
    Partnership,
    PerformanceAssessment,
    PlanVersion,
)
from sanely.portal.pilots.models import AssessmentStatus
from sanely.portal.procurements.engine import UK
from sanely.procedure import GATE_DECISIONS, ROUTES

from . import notices
from .sources import (
    CHANGE,
    PERFORMANCE,
    TERMINATION,
    Context,
    Found,
    Source,
    contract_ids,
    contract_value,
    money,
    plan_milestones,
    value_after,
)

PA_2023 = "Procurement Act 2023"
# The field of a verdict's release that holds its figures: withheld, they are not charted either.
FIGURES_WITHHELD = "contracts.implementation.milestones.description"
# A target's verdict as the gate review recorded it, as an OCDS milestone status. An inconclusive
# target or one still waiting for data has no verdict to publish: its milestone stays scheduled.
VERDICTS: dict[str, Any] = {"met": "met", "partly met": "partiallyMet", "not met": "notMet"}
GATE_OUTCOMES: dict[str, Any] = {
    Outcome.CONTINUE: "continue",
    Outcome.END: "reduce",
    Outcome.PURCHASE: "proceedToPurchase",
    Outcome.TERMINATE: "terminate",
}
# The UK9 ratings (SI 2024/692 reg 39(5)) as the UK extension's measureClassification codes.
RATINGS: dict[str, Any] = {
    "good": "met",
    "approaching_target": "slightlyBelow",
    "requires_improvement": "below",
    "inadequate": "significantlyBelow",
    "other": "other",
}
# How a contract ended, as the termination rationale sanely publishes (Find a Tender's
# `contractCompleted` where it is the same thing); the scheme is sanely's own until the UK
# extension publishes its codelist.
ENDINGS_SCHEME = "sanely-contract-end"
ENDINGS = {
    f"At a gate review: {GATE_DECISIONS['reduce']}": "reducedAtGate",
    f"At a gate review: {GATE_DECISIONS['terminate']}": "partnershipTerminated",
    ROUTES["implied_term"]: "impliedTermGround",
    ROUTES["contract_terms"]: "contractTerms",
    ROUTES["expiry"]: "contractCompleted",
}


def at_start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UK)


def _partnership(c: Context) -> Partnership | None:
    return Partnership.objects.filter(procurement=c.procurement).first()


def _plan(partnership: Partnership, contract: Contract) -> dict[str, f.ScheduledMilestone]:
    """The milestones of the partner's plan as it stands now, by id."""
    version = PlanVersion.objects.filter(contract=contract).order_by("-number").first()
    if version is None:
        return {}
    return {m.id: m for m in plan_milestones(partnership, version)}


def _page(c: Context, fact_id: str, document_type: str, title: str, at: datetime) -> f.Document:
    """A report that reads on the fact's public page (a verdict's or a gate's)."""
    return f.Document(
        id=f"report-{fact_id}",
        document_type=document_type,
        title=title,
        url=c.page_url(fact_id),
        published=at,
    )


def fewer_than(count: int) -> str:
    """A count of pilot data as the public reads it: small counts are not given exactly."""
    threshold: int = settings.PUBLIC_COUNT_THRESHOLD
    return f"fewer than {threshold}" if count < threshold else f"{count:,}"


def _rows(result: dict[str, Any]) -> int:
    """How many records of pilot data an assessment used (its `n`, by group and period)."""

    def total(node: object) -> int:
        if isinstance(node, dict):
            return sum(total(value) for value in node.values())
        return node if isinstance(node, int) else 0

    return total(result.get("n", {}))


def _records_used(contract: Contract, target_key: str, until: datetime) -> int:
    """The records behind a target's verdict: the latest assessed delivery of each part."""
    latest: dict[str, int] = {}
    for evidence in (
        Evidence.objects.filter(contract=contract, target_key=target_key, submitted_at__lte=until)
        .select_related("assessment")
        .order_by("part", "submitted_at")
    ):
        assessment = evidence.assessment
        if assessment.status == AssessmentStatus.DONE and assessment.result:
            latest[evidence.part] = _rows(assessment.result)
    return sum(latest.values())


# Verdicts and gates


def _reviews(c: Context) -> Iterator[tuple[Partnership, GateReview]]:
    partnership = _partnership(c)
    if partnership is not None:
        for review in GateReview.objects.filter(partnership=partnership).order_by("opened_at"):
            yield partnership, review


def _verdicts(c: Context) -> list[Found]:
    """Each target's verdict as the gate review recorded it when the phase ended."""
    found: list[Found] = []
    for partnership, review in _reviews(c):
        partners = review.record.get("partners", {})
        for contract in Contract.objects.filter(pk__in=[int(pk) for pk in partners]).order_by(
            "rank"
        ):
            plan = _plan(partnership, contract)
            for target in partners[str(contract.pk)]["targets"]:
                verdict = _verdict(c, review, contract, plan.get(target["key"]), target)
                if verdict is not None:
                    found.append(verdict)
    return found


def _verdict(
    c: Context,
    review: GateReview,
    contract: Contract,
    milestone: f.ScheduledMilestone | None,
    target: dict[str, Any],
) -> Found | None:
    status = VERDICTS.get(target["verdict"])
    if status is None or milestone is None:
        return None
    fact_id = f"verdict-{contract.rank}-{target['key']}"
    used = _records_used(contract, target["key"], review.opened_at)
    finding = " ".join(
        [
            f"{target['metric']}: {target['verdict']}.",
            *target.get("explanations", []),
            f"Based on {fewer_than(used)} records of pilot data.",
        ]
    )
    verdict = f.TargetVerdict(
        id=fact_id,
        date=review.opened_at,
        milestone=replace(milestone, description=finding),
        status=status,
        report=_page(
            c,
            fact_id,
            "physicalProgressReport",
            f"Verdict on {target['metric']}",
            review.opened_at,
        ),
        **contract_ids(contract),
    )
    # Below the count threshold the figures are not charted: the finding says "fewer than".
    shown = used >= settings.PUBLIC_COUNT_THRESHOLD
    return Found(verdict, {}, _figures(target) if shown else [])


# What a verdict's chart shows of each part assessed, as the gate review recorded it.
FIGURES = ("part", "estimate", "low", "high", "level", "threshold", "comparator", "units")


def _figures(target: dict[str, Any]) -> list[dict[str, Any]]:
    """
    The figures of each part assessed, by name only (a review recorded before gates kept them
    has none: nothing is charted).
    """
    return [
        {name: part.get(name) for name in FIGURES}
        for part in target.get("figures", [])
        if isinstance(part, dict)
    ]


def _decisions(c: Context) -> Iterator[tuple[Partnership, GateReview, GateDecision]]:
    for partnership, review in _reviews(c):
        if review.decided_at is not None:
            for decision in GateDecision.objects.filter(review=review).select_related("contract"):
                yield partnership, review, decision


def _gates(c: Context) -> list[f.Fact]:
    """Each partner's gate decision with the reasons given to it (not the panel's record)."""
    found: list[f.Fact] = []
    for partnership, review, decision in _decisions(c):
        contract = decision.contract
        milestone = _plan(partnership, contract).get(f"gate-{review.phase_key}")
        if milestone is None or review.decided_at is None:
            continue
        fact_id = f"gate-{review.phase_key}-{contract.rank}"
        found.append(
            f.GateDecision(
                id=fact_id,
                date=review.decided_at,
                milestone=milestone,
                outcome=GATE_OUTCOMES[decision.outcome],
                reasons=decision.reasons,
                reasons_document=_page(
                    c, fact_id, "evaluationReports", milestone.title, review.decided_at
                ),
                **contract_ids(contract),
            )
        )
    return found


def _purchases(c: Context) -> list[f.Fact]:
    """The partner the gate chose to buy from, at the price agreed."""
    found: list[f.Fact] = []
    for partnership, review, decision in _decisions(c):
        contract = decision.contract
        milestone = _plan(partnership, contract).get("purchase")
        price = decision.purchase_price
        if decision.outcome != Outcome.PURCHASE or milestone is None or price is None:
            continue
        phases = sum((Decimal(p["max_value"]) for p in contract.phases), Decimal(0))
        found.append(
            f.PurchaseStarted(
                id=f"purchase-{contract.rank}",
                date=review.decided_at or review.opened_at,
                milestone=milestone,
                contract_value=money(phases + price),
                **contract_ids(contract),
            )
        )
    return found


# Money


def _payments(c: Context) -> list[f.Fact]:
    """Each paid claim: the instalment met and its transaction (amount and day only)."""
    partnership = _partnership(c)
    if partnership is None:
        return []
    found: list[f.Fact] = []
    buyer = c.party(c.procurement.organisation)
    # Numbered among all the contract's claims, paid or not: an instalment may be claimed twice.
    claims = Claim.objects.filter(contract__procurement=c.procurement).select_related(
        "contract__partner"
    )
    for claim, nth in _numbered(claims):
        contract = claim.contract
        milestone = _plan(partnership, contract).get(claim.instalment_key)
        if claim.status != ClaimStatus.PAID or milestone is None or claim.paid_on is None:
            continue
        found.append(
            f.InstalmentPaid(
                id=f"paid-{contract.rank}-{nth}",
                date=at_start_of(claim.paid_on),
                milestone=milestone,
                transaction_id=f"payment-{nth}-{claim.instalment_key}",
                value=money(claim.amount),
                payer=buyer,
                payee=c.party(contract.partner),
                **contract_ids(contract),
            )
        )
    return found


# The Act's contract notices after award


def _uk(c: Context, number: str) -> str | None:
    """The Act's notice number, for a procurement under the Act."""
    return number if c.rulebook.regime == PA_2023 else None


def _observed(contract: Contract, kpi: str, assessment: PerformanceAssessment) -> str:
    """What the tracked observations of the KPI showed over the period, if any was recorded."""
    latest = (
        Observation.objects.filter(
            contract=contract,
            measure=kpi,
            period_start__gte=assessment.period_start,
            period_end__lte=assessment.period_end,
        )
        .order_by("-period_end")
        .first()
    )
    return latest.observed if latest is not None else ""


def _numbered[Row: (Claim, PerformanceAssessment, ContractChange)](
    rows: QuerySet[Row],
) -> Iterator[tuple[Row, int]]:
    """
    Each row with its number among its contract's, in the order they were recorded (which a
    later row never changes, so a fact's id stays the same: two may share a day).
    """
    counts: dict[int, int] = {}
    for row in rows.order_by("contract__rank", "pk"):
        counts[row.contract_id] = counts.get(row.contract_id, 0) + 1
        yield row, counts[row.contract_id]


def _assessments(c: Context) -> list[Found]:
    """Each KPI's rating in a performance assessment (UK9 under the Act, with its content)."""
    found: list[Found] = []
    assessments = PerformanceAssessment.objects.filter(
        contract__procurement=c.procurement
    ).select_related("contract__procurement__organisation", "contract__partner")
    for assessment, nth in _numbered(assessments):
        contract = assessment.contract
        observed = {title: _observed(contract, title, assessment) for title in contract.kpis}
        content = notices.performance(assessment, observed) if _uk(c, "UK9") else {}
        for number, title in enumerate(contract.kpis, 1):
            rating = assessment.ratings.get(title)
            if rating not in RATINGS:
                continue
            fact_id = f"assessment-{contract.rank}-{nth}-kpi-{number}"
            published = assessment.assessed_at
            assessed = f.KpiAssessment(
                id=fact_id,
                date=published,
                kpi=f.Kpi(id=f"kpi-{number}", title=title),
                observation_id=fact_id,
                period=f.Period(
                    start=at_start_of(assessment.period_start),
                    end=at_start_of(assessment.period_end),
                ),
                rating=RATINGS[rating],
                measure=observed[title] or rating.replace("_", " "),
                documents=(c.document(PERFORMANCE, fact_id, published, _uk(c, "UK9")),),
                **contract_ids(contract),
            )
            found.append(Found(assessed, content))
    return found


def _changes(c: Context) -> list[Found]:
    """Each lawful change of a partner contract, with its ground and the value after it."""
    found: list[Found] = []
    changes = ContractChange.objects.filter(contract__procurement=c.procurement).select_related(
        "contract__procurement__organisation", "contract__partner"
    )
    for change, nth in _numbered(changes):
        contract = change.contract
        fact_id = f"change-{contract.rank}-{nth}"
        published = at_start_of(change.made_on)
        said = [notice.get("what", "") for notice in change.notices]
        uk10 = any("UK10" in what for what in said)
        # The Regulations' and the Directive's modification notice (PCR 2015 reg 72(3),
        # PCSR 2015 reg 72(3), Art 72(1)), on the grounds that need one.
        noticed = uk10 or any(what.startswith("Modification notice") for what in said)
        amendment = f.ContractAmendment(
            id=fact_id,
            date=published,
            rationale=f"A change permitted by {change.citation}",
            description=change.description,
            classifications=(
                f.Classification(scheme=change.rule, id=change.ground, description=change.citation),
            ),
            value_after=money(value_after(change)),
            documents=(c.document(CHANGE, fact_id, published, "UK10" if uk10 else None),)
            if noticed
            else (),
            **contract_ids(contract),
        )
        found.append(Found(amendment, notices.contract_change(change) if uk10 else {}))
    return found


def _spent(contract: Contract) -> Decimal:
    return sum(
        (
            claim.amount
            for claim in Claim.objects.filter(contract=contract, status=ClaimStatus.PAID)
        ),
        Decimal(0),
    )


def _endings(c: Context) -> list[Found]:
    """Each partner contract that ended, with how and why, and what was paid under it."""
    ends = ContractEnd.objects.filter(contract__procurement=c.procurement).select_related(
        "contract__procurement__organisation", "contract__partner"
    )
    return [_ending(c, end) for end in ends.order_by("contract__rank")]


def _ending(c: Context, end: ContractEnd) -> Found:
    fact_id, uk11 = f"termination-{end.contract.rank}", _uk(c, "UK11")
    ended = f.ContractTermination(
        id=fact_id,
        date=end.recorded_at,
        end_date=at_start_of(end.ended_on),
        final_value=money(_spent(end.contract)),
        reasons=(
            f.Classification(
                scheme=ENDINGS_SCHEME, id=ENDINGS.get(end.how, "otherGrounds"), description=end.how
            ),
        ),
        details=end.reasons or end.how,
        documents=(c.document(TERMINATION, fact_id, end.recorded_at, uk11),),
        **contract_ids(end.contract),
    )
    return Found(ended, notices.termination(end, contract_value(end.contract)) if uk11 else {})


SOURCES: tuple[Source, ...] = (
    Source(
        "verdict",
        "A target’s verdict",
        True,
        ((FIGURES_WITHHELD, "The figures behind the verdict"),),
        _verdicts,
    ),
    Source("gate", "A partner’s gate decision", True, (), _gates),
    Source(
        "payment",
        "An instalment paid",
        True,
        (("contracts.implementation.transactions.value", "The amount paid"),),
        _payments,
    ),
    Source("assessment", "A KPI assessment", True, (), _assessments),
    Source(
        "change",
        "A change to a partner’s contract",
        True,
        (
            ("contracts.value", "The contract’s value after the change"),
            ("contracts.amendments.value", "The value in the change itself"),
        ),
        _changes,
    ),
    Source(
        "termination",
        "A partner’s contract ended",
        True,
        (("contracts.implementation.finalValue", "What was paid under the contract"),),
        _endings,
    ),
    Source(
        "purchase",
        "The purchase of the developed solution",
        True,
        (("contracts.value", "The contract’s value with the purchase"),),
        _purchases,
    ),
)
