"""
The world of tests/portal/test_query_budgets.py, at a scale: Wessex with `scale` times the
people, tokens, assessments and procurements, and a competition at every stage (selection,
negotiation, evaluation, award) whose 3 x `scale` suppliers each have their requests, marks,
meetings, questions, consents, tenders, scores, prices, outcomes, letters and contracts.
Built through the services (the audit trail grows with it) by the existing test helpers; the
awarded procurements' open data is published.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from cast import AUTHORITY_ROLES, NOW, SUPPLIER_ROLES, Org, make_org
from competition import PCR_COMMENCED_ON, invite, procurement_at
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from portal.award.record import AWARD_DESIGN, RANKING, _breakdown
from portal.evaluation.world import Competition, close_tendering, competition, ready
from portal.negotiation.world import Negotiation, negotiation, opened_round
from portal.selection.world import mark, selecting
from portal.tenders.sealed_files import upload

from sanely.documents import Document, Paragraph
from sanely.documents.letters.regret import KIND as REGRET
from sanely.portal.accounts.models import Role, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.accounts.services import (
    membership_add,
    organisation_create,
    token_create,
    user_create,
)
from sanely.portal.award.models import Contract
from sanely.portal.award.services import award_notify, contracts_conclude
from sanely.portal.competition.models import Letter
from sanely.portal.competition.services import letter_send
from sanely.portal.core.clock import now
from sanely.portal.engagement.services import (
    Taker,
    design_change_record,
    engagement_event_record,
    shared_item_record,
)
from sanely.portal.evaluation.models import EvaluationOutcome
from sanely.portal.evaluation.services import declaration_record
from sanely.portal.negotiation.models import Clarification, Meeting
from sanely.portal.negotiation.services import (
    TenderScore,
    clarification_answer,
    consent_give,
    document_revision_record,
    meeting_record,
    question_ask,
    tenders_reduce,
)
from sanely.portal.partnerships.models import GateReview
from sanely.portal.partnerships.services import (
    PhaseChange,
    acceptance_record,
    assessment_record,
    claim_approve,
    claim_submit,
    contract_change,
    evidence_submit,
    gate_open,
    observation_record,
)
from sanely.portal.pilots.services import assessment_request, assessment_run
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import procurement_create
from sanely.portal.publication.models import Fact, FactStatus, Release
from sanely.portal.publication.services import fact_review, publication_run
from sanely.portal.tenders.services import (
    round_opening_confirm,
    round_opening_request,
    submission_submit,
)

SUPPLIERS_PER_SCALE = 3


@dataclass
class World:
    scale: int
    wessex: Org
    suppliers: list[Org]
    drafts: list[Procurement]
    assessment_id: int
    selection: Procurement
    negotiation: Negotiation
    meeting: Meeting
    question: Clarification
    evaluation: Competition
    award: Procurement
    contract: Contract
    letter: Letter
    gate: GateReview
    ocid: str
    review_fact_id: int
    _clients: dict[tuple[str, str, bool], Client] = field(default_factory=dict)

    @property
    def kestrel(self) -> Org:
        """The first supplier: a tenderer at every stage."""
        return self.suppliers[0]

    def client(self, org: Org, role: str, *, token: bool = False) -> Client:
        """A signed-in browser (or a token client) of `org`'s `role`, made once."""
        key = (org.organisation.name, role, token)
        if key not in self._clients:
            self._clients[key] = org.token_client(role) if token else org.client(role)
        return self._clients[key]


def build(scale: int) -> World:
    wessex = make_org(
        "Wessex County Council", "authority", AUTHORITY_ROLES, slug="wessex", nation="england"
    )
    suppliers = [
        make_org(f"Supplier {i} Ltd", "supplier", SUPPLIER_ROLES, slug=f"supplier{i}")
        for i in range(SUPPLIERS_PER_SCALE * scale)
    ]
    people = _people_and_tokens(wessex, scale)
    drafts = _drafts(wessex, scale)
    _engagement(wessex, drafts[0], scale)
    assessment_id = _assessments(wessex, scale)
    selection = selecting(wessex, suppliers, reference="IP-BUDGET-SEL")
    for supplier in suppliers:
        mark(wessex, selection, supplier)
    n, meeting, question = _negotiation(wessex, suppliers, scale)
    evaluation = _evaluation(wessex, suppliers, people)
    award, contract, letter = _award(wessex, suppliers, scale)
    gate = _partnership(wessex, suppliers[0], contract, scale)
    ocid, review_fact_id = _published(wessex, award)
    return World(
        scale,
        wessex,
        suppliers,
        drafts,
        assessment_id,
        selection,
        n,
        meeting,
        question,
        evaluation,
        award,
        contract,
        letter,
        gate,
        ocid,
        review_fact_id,
    )


# The prototype's target compares the share of trips on time before and after.
_ON_TIME_SHARES = (
    b"value,period\n0.81,before\n0.84,before\n0.8,before\n0.93,after\n0.95,after\n0.97,after\n"
)


def _claims_and_changes(wessex: Org, kestrel: Org, contract: Contract, scale: int) -> None:
    """`scale` claims for the accepted prototype, each approved, and `scale` small changes."""
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    acceptance_record(
        actor=lead,
        contract_id=contract.pk,
        name="Prototype",
        passed=True,
        instalment_key="instalment-accepted",
        now=now(),
    )
    for i in range(scale):
        day = date(2026, 1, 1) + timedelta(days=31 * i)
        observation_record(
            actor=lead,
            contract_id=contract.pk,
            kind="kpi",
            measure="On-time trips",
            period_start=day,
            period_end=day + timedelta(days=30),
            observed=f"{90 + i % 5}% of trips on time",
            met=True,
            now=now(),
        )
        assessment_record(
            actor=lead,
            contract_id=contract.pk,
            period_start=day,
            period_end=day + timedelta(days=30),
            ratings={"On-time trips": "good"},
            now=now(),
        )
        claim = claim_submit(
            actor=kestrel.actor(Role.SUPPLIER_ADMIN),
            contract_id=contract.pk,
            instalment_key="instalment-accepted",
            amount=Decimal(100),
            invoice_reference=f"INV-{i}",
            now=now(),
        )
        claim_approve(actor=wessex.actor(Role.FINANCE_OFFICER), claim_id=claim.pk, now=now())
        contract_change(
            actor=lead,
            contract_id=contract.pk,
            ground="not_substantial",
            reason=f"Change {i}: the prototype's report is due a day later.",
            changes=[PhaseChange("phase-prototype", max_value=Decimal(120000 + i))],
            justification="Each is a separate, small adjustment agreed with the partner.",
            now=now(),
        )


def _partnership(wessex: Org, kestrel: Org, contract: Contract, scale: int) -> GateReview:
    """`scale` parts of Kestrel's target delivered and assessed, then the phase's gate opened."""
    for part in range(scale):
        delivered = evidence_submit(
            actor=kestrel.actor(Role.SUPPLIER_ADMIN),
            contract_id=contract.pk,
            target_key="target-on-time",
            part=f"Village {part}",
            data=SimpleUploadedFile("trips.csv", _ON_TIME_SHARES, "text/csv"),
            now=now(),
        )
        # The world is built inside one transaction, so the worker's on-commit run is done here.
        assessment_run(assessment_id=delivered.assessment_id, clock=now)
    _claims_and_changes(wessex, kestrel, contract, scale)
    return gate_open(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=contract.procurement_id,
        phase_key="phase-prototype",
        now=now(),
    )


def _people_and_tokens(wessex: Org, scale: int) -> list[User]:
    """`scale` more evaluators; two tokens each and a shared service for two of Wessex's people."""
    people = []
    commissioner = wessex.user(Role.COMMISSIONER)
    for i in range(scale):
        person = user_create(email=f"person{i}@wessex.example", full_name=f"Person {i}", now=NOW)
        membership_add(organisation=wessex.organisation, user=person, role=Role.EVALUATOR, now=NOW)
        people.append(person)
        shared = organisation_create(
            name=f"Shared service {i}", kind="authority", nation="england", now=NOW
        )
        membership_add(organisation=shared, user=commissioner, role=Role.COMMISSIONER, now=NOW)
        for role in (Role.COMMISSIONER, Role.AUDITOR):
            token_create(
                actor=wessex.actor(role),
                organisation_id=wessex.organisation.pk,
                name=f"export {i}",
                now=NOW,
            )
    return people


def _drafts(wessex: Org, scale: int) -> list[Procurement]:
    """`scale` drafts and `scale` published opportunities, beside the competitions."""
    for i in range(scale):
        procurement_at(wessex, "tendering", reference=f"IP-BUDGET-PUB{i}")
    return [
        procurement_create(
            actor=wessex.actor(Role.COMMISSIONER),
            organisation_id=wessex.organisation.pk,
            title=f"Draft {i}",
            now=NOW,
        )
        for i in range(scale)
    ]


def _engagement(wessex: Org, draft: Procurement, scale: int) -> None:
    """The first draft's market engagement: `scale` events of three takers, shared, changes."""
    actor = wessex.actor(Role.COMMISSIONER)
    for i in range(scale):
        event = engagement_event_record(
            actor=actor,
            procurement_id=draft.pk,
            title=f"Supplier day {i}",
            form="event",
            held_at=NOW,
            asked="What could a booking service do for the villages?",
            participants=[Taker(f"Taker {i}-{n} Ltd", is_sme=n == 0) for n in range(3)],
            now=NOW,
        )
        shared_item_record(
            actor=actor, procurement_id=draft.pk, title=f"Answers {i}", content="Notes.", now=NOW
        )
        design_change_record(
            actor=actor,
            procurement_id=draft.pk,
            section="need",
            change=f"Change {i}.",
            event_id=event.pk,
            now=NOW,
        )


def _assessments(wessex: Org, scale: int) -> int:
    spec = {
        "columns": {"value": "minutes"},
        "design": {"kind": "threshold"},
        "metric": {"statistic": "mean"},
    }
    made = [
        assessment_request(
            actor=wessex.actor(Role.COMMISSIONER),
            organisation_id=wessex.organisation.pk,
            title=f"Waiting times {i}",
            data=SimpleUploadedFile("w.csv", b"minutes\n1\n2\n"),
            spec=spec,
            now=NOW,
        )
        for i in range(scale)
    ]
    return made[0].pk


def _negotiation(
    wessex: Org, suppliers: list[Org], scale: int
) -> tuple[Negotiation, Meeting, Clarification]:
    """
    Every supplier invited, `scale` opened rounds, a meeting, a question (answered but the
    first) and a consent per tenderer, `scale` revisions, and a reduction keeping two thirds.
    """
    n = negotiation(
        wessex, reference="IP-BUDGET-NEG", orgs=suppliers, commenced_on=PCR_COMMENCED_ON
    )
    for number in range(2, scale + 1):
        opened_round(wessex, n.procurement, number)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    pk = n.procurement.pk
    meetings, questions = [], []
    for tenderer in n.tenderers:
        org_id, admin = tenderer.organisation.pk, tenderer.actor(Role.SUPPLIER_ADMIN)
        meetings.append(
            meeting_record(
                actor=lead,
                procurement_id=pk,
                round_id=n.round.pk,
                organisation_id=org_id,
                held_at=now() - timedelta(hours=1),
                attendees=["A. Lead, Wessex, lead"],
                minutes="Discussed the route plan.",
                information_given=["The depot map"],
                proposed_changes=["other"],
                now=now(),
            )
        )
        questions.append(
            question_ask(
                actor=admin,
                procurement_id=pk,
                organisation_id=org_id,
                question="Which depot?",
                now=now(),
            )
        )
        consent_give(
            actor=admin,
            procurement_id=pk,
            organisation_id=org_id,
            item="The route plan",
            recipient="Wessex's consultant",
            purpose="A joint depot",
            now=now(),
        )
    for question in questions[1:]:  # the first stays to answer
        clarification_answer(
            actor=lead,
            clarification_id=question.pk,
            audience="all",
            answer="The north one.",
            now=now(),
        )
    for i in range(scale):
        document_revision_record(
            actor=lead,
            procurement_id=pk,
            title=f"Spec v{i + 2}",
            summary="A new map.",
            justification="Two weeks remain.",
            now=now(),
        )
    _reduce(wessex, n)
    return n, meetings[0], questions[0]


def _reduce(wessex: Org, n: Negotiation) -> None:
    """A staged reduction of the first round keeping the first two thirds of the tenderers."""
    scores = {
        t.organisation.pk: TenderScore(
            scores={
                "Quality": {"Service design": Decimal(9), "Delivery plan": Decimal(8)},
                "Social value": {"": Decimal(5)},
            },
            price=Decimal(300000 + 1000 * i),
        )
        for i, t in enumerate(n.tenderers)
    }
    tenders_reduce(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=n.procurement.pk,
        round_id=n.round.pk,
        scores=scores,
        keep=len(scores) * 2 // 3,
        justification="The announced staged reduction.",
        now=now(),
    )


def _evaluation(wessex: Org, suppliers: list[Org], people: list[User]) -> Competition:
    """
    Every supplier tendered (the first once more for each of `people`), scored, moderated and
    priced; `people` declared they evaluate with no conflict.
    """
    c = competition(wessex, reference="IP-BUDGET-EVAL", orgs=suppliers, opened=False)
    assert c.round is not None
    for _ in people[1:]:
        submission_submit(
            actor=c.orgs[0].actor(Role.SUPPLIER_ADMIN),
            round_id=c.round.pk,
            organisation_id=c.orgs[0].organisation.pk,
            part="Tender",
            upload=upload(),
            now=now() - timedelta(days=2, hours=-2),
        )
    round_opening_request(actor=c.lead, round_id=c.round.pk, now=now())
    round_opening_confirm(actor=c.actor(Role.COMMISSIONER), round_id=c.round.pk, now=now())
    ready(
        c,
        {t.pk: [8, 7, 6] for t in c.tenderers},
        {t.pk: str(400000 + 1000 * i) for i, t in enumerate(c.tenderers)},
    )
    for person in people:
        declaration_record(
            actor=Actor.for_session(person),
            procurement_id=c.procurement.pk,
            conflict=False,
            now=now(),
        )
    close_tendering(c)
    return c


def _award(wessex: Org, suppliers: list[Org], scale: int) -> tuple[Procurement, Contract, Letter]:
    """
    The award of every supplier's competition after `scale` tender rounds (`scale` more
    letters to the first supplier), and `scale - 1` smaller ones the first supplier also won.
    """
    procurement, contracts = _concluded(wessex, suppliers, "IP-BUDGET-AWARD", rounds=scale)
    for i in range(1, scale):
        _concluded(wessex, suppliers[:2], f"IP-BUDGET-AWARD{i}", rounds=0)
    letters = [
        letter_send(
            actor=wessex.actor(Role.PROCUREMENT_LEAD),
            procurement=procurement,
            recipient=suppliers[0].organisation,
            document=Document(REGRET, f"Update {i}", (Paragraph("Our reasons."),)),
            now=now(),
        )
        for i in range(scale)
    ]
    return procurement, contracts[0], letters[0]


def _published(wessex: Org, award: Procurement) -> tuple[str, int]:
    """
    Every concluded procurement's open data published, but for one award of `award` left
    waiting for review; its ocid and that fact.
    """
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    for procurement in Procurement.objects.filter(reference__startswith="IP-BUDGET-AWARD"):
        publication_run(procurement_id=procurement.pk, now=now())
        for fact in Fact.objects.filter(procurement=procurement, status=FactStatus.AWAITING_REVIEW):
            if (procurement, fact.key) != (award, "award-2"):
                fact_review(actor=lead, fact_id=fact.pk, publish=True, now=now())
        publication_run(procurement_id=procurement.pk, now=now())
    waiting = Fact.objects.get(procurement=award, key="award-2")
    return Release.objects.filter(procurement=award).first().ocid, waiting.pk


def _concluded(
    wessex: Org, tenderers: list[Org], reference: str, *, rounds: int
) -> tuple[Procurement, list[Contract]]:
    """
    `rounds` tender rounds opened, then signed off with the first two tenderers as partners
    and the others ranked after them, notified 20 days ago (a letter each), and the partners'
    contracts concluded.
    """
    procurement = procurement_at(
        wessex,
        "tendering",
        reference=reference,
        design=AWARD_DESIGN,
        commenced_on=PCR_COMMENCED_ON,
    )
    invite(procurement, *tenderers)
    for number in range(1, rounds + 1):
        opened_round(wessex, procurement, number)
    procurement.state = "evaluation"
    procurement.save()
    _, _, total, price, _, quality, points, social = RANKING[0]
    for rank, tenderer in enumerate(tenderers, start=1):
        EvaluationOutcome.objects.create(
            procurement=procurement,
            tenderer=tenderer.organisation,
            breakdown=_breakdown(quality, points, social),
            price=Decimal(price),
            total=Decimal(total) - rank,
            rank=rank,
            recommended=rank <= 2,
            strengths="The most detailed service design.",
            signed_off_by=wessex.user(Role.PROCUREMENT_LEAD),
            signed_off_at=now(),
        )
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    award_notify(actor=lead, procurement_id=procurement.pk, now=now() - timedelta(20))
    return procurement, contracts_conclude(actor=lead, procurement_id=procurement.pk, now=now())
