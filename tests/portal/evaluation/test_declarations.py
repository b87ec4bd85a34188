"""Evaluators declare conflicts of interest before they can see any tender."""

import pytest
from portal.evaluation.world import score

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.competition import events as competition_events
from sanely.portal.competition.models import ConflictDeclaration, DeclarationsAreKept, Standing
from sanely.portal.competition.selectors import may_read_tenders
from sanely.portal.competition.services import participant_set
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanely.portal.evaluation.selectors import scoring_evaluators
from sanely.portal.evaluation.services import declaration_record

pytestmark = pytest.mark.django_db


def _declare(c, role=Role.EVALUATOR, conflict=False, details="", scores=True):
    return declaration_record(
        actor=c.actor(role),
        procurement_id=c.procurement.pk,
        conflict=conflict,
        details=details,
        scores=scores,
        now=now(),
    )


def test_nobody_reads_tenders_before_declaring_no_conflict(c):
    evaluator = c.authority.user(Role.EVALUATOR)
    assert not may_read_tenders(evaluator, c.procurement)
    _declare(c)
    assert may_read_tenders(evaluator, c.procurement)


def test_a_declaration_names_every_tenderer_including_those_reduced_or_rejected(c):
    kestrel, osprey, heron = c.tenderers
    participant_set(
        actor=c.lead,
        procurement=c.procurement,
        organisation=heron,
        standing=Standing.REDUCED,
        reason="Ranked last after round 1.",
        now=now(),
    )
    declaration = _declare(c)
    assert [heron.name, kestrel.name, osprey.name] == [t["name"] for t in declaration.tenderers]


def test_a_declared_conflict_removes_access_and_scoring_and_stands(c):
    evaluator = c.authority.user(Role.EVALUATOR)
    _declare(c)
    _declare(c, conflict=True, details="My brother is a director of Osprey Robotics Ltd.")
    assert not may_read_tenders(evaluator, c.procurement)
    assert [] == [u for u in scoring_evaluators(c.procurement) if u == evaluator]
    with pytest.raises(Conflict, match="You declared a conflict of interest"):
        score(c, Role.EVALUATOR, c.tenderers[0], [7, 7, 7])
    with pytest.raises(Conflict, match="it stands"):
        _declare(c)
    assert [False, True] == list(
        ConflictDeclaration.objects.filter(evaluator=evaluator).values_list("conflict", flat=True)
    )


def test_a_conflict_needs_its_details(c):
    with pytest.raises(ValidationFailed) as refused:
        _declare(c, conflict=True, details="  ")
    assert ["details"] == list(refused.value.detail)
    assert 0 == ConflictDeclaration.objects.count()


def test_declarations_are_audited_and_cannot_be_deleted(c):
    declaration = _declare(c, conflict=True, details="Shares in Heron Transit CIC.")
    event = AuditEvent.objects.get(action=competition_events.CONFLICT_DECLARED)
    assert (True, "Shares in Heron Transit CIC.") == (
        event.payload["conflict"],
        event.payload["details"],
    )
    assert c.authority.organisation.pk == event.organisation_id
    with pytest.raises(DeclarationsAreKept):
        declaration.delete()
    with pytest.raises(DeclarationsAreKept):
        ConflictDeclaration.objects.all().delete()
    assert 1 == ConflictDeclaration.objects.count()


def test_finance_officers_and_auditors_do_not_evaluate(c):
    for role in (Role.FINANCE_OFFICER, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            _declare(c, role=role)
