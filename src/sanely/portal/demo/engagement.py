"""
The demo's preliminary market engagement: Wessex asks the market about falls-prevention
sensors before designing that procurement (still drafting): a supplier day and a written
questionnaire, the answers shared with every supplier, two changes to the design, and the UK2
notice, so that the challenge is on the public list as planned. Played through the engagement
services at the moments it happened; loading twice adds nothing.
"""

from datetime import datetime, time, timedelta

from sanely.portal.accounts.models import User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.engagement.models import EngagementEvent
from sanely.portal.engagement.services import (
    Taker,
    design_change_record,
    engagement_event_record,
    engagement_notice_publish,
    shared_item_record,
)
from sanely.portal.procurements.engine import UK, uk_date
from sanely.portal.procurements.models import Procurement

REFERENCE = "WCC-IP-2026-002"
COMMISSIONER = "commissioner@wessex.example"


def _at(now: datetime, days_ago: int, hour: int) -> datetime:
    return datetime.combine(uk_date(now) - timedelta(days=days_ago), time(hour), tzinfo=UK)


def demo_engagement(*, now: datetime) -> None:
    procurement = Procurement.objects.filter(reference=REFERENCE).first()
    if procurement is None or EngagementEvent.objects.filter(procurement=procurement).exists():
        return
    actor = Actor.for_session(User.objects.get(email=COMMISSIONER))
    day = engagement_event_record(
        actor=actor,
        procurement_id=procurement.pk,
        title="Supplier day: detecting falls at night without cameras",
        form="event",
        held_at=_at(now, 10, 10),
        location="Wessex County Hall, Winchester, and online",
        asked=(
            "Can a sensor detect that an older person living alone has fallen at night, within"
            " five minutes, without a camera and without the person pressing anything? What"
            " would a six-month trial in 40 homes need from the council and from carers?"
        ),
        participants=[
            Taker("Brightwater Analytics Ltd", is_sme=True),
            Taker("CareLink Cooperative Ltd", is_sme=True, is_vcse=True),
            Taker("Northgate Digital Services plc"),
            Taker("Wessex Carers Forum", is_vcse=True),
        ],
        now=_at(now, 10, 17),
    )
    engagement_event_record(
        actor=actor,
        procurement_id=procurement.pk,
        title="Written questionnaire on radar and floor sensors",
        form="questionnaire",
        held_at=_at(now, 9, 9),
        location="Sent to every supplier registered with the council, and on request",
        asked=(
            "How often does your sensor raise a false alarm per home per month, and how is a"
            " person's privacy protected when it records movement in a bedroom?"
        ),
        participants=[
            Taker("Brightwater Analytics Ltd", is_sme=True),
            Taker("Northgate Digital Services plc"),
        ],
        now=_at(now, 9, 9),
    )
    shared_item_record(
        actor=actor,
        procurement_id=procurement.pk,
        title="Questions and answers from the supplier day",
        content=(
            "Homes in the trial have broadband in 31 of 40 cases; the council provides mobile"
            " data for the rest. Carers respond to alerts between 22:00 and 07:00 from the"
            " night-care hub. No camera may be used in a bedroom or bathroom."
        ),
        event_id=day.pk,
        now=_at(now, 8, 12),
    )
    design_change_record(
        actor=actor,
        procurement_id=procurement.pk,
        section="minimum_requirements",
        change=(
            "Added: no camera in bedrooms or bathrooms. Carers' organisations at the supplier"
            " day said residents would refuse a trial otherwise."
        ),
        event_id=day.pk,
        now=_at(now, 8, 14),
    )
    design_change_record(
        actor=actor,
        procurement_id=procurement.pk,
        section="phases",
        change=(
            "The first phase trials in 10 homes before 40: suppliers said false alarms must be"
            " tuned in real homes before a wider trial."
        ),
        now=_at(now, 8, 15),
    )
    engagement_notice_publish(
        actor=actor,
        procurement_id=procurement.pk,
        closes_on=uk_date(now) + timedelta(days=21),
        process=(
            "Any supplier, social enterprise or carers' organisation may send written views on"
            " the questions above to the council until the closing date; a second online"
            " session is held a week before it, open to all."
        ),
        now=_at(now, 7, 9),
    )
