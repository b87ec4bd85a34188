"""Marking candidates: published criteria, the published scale, a reason, the right time and people."""

from decimal import Decimal

import pytest
from competition import PCR_COMMENCED_ON
from portal.selection.world import DELIVERED, INSURANCE, TRACK_RECORD, entries, mark, selecting

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from sanely.portal.selection import events as selection_events
from sanely.portal.selection.models import SelectionMark
from sanely.portal.selection.services import MarkEntry, selection_marks_record

pytestmark = pytest.mark.django_db


def _record(wessex, procurement, candidate, marks, role=Role.EVALUATOR):
    return selection_marks_record(
        actor=wessex.actor(role),
        procurement_id=procurement.pk,
        candidate_id=candidate.organisation.pk,
        marks=marks,
        now=now(),
    )


def test_an_evaluator_marks_a_candidate_on_every_criterion_with_reasons(wessex, five):
    procurement = selecting(wessex, five[:1])
    marks = _record(wessex, procurement, five[0], entries(track="4.5"))
    assert [
        (INSURANCE, True, None),
        (TRACK_RECORD, None, Decimal("4.5")),
        (DELIVERED, None, Decimal(3)),
    ] == [(m.criterion, m.passed, m.score) for m in marks]
    assert {wessex.user(Role.EVALUATOR)} == {m.assessor for m in SelectionMark.objects.all()}


def test_a_score_outside_the_published_scale_is_refused_and_nothing_stored(wessex, five):
    procurement = selecting(wessex, five[:1])
    with pytest.raises(ValidationFailed) as refused:
        _record(wessex, procurement, five[0], entries(track="7"))
    assert {
        "marks.1.score": ["Score R&D track record from 0 to 5; 7 is outside the published scale."]
    } == refused.value.detail
    with pytest.raises(ValidationFailed) as negative:
        _record(wessex, procurement, five[0], entries(delivered="-1"))
    assert [
        "Score Delivered innovations from 0 to 5; -1 is outside the published scale."
    ] == negative.value.detail["marks.2.score"]
    assert 0 == SelectionMark.objects.count()


def test_every_problem_of_a_mark_is_named_at_once(wessex, five):
    procurement = selecting(wessex, five[:1])
    marks = [
        MarkEntry(INSURANCE, reason=""),
        MarkEntry(TRACK_RECORD, passed=True, reason="Good."),
        MarkEntry("Turnover", passed=True, reason="Big."),
        MarkEntry(DELIVERED, score=Decimal("2.125"), reason="Some."),
    ]
    with pytest.raises(ValidationFailed) as refused:
        _record(wessex, procurement, five[0], marks)
    assert {
        "marks.0.passed": ["Say whether Kestrel Mobility Ltd passes Insurance and finances."],
        "marks.0.reason": [
            "Give the reason for Kestrel Mobility Ltd's mark on Insurance and finances."
        ],
        "marks.1.passed": ["R&D track record is scored: give a score, not pass or fail."],
        "marks.1.score": ["Score R&D track record from 0 to 5."],
        "marks.2.criterion": [
            "'Turnover' is not a published selection criterion: use one of"
            " Insurance and finances, R&D track record, Delivered innovations."
        ],
        "marks.3.score": ["Give the score for Delivered innovations with at most 2 decimals."],
    } == refused.value.detail


def test_no_mark_before_the_requests_are_opened_by_two_people(wessex, five):
    procurement = selecting(wessex, five[:1], opened=False)
    with pytest.raises(Conflict, match="requests to participate have not been opened"):
        mark(wessex, procurement, five[0])
    assert 0 == SelectionMark.objects.count()


def test_no_mark_outside_the_selection_state_in_either_regime(wessex, five):
    for commenced_on, reference, state in (
        (PCR_COMMENCED_ON, "IP-PCR", "requests_open"),
        (None, "IP-PA", "participation"),
    ):
        kwargs = {"commenced_on": commenced_on} if commenced_on else {}
        procurement = selecting(wessex, five[:1], reference=reference, **kwargs)
        procurement.state = state
        procurement.save()
        with pytest.raises(Conflict, match="Close the requests to participate first"):
            mark(wessex, procurement, five[0])
    assert 0 == SelectionMark.objects.count()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.FINANCE_OFFICER])
def test_auditors_and_finance_officers_do_not_mark(wessex, five, role):
    procurement = selecting(wessex, five[:1])
    with pytest.raises(PermissionDenied, match="evaluators, procurement leads and commissioners"):
        mark(wessex, procurement, five[0], role=role)
    assert 0 == SelectionMark.objects.count()


def test_only_candidates_are_marked(wessex, five):
    procurement = selecting(wessex, five[:1])
    with pytest.raises(NotFound, match="No such candidate"):
        mark(wessex, procurement, five[1])


def test_changing_a_mark_records_old_and_new_values(wessex, five):
    procurement = selecting(wessex, five[:1])
    mark(wessex, procurement, five[0], track="3")
    mark(wessex, procurement, five[0], role=Role.PROCUREMENT_LEAD, track="4")
    changes = AuditEvent.objects.filter(action=selection_events.MARK_RECORDED).order_by("sequence")
    assert 4 == changes.count()  # three first marks, then the one that changed
    last = changes.last()
    assert {"passed": None, "score": "3", "reason": "Track record worth 3."} == last.payload["old"]
    assert {"passed": None, "score": "4", "reason": "Track record worth 4."} == last.payload["new"]
    changed = SelectionMark.objects.get(criterion=TRACK_RECORD)
    assert (Decimal(4), wessex.user(Role.PROCUREMENT_LEAD)) == (changed.score, changed.assessor)


def test_after_selection_the_refusal_names_the_state_without_a_hint_to_close_requests(wessex, five):
    procurement = selecting(wessex, five[:1])
    procurement.state = "tendering"
    procurement.save()
    with pytest.raises(Conflict) as refused:
        mark(wessex, procurement, five[0])
    assert (
        "Candidates are selected while the procurement is at “Conditions of participation being"
        " assessed”; it is at “Tender rounds with participating suppliers”."
    ) == refused.value.message
