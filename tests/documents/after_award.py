"""
Realistic facts for the letters and notices after award, as the partnership's services would
pass them: a partnership for autonomous shuttles on rural routes, with Kestrel Mobility Ltd and
Osprey Robotics Ltd as partners. Every variant a builder words differently is here.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from sanely.documents.letters import (
    change_agreed,
    claim_approved,
    claim_queried,
    claim_rejected,
    contract_change_notice,
    contract_details_notice,
    contract_performance_notice,
    contract_termination_notice,
    gate_decision,
    intention_to_terminate,
    modification_notice,
    payment_made,
    purchase_decision,
)
from sanely.documents.letters.award_decision import Contact
from sanely.documents.letters.change import Ground, TermChange, ValueChange
from sanely.documents.letters.claim import Claim
from sanely.documents.letters.notice import Contract, Enquiries, Kpi, Party
from sanely.documents.letters.partner import Representations, ToPartner

AUTHORITY = "Wessex Combined Authority"
TITLE = "Autonomous shuttles for rural routes"

TO_KESTREL = ToPartner(
    authority=AUTHORITY,
    partner="Kestrel Mobility Ltd",
    reference="WCA-2026-014",
    title=TITLE,
    contact=Contact("Priya Shah", "procurement_lead@wessex.example", AUTHORITY),
)
TO_OSPREY = replace(TO_KESTREL, partner="Osprey Robotics Ltd")

# Gate decisions after phase 2.
TARGETS = (
    gate_decision.TargetResult(
        "Waiting time",
        "met",
        "The median wait was 11.2 minutes (95% interval 10.4 to 12.1), below the target of 15.",
    ),
    gate_decision.TargetResult(
        "Cost per passenger trip",
        "partly met",
        "Met on two of the three routes: £8.10 and £8.70 against £9.00; £10.40 on the third.",
    ),
    gate_decision.TargetResult(
        "Passenger satisfaction",
        "inconclusive",
        "112 responses so far: too few to tell whether satisfaction is at least 80%.",
    ),
)
OPTION = gate_decision.Option(
    announced="the invitation to tender, section 7.2",
    conditions="a partner whose intermediate targets for a phase are not met may have its"
    " contract ended at the gate that follows.",
    citation="PCR 2015 reg 31(12)",
)
CONTINUES = gate_decision.Gate(
    to=TO_KESTREL,
    phase="phase 2 (pilot)",
    decision="continue",
    reasons="Two of three targets are met or partly met, and the satisfaction survey is on"
    " track to decide by the end of phase 3.",
    targets=TARGETS,
    spend=gate_decision.Spend(Decimal("180000.00"), Decimal("250000.00")),
    next_steps="Phase 3 (scaled pilot) starts on 1 September 2027. Send the updated delivery"
    " plan for phase 3.",
    next_by=date(2027, 8, 20),
    option=None,
    representations=None,
)
ENDED = replace(
    CONTINUES,
    to=TO_OSPREY,
    decision="contract_ended",
    reasons="None of the three targets is met: waiting times were above 25 minutes on every"
    " route, and the data cannot show a fall in cost per trip.",
    targets=(
        gate_decision.TargetResult(
            "Waiting time",
            "not met",
            "The median wait was 27.5 minutes (95% interval 25.9 to 29.3), above the target of 15.",
        ),
    ),
    spend=gate_decision.Spend(Decimal("250000.00"), Decimal("250000.00")),
    next_steps="Your contract ends on 31 August 2027. Return the authority's vehicle telemetry"
    " data and delete any personal data of passengers.",
    next_by=None,
    option=OPTION,
    representations=Representations(
        by=date(2027, 8, 13),
        how="Write to the procurement lead, stating what you believe is wrong in the verdicts"
        " or the reasons.",
        citation="the partner contract, clause 18.4",
    ),
)
PARTNERSHIP_ENDED = replace(ENDED, decision="partnership_terminated", representations=None)
PURCHASE = replace(
    CONTINUES,
    decision="purchase",
    phase="phase 3 (scaled pilot)",
    next_steps="The authority will confirm each performance level against its evidence and the"
    " price against the maximum cost, and write to you with its purchase decision.",
    next_by=date(2028, 4, 30),
)

# Claims for the instalment "Pilot data delivered".
CLAIM = Claim(
    to=TO_KESTREL,
    instalment="Pilot data delivered",
    phase="phase 2 (pilot)",
    amount=Decimal("60000.00"),
    submitted_on=date(2027, 5, 4),
)
APPROVED = claim_approved.Approval(
    claim=CLAIM,
    approved_on=date(2027, 5, 11),
    payment=claim_approved.PaymentDue(
        due=date(2027, 6, 3),
        rule="within 30 days beginning with the day your invoice was received, 5 May 2027",
        citation="Procurement Act 2023 s.68(2)",
    ),
)
APPROVED_BEFORE_INVOICE = replace(
    APPROVED,
    payment=claim_approved.PaymentDue(
        due=None,
        rule="within 30 days of the authority verifying your invoice as valid and undisputed",
        citation="PCR 2015 reg 113(2)",
    ),
)
QUERIED = claim_queried.Query(
    claim=CLAIM,
    questions=(
        "The data for 12 to 18 April are missing: were the shuttles running?",
        "Which of the three routes does the file 'route-c.csv' cover?",
    ),
    send=("The operator's log for 12 to 18 April.",),
    reply_by=date(2027, 5, 18),
)
QUERIED_BRIEFLY = replace(
    QUERIED,
    questions=("Is the invoice for the full instalment or for the data-delivery part only?",),
    send=(),
    reply_by=None,
)
REJECTED = claim_rejected.Rejection(
    claim=replace(CLAIM, instalment="Waiting time shown", amount=Decimal("90000.00")),
    reasons="The verdict on the target 'Waiting time' is inconclusive: the data for phase 2 do"
    " not show the fall in waiting time the instalment pays for.",
    condition="the target 'Waiting time' is met by evidence, to the evidence standard agreed.",
)
PAID = payment_made.Payment(
    claim=CLAIM,
    paid=Decimal("60000.00"),
    paid_on=date(2027, 5, 28),
    invoice="KM-INV-0419",
    due=date(2027, 6, 3),
)
PAID_LATE = replace(PAID, paid_on=date(2027, 6, 7))

# A change agreed with Kestrel, and the notices that record it.
UNFORESEEABLE = Ground(
    name="unforeseeable circumstances",
    citation="Procurement Act 2023 s.74(1)(a), Schedule 8 paragraph 4",
    explanation="The closure of the B3081 for eleven weeks, announced after award, moved two"
    " routes onto longer roads no diligent authority could have foreseen.",
)
AGREED = change_agreed.Agreed(
    to=TO_KESTREL,
    change="Phase 3 is extended by eight weeks and its maximum value rises by £50,000.",
    reason="The road closure stopped the pilot on two routes for eleven weeks.",
    ground=UNFORESEEABLE,
    value=ValueChange(Decimal("850000.00"), Decimal("900000.00")),
    term=TermChange(date(2028, 3, 31), date(2028, 5, 26)),
    effective_on=date(2027, 10, 1),
    version=3,
)
AGREED_TARGET_ONLY = replace(
    AGREED,
    change="The target 'Passenger satisfaction' is measured by the county's own survey.",
    reason="The partner's survey reached too few passengers to decide the target.",
    ground=Ground(
        name="not a substantial modification",
        citation="Procurement Act 2023 s.74(1)(b)",
        explanation="It changes neither the scope, the term nor the economic balance.",
    ),
    value=None,
    term=None,
    version=4,
)

WESSEX = Party(
    name=AUTHORITY,
    address="County Hall, High West Street, Dorchester DT1 1XJ",
    email="procurement@wessex.example",
    identifier="PPON-WCA-0001",
)
KESTREL = Party(
    name="Kestrel Mobility Ltd",
    address="Unit 4, Aldermaston Park, Reading RG7 4QW",
    email="contracts@kestrel.example",
    identifier="PPON-KML-0042",
)
KESTREL_CONTRACT = Contract(
    authority=WESSEX,
    enquiries=Enquiries(
        "Priya Shah", "County Hall, Dorchester DT1 1XJ", "procurement_lead@wessex.example"
    ),
    procurement=TITLE,
    procurement_id="ocds-h6vhtk-04d1f2",
    contract_id="WCA-2026-014-C1",
    suppliers=(KESTREL,),
    citation="Procurement Act 2023 s.75(1); SI 2024/692 reg 40",
)
CHANGE_INTENDED = contract_change_notice.Intended(
    contract=KESTREL_CONTRACT,
    description="Phase 3 is extended by eight weeks and its maximum value rises by £50,000.",
    ground=UNFORESEEABLE,
    schedule_8=True,
    value=AGREED.value,
    term=AGREED.term,
    joining=(),
    leaving=(),
    modified_on=date(2027, 9, 24),
    effective_on=date(2027, 10, 1),
    standstill_days=8,
)
NOVATION = replace(
    CHANGE_INTENDED,
    description="Kestrel Mobility Ltd's business is transferred to Kestrel Group plc, which takes"
    " over the contract on the same terms.",
    ground=Ground(
        name="transfer on corporate restructuring",
        citation="Procurement Act 2023 s.74(1)(a), Schedule 8 paragraph 9",
        explanation="Kestrel Group plc succeeds to Kestrel Mobility Ltd on a corporate"
        " restructuring, meets the conditions of participation and is not an excluded supplier.",
    ),
    value=None,
    term=None,
    joining=(
        Party(
            name="Kestrel Group plc",
            address="1 Forbury Square, Reading RG1 3EB",
            email="legal@kestrelgroup.example",
            identifier="PPON-KGP-0007",
        ),
    ),
    leaving=(KESTREL,),
    standstill_days=None,
)
PCR_MODIFIED = modification_notice.Modified(
    contract=replace(
        KESTREL_CONTRACT,
        procurement_id="2026/S 000-014321",
        contract_id="WCA-2026-014-C1",
        citation="PCR 2015 reg 72(3) and (4)",
    ),
    telephone="01305 221000",
    website="https://www.wessex.example/procurement",
    cpv=("73000000 Research and development services", "60112000 Public road transport services"),
    place="UKK2 Dorset and Somerset",
    before="Research, development and a pilot of autonomous shuttles on three rural routes over"
    " 20 months, to a maximum value of £850,000.",
    after="The same, with phase 3 extended by eight weeks, to a maximum value of £900,000.",
    ground=replace(UNFORESEEABLE, citation="PCR 2015 reg 72(1)(c)"),
    value=ValueChange(Decimal("850000.00"), Decimal("900000.00")),
    circumstances="The closure of the B3081 for eleven weeks, announced after award.",
    awarded_on=date(2026, 11, 20),
    new_contractor=None,
    review="The High Court of Justice of England and Wales, Strand, London WC2A 2LL. Proceedings"
    " must be started within 30 days of the day the claimant knew or ought to have known of the"
    " grounds (PCR 2015 reg 92).",
    earlier=("Contract award notice 2026/S 000-019877, 2 December 2026.",),
    sent_on=date(2027, 10, 4),
)
PCR_NEW_CONTRACTOR = replace(
    PCR_MODIFIED,
    new_contractor=Party(
        name="Kestrel Group plc",
        address="1 Forbury Square, Reading RG1 3EB",
        email="legal@kestrelgroup.example",
        identifier="GB-COH-01234567",
    ),
    earlier=(),
)

# The notices of the contract's life: details, performance, termination.
KPIS = (
    Kpi("Punctuality", "Share of booked trips picked up within 10 minutes of the time promised."),
    Kpi("Availability", "Share of scheduled service hours with a shuttle in service."),
    Kpi("Safety", "Safety incidents reported per 10,000 passenger trips."),
)
DETAILS = contract_details_notice.Entered(
    contract=replace(KESTREL_CONTRACT, citation="Procurement Act 2023 s.53(1); SI 2024/692 reg 32"),
    subject_matter=contract_details_notice.SubjectMatter(
        mainly="services",
        kinds="Research, development and piloting of an on-demand autonomous shuttle service.",
        how="In three phases, each ending at a gate review, with the purchase of the service if"
        " the agreed performance levels are met.",
        starts_on=date(2026, 12, 14),
        ends_on=date(2028, 3, 31),
        amount="Three shuttles on three routes for up to 20 months.",
        cpv=("73000000 Research and development services",),
        areas=("TLK2 Dorset and Somerset", "TLK25 Somerset CC"),
    ),
    statuses=(
        contract_details_notice.Status(
            supplier="Kestrel Mobility Ltd",
            sme=True,
            vcse=False,
            supported_employment=False,
            public_service_mutual=False,
        ),
    ),
    procedure="competitive flexible procedure",
    reserved="",
    value=Decimal("850000.00"),
    entered_on=date(2026, 12, 14),
    options="",
    special_regime="",
    gpa=True,
    cptpp=True,
    kpis=KPIS,
    no_kpis="",
)
DETAILS_WITHOUT_KPIS = replace(
    DETAILS,
    reserved="to supported employment providers (Procurement Act 2023 s.32)",
    options="An option to extend the purchase phase by 12 months.",
    special_regime="light touch contract",
    gpa=False,
    cptpp=False,
    kpis=(),
    no_kpis="A research contract's results cannot be judged against fixed indicators: its"
    " intermediate targets are judged by evidence at each gate.",
)
PERFORMANCE = contract_performance_notice.Assessment(
    contract=replace(KESTREL_CONTRACT, citation="Procurement Act 2023 s.71(2); SI 2024/692 reg 39"),
    starts_on=date(2028, 4, 1),
    ends_on=date(2029, 3, 31),
    assessed=(
        contract_performance_notice.Assessed(KPIS[0], "good", "94% of trips within 10 minutes."),
        contract_performance_notice.Assessed(
            KPIS[1], "approaching target", "96.5% of hours against a target of 98%."
        ),
        contract_performance_notice.Assessed(
            KPIS[2], "requires improvement", "1.3 incidents per 10,000 trips against 1.0."
        ),
    ),
)
OSPREY = Party(
    name="Osprey Robotics Ltd",
    address="9 Harbour Way, Poole BH15 1HA",
    email="legal@osprey.example",
    identifier="PPON-ORL-0019",
)
OSPREY_CONTRACT = replace(
    KESTREL_CONTRACT,
    contract_id="WCA-2026-014-C2",
    suppliers=(OSPREY,),
    citation="Procurement Act 2023 s.80(1); SI 2024/692 reg 41",
)
ENDED_AT_GATE = contract_termination_notice.Termination(
    contract=OSPREY_CONTRACT,
    ending="gate",
    reasons="At the gate after phase 2, none of the partner's intermediate targets was met.",
    ended_on=date(2027, 8, 31),
    value=Decimal("850000.00"),
    breach=None,
)
BREACH = contract_termination_notice.Breach(
    resulted_in="damages",
    resulted_on=date(2027, 12, 3),
    failed_to_improve_on=date(2027, 10, 15),
    obligation="To keep a safety driver on board on public roads (schedule 2, paragraph 4).",
    nature="Shuttles ran without a safety driver on 14 days.",
    impact="The pilot on route B was suspended by the authority for three weeks.",
    duration="From 1 September to 30 September 2027; it has ended.",
    mitigation="The supplier withdrew the shuttles on route B when told.",
    warnings="A warning notice on 2 October 2027, with 10 working days to improve.",
    improvement="A revised rota, which still left two days uncovered.",
    paid=contract_termination_notice.Paid(
        amount=Decimal("25000.00"),
        basis="under the contract's liquidated damages clause",
        decision="https://www.judiciary.example/decisions/wessex-v-osprey",
    ),
)
ENDED_FOR_BREACH = replace(
    ENDED_AT_GATE,
    ending="other_grounds",
    reasons="The supplier ran shuttles without a safety driver, a material breach.",
    ended_on=date(2027, 12, 10),
    breach=BREACH,
)
ENDED_BY_SETTLEMENT = replace(
    ENDED_FOR_BREACH,
    breach=replace(
        BREACH, resulted_in="settlement", resulted_on=None, failed_to_improve_on=None, paid=None
    ),
)
ENDED_WITH_DAMAGES_AGREED = replace(
    ENDED_FOR_BREACH,
    breach=replace(
        BREACH,
        resulted_in=None,
        resulted_on=None,
        paid=contract_termination_notice.Paid(
            Decimal("12500.00"), "in accordance with a negotiated settlement", ""
        ),
    ),
)

# Ending a contract on other grounds, and the purchase.
INTENDED_END = intention_to_terminate.Intention(
    to=TO_OSPREY,
    ground="The supplier has become an excludable supplier since the award: it was convicted"
    " of a health and safety offence.",
    citation="Procurement Act 2023 s.78(2)(b)",
    why="The offence concerns the operation of autonomous vehicles on public roads, the work"
    " of this contract, and the supplier has shown no steps to prevent it happening again.",
    representations=Representations(
        by=date(2027, 11, 5),
        how="Send them in writing to the procurement lead, with any evidence of the steps you"
        " have taken.",
        citation="Procurement Act 2023 s.78(7)",
    ),
    replace=None,
)
INTENDED_END_SUBCONTRACTOR = replace(
    INTENDED_END,
    ground="A sub-contractor, Harrier Sensors Ltd, is an excluded supplier.",
    citation="Procurement Act 2023 s.78(2)(c)",
    why="Harrier Sensors Ltd has been entered on the debarment list.",
    replace=intention_to_terminate.Replace(
        "Harrier Sensors Ltd", date(2027, 11, 19), "Procurement Act 2023 s.78(8)"
    ),
)
BUYING = purchase_decision.Purchase(
    to=TO_KESTREL,
    solution="the on-demand autonomous shuttle service on the three rural routes for four"
    " years, with the vehicles, the booking system and their maintenance.",
    levels=(
        purchase_decision.LevelMet(
            "Median wait of 15 minutes or less",
            "the verdict on the target 'Waiting time': met, 12 March 2028",
        ),
        purchase_decision.LevelMet(
            "Cost per passenger trip of £9.00 or less",
            "the verdict on the target 'Cost per passenger trip': met, 12 March 2028",
        ),
        purchase_decision.LevelMet(
            "Winter operation without a safety driver",
            "the acceptance test 'Winter trial', recorded 3 March 2028",
        ),
    ),
    price=Decimal("3600000.00"),
    maximum_cost=Decimal("3800000.00"),
    citation="PCR 2015 reg 31(2)",
    starts_on=date(2028, 4, 1),
    next_steps="The first KPI observations are due at the end of June 2028.",
)
BUYING_AT_THE_MAXIMUM = replace(BUYING, price=Decimal("3800000.00"))

AFTER_AWARD: dict[str, tuple[object, ...]] = {
    "gate_decision": (CONTINUES, ENDED, PARTNERSHIP_ENDED, PURCHASE),
    "claim_approved": (APPROVED, APPROVED_BEFORE_INVOICE),
    "claim_queried": (QUERIED, QUERIED_BRIEFLY),
    "claim_rejected": (REJECTED,),
    "payment_made": (PAID, PAID_LATE),
    "change_agreed": (AGREED, AGREED_TARGET_ONLY),
    "intention_to_terminate": (INTENDED_END, INTENDED_END_SUBCONTRACTOR),
    "purchase_decision": (BUYING, BUYING_AT_THE_MAXIMUM),
    "contract_details_notice": (DETAILS, DETAILS_WITHOUT_KPIS),
    "contract_performance_notice": (PERFORMANCE,),
    "contract_change_notice": (CHANGE_INTENDED, NOVATION),
    "contract_termination_notice": (
        ENDED_AT_GATE,
        ENDED_FOR_BREACH,
        ENDED_BY_SETTLEMENT,
        ENDED_WITH_DAMAGES_AGREED,
    ),
    "modification_notice": (PCR_MODIFIED, PCR_NEW_CONTRACTOR),
}
