"""
The facts the publisher finds, stage by stage, from the rows of the apps below: the tender
notice and its need as published, the award notice's partners with counts only, the contracts,
each partner's agreed plan, revisions, and a termination before award.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from competition import PCR_COMMENCED_ON, procurement_at
from portal.award.isolation import world
from portal.award.record import evaluated
from portal.publication.world import abandon
from portal.tenders.sealed_files import upload

from sanely.ocds import facts as f
from sanely.portal.accounts.models import Role
from sanely.portal.award.services import award_notify, contracts_conclude
from sanely.portal.core.clock import now
from sanely.portal.publication.catalogue import SOURCE_OF, SOURCES
from sanely.portal.publication.services import context_of
from sanely.portal.publication.sources import NOT_OPEN_DATA, NOTICE_RELEASES, months_after
from sanely.portal.tenders.services import (
    round_opening_confirm,
    round_opening_request,
    submission_round_open,
    submission_submit,
)
from sanely.procedure import load_rulebook
from sanely.procedure._rulebook import rulebook_files

pytestmark = pytest.mark.django_db


def found(procurement, kind):
    procurement.refresh_from_db()
    return SOURCE_OF[kind].find(context_of(procurement))


def draft(wessex, reference="IP-DRAFT-1"):
    procurement = procurement_at(wessex, "drafting", reference=reference)
    procurement.published_at = None
    procurement.save()
    return procurement


def test_every_notice_of_every_rulebook_is_a_release_or_said_not_to_be():
    rules = {
        notice.rule
        for rulebook_id, effective_from, _ in rulebook_files()
        for notice in load_rulebook(rulebook_id, effective_from).notices
    }
    assert set() == rules - set(NOTICE_RELEASES) - set(NOT_OPEN_DATA)
    assert set() == (set(NOTICE_RELEASES) | set(NOT_OPEN_DATA)) - rules
    assert len({s.kind for s in SOURCES}) == len(SOURCES)


def test_a_procurement_not_yet_published_has_no_facts(wessex):
    unpublished = draft(wessex)
    assert [] == [fact for source in SOURCES for fact in source.find(context_of(unpublished))]


def test_the_tender_notice_states_the_published_design(wessex):
    procurement = world(wessex, notified=False, concluded=False).record.procurement
    [planning] = found(procurement, "planning")
    [tender] = found(procurement, "tender")
    assert procurement.published_at == tender.date == planning.date
    assert planning.rationale.startswith("Residents of 40 villages")
    assert "Outcomes sought: Mean change in wait for a booked trip." in tender.description
    # 120,000 for the one phase and the purchase's maximum cost of 450,000.
    assert Decimal("570000") == tender.value.amount
    assert "Competitive flexible procedure" == tender.procedure_details
    [lot] = tender.lots
    assert [
        ("Quality", "quality", 60),
        ("Price", "price", 30),
        ("Social value", "quality", 10),
    ] == [(c.name, c.type, c.weight_percent) for c in lot.award_criteria]
    assert [
        ("suitability", "Insurance and finances: pass or fail"),
        ("technical", "R&D track record: at least 2 of 5"),
        ("technical", "Delivered innovations: at least 1 of 5"),
    ] == [(c.type, c.minimum) for c in lot.selection_criteria]
    [notice] = tender.documents
    assert ("UK4", "tenderNotice", "Tender notice (UK4)") == (
        notice.notice_type,
        notice.document_type,
        notice.title,
    )
    assert notice.url.endswith(f"/open/ocds-s4n3ly-{procurement.reference}/notices/tender")


def test_requests_close_and_a_missing_uk2_are_stated(wessex):
    procurement = world(wessex, notified=False, concluded=False).record.procurement
    procurement.design = {
        **procurement.design,
        "timeline": {
            "requests_deadline": "2026-11-02",
            "pme_done": True,
            "pme_notice_published": False,
            "pme_reasons": "Engagement was one open webinar; its slides are on the portal.",
        },
    }
    procurement.save()
    [tender] = found(procurement, "tender")
    [planning] = found(procurement, "planning")
    assert datetime(2026, 11, 2, 12, tzinfo=UTC) == tender.expression_of_interest_deadline
    assert planning.no_engagement_rationale.startswith("Engagement was one open webinar")


def test_under_pcr_the_notices_have_no_uk_number_and_the_award_waits_for_the_contracts(wessex):
    record = evaluated(wessex, commenced_on=PCR_COMMENCED_ON, reference="IP-2024-PUB")
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    award_notify(actor=lead, procurement_id=record.procurement.pk, now=now() - timedelta(20))
    assert [] == found(record.procurement, "award")
    contracts_conclude(actor=lead, procurement_id=record.procurement.pk, now=now())
    [tender] = found(record.procurement, "tender")
    assert ("Innovation partnership", None, "Contract notice") == (
        tender.procedure_details,
        tender.documents[0].notice_type,
        tender.documents[0].title,
    )
    awards = found(record.procurement, "award")
    assert 2 == len(awards)
    assert {None} == {a.documents[0].notice_type for a in awards}
    assert {None} == {a.assessment_summaries_sent for a in awards}
    assert {"bids", "smeBids"} == {s.measure for s in awards[0].bid_statistics}
    assert {()} == {c.documents for c in found(record.procurement, "contract")}


def test_one_award_per_partner_with_the_uk6_and_counts_only(wessex):
    w = world(wessex, concluded=False)
    procurement = w.record.procurement
    awards = found(procurement, "award")
    assert [w.record.kestrel.organisation.name, w.record.osprey.organisation.name] == [
        a.partner.name for a in awards
    ]
    award = awards[0]
    assert ("award-1", "award-1") == (award.id, award.award_id)
    assert "UK6" == award.documents[0].notice_type
    assert award.standstill is not None
    assert award.standstill.end > award.date
    assert award.assessment_summaries_sent is not None
    assert {"bids": 3, "finalStageBids": 3, "smeFinalStageBids": 0, "vcseFinalStageBids": 0} == {
        s.measure: s.value for s in award.bid_statistics
    }
    assert award.contract_period.start == award.standstill.end
    assert award.contract_period.end == months_after(award.standstill.end, 6)


def test_requests_are_counted_only_once_their_round_is_opened(wessex):
    """A sealed round's submissions are not even counted until the opening."""
    w = world(wessex, concluded=False)
    procurement = w.record.procurement
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    start = now() - timedelta(days=3)
    rtp = submission_round_open(
        actor=lead,
        procurement_id=procurement.pk,
        kind="rtp",
        number=1,
        deadline=start + timedelta(days=1),
        now=start,
    )
    for hour, supplier in enumerate(w.record.suppliers, 1):
        submission_submit(
            actor=supplier.actor(Role.SUPPLIER_ADMIN),
            round_id=rtp.pk,
            organisation_id=supplier.organisation.pk,
            part="Request to participate",
            upload=upload(),
            now=start + timedelta(hours=hour),
        )
    measures = {s.measure for s in found(procurement, "award")[0].bid_statistics}
    assert "requests" not in measures
    round_opening_request(actor=lead, round_id=rtp.pk, now=now())
    round_opening_confirm(actor=wessex.actor(Role.COMMISSIONER), round_id=rtp.pk, now=now())
    statistics = {s.measure: s.value for s in found(procurement, "award")[0].bid_statistics}
    assert 5 == statistics["requests"]


def test_a_contract_per_partner_with_its_kpis_and_the_uk7(wessex):
    w = world(wessex)
    contracts = found(w.record.procurement, "contract")
    assert ["contract-1", "contract-2"] == [c.contract_id for c in contracts]
    contract = contracts[0]
    assert ("award-1", "UK7") == (contract.award_id, contract.documents[0].notice_type)
    assert [("kpi-1", "On-time trips", "")] == [(k.id, k.title, k.target) for k in contract.kpis]
    assert Decimal("570000") == contract.value.amount
    assert contract.period.end == months_after(contract.period.start, 6)


def test_each_partner_plan_becomes_its_schedule_of_milestones(wessex):
    w = world(wessex)
    schedules = found(w.record.procurement, "schedule")
    assert ["schedule-1", "schedule-2"] == [s.id for s in schedules]
    milestones = schedules[0].milestones
    assert [
        ("phase-prototype", "phase"),
        ("target-on-time", "target"),
        ("gate-phase-prototype", "gate"),
        ("instalment-accepted", "instalment"),
        ("instalment-report", "instalment"),
        ("purchase", "purchase"),
    ] == [(m.id, m.kind) for m in milestones]
    assert {months_after(schedules[0].date, 6)} == {m.due_date for m in milestones}
    assert f.Money(amount=Decimal("80000.00"), currency="GBP") == milestones[3].value


def test_revisions_of_the_documents_are_tender_amendments(wessex):
    from portal.negotiation.world import negotiation

    from sanely.portal.negotiation.services import document_revision_record

    n = negotiation(wessex)
    document_revision_record(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=n.procurement.pk,
        title="Booking by text message added",
        summary="Tenderers may now offer booking by text message.",
        justification="Three weeks remain before the deadline.",
        now=now(),
    )
    [amendment] = found(n.procurement, "revision")
    assert ("revision-1", "Booking by text message added") == (amendment.id, amendment.rationale)
    assert "Tenderers may now offer booking by text message." == amendment.description


def test_a_procurement_terminated_before_award_is_cancelled_with_its_notice(wessex):
    procurement = world(wessex, notified=False, concluded=False).record.procurement
    assert [] == found(procurement, "cancellation")
    abandon(wessex, procurement.pk, "No tender met the minimum requirements.")
    [cancelled] = found(procurement, "cancellation")
    assert "No tender met the minimum requirements." == cancelled.reason
    assert ("UK12", "tenderCancellationNotice") == (
        cancelled.notice.notice_type,
        cancelled.notice.document_type,
    )


def test_a_procurement_abandoned_while_drafting_publishes_nothing(wessex):
    unpublished = draft(wessex)
    abandon(wessex, unpublished.pk)
    assert [] == found(unpublished, "cancellation")


def test_months_after_keeps_the_day_or_takes_the_months_last():
    start = datetime(2027, 1, 31, 9, tzinfo=UTC)
    assert datetime(2027, 2, 28, 9, tzinfo=UTC) == months_after(start, 1)
    assert datetime(2028, 1, 31, 9, tzinfo=UTC) == months_after(start, 12)
