"""Moderation to consensus: once every evaluator has submitted, with a reason for each change."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from portal.evaluation.world import agree, declare_all, score, submit

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanely.portal.evaluation import events as evaluation_events
from sanely.portal.evaluation.models import Consensus, ConsensusRevision
from sanely.portal.evaluation.selectors import moderation_sheet
from sanely.portal.evaluation.services import consensus_record

pytestmark = pytest.mark.django_db


def _consensus(c, value, reason, role=Role.PROCUREMENT_LEAD):
    return consensus_record(
        actor=c.actor(role),
        procurement_id=c.procurement.pk,
        tenderer_id=c.tenderers[0].pk,
        criterion="Quality",
        sub_criterion="Service design",
        score=value,
        reason=reason,
        now=now(),
    )


def _both_submit(c, tenderer):
    score(c, Role.EVALUATOR, tenderer, [7, 6, 5])
    submit(c, Role.EVALUATOR, tenderer)
    score(c, Role.COMMISSIONER, tenderer, ["8.5", 6, 3])
    submit(c, Role.COMMISSIONER, tenderer)


def test_moderation_waits_for_every_evaluator(c):
    declare_all(c)
    kestrel = c.tenderers[0]
    score(c, Role.EVALUATOR, kestrel, [7, 6, 5])
    submit(c, Role.EVALUATOR, kestrel)
    with pytest.raises(Conflict, match="still waiting for Commissioner of Wessex County Council"):
        _consensus(c, 8, "Agreed.")
    assert [] == [row.scores for row in moderation_sheet(c.procurement, kestrel).rows if row.scores]


def test_the_sheet_shows_the_scores_side_by_side_with_their_spread(c):
    declare_all(c)
    kestrel = c.tenderers[0]
    _both_submit(c, kestrel)
    sheet = moderation_sheet(c.procurement, kestrel)
    assert [
        ("Quality: Service design", [Decimal("8.5"), Decimal(7)], Decimal("1.5")),
        ("Quality: Delivery plan", [Decimal(6), Decimal(6)], Decimal(0)),
        ("Social value", [Decimal(3), Decimal(5)], Decimal(2)),
    ] == [(r.place.label, [s.score for s in r.scores], r.spread) for r in sheet.rows]


def test_a_consensus_and_every_change_need_a_reason_and_are_kept(c):
    declare_all(c)
    _both_submit(c, c.tenderers[0])
    with pytest.raises(ValidationFailed) as refused:
        _consensus(c, 8, "")
    assert ["Give the reason for the consensus on Service design."] == (
        refused.value.detail["reason"]
    )
    _consensus(c, 8, "The phone booking evidence outweighs the untested app.")
    with pytest.raises(ValidationFailed):
        _consensus(c, 7, "  ")
    _consensus(c, 7, "On reflection the app pilot has not run yet.")
    assert Decimal(7) == Consensus.objects.get().score
    assert [(None, Decimal(8)), (Decimal(8), Decimal(7))] == [
        (r.previous_score, r.score) for r in ConsensusRevision.objects.all()
    ]
    change = AuditEvent.objects.filter(action=evaluation_events.CONSENSUS_RECORDED).last()
    assert ("8", "7", "On reflection the app pilot has not run yet.") == (
        change.payload["from"],
        change.payload["to"],
        change.payload["reason"],
    )


def test_a_consensus_outside_the_scale_is_refused(c):
    declare_all(c)
    _both_submit(c, c.tenderers[0])
    with pytest.raises(ValidationFailed, match="Check these fields: score"):
        _consensus(c, 11, "Generous.")


def test_only_a_commissioner_or_lead_with_a_clean_declaration_moderates(c):
    declare_all(c)
    kestrel = c.tenderers[0]
    _both_submit(c, kestrel)
    with pytest.raises(PermissionDenied):
        _consensus(c, 8, "Agreed.", role=Role.EVALUATOR)
    from sanely.portal.evaluation.services import declaration_record

    declaration_record(
        actor=c.lead,
        procurement_id=c.procurement.pk,
        conflict=True,
        details="Former director of Kestrel Mobility Ltd.",
        now=now(),
    )
    with pytest.raises(Conflict, match="declared a conflict"):
        agree(c, kestrel, [8, 6, 4])
    assert 0 == Consensus.objects.count()


def test_the_moderation_page_reads_the_consensus_history_in_a_fixed_number_of_queries(c):
    declare_all(c)
    kestrel = c.tenderers[0]
    _both_submit(c, kestrel)
    browser = c.authority.client(Role.PROCUREMENT_LEAD)
    url = f"/evaluation/procurements/{c.procurement.pk}/tenderers/{kestrel.pk}/moderation"
    _consensus(c, 8, "Agreed.")
    with CaptureQueriesContext(connection) as once:
        assert "Agreed." in browser.get(url).text
    _consensus(c, 7, "On reflection.")
    _consensus(c, 6, "Lower still.", role=Role.COMMISSIONER)
    with CaptureQueriesContext(connection) as thrice:
        page = browser.get(url).text
    assert "Lower still." in page
    assert "On reflection." in page
    assert len(once) == len(thrice)
