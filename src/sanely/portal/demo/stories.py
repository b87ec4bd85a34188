"""
What the people of each demo competition say about its subject: the panel's reasons, the minutes
of the negotiation meetings, the question asked and answered to all, the revision of the
documents, the strengths written at moderation and the prices tendered. A competition without a
story of its own (one made by a test) uses the rural transport one.
"""

from dataclasses import dataclass
from decimal import Decimal

from sanely.portal.procurements.models import Procurement


@dataclass(frozen=True)
class Story:
    field: str  # what a candidate's research and development record is in
    minutes: str  # of a negotiation meeting: {tenderer} and {round} are filled in
    shared_fact: str  # told to every tenderer, so that the equal-treatment check stays clean
    question: str  # asked by {asker}
    published_question: str  # the question as published to all, without the asker
    answer: str
    revision: str  # what the revised specification changes
    revision_reason: str  # why the time to the next deadline is still enough
    strengths: str  # of each tender at moderation: {tenderer} is filled in
    low_tender: str  # the tenderer's explanation of a price that looked abnormally low
    prices: tuple[Decimal, ...]  # final tender prices, tenderer by tenderer in name order


RURAL_TRANSPORT = Story(
    field="rural mobility",
    minutes="{tenderer} presented {round}. Discussed its booking app's offline mode, its driver"
    " training plan and the phase 1 milestones. The authority asked for a clearer timetable for"
    " the pilot villages.",
    shared_fact="The Dorchester depot can host two charging bays from the start of phase 1.",
    question="{asker} would use its own minibuses: may vehicles older than 5 years be used in the"
    " pilot if they meet Euro 6?",
    published_question="May vehicles older than 5 years be used if they meet Euro 6?",
    answer="Yes: any wheelchair-accessible vehicle meeting Euro 6 may be used.",
    revision="Section 3.2 now asks for a timetable per pilot village; nothing else changes.",
    revision_reason="A timetable per village is a small addition: the next round's time is"
    " enough to add it.",
    strengths="{tenderer}: a clear service design for rural trips, with a delivery plan tested"
    " with local partners.",
    low_tender="The tenderer showed that its vehicles are already leased and its drivers shared"
    " with an existing community transport service.",
    prices=(Decimal("412000"), Decimal("389500"), Decimal("431250"), Decimal("402000")),
)

DISTRICT_BUSES = Story(
    field="demand-responsive transport in sparse rural areas",
    minutes="{tenderer} presented {round}. Discussed how trips are pooled when two villages book"
    " the same train at Casterbridge, the phone booking line's opening hours and how drivers"
    " would be recruited in its pilot district. The council asked how the cost per passenger"
    " trip would be kept under £12 in the school holidays.",
    shared_fact="Trains at Casterbridge and Sherton Abbas stations keep their timetables until"
    " December 2027, so the pilot's connections can be planned on them.",
    question="{asker} asks whether the pilot's buses may also carry pupils with school bus"
    " passes on the morning run.",
    published_question="May the pilot's buses carry pupils with school bus passes on the"
    " morning run?",
    answer="Yes, where a seat is free: school transport stays with its own contracts, and those"
    " trips count in the pilot's passenger trips.",
    revision="Section 4.1 now defines the cost per passenger trip (driver, vehicle, fuel and"
    " booking line, divided by the trips carried); nothing else changes.",
    revision_reason="The definition only states how the cost is counted: the time to the next"
    " deadline is enough to price on it.",
    strengths="{tenderer}: a service designed with residents of its district, connections timed"
    " to the trains and a credible plan to keep the cost per trip down as use grows.",
    low_tender="The tenderer showed that its vehicles already run school contracts in the"
    " district, so the pilot pays only for their hours between school runs.",
    prices=(Decimal("709500"), Decimal("694000"), Decimal("718250"), Decimal("702000")),
)

WASTE_ROUTES = Story(
    field="vehicle routing and fleet telematics",
    minutes="{tenderer} presented {round}. Discussed how its routing reads the lorries'"
    " telematics, how rounds are re-planned overnight when a crew is short, and how the crews'"
    " breaks and working-time limits are kept. The council asked how narrow lanes and weight"
    " limits are kept out of the routes.",
    shared_fact="The lorries' telematics export every stop with its time and position each"
    " night, in the format set out in annex C.",
    question="{asker} asks whether the routes may send lorries on roads closed to vehicles over"
    " 7.5 tonnes where the council holds an exemption.",
    published_question="May routes use roads closed to vehicles over 7.5 tonnes where the"
    " council holds an exemption?",
    answer="Yes: annex D lists the exempt roads; no route may use any other.",
    revision="Annex D now lists the roads the council's lorries may use under an exemption;"
    " nothing else changes.",
    revision_reason="The list only states which roads are open to the lorries: the time to the"
    " next deadline is enough to route with it.",
    strengths="{tenderer}: routing proven on rural rounds, with crews' working-time limits built"
    " in and a clear plan for the overnight re-planning.",
    low_tender="The tenderer showed that its routing software is already licensed for two"
    " neighbouring councils, so the pilot pays only for adapting it.",
    prices=(Decimal("198500"), Decimal("205000"), Decimal("209000"), Decimal("201750")),
)

GRITTING_ROUTES = Story(
    field="road weather forecasting and winter maintenance",
    minutes="{tenderer} presented {round}. Discussed how its forecasts of road surface"
    " temperature are checked against the council's weather stations, how a gritting run is"
    " called two hours ahead of frost, and how the drivers' rosters absorb a second run on the"
    " same night. The council asked how much salt the pilot routes would save in a mild winter.",
    shared_fact="The council's eleven road weather stations report every twenty minutes; their"
    " readings since 2019 are in annex B.",
    question="{asker} asks whether the pilot may treat the A35 priority route at a lower spread"
    " rate where its forecast shows the road surface staying above freezing.",
    published_question="May a priority route be treated at a lower spread rate where the"
    " forecast shows the road surface staying above freezing?",
    answer="No: priority routes keep the spread rates of the council's winter service plan;"
    " the pilot decides when to treat them, not how much salt they get.",
    revision="Section 2.3 now names the priority routes whose spread rates do not change;"
    " nothing else changes.",
    revision_reason="The list only names routes already in the winter service plan: the time to"
    " the next deadline is enough to plan the runs around them.",
    strengths="{tenderer}: forecasts checked against a full winter of the council's station"
    " readings, and a clear plan for calling runs early on marginal nights.",
    low_tender="The tenderer showed that its forecasting service already covers the county for"
    " a neighbouring highway authority, so the pilot pays only for the route planning.",
    prices=RURAL_TRANSPORT.prices,
)

HOME_CARE_VISITS = Story(
    field="scheduling care visits in the community",
    minutes="{tenderer} presented {round}. Discussed how people choose the times of their care"
    " visits, how the schedule keeps the same carers with the same people, and how travel time"
    " between visits is paid. The council asked how a visit is moved when a carer is off sick.",
    shared_fact="The council's care providers record every visit's start and end in the"
    " electronic call monitoring system described in annex A.",
    question="{asker} asks whether the schedule may move a visit by up to thirty minutes"
    " without asking the person first.",
    published_question="May the schedule move a care visit by up to thirty minutes without"
    " asking the person first?",
    answer="No: a person agrees every change to the time of their visit; the schedule may"
    " suggest the change.",
    revision="Section 3.4 now requires that every change of a visit's time is agreed with the"
    " person; nothing else changes.",
    revision_reason="The requirement only states what the schedules already do: the time to the"
    " next deadline is enough to describe how.",
    strengths="{tenderer}: people choose their visit times, the same carers keep the same"
    " rounds, and travel time is planned rather than squeezed.",
    low_tender="The tenderer showed that its scheduling software already runs for two of the"
    " council's care providers, so the pilot pays only for extending it.",
    prices=RURAL_TRANSPORT.prices,
)

HOSPITAL_DISCHARGE = Story(
    field="discharge from hospital and care at home",
    minutes="{tenderer} presented {round}. Discussed how a person medically fit to leave"
    " hospital is assessed at home within a day, how the ward and the home care team hand over,"
    " and how equipment is in place before the person arrives. The board asked how"
    " readmissions within thirty days would be followed up.",
    shared_fact="The hospital's discharge team sends each referral through the shared care"
    " record described in annex A, at the latest by noon on the day before discharge.",
    question="{asker} asks whether the assessment at home may be done by a trusted assessor"
    " rather than a social worker.",
    published_question="May a trusted assessor, rather than a social worker, do the assessment"
    " at home?",
    answer="Yes: a trusted assessor trained under the council's scheme may do it; a social"
    " worker reviews every assessment within five working days.",
    revision="Section 2.2 now describes the trusted assessor scheme and its training; nothing"
    " else changes.",
    revision_reason="The scheme is already in use on the wards: the time to the next deadline"
    " is enough to plan with it.",
    strengths="{tenderer}: people assessed at home within a day of leaving hospital, a clear"
    " handover from the ward and equipment in place before they arrive.",
    low_tender="The tenderer showed that its reablement team already works in the area for the"
    " council, so the pilot pays only for the extra assessments.",
    prices=RURAL_TRANSPORT.prices,
)

STORIES = {
    "WCC-IP-2024-003": GRITTING_ROUTES,
    "WCC-IP-2024-004": HOME_CARE_VISITS,
    "WCC-IP-2025-005": HOSPITAL_DISCHARGE,
    "WCC-IP-2025-006": DISTRICT_BUSES,
    "WCC-IP-2025-007": WASTE_ROUTES,
}


def story_of(procurement: Procurement) -> Story:
    return STORIES.get(procurement.reference, RURAL_TRANSPORT)
