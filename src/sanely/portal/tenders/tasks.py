"""
What a supplier is waiting to do in its competitions: the parts it still has to submit to an
open round and by when, where it stands, the letters the authority sent it lately; and, for
the authority's commissioners and leads, the rounds about to close.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse

from sanely.documents.wording import uk_date as written_date
from sanely.portal.accounts.models import Organisation, OrganisationKind
from sanely.portal.accounts.selectors import Actor
from sanely.portal.competition.models import Letter, Participant, Standing
from sanely.portal.core.tasks import Task
from sanely.portal.procurements.engine import uk_date
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import WRITE_ROLES

from .models import Interest, RoundKind, SubmissionRound, SubmissionVersion
from .selectors import supplier_memberships

# Letters stay on the home page for this long after they were sent.
LETTERS_SHOWN_FOR = timedelta(days=30)
# Where a supplier stands, while the competition still asks something of it.
_STANDINGS_SHOWN = (Standing.CANDIDATE, Standing.INVITED, Standing.PARTNER)


@dataclass(frozen=True)
class _Supplier:
    organisation: Organisation
    submits: bool  # a member who may submit for it (not read only)


def _suppliers(actor: Actor) -> dict[int, _Supplier]:
    writers = {m.organisation_id for m in supplier_memberships(actor)}
    return {
        m.organisation_id: _Supplier(m.organisation, m.organisation_id in writers)
        for m in actor.memberships
        if m.organisation.kind == OrganisationKind.SUPPLIER
    }


def _open_rounds(ids: set[int], now: datetime) -> list[SubmissionRound]:
    """The rounds still taking submissions in competitions a supplier in `ids` is part of."""
    involved = Q(pk__in=Interest.objects.filter(organisation_id__in=ids).values("procurement_id"))
    involved |= Q(
        pk__in=Participant.objects.filter(organisation_id__in=ids).values("procurement_id")
    )
    return list(
        SubmissionRound.objects.filter(
            deadline__gt=now,
            procurement__published_at__isnull=False,
            procurement__in=Procurement.objects.filter(involved),
        ).select_related("procurement")
    )


def _submissions_due(suppliers: dict[int, _Supplier], now: datetime) -> list[Task]:
    rounds = _open_rounds(set(suppliers), now)
    taking = {
        (r.pk, organisation_id) for organisation_id, r in _who_submits(rounds, set(suppliers))
    }
    sent = set(
        SubmissionVersion.objects.filter(round__in=rounds, organisation_id__in=suppliers)
        .values_list("round_id", "organisation_id", "part")
        .distinct()
    )
    tasks = []
    for r in rounds:
        for organisation_id, supplier in suppliers.items():
            missing = [p for p in r.parts if (r.pk, organisation_id, p) not in sent]
            if (r.pk, organisation_id) not in taking or not missing:
                continue
            what = "request to participate" if r.kind == RoundKind.RTP else "tender"
            url = reverse("tenders:submission", args=[r.pk, organisation_id])
            tasks.append(
                Task(
                    f"Send {supplier.organisation.name}'s {what} for {r.procurement.title}:"
                    f" {', '.join(missing)} still to submit",
                    uk_date(r.deadline),
                    url if supplier.submits else None,
                )
            )
    return tasks


def _who_submits(rounds: list[SubmissionRound], ids: set[int]) -> list[tuple[int, SubmissionRound]]:
    """Each round with each supplier it takes from: requests from the interested, tenders from
    the invited."""
    procurement_ids = {r.procurement_id for r in rounds}
    interested = set(
        Interest.objects.filter(
            procurement_id__in=procurement_ids, organisation_id__in=ids
        ).values_list("procurement_id", "organisation_id")
    )
    standings = {
        (p, o): s
        for p, o, s in Participant.objects.filter(
            procurement_id__in=procurement_ids, organisation_id__in=ids
        ).values_list("procurement_id", "organisation_id", "standing")
    }
    return [
        (organisation_id, r)
        for r in rounds
        for organisation_id in ids
        if (
            (r.procurement_id, organisation_id) in interested
            or (r.procurement_id, organisation_id) in standings
            if r.kind == RoundKind.RTP
            else standings.get((r.procurement_id, organisation_id)) == Standing.INVITED
        )
    ]


def _standings(suppliers: dict[int, _Supplier]) -> list[Task]:
    found = Participant.objects.filter(
        organisation_id__in=suppliers, standing__in=_STANDINGS_SHOWN
    ).select_related("procurement", "organisation")
    return [
        Task(
            f"{p.procurement.title}: {p.organisation.name} is {p.get_standing_display().lower()}",
            url=reverse("tenders:opportunity", args=[p.procurement_id]),
        )
        for p in found
        if p.procurement.published_at is not None
    ]


def _letters(suppliers: dict[int, _Supplier], now: datetime) -> list[Task]:
    found = Letter.objects.filter(
        recipient_id__in=suppliers, sent_at__gt=now - LETTERS_SHOWN_FOR
    ).select_related("procurement__organisation", "recipient")
    return [
        Task(
            f"Read the letter {letter.procurement.organisation.name} sent {letter.recipient.name}"
            f" on {written_date(uk_date(letter.sent_at))}: {letter.subject}",
            url=reverse("tenders:letter", args=[letter.pk]),
        )
        for letter in found
    ]


def _rounds_closing(actor: Actor, now: datetime) -> list[Task]:
    """
    For commissioners and leads: their authorities' tender rounds that have not closed yet
    (the engine gives the close of requests to participate, a statutory date).
    """
    running = {m.organisation_id for m in actor.memberships if m.role in WRITE_ROLES}
    found = SubmissionRound.objects.filter(
        procurement__organisation_id__in=running, kind=RoundKind.TENDER, deadline__gt=now
    ).select_related("procurement")
    return [
        Task(
            f"Round {r.number} of tenders for {r.procurement.title} closes: open it once it has",
            uk_date(r.deadline),
            reverse("tenders:round", args=[r.pk]),
        )
        for r in found
    ]


def tender_tasks(*, actor: Actor, now: datetime) -> list[Task]:
    suppliers = _suppliers(actor)
    return (
        _submissions_due(suppliers, now)
        + _standings(suppliers)
        + _letters(suppliers, now)
        + _rounds_closing(actor, now)
    )
