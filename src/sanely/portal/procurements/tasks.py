"""What the procurement engine says is due on the procurements a person runs."""

from datetime import date, datetime, timedelta

from django.urls import reverse

from sanely.portal.accounts.selectors import Actor
from sanely.portal.core.errors import Conflict
from sanely.portal.core.tasks import Task

from .design import section
from .engine import rulebook_of, uk_date
from .models import Procurement
from .selectors import WRITE_ROLES, procurement_list_for, what_next


def running(actor: Actor) -> list[Procurement]:
    """The procurements the actor may change (commissioners and leads), oldest first."""
    writable = {m.organisation_id for m in actor.memberships if m.role in WRITE_ROLES}
    return list(procurement_list_for(actor=actor).filter(organisation_id__in=writable))


def _task(procurement: Procurement, now: datetime) -> Task | None:
    url = reverse("procurements:detail", args=[procurement.pk])
    try:
        rulebook = rulebook_of(procurement)
    except Conflict as refused:
        return Task(f"{procurement.title}: {refused}", None, url)
    state = rulebook.state(procurement.state)
    if state is not None and state.terminal:
        return None
    if procurement.state == rulebook.initial_state:
        planned = section(procurement.design, "timeline").notice_on
        return Task(
            f"Finish the design of {procurement.title} and publish its notice", planned, url
        )
    deadline = what_next(procurement=procurement, now=now).deadline
    if deadline is None:
        return None
    late = "Overdue: " if deadline.overdue else ""
    # The last moment it is met falls on the day shown.
    due: date = uk_date(deadline.passes_at - timedelta(microseconds=1))
    return Task(f"{late}{deadline.what} for {procurement.title}", due, url)


def procurement_tasks(*, actor: Actor, now: datetime) -> list[Task]:
    """For commissioners and leads: the next statutory date of each procurement they run."""
    return [t for p in running(actor) if (t := _task(p, now)) is not None]
