"""
Reads for the award, and the one place that decides who may see what:

* every person of the authority (auditors included) reads the award page, the decision
  notices sent, the contracts and the procurement report; commissioners and procurement leads
  send the notices and conclude the contracts;
* a supplier's people read only their own letters (through `tenders`) and their own contract;
* anyone else is told the procurement or contract does not exist.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet

from sanely.documents.letters import award_decision
from sanely.portal.accounts.models import Membership, Organisation, OrganisationKind
from sanely.portal.accounts.selectors import Actor
from sanely.portal.competition.models import Letter, Participant, Standing
from sanely.portal.competition.selectors import participants
from sanely.portal.core.errors import Conflict, NotFound
from sanely.portal.evaluation.models import EvaluationOutcome
from sanely.portal.procurements.engine import UK, rulebook_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import WRITE_ROLES, access_procurement
from sanely.procedure import Rulebook, deadline_for
from sanely.procedure import events as lifecycle

from .models import Contract

# The same steps are named differently by the regimes: PCR 2015, PCSR 2016 and the
# Directive notify the decision and conclude; the Procurement Act 2023 publishes the
# contract award notice (after the assessment summaries) and enters into contracts.
NOTIFY_EVENTS = (lifecycle.NOTIFY_DECISION, lifecycle.PUBLISH_AWARD_NOTICE)
CONCLUDE_EVENTS = (lifecycle.CONCLUDE_CONTRACTS, lifecycle.ENTER_CONTRACTS)
# Candidates told of the decision although they have no evaluated tender.
EARLIER_STAGES = (Standing.NOT_SELECTED, Standing.REDUCED, Standing.REJECTED, Standing.INVITED)


def follows_assessment_summaries(rulebook: Rulebook, event: str) -> bool:
    """
    Whether the rulebook's award step reads the day assessment summaries were sent (PA 2023
    s.50): then the letters are assessment summaries, not decision notices.
    """
    found = rulebook.event(event)
    return found is not None and "action.summaries_sent_on" in found.effects.sets.values()


def event_of(rulebook: Rulebook, choices: tuple[str, ...]) -> tuple[str, str]:
    """The rulebook's name and label for one step of the award."""
    for name in choices:
        event = rulebook.event(name)
        if event is not None:
            return event.id, event.label
    raise Conflict(f"{rulebook.title} has none of the steps {', '.join(choices)}.")


def access_award(
    *, actor: Actor, procurement_id: int, write: bool = False
) -> tuple[Procurement, Membership]:
    """A procurement of the actor's authority; `write` needs a commissioner or lead."""
    return access_procurement(actor=actor, procurement_id=procurement_id, write=write)


def may_act(actor: Actor, procurement: Procurement) -> bool:
    """Whether the actor may send the notices and conclude the contracts (to offer the forms)."""
    memberships = actor.in_organisation(procurement.organisation_id)
    return any(m.role in WRITE_ROLES for m in memberships)


def access_partner(*, actor: Actor, organisation_id: int) -> Organisation:
    """A supplier the actor belongs to (any role); any other organisation is missing."""
    for membership in actor.in_organisation(organisation_id):
        if membership.organisation.kind == OrganisationKind.SUPPLIER:
            return membership.organisation
    raise NotFound("No such organisation.")


def contracts_of(procurement: Procurement) -> QuerySet[Contract]:
    return Contract.objects.filter(procurement=procurement).select_related(
        "partner", "concluded_by", "procurement__organisation"
    )


def partner_contracts(procurement: Procurement, partner: Organisation) -> QuerySet[Contract]:
    """The contracts one partner holds in one procurement (shown on its opportunity page)."""
    return Contract.objects.filter(procurement=procurement, partner=partner)


def access_contract(*, actor: Actor, contract_id: int) -> Contract:
    """A contract, for the people of its partner and of the authority that concluded it."""
    contract = (
        Contract.objects.select_related("procurement__organisation", "partner", "concluded_by")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None or not (
        actor.in_organisation(contract.partner_id)
        or actor.in_organisation(contract.procurement.organisation_id)
    ):
        raise NotFound("No such contract.")
    return contract


def partner_contract_list(*, actor: Actor, organisation_id: int) -> QuerySet[Contract]:
    """The contracts one of the actor's suppliers holds as a partner."""
    partner = access_partner(actor=actor, organisation_id=organisation_id)
    return Contract.objects.filter(partner=partner).select_related(
        "partner", "concluded_by", "procurement__organisation"
    )


def outcomes_of(procurement: Procurement) -> list[EvaluationOutcome]:
    """The signed-off evaluation, best first."""
    return list(
        EvaluationOutcome.objects.filter(procurement=procurement)
        .select_related("tenderer", "signed_off_by")
        .order_by("rank", "tenderer__name")
    )


def other_candidates(procurement: Procurement, tenderer_ids: set[int]) -> list[Participant]:
    """Candidates with no evaluated tender, told of the decision with their own reason."""
    return [
        p
        for p in participants(procurement)
        .filter(standing__in=EARLIER_STAGES)
        .order_by("organisation__name")
        if p.organisation_id not in tenderer_ids
    ]


def decision_letters(procurement: Procurement) -> QuerySet[Letter]:
    return Letter.objects.filter(procurement=procurement, kind=award_decision.KIND).select_related(
        "recipient", "sent_by"
    )


@dataclass(frozen=True)
class Standstill:
    """The standstill as the pinned rulebook counts it; `ends_at` is the moment it is over."""

    started_on: date
    last_day: date
    ends_at: datetime
    meaning: str
    rule: str
    citation: str

    def over(self, now: datetime) -> bool:
        return now >= self.ends_at


def _nation(procurement: Procurement) -> str | None:
    return None if procurement.nation == "eu" else procurement.nation


def standstill(procurement: Procurement) -> Standstill | None:
    """
    The standstill's last day, counted by the rulebook's period "standstill" from the fact it
    names (PCR 2015: the day the decision notices were sent, 10 calendar days after it, moved
    to a working day; PA 2023: 8 working days beginning with the day the contract award notice
    was published); None until that fact is recorded. It ends at midnight at the end of its
    last day, UK time, as the engine's guard sees it.
    """
    rulebook = rulebook_of(procurement)
    period = rulebook.periods.get("standstill")
    started_on = getattr(procurement, period.from_fact, None) if period else None
    if not isinstance(started_on, date):
        return None
    deadline = deadline_for("standstill", rulebook.id, started_on, _nation(procurement))
    ends_at = datetime.combine(deadline.date + timedelta(days=1), time(0), tzinfo=UK)
    return Standstill(
        started_on, deadline.date, ends_at, deadline.meaning, deadline.rule, deadline.citation
    )


@dataclass(frozen=True)
class AwardOverview:
    """What the award page shows: the evaluation, who was told what, standstill, contracts."""

    procurement: Procurement
    state_label: str
    notify_event: str
    notify_label: str
    conclude_event: str
    conclude_label: str
    outcomes: list[EvaluationOutcome]
    others: list[Participant]
    letters: list[Letter]
    standstill: Standstill | None
    contracts: list[Contract]

    @property
    def notified(self) -> bool:
        return bool(self.letters)


def award_overview(procurement: Procurement) -> AwardOverview:
    rulebook = rulebook_of(procurement)
    outcomes = outcomes_of(procurement)
    notify_event, notify_label = event_of(rulebook, NOTIFY_EVENTS)
    conclude_event, conclude_label = event_of(rulebook, CONCLUDE_EVENTS)
    state = rulebook.state(procurement.state)
    return AwardOverview(
        procurement=procurement,
        state_label=state.label if state else procurement.state,
        notify_event=notify_event,
        notify_label=notify_label,
        conclude_event=conclude_event,
        conclude_label=conclude_label,
        outcomes=outcomes,
        others=other_candidates(procurement, {o.tenderer_id for o in outcomes}),
        letters=list(decision_letters(procurement)),
        standstill=standstill(procurement),
        contracts=list(contracts_of(procurement)),
    )
