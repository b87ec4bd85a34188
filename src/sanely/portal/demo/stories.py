"""
What the people of each demo competition say about its subject: the panel's reasons, the minutes
of the negotiation meetings, the question asked and answered to all, the revision of the
documents, the strengths written at moderation and the prices tendered. A competition without a
story of its own uses the rural transport one the first demo competitions were written with.
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

STORIES = {"WCC-IP-2025-006": DISTRICT_BUSES, "WCC-IP-2025-007": WASTE_ROUTES}


def story_of(procurement: Procurement) -> Story:
    return STORIES.get(procurement.reference, RURAL_TRANSPORT)
