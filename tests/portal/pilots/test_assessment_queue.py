"""An assessment never stays queued when its task has ended: housekeeping queues it again."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError
from portal.pilots.test_assessments import post_form

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.pilots import events, services
from sanely.portal.pilots.models import OutcomeAssessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings, monkeypatch):
    """The production queue (django-tasks-db) in the test's database."""
    # The worker drops connections between tasks; inside a test's transaction that would end it.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "evidence"]}
    }


def work_the_queue():
    call_command(
        "db_worker",
        "--batch",
        "--queue-name",
        "*",
        "--interval",
        "0",
        "--no-startup-delay",
        verbosity=0,
    )


def request(wessex, capture, *, queue: bool):
    post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        lambda execute: capture(execute=execute and queue),
    )
    return OutcomeAssessment.objects.get()


def test_an_assessment_whose_task_failed_on_a_locked_database_is_queued_again_and_runs(
    wessex, database_queue, django_capture_on_commit_callbacks, monkeypatch
):
    assessment = request(wessex, django_capture_on_commit_callbacks, queue=True)
    run, calls = services.assessment_run, []

    def locked_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return run(**kwargs)

    monkeypatch.setattr(services, "assessment_run", locked_once)
    work_the_queue()
    assessment.refresh_from_db()
    assert ("queued", 1) == (assessment.status, len(calls))

    soon = assessment.queued_at + timedelta(seconds=30)
    assert 0 == services.assessments_requeue_stranded(now=soon)  # the back-off is not over
    later = assessment.queued_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert 1 == services.assessments_requeue_stranded(now=later)
    work_the_queue()
    assessment.refresh_from_db()
    assert ("done", 2, 2) == (assessment.status, assessment.attempts, len(calls))
    requeued = AuditEvent.objects.get(action=events.ASSESSMENT_REQUEUED)
    assert {"attempt": 2} == requeued.payload


def test_an_assessment_never_queued_is_retried_with_back_off_then_fails_saying_why(
    wessex, database_queue, django_capture_on_commit_callbacks, settings
):
    settings.ASSESSMENT_MAX_ATTEMPTS = 2
    assessment = request(wessex, django_capture_on_commit_callbacks, queue=False)
    assert "" == assessment.task_id  # the queue never took it
    first = assessment.queued_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=False):
        assert 1 == services.assessments_requeue_stranded(now=first)
    # The second wait is twice the first.
    assert 0 == services.assessments_requeue_stranded(now=first + timedelta(seconds=119))
    assert 1 == services.assessments_requeue_stranded(now=first + timedelta(minutes=2))
    assessment.refresh_from_db()
    assert "failed" == assessment.status
    assert "could not be run in 2 attempts" in assessment.error_message
    assert "Request it again" in assessment.error_message
    assert AuditEvent.objects.filter(action=events.ASSESSMENT_FAILED).exists()


def test_a_queued_assessment_whose_task_still_waits_is_left_alone(
    wessex, database_queue, django_capture_on_commit_callbacks
):
    assessment = request(wessex, django_capture_on_commit_callbacks, queue=True)
    assert assessment.task_id
    a_day_later = assessment.queued_at + timedelta(days=1)
    assert 0 == services.assessments_requeue_stranded(now=a_day_later)
    assessment.refresh_from_db()
    assert ("queued", 1) == (assessment.status, assessment.attempts)


def test_the_worker_housekeeping_reaches_the_assessments(
    wessex, database_queue, django_capture_on_commit_callbacks, monkeypatch
):
    from sanely.portal.core.heartbeat import housekeeping_run

    seen = []
    monkeypatch.setattr(services, "assessments_requeue_stranded", lambda now: seen.append(now))
    housekeeping_run(wessex.organisation.created_at)
    assert [wessex.organisation.created_at] == seen
