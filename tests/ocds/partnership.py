"""A whole innovation partnership as facts: the worked example of docs/ocds-mapping.md."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sanely.ocds import PublicationConfig, Publisher
from sanely.ocds import facts as f

# CI lays a copy of shared/ beside the clone; so does every worktree here.
SCHEMA_DIR = Path(__file__).resolve().parents[3] / "shared" / "ocds"

CONFIG = PublicationConfig(
    ocid_prefix="ocds-s4n3ly",
    publisher=Publisher(name="Example Borough Council", scheme="GB-LAC", uid="E09000099"),
)
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def at(days: int) -> datetime:
    return START + timedelta(days=days)


def gbp(amount: int | str) -> f.Money:
    return f.Money(amount=Decimal(amount), currency="GBP")


def doc(doc_id: str, document_type: str, days: int, notice: str | None = None) -> f.Document:
    return f.Document(
        id=doc_id,
        document_type=document_type,
        title=f"{document_type} {doc_id}",
        url=f"https://council.example/docs/{doc_id}.pdf",
        published=at(days),
        notice_type=notice,
    )


BUYER = f.Organisation(id="GB-LAC-E09000099", name="Example Borough Council")
ALPHA = f.Organisation(id="GB-PPON-ABCD-1234-EFGH", name="Alpha Care Tech Ltd")
BETA = f.Organisation(id="GB-PPON-WXYZ-5678-JKLM", name="Beta Robotics CIC")
PROCUREMENT = f.Procurement(id="ip-2026-001", buyer=BUYER, regime="PA2023")

PHASE_1 = f.ScheduledMilestone(
    id="phase-1",
    kind="phase",
    title="Phase 1: prototype",
    description="Build a prototype.",
    due_date=at(180),
)
TARGET_1 = f.ScheduledMilestone(
    id="target-1.1",
    kind="target",
    title="Falls down 20 %",
    description="Pilot target.",
    due_date=at(170),
)
GATE_1 = f.ScheduledMilestone(
    id="gate-1", kind="gate", title="Gate 1", description="Continue to phase 2?", due_date=at(185)
)
INSTALMENT_1 = f.ScheduledMilestone(
    id="instalment-1",
    kind="instalment",
    title="Instalment 1",
    description="On target 1.1.",
    due_date=at(190),
    value=gbp(40000),
)
PURCHASE = f.ScheduledMilestone(
    id="purchase",
    kind="purchase",
    title="Purchase",
    description="Buy the solution.",
    due_date=at(400),
)
KPI = f.Kpi(
    id="kpi-1", title="Falls per 1,000 residents", description="Monthly falls", target="<= 12"
)
LOTS = (
    f.Lot(
        id="1",
        title="Falls prevention",
        description="The whole partnership",
        value=gbp(900000),
        award_criteria=(
            f.AwardCriterion(type="quality", name="Innovation", weight_percent=Decimal(70)),
            f.AwardCriterion(type="price", name="Price", weight_percent=Decimal("30")),
        ),
        selection_criteria=(f.SelectionCriterion(type="technical", minimum="Two references"),),
    ),
)


def _partner_facts(suffix: str, partner: f.Organisation) -> list[f.Fact]:
    award_id, contract_id = f"award-{suffix}", f"contract-{suffix}"
    ids = {"contract_id": contract_id, "award_id": award_id}
    return [
        f.Award(
            id=f"uk6-{suffix}",
            date=at(60),
            award_id=award_id,
            partner=partner,
            title=f"Partnership with {partner.name}",
            value=gbp(450000),
            contract_period=f.Period(start=at(80), end=at(800)),
            lot_ids=("1",),
            standstill=f.Period(start=at(60), end=at(70)),
            bid_statistics=(
                f.BidStatistic(measure="bids", value=5),
                f.BidStatistic(measure="smeFinalStageBids", value=2, lot_id="1"),
            ),
            documents=(doc(f"uk6-{suffix}", "awardNotice", 60, "UK6"),),
        ),
        f.Contract(
            id=f"uk7-{suffix}",
            date=at(85),
            partner=partner,
            title=f"Contract {suffix}",
            value=gbp(450000),
            period=f.Period(start=at(80), end=at(800)),
            date_signed=at(80),
            kpis=(KPI,),
            documents=(doc(f"uk7-{suffix}", "contractNotice", 85, "UK7"),),
            **ids,
        ),
        f.ImplementationSchedule(
            id=f"schedule-{suffix}",
            date=at(90),
            milestones=(PHASE_1, TARGET_1, GATE_1, INSTALMENT_1, PURCHASE),
            **ids,
        ),
        f.TargetVerdict(
            id=f"verdict-{suffix}",
            date=at(175),
            milestone=TARGET_1,
            status="met",
            report=doc(f"verdict-{suffix}", "physicalProgressReport", 175),
            **ids,
        ),
        f.GateDecision(
            id=f"gate-1-{suffix}",
            date=at(186),
            milestone=GATE_1,
            outcome="continue",
            reasons="Target 1.1 met.",
            reasons_document=doc(f"gate-{suffix}", "evaluationReports", 186),
            **ids,
        ),
        f.InstalmentPaid(
            id=f"paid-1-{suffix}",
            date=at(195),
            milestone=INSTALMENT_1,
            transaction_id=f"tx-{suffix}-1",
            value=gbp(40000),
            payer=BUYER,
            payee=partner,
            **ids,
        ),
        f.KpiAssessment(
            id=f"uk9-{suffix}",
            date=at(445),
            kpi=KPI,
            observation_id=f"kpi-1-{suffix}-y1",
            period=f.Period(start=at(80), end=at(445)),
            rating="slightlyBelow",
            measure="13",
            documents=(doc(f"uk9-{suffix}", "implementationNotice", 445, "UK9"),),
            **ids,
        ),
    ]


def lifecycle() -> list[f.Fact]:
    """Planning to purchase: two partners, one reduced at gate 2, one goes on to purchase."""
    return [
        f.Planning(
            id="planning",
            date=at(0),
            rationale="Reduce falls at home",
            budget=gbp(1000000),
            budget_description="Adult social care innovation budget",
            documents=(doc("uk2", "marketEngagementNotice", 0, "UK2"),),
        ),
        f.Tender(
            id="uk4",
            date=at(10),
            title="Falls prevention innovation partnership",
            description="Develop and then buy a falls prevention service",
            value=gbp(900000),
            procedure_details="Competitive flexible procedure",
            main_category="services",
            tender_period=f.Period(start=at(10), end=at(40)),
            lots=LOTS,
            selection_criteria=(f.SelectionCriterion(type="financial", minimum="Turnover £1m"),),
            submission_terms=f.SubmissionTerms(
                electronic_submission="required",
                variants="notAllowed",
                bid_validity=f.Period(start=at(40), end=at(130)),
            ),
            documents=(doc("uk4", "tenderNotice", 10, "UK4"),),
        ),
        f.TenderAmendment(
            id="tender-amendment-1",
            date=at(20),
            rationale="More time for consortia",
            description="Tender period extended by 5 days",
            tender_period=f.Period(start=at(10), end=at(45)),
            documents=(doc("uk4-change", "tenderNotice", 20, "UK4"),),
        ),
        f.TenderUpdate(
            id="clarifications-1", date=at(25), documents=(doc("clar-1", "clarifications", 25),)
        ),
        *_partner_facts("alpha", ALPHA),
        *_partner_facts("beta", BETA),
        f.ContractTermination(
            id="uk11-beta",
            date=at(400),
            contract_id="contract-beta",
            award_id="award-beta",
            end_date=at(399),
            final_value=gbp(80000),
            reasons=(
                f.Classification(
                    scheme="sanely-gate", id="reducedAtGate", description="Reduced at gate 2"
                ),
            ),
            details="Reduced at gate 2: target 2.1 not met",
            documents=(doc("uk11-beta", "contractTerminationNotice", 400, "UK11"),),
        ),
        f.ContractAmendment(
            id="uk10-alpha",
            date=at(405),
            contract_id="contract-alpha",
            award_id="award-alpha",
            rationale="Purchase volume agreed",
            description="Purchase phase volumes set",
            classifications=(
                f.Classification(
                    scheme="PA2023-Sch8", id="para-1", description="Provided for in the contract"
                ),
            ),
            value_after=gbp(650000),
            period_after=f.Period(start=at(80), end=at(1200)),
            documents=(doc("uk10-alpha", "contractNotice", 405, "UK10"),),
        ),
        f.PurchaseStarted(
            id="purchase-alpha",
            date=at(410),
            contract_id="contract-alpha",
            award_id="award-alpha",
            milestone=PURCHASE,
            contract_value=gbp(650000),
        ),
    ]


CANCELLED = f.TenderCancellation(
    id="uk12",
    date=at(50),
    reason="No suitable tenders",
    notice=doc("uk12", "tenderCancellationNotice", 50, "UK12"),
)
