"""One realistic set of facts for every kind of letter, as the portal would pass them."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from sanely.documents.letters import (
    award_decision,
    clarification,
    deadline_extended,
    document_revision,
    membership_added,
    password_reset,
    round_invitation,
    staged_reduction,
    submission_receipt,
    tender_rejected,
)
from sanely.documents.letters.shortlist import Mark, Shortlisted

from .after_award import AFTER_AWARD

AUTHORITY = "Wessex Combined Authority"
REFERENCE = "WCA-2026-014"
TITLE = "Autonomous shuttles for rural routes"
SUMMER = datetime(2026, 7, 3, 11, 0, 5, tzinfo=UTC)  # 12:00:05 BST
WINTER = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)  # 16:30:00 GMT

MARKS = (
    Mark(
        "Insurance",
        "pass_fail",
        Decimal(1),
        Decimal(0),
        10,
        True,
        None,
        True,
        "Certificate for £5m supplied.",
    ),
    Mark(
        "Technical capability",
        "scored",
        Decimal("2.50"),
        Decimal("5.0"),
        10,
        None,
        Decimal("7.50"),
        True,
        "Two comparable deployments.",
    ),
    Mark(
        "Delivery record",
        "scored",
        Decimal(1),
        Decimal(6),
        10,
        None,
        Decimal(4),
        False,
        "One pilot, ended early.",
    ),
)

INVITED = Shortlisted(
    authority=AUTHORITY,
    candidate="Kestrel Mobility Ltd",
    reference=REFERENCE,
    title=TITLE,
    opportunity="/opportunities/7/",
    marks=MARKS[:2],
    qualified=True,
    total=Decimal("18.75"),
    rank=1,
    qualifying=3,
    invited=True,
    reason="Ranked 1 of 3; within the 3 invited.",
    shortlist_reason="The notice said up to 3 candidates would be invited.",
)

REGRETTED = replace(
    INVITED,
    candidate="Curlew Transit CIC",
    marks=MARKS,
    qualified=False,
    total=Decimal("22.75"),
    rank=None,
    invited=False,
    reason="Did not meet the minimum score for Delivery record.",
)
BELOW_THE_CUT = replace(
    INVITED,
    candidate="Merlin Autonomy Ltd",
    total=Decimal("12.50"),
    rank=4,
    qualifying=4,
    invited=False,
    reason="Ranked 4 of 4 qualifying candidates; 3 are invited.",
)

QUALITY = award_decision.Points("Quality", "quality", "60", "54.00", "9 of 10 × 60", "Clear plan.")
PRICE = award_decision.Points("Price", "price", "30", "27.00", "lowest ÷ this × 30", "")
LOSER_QUALITY = award_decision.Points("Quality", "quality", "60", "36.00", "6 of 10 × 60", "")
CRITERIA = (
    award_decision.Criterion(
        "Quality",
        "quality",
        Decimal(60),
        (
            award_decision.SubCriterion("Safety case", Decimal(40)),
            award_decision.SubCriterion("Service design", Decimal(60)),
        ),
    ),
    award_decision.Criterion("Price", "price", Decimal(30), ()),
    award_decision.Criterion("Social value", "social_value", Decimal(10), ()),
)
WINNERS = (
    award_decision.Winner(
        "Kestrel Mobility Ltd", Decimal("81.00"), (QUALITY, PRICE), "The most complete safety case."
    ),
    award_decision.Winner(
        "Osprey Robotics Ltd", Decimal("79.50"), (LOSER_QUALITY, PRICE), "The lowest price."
    ),
)
STANDSTILL = award_decision.Standstill(
    last_day=date(2027, 3, 30),
    ends_at=datetime(2027, 3, 30, 23, 0, tzinfo=UTC),
    meaning="Until then you may challenge the decision.",
    rule="standstill",
    citation="PCR 2015 reg 87",
)
CONTACT = award_decision.Contact("Priya Shah", "procurement_lead@wessex.example", AUTHORITY)


WON = award_decision.Decision(
    summary=False,
    regime="Public Contracts Regulations 2015",
    reference=REFERENCE,
    title=TITLE,
    authority=AUTHORITY,
    recipient="Kestrel Mobility Ltd",
    result=award_decision.SUCCESSFUL,
    tender=award_decision.Tender((QUALITY, PRICE), Decimal("81.00"), 1),
    reason="",
    tenders_ranked=3,
    criteria=CRITERIA,
    successful=WINNERS,
    standstill=STANDSTILL,
    contact=CONTACT,
)
LOST = replace(
    WON,
    recipient="Heron Transit CIC",
    result=award_decision.UNSUCCESSFUL,
    tender=award_decision.Tender((LOSER_QUALITY,), Decimal("70.25"), 3),
)
LEFT_OUT = replace(
    WON,
    summary=True,
    regime="Procurement Act 2023",
    recipient="Merlin Autonomy Ltd",
    result="reduced",
    tender=None,
    reason="Staged reduction after tender round 1: ranked 4 of 4 with 55.00 points.",
)

ANSWER_TO_ALL = clarification.Answer(
    11, "all", "May vehicles be leased?", "Yes, for the whole of phase 2."
)
ANSWER_TO_ASKER = clarification.Answer(
    12, "tenderer", "Is our insurer acceptable?", "Yes: it is on the approved list."
)
EXTENDED = document_revision.Revision(
    5, "Revised specification", "Section 4 now allows leased vehicles.", WINTER, ""
)
UNCHANGED = document_revision.Revision(
    6, "Typo in annex B", "A unit in annex B was wrong.", None, "A correction of a unit only."
)
REDUCED = staged_reduction.Reduced(
    "Staged reduction after tender round 1: ranked 4 of 4 with 55.00 points; 3 are kept."
)
REJECTED = tender_rejected.Rejection(
    authority=AUTHORITY,
    tenderer="Heron Transit CIC",
    reference=REFERENCE,
    title=TITLE,
    price=Decimal("1250000.00"),
    flag="42 % below the median of the other tenders.",
    reasons="The explanation relied on a subsidy that is not in place.",
    law="PCR 2015 reg 69",
)
ROUND_OPEN = round_invitation.RoundOpen(
    authority=AUTHORITY,
    recipient="Kestrel Mobility Ltd",
    reference=REFERENCE,
    title=TITLE,
    round="tender-1",
    label="Tender round 1",
    deadline=SUMMER,
    final=False,
    parts=("Technical proposal", "Price schedule"),
)
DEADLINE_MOVED = deadline_extended.Extension(
    reference=REFERENCE,
    title=TITLE,
    label="Tender round 1",
    deadline=WINTER,
    previous=SUMMER,
    reason="The portal was unavailable for six hours.",
)
RECEIVED = submission_receipt.Received(
    reference=REFERENCE,
    title=TITLE,
    supplier="Kestrel Mobility Ltd",
    part="Technical proposal",
    label="Tender round 1",
    file_name="proposal.pdf",
    size=1234567,
    version=2,
    received_at=SUMMER,
    submission_id="sub-7f3a",
    receipt='{\n  "submission_id": "sub-7f3a",\n  "signature": "c2lnbmVk"\n}',
)
ADDED_NEW = membership_added.Added(
    "sanely",
    "Wessex Combined Authority",
    "Priya Shah",
    "Evaluator",
    "https://sanely.example/reset/abc/",
)
ADDED_KNOWN = membership_added.Added(
    "sanely", "Wessex Combined Authority", "Priya Shah", "Procurement lead", ""
)
RESET = password_reset.Reset("sanely", "https://sanely.example/reset/xyz/")

# Every kind, with each of its variants: the registry test renders them all.
EXAMPLES: dict[str, tuple[object, ...]] = {
    "invitation_to_tender": (INVITED,),
    "regret": (REGRETTED, BELOW_THE_CUT),
    "award_decision": (WON, LOST, LEFT_OUT),
    "clarification": (ANSWER_TO_ALL, ANSWER_TO_ASKER),
    "document_revision": (EXTENDED, UNCHANGED),
    "staged_reduction": (REDUCED,),
    "tender_rejected": (REJECTED,),
    "round_invitation": (ROUND_OPEN,),
    "deadline_extended": (DEADLINE_MOVED,),
    "submission_receipt": (RECEIVED,),
    "membership_added": (ADDED_NEW, ADDED_KNOWN),
    "password_reset": (RESET,),
    **AFTER_AWARD,
}
