"""
What a partnership waits for: claims to decide and payments to make (finance officers and
commissioners), notices due and gate reviews (commissioners and leads), and the authority's
questions about a partner's claims (the partner's people).
"""

from datetime import datetime

from django.urls import reverse

from sanely.documents.wording import money
from sanely.portal.accounts.models import OrganisationKind
from sanely.portal.accounts.selectors import Actor
from sanely.portal.core.tasks import Task
from sanely.portal.procurements.engine import uk_date
from sanely.portal.procurements.tasks import running

from .dashboard import dashboard_for
from .models import Claim, ClaimStatus
from .selectors import CLAIM_DECIDERS

_CLAIM_TASKS = {
    ClaimStatus.SUBMITTED: "Decide {partner}'s claim of {amount} under {title}",
    ClaimStatus.APPROVED: "Pay {partner}'s approved claim of {amount} under {title}",
}


def _claim_sentence(claim: Claim, template: str) -> str:
    return template.format(
        partner=claim.contract.partner.name,
        amount=money(claim.amount),
        title=claim.contract.procurement.title,
    )


def _claims_to_decide(actor: Actor) -> list[Task]:
    deciding = {m.organisation_id for m in actor.memberships if m.role in CLAIM_DECIDERS}
    found = Claim.objects.filter(
        contract__procurement__organisation_id__in=deciding, status__in=list(_CLAIM_TASKS)
    ).select_related("contract__partner", "contract__procurement")
    return [
        Task(
            _claim_sentence(claim, _CLAIM_TASKS[ClaimStatus(claim.status)]),
            claim.payment_due_on,
            reverse("partnerships:claims", args=[claim.contract.procurement_id]),
        )
        for claim in found
    ]


def _queries_to_answer(actor: Actor) -> list[Task]:
    partners = {
        m.organisation_id
        for m in actor.memberships
        if m.organisation.kind == OrganisationKind.SUPPLIER
    }
    found = Claim.objects.filter(
        contract__partner_id__in=partners, status=ClaimStatus.QUERIED
    ).select_related("contract__partner", "contract__procurement__organisation")
    return [
        Task(
            f"Answer {claim.contract.procurement.organisation.name}'s question about"
            f" {claim.contract.partner.name}'s claim of {money(claim.amount)} under"
            f" {claim.contract.procurement.title}",
            url=reverse("partnerships:plan", args=[claim.contract_id]),
        )
        for claim in found
    ]


def _contract_duties(actor: Actor, now: datetime) -> list[Task]:
    """For commissioners and leads: notices due, gate reviews to decide, gates coming."""
    managed = {p.pk for p in running(actor)}
    if not managed:
        return []
    tasks = []
    for row in dashboard_for(actor, uk_date(now)):
        procurement = row.partnership.procurement
        if procurement.pk not in managed:
            continue
        url = reverse("partnerships:partnership", args=[procurement.pk])
        tasks += [
            Task(
                f"{'Overdue: ' if n.overdue else ''}{n.what} under {procurement.title}",
                n.due_on,
                url,
            )
            for n in row.notices
        ]
        if row.open_gate is not None:
            tasks.append(
                Task(
                    f"Decide the open gate review of {procurement.title}",
                    url=reverse("partnerships:gate", args=[row.open_gate.pk]),
                )
            )
        elif row.next_gate is not None:
            tasks.append(
                Task(
                    f"Prepare the next gate review of {procurement.title}: a partner's phase ends",
                    row.next_gate,
                    url,
                )
            )
    return tasks


def partnership_tasks(*, actor: Actor, now: datetime) -> list[Task]:
    return _claims_to_decide(actor) + _queries_to_answer(actor) + _contract_duties(actor, now)
