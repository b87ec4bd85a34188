"""
Issue #4, done when: one multi-partner innovation partnership runs from the contract notice to
concluded contracts through the API, with 5 candidates, 4 invited, 3 tender rounds and
2 partners, and every step in the audit trail.

Everything after the organisations and people exist goes through `/api/v1/` with personal
access tokens. The portal's clock is moved by the test (`journey_clock`), so deadlines and the
standstill really pass before the steps that wait for them.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from cast import AUTHORITY_ROLES, Org, make_org
from competition import suppliers
from django.test import Client
from portal.journey import journey_clock, lawful_design

from sanely import vault
from sanely.portal.accounts.models import Role
from sanely.portal.accounts.services import token_create
from sanely.portal.audit.models import AuditEvent
from sanely.portal.audit.services import audit_verify
from sanely.portal.award import events as award_events
from sanely.portal.award.models import Contract
from sanely.portal.competition import events as competition_events
from sanely.portal.competition.models import Participant
from sanely.portal.evaluation import events as evaluation_events
from sanely.portal.negotiation import events as negotiation_events
from sanely.portal.procurements import events as procurements_events
from sanely.portal.procurements.engine import uk_date
from sanely.portal.selection import events as selection_events
from sanely.portal.tenders import events as tenders_events
from sanely.portal.tenders.keys import signing_key
from sanely.portal.tenders.models import SubmissionRound

pytestmark = pytest.mark.django_db

JUSTIFIED = {"justification": "Reviewed by legal services; reasons in the procurement file."}
SELECTION = [  # (insurance passed, R&D track record, delivered innovations) per supplier
    (True, "4", "5"),
    (True, "5", "3"),
    (True, "3", "4"),
    (False, "5", "5"),  # Merlin has no public liability insurance
    (True, "2", "2"),
]
# (service design, delivery plan, social value, price) per tenderer in the final round
FINAL_TENDERS = [("8", "7", "9", "98000"), ("9", "8", "6", "105000"), ("6", "6", "7", "92000")]


class Api:
    """One person's API client; a token of the longest life, as the clock moves."""

    def __init__(self, org: Org, role: str, clock):
        _, secret = token_create(
            actor=org.actor(role),
            organisation_id=org.organisation.pk,
            name="journey",
            now=clock(),
            days=366,
        )
        self.client = Client(headers={"authorization": f"Bearer {secret}"})

    def post(self, url, body=None, expect=(200, 201)):
        response = self.client.post(f"/api/v1{url}", body or {}, content_type="application/json")
        assert response.status_code in ((expect,) if isinstance(expect, int) else expect), (
            url,
            response.content,
        )
        return response.json()

    def get(self, url):
        response = self.client.get(f"/api/v1{url}")
        assert 200 == response.status_code, (url, response.content)
        return response.json()

    def upload(self, round_id, organisation_id, part, name, text):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = self.client.post(
            f"/api/v1/rounds/{round_id}/submissions",
            {
                "organisation_id": organisation_id,
                "part": part,
                "file": SimpleUploadedFile(name, text.encode()),
            },
        )
        assert 201 == response.status_code, response.content
        return response.json()


@pytest.fixture
def world(monkeypatch):
    clock = journey_clock(monkeypatch)
    wessex = make_org(
        "Wessex County Council", "authority", AUTHORITY_ROLES, slug="wessex", nation="england"
    )
    firms = suppliers(5)
    people = {role: Api(wessex, role, clock) for role in AUTHORITY_ROLES}
    tenderers = [Api(firm, Role.SUPPLIER_ADMIN, clock) for firm in firms]
    return clock, wessex, firms, people, tenderers


def _publish(clock, wessex, people):
    lead = people[Role.PROCUREMENT_LEAD]
    pid = lead.post(
        "/procurements",
        {"organisation_id": wessex.organisation.pk, "title": "Demand-responsive rural transport"},
    )["id"]
    response = lead.client.patch(
        f"/api/v1/procurements/{pid}",
        lawful_design(uk_date(clock())),
        content_type="application/json",
    )
    assert 200 == response.status_code, response.content
    published = lead.post(f"/procurements/{pid}/actions/submit_notice", JUSTIFIED)
    assert ("pcr-2015-reg31", "requests_open") == (published["rulebook_id"], published["state"])
    return pid


def _open(people, round_id):
    people[Role.PROCUREMENT_LEAD].post(f"/rounds/{round_id}/opening")
    people[Role.COMMISSIONER].post(f"/rounds/{round_id}/opening/confirm")


def _round(clock, people, pid, kind, number, days, final=False):
    deadline = (clock() + timedelta(days=days)).replace(hour=12, minute=0)
    return people[Role.PROCUREMENT_LEAD].post(
        f"/procurements/{pid}/rounds",
        {
            "kind": kind,
            "number": number,
            "final": final,
            "deadline": deadline.isoformat(),
            "justification": "The contract notice announced up to three rounds of tenders.",
        },
    )


def _requests_and_selection(clock, people, tenderers, firms, pid):
    rtp = _round(clock, people, pid, "rtp", 1, 30)
    for api, firm in zip(tenderers, firms, strict=True):
        api.post(f"/opportunities/{pid}/interest", {"organisation_id": firm.organisation.pk})
        api.upload(
            rtp["id"],
            firm.organisation.pk,
            "Request to participate",
            "sq.txt",
            f"{firm.organisation.name}: selection questionnaire.",
        )
    clock.advance(days=31)
    people[Role.PROCUREMENT_LEAD].post(f"/procurements/{pid}/actions/close_requests", JUSTIFIED)
    _open(people, rtp["id"])
    evaluator = people[Role.EVALUATOR]
    for firm, (insured, rd, delivered) in zip(firms, SELECTION, strict=True):
        evaluator.post(
            f"/procurements/{pid}/selection/candidates/{firm.organisation.pk}/marks",
            {
                "marks": [
                    {
                        "criterion": "Insurance and finances",
                        "passed": insured,
                        "reason": "Certificate seen." if insured else "No liability insurance.",
                    },
                    {"criterion": "R&D track record", "score": rd, "reason": "Case studies."},
                    {
                        "criterion": "Delivered innovations",
                        "score": delivered,
                        "reason": "References.",
                    },
                ]
            },
        )
    shortlist = people[Role.PROCUREMENT_LEAD].get(f"/procurements/{pid}/selection/shortlist")
    assert 4 == sum(1 for c in shortlist["candidates"] if c["invited"])
    decision = people[Role.PROCUREMENT_LEAD].post(
        f"/procurements/{pid}/selection/shortlist/decision", {"justification": ""}
    )
    assert 4 == len(decision["invited"])


def _tender_round(clock, people, tenderers, firms, pid, number, final=False):
    submission_round = _round(clock, people, pid, "tender", number, 14, final)
    invited = {p.organisation_id for p in Participant.objects.filter(standing="invited")}
    for api, firm in zip(tenderers, firms, strict=True):
        if firm.organisation.pk in invited:
            api.upload(
                submission_round["id"],
                firm.organisation.pk,
                "Tender",
                "tender.txt",
                f"{firm.organisation.name}: tender, round {number}.",
            )
    clock.advance(days=15)
    _open(people, submission_round["id"])
    return submission_round["id"], sorted(invited)


def _meetings(clock, people, pid, round_id, tenderer_ids, expect=201):
    lead = people[Role.PROCUREMENT_LEAD]
    for organisation_id in tenderer_ids:
        body = lead.post(
            f"/negotiation/procurements/{pid}/meetings",
            {
                "round_id": round_id,
                "organisation_id": organisation_id,
                "held_at": clock().isoformat(),
                "attendees": ["Tom Okafor, Wessex, lead"],
                "minutes": "Walked through the booking flow; agreed to test with residents.",
                "information_given": ["The pilot villages are the ten on the published map."],
                "justification": "",
            },
            expect=expect,
        )
        if expect != 201:
            return body
    return None


def _clarification(people, tenderers, firms, pid):
    asked = tenderers[0].post(
        f"/negotiation/procurements/{pid}/questions",
        {
            "organisation_id": firms[0].organisation.pk,
            "question": "Kestrel asks: may vehicles be shared with school transport?",
        },
    )
    receipt = vault.receipt_verify(asked["receipt"], signing_key().public_pem)
    assert f"question-{asked['id']}" == receipt.submission_id
    people[Role.PROCUREMENT_LEAD].post(
        f"/negotiation/clarifications/{asked['id']}/answer",
        {
            "audience": "all",
            "answer": "Yes, outside school hours.",
            "published_question": "May vehicles be shared with school transport?",
        },
    )


def _reduction(people, pid, round_id, tenderer_ids):
    scores = [
        {
            "organisation_id": tid,
            "price": str(100000 + 5000 * i),
            "marks": [
                {"criterion": "Quality", "sub_criterion": "Service design", "score": str(8 - i)},
                {"criterion": "Quality", "sub_criterion": "Delivery plan", "score": str(7 - i)},
                {"criterion": "Social value", "sub_criterion": "", "score": str(8 - i)},
            ],
        }
        for i, tid in enumerate(tenderer_ids)
    ]
    reduction = people[Role.PROCUREMENT_LEAD].post(
        f"/negotiation/procurements/{pid}/reductions",
        {
            "round_id": round_id,
            "keep": 3,
            "scores": scores,
            "justification": "The contract notice announced a staged reduction to three.",
        },
    )
    assert 3 == len(reduction["kept"])


def _evaluate(people, pid, final_round_id, tenderer_ids):
    lead, scorers = (
        people[Role.PROCUREMENT_LEAD],
        [people[Role.EVALUATOR], people[Role.COMMISSIONER]],
    )
    base = f"/evaluation/procurements/{pid}"
    for scorer in scorers:
        scorer.post(f"{base}/declarations", {"conflict": False})
    lead.post(f"{base}/declarations", {"conflict": False, "scores": False})
    places = [("Quality", "Service design"), ("Quality", "Delivery plan"), ("Social value", "")]
    for tid, tender in zip(tenderer_ids, FINAL_TENDERS, strict=True):
        for nudge, scorer in enumerate(scorers):
            for (criterion, sub), score in zip(places, tender, strict=False):
                scorer.post(
                    f"{base}/tenderers/{tid}/scores",
                    {
                        "criterion": criterion,
                        "sub_criterion": sub,
                        "score": str(Decimal(score) - nudge),
                        "justification": "Evidence in part 2.",
                    },
                )
            scorer.post(f"{base}/tenderers/{tid}/submission")
    listed = lead.get(f"/rounds/{final_round_id}/submissions")["items"]
    versions = {v["organisation_id"]: v["id"] for v in listed}
    for tid, tender in zip(tenderer_ids, FINAL_TENDERS, strict=True):
        for (criterion, sub), score in zip(places, tender, strict=False):
            lead.post(
                f"{base}/tenderers/{tid}/consensus",
                {
                    "criterion": criterion,
                    "sub_criterion": sub,
                    "score": score,
                    "reason": "Agreed at moderation: the first evaluator's evidence is stronger.",
                },
            )
        lead.post(f"{base}/tenderers/{tid}/strengths", {"text": "Villages co-designed the routes."})
        lead.post(
            f"{base}/tenderers/{tid}/price", {"price": tender[3], "version_id": versions[tid]}
        )
    outcomes = lead.post(f"{base}/sign-off")
    return outcomes


def test_a_multi_partner_partnership_runs_through_the_api_from_notice_to_contracts(world):
    clock, wessex, firms, people, tenderers = world
    pid = _publish(clock, wessex, people)
    _requests_and_selection(clock, people, tenderers, firms, pid)

    first, invited = _tender_round(clock, people, tenderers, firms, pid, 1)
    assert 4 == len(invited)
    _meetings(clock, people, pid, first, invited)
    _clarification(people, tenderers, firms, pid)
    second, _ = _tender_round(clock, people, tenderers, firms, pid, 2)
    _meetings(clock, people, pid, second, invited)
    _reduction(people, pid, second, invited)
    final, remaining = _tender_round(clock, people, tenderers, firms, pid, 3, final=True)
    refused = _meetings(clock, people, pid, final, remaining[:1], expect=409)
    assert ("rule_refused", "PCR15-31-13") == (refused["code"], refused["rule"])
    people[Role.PROCUREMENT_LEAD].post(f"/procurements/{pid}/actions/close_tendering", JUSTIFIED)

    _evaluate(people, pid, final, remaining)
    lead = people[Role.PROCUREMENT_LEAD]
    lead.post(f"/award/procurements/{pid}/notices", {"justification": ""})
    early = lead.post(f"/award/procurements/{pid}/contracts", expect=409)
    assert "PCR15-87-1" == early["rule"]
    clock.advance(days=15)
    contracts = lead.post(f"/award/procurements/{pid}/contracts")

    assert 2 == len(contracts) == Contract.objects.count()
    assert 3 == SubmissionRound.objects.filter(kind="tender").count()
    assert {"partner": 2, "unsuccessful": 1, "reduced": 1, "not_selected": 1} == {
        s: Participant.objects.filter(standing=s).count()
        for s in ("partner", "unsuccessful", "reduced", "not_selected")
    }
    report = lead.get(f"/award/procurements/{pid}/report")
    # Quality 60 (two halves, 0-10), price 30 relative to the lowest (92,000), social value 10:
    # Osprey 60 * 0.85 + 30 * 92/105 + 6 = 51 + 26.29 + 6; Kestrel 45 + 28.16 + 9; Heron 36 + 30 + 7.
    assert [
        (1, "Osprey Robotics Ltd", "83.29", True),
        (2, "Kestrel Mobility Ltd", "82.16", True),
        (3, "Heron Transit CIC", "73.00", False),
    ] == [(o["rank"], o["tenderer"], o["total"], o["recommended"]) for o in report["outcomes"]]
    _every_step_is_in_the_audit_trail()


def _every_step_is_in_the_audit_trail():
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    for step in (
        procurements_events.PROCUREMENT_CREATED,
        procurements_events.PROCUREMENT_DESIGN_CHANGED,
        "procurement.submit_notice",
        tenders_events.ROUND_OPENED_FOR_SUBMISSIONS,
        tenders_events.INTEREST_EXPRESSED,
        tenders_events.SUBMISSION_RECEIVED,
        "procurement.close_requests",
        tenders_events.ROUND_OPENING_REQUESTED,
        tenders_events.ROUND_OPENED,
        selection_events.MARK_RECORDED,
        selection_events.SHORTLIST_DECIDED,
        "procurement.invite_to_tender",
        competition_events.LETTER_SENT,
        competition_events.PARTICIPANT_STANDING_CHANGED,
        negotiation_events.MEETING_RECORDED,
        "procurement.negotiate",
        negotiation_events.QUESTION_ASKED,
        negotiation_events.CLARIFICATION_ANSWERED,
        negotiation_events.TENDERS_REDUCED,
        "procurement.reduce_tenders",
        "procurement.invite_final_tenders",
        "procurement.close_tendering",
        competition_events.CONFLICT_DECLARED,
        evaluation_events.SCORE_RECORDED,
        evaluation_events.SCORES_SUBMITTED,
        evaluation_events.CONSENSUS_RECORDED,
        evaluation_events.STRENGTHS_RECORDED,
        evaluation_events.PRICE_RECORDED,
        evaluation_events.SIGNED_OFF,
        award_events.DECISION_NOTICES_SENT,
        "procurement.notify_decision",
        "procurement.conclude_contracts",
        award_events.CONTRACT_CONCLUDED,
    ):
        assert step in actions, step
    assert (
        5 + 4 + 4 + 3
        == AuditEvent.objects.filter(action=tenders_events.SUBMISSION_RECEIVED).count()
    )
    report = audit_verify()
    assert report.broken_event_id is None, report.problem
