"""
The demo's competitions, played through the same services a person would use, at the moments
they happened (`now` minus so many days):

* WCC-IP-2024-003 (PCR 2015): five requests, four invited, round 1 negotiated, round 2 open;
* WCC-IP-2024-004 (PCR 2015): three tender rounds (staged reduction after round 2), closed,
  scored by two evaluators and in moderation;
* WCC-IP-2025-005 (Procurement Act 2023): evaluated, signed off and in standstill after the
  assessment summaries went out;
* WCC-IP-2025-006 and WCC-IP-2025-007 (Procurement Act 2023): the same competition from named
  candidates, to three partner contracts concluded months ago (demo/partnerships.py plays the
  partnerships that follow).

Each is played only while it is still at its notice, so loading twice changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from sanely.portal.accounts.models import Organisation, OrganisationKind, Role, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.competition.selectors import tenderers
from sanely.portal.demo import award as award_demo
from sanely.portal.demo import evaluation as evaluation_demo
from sanely.portal.demo import negotiation as negotiation_demo
from sanely.portal.demo import selection as selection_demo
from sanely.portal.demo.procurements import JUSTIFICATION
from sanely.portal.procurements.actions import Action
from sanely.portal.procurements.design import section
from sanely.portal.procurements.engine import requests_close
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import procurement_act
from sanely.portal.tenders.models import RoundKind, SubmissionRound
from sanely.portal.tenders.selectors import round_list
from sanely.portal.tenders.services import (
    round_opening_confirm,
    round_opening_request,
    submission_round_open,
    submission_submit,
)
from sanely.procedure import events as lifecycle

# Who asks to take part, by registration number. Candidates are marked in name order and the
# fourth fails the insurance test (demo/selection.py); after round 2 the last is reduced, so the
# first three by name become the partners.
CANDIDATES = {
    # Blackmoor Vale Transport, Fenland Community Transport, Kestrel Mobility; Northgate Digital;
    # Wintoncester Fleet Services.
    "WCC-IP-2025-006": ("14500005", "14500002", "14500001", "14500004", "14500008"),
    # Brightwater Analytics, Egdon Route Optimisation, Melchester Environmental Services;
    # Northgate Digital; Wintoncester Fleet Services.
    "WCC-IP-2025-007": ("14500003", "14500006", "14500007", "14500004", "14500008"),
}


@dataclass(frozen=True)
class Team:
    """The authority's people who run a demo competition."""

    lead: Actor
    commissioner: Actor
    evaluators: list[Actor]

    @classmethod
    def of(cls, procurement: Procurement) -> "Team":
        def people(role: str) -> list[Actor]:
            found = User.objects.filter(
                memberships__organisation=procurement.organisation, memberships__role=role
            ).order_by("pk")
            return [Actor.for_session(user) for user in found]

        return cls(
            people(Role.PROCUREMENT_LEAD)[0],
            people(Role.COMMISSIONER)[0],
            people(Role.EVALUATOR) + people(Role.PROCUREMENT_LEAD)[:1],
        )


def _days(now: datetime, days: float) -> datetime:
    return now - timedelta(days=days)


def _submit(
    procurement: Procurement,
    submission_round: SubmissionRound,
    supplier: Organisation,
    at: datetime,
) -> None:
    admin = User.objects.get(
        memberships__organisation=supplier, memberships__role=Role.SUPPLIER_ADMIN
    )
    part = submission_round.parts[0]
    text = (
        f"{supplier.name}: {part.lower()} for {procurement.reference}, {submission_round.label}.\n"
    )
    slug = supplier.name.split()[0].lower()
    submission_submit(
        actor=Actor.for_session(admin),
        round_id=submission_round.pk,
        organisation_id=supplier.pk,
        part=part,
        upload=SimpleUploadedFile(
            f"{slug}-{submission_round.kind}-{submission_round.number}.txt", text.encode()
        ),
        now=at,
    )


def _open(team: Team, submission_round: SubmissionRound, at: datetime) -> None:
    """The four-eyes opening: the lead asks, the commissioner confirms."""
    round_opening_request(actor=team.lead, round_id=submission_round.pk, now=at)
    round_opening_confirm(actor=team.commissioner, round_id=submission_round.pk, now=at)


def _act(team: Team, procurement: Procurement, event: str, at: datetime) -> None:
    procurement_act(
        actor=team.lead,
        procurement_id=procurement.pk,
        event=event,
        action=Action(justification=JUSTIFICATION),
        now=at,
    )


def _candidates(procurement: Procurement) -> list[Organisation]:
    """The suppliers that ask to take part: those named for the procurement, else the first five."""
    named = CANDIDATES.get(procurement.reference)
    if named is None:
        return list(Organisation.objects.filter(kind=OrganisationKind.SUPPLIER).order_by("pk")[:5])
    return [Organisation.objects.get(identifier_scheme="GB-COH", identifier=i) for i in named]


def _requests(team: Team, procurement: Procurement, now: datetime, days: tuple[int, ...]) -> None:
    """Requests from the candidates, closed, opened and selected: `days` ago each step."""
    opened, submitted, closed, selected = days
    planned = requests_close(section(procurement.design, "timeline").requests_deadline)
    deadline = planned or _days(now, submitted - 1)
    rtp = submission_round_open(
        actor=team.lead,
        procurement_id=procurement.pk,
        kind=RoundKind.RTP,
        number=1,
        deadline=deadline,
        parts=["Selection questionnaire"],
        now=_days(now, opened),
    )
    for hours, supplier in enumerate(_candidates(procurement)):
        _submit(procurement, rtp, supplier, _days(now, submitted) + timedelta(hours=hours))
    _act(team, procurement, lifecycle.CLOSE_REQUESTS, _days(now, closed))
    _open(team, rtp, _days(now, closed))
    selection_demo.select(
        procurement, assessor=team.evaluators[0], lead=team.lead, now=_days(now, selected)
    )


def _tender_round(
    team: Team,
    procurement: Procurement,
    now: datetime,
    *,
    opened: float,
    closes: float,
    final: bool = False,
) -> SubmissionRound:
    """A round opened `opened` days ago; once closed, everyone has tendered and it is open."""
    number = round_list(procurement=procurement).filter(kind=RoundKind.TENDER).count() + 1
    submission_round = submission_round_open(
        actor=team.lead,
        procurement_id=procurement.pk,
        kind=RoundKind.TENDER,
        number=number,
        final=final,
        deadline=_days(now, closes),
        parts=["Tender"],
        justification=JUSTIFICATION,
        now=_days(now, opened),
    )
    submitted = max(closes, 0) + 1
    for supplier in tenderers(procurement)[: None if closes > 0 else 2]:
        _submit(procurement, submission_round, supplier, _days(now, submitted))
    if closes > 0:
        _open(team, submission_round, _days(now, closes - 1))
    return submission_round


def _negotiating_round_two(procurement: Procurement, team: Team, now: datetime) -> None:
    _requests(team, procurement, now, (69, 40, 34, 33))
    first = _tender_round(team, procurement, now, opened=32, closes=18)
    negotiation_demo.negotiate_round(procurement, round=first, lead=team.lead, now=_days(now, 14))
    _tender_round(team, procurement, now, opened=10, closes=-7)


def _to_final_tenders(procurement: Procurement, team: Team, now: datetime, start: int) -> None:
    """From the notice `start` days ago to closed final tenders, with a staged reduction."""
    _requests(team, procurement, now, (start - 1, start - 30, start - 36, start - 37))
    first = _tender_round(team, procurement, now, opened=start - 38, closes=start - 60)
    negotiation_demo.negotiate_round(
        procurement, round=first, lead=team.lead, now=_days(now, start - 64)
    )
    second = _tender_round(team, procurement, now, opened=start - 66, closes=start - 86)
    negotiation_demo.negotiate_round(
        procurement, round=second, lead=team.lead, now=_days(now, start - 88)
    )
    negotiation_demo.reduce(procurement, lead=team.lead, keep=3, now=_days(now, start - 89))
    _tender_round(team, procurement, now, opened=start - 90, closes=start - 110, final=True)
    _act(team, procurement, lifecycle.CLOSE_TENDERING, _days(now, start - 112))


def _in_moderation(procurement: Procurement, team: Team, now: datetime) -> None:
    _to_final_tenders(procurement, team, now, 150)
    evaluation_demo.declare_and_score(procurement, evaluators=team.evaluators, now=_days(now, 20))
    evaluation_demo.moderate(procurement, moderator=team.lead, now=_days(now, 10))


def _notified(procurement: Procurement, team: Team, now: datetime, start: int, days: int) -> None:
    """Final tenders from the notice `start` days ago, then the award notified `days` ago."""
    _to_final_tenders(procurement, team, now, start)
    scored, moderated, signed = days + 5, days + 3, days + 2
    evaluation_demo.declare_and_score(
        procurement, evaluators=team.evaluators, now=_days(now, scored)
    )
    evaluation_demo.moderate(procurement, moderator=team.lead, now=_days(now, moderated))
    evaluation_demo.sign_off(procurement, lead=team.lead, now=_days(now, signed))
    award_demo.notify(procurement, lead=team.lead, now=_days(now, days))


def _in_standstill(procurement: Procurement, team: Team, now: datetime) -> None:
    _notified(procurement, team, now, 120, 2)


def _concluded(start: int, days: int) -> Callable[[Procurement, Team, datetime], None]:
    """From the notice `start` days ago to partner contracts concluded `days` ago."""

    def play(procurement: Procurement, team: Team, now: datetime) -> None:
        _notified(procurement, team, now, start, days + 15)  # the standstill ends in between
        award_demo.conclude(procurement, lead=team.lead, now=_days(now, days))

    return play


COMPETITIONS = {
    "WCC-IP-2024-003": _negotiating_round_two,
    "WCC-IP-2024-004": _in_moderation,
    "WCC-IP-2025-005": _in_standstill,
    "WCC-IP-2025-006": _concluded(start=467, days=325),
    "WCC-IP-2025-007": _concluded(start=529, days=387),
}


def demo_competitions(*, now: datetime) -> None:
    """Play the competitions that have not been played yet."""
    for reference, play in COMPETITIONS.items():
        procurement = Procurement.objects.filter(reference=reference).first()
        if procurement is None or round_list(procurement=procurement).exists():
            continue
        play(procurement, Team.of(procurement), now)
