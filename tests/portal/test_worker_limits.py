"""
The worker cannot be starved: assessments have a queue of their own, separate from email and
notices, and run in a child process under memory and time limits; an email that fails for a
transient reason is tried again after a wait that doubles.
"""

import smtplib
import subprocess
from datetime import timedelta
from itertools import count

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from portal import worker_jobs
from portal.pilots.test_assessments import post_form

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.core.clock import now
from sanely.portal.core.email import email_deliver, email_send
from sanely.portal.core.heartbeat import (
    WORKER_STALE_SECONDS,
    heartbeat_beat,
    housekeeping_run,
    worker_id_here,
)
from sanely.portal.core.limits import LimitExceeded, Limits, run_limited
from sanely.portal.pilots import engine, events
from sanely.portal.pilots.models import OutcomeAssessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings, monkeypatch):
    """The production queues (django-tasks-db) in the test's database."""
    # The worker drops connections between tasks; inside a test's transaction that would end it.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "evidence"]}
    }


def work(queues: str) -> None:
    """What `sanely worker --queues QUEUES --batch` does: run what waits in those queues."""
    call_command("sanely_worker", "--batch", "--queues", queues, "--interval", "0", verbosity=0)


def test_email_goes_out_while_an_assessment_waits_in_its_own_queue(
    wessex, database_queue, django_capture_on_commit_callbacks
):
    post_form(
        wessex.client(Role.COMMISSIONER), wessex.organisation, django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to=["clerk@wessex.example"], subject="Tender received", body="Thank you.")
    mail.outbox.clear()  # the request's own emails, if any, are not the point

    work("default")
    assert ["Tender received"] == [message.subject for message in mail.outbox]
    assert "queued" == OutcomeAssessment.objects.get().status

    work("evidence")
    assert "done" == OutcomeAssessment.objects.get().status
    assert {"default", "evidence"} == set(DBTaskResult.objects.values_list("queue_name", flat=True))


def test_the_demo_starts_a_worker_for_each_queue(database_queue, monkeypatch):
    from sanely.portal.demo.management.commands import sanely_demo

    started = []

    class Process:
        returncode = 0

        def __init__(self, argv):
            started.append(argv[3:])

        def wait(self, timeout=None):
            return 0

        def poll(self):
            return 0

    monkeypatch.setattr(sanely_demo.subprocess, "Popen", Process)
    monkeypatch.setattr(sanely_demo.os, "_exit", lambda status: None)
    sanely_demo.Command()._serve(8000)
    assert ["worker", "--queues", "default"] in started
    assert ["worker", "--queues", "evidence"] in started


def test_a_job_over_its_memory_limit_is_stopped_saying_so():
    with pytest.raises(LimitExceeded, match="more memory than its limit of 1024 MB"):
        run_limited(worker_jobs.allocate, Limits(memory_mb=1024, seconds=60))


def test_a_job_over_its_time_limit_is_stopped_saying_so():
    with pytest.raises(LimitExceeded, match="longer than its limit of 1 seconds"):
        run_limited(worker_jobs.spin, Limits(memory_mb=1024, seconds=1))


def test_a_job_within_its_limits_returns_its_result_or_raises_its_error(tmp_path):
    spec = {"columns": {"value": "v"}, "design": {"kind": "threshold"}}
    data = tmp_path / "values.csv"
    data.write_text("v\n1\n2\n3\n4\n5\n")
    limits = Limits(memory_mb=2048, seconds=60)
    assert "verdict" in run_limited(engine.assess_file, limits, path=data, spec=spec)
    data.write_text("w\n1\n")
    with pytest.raises(Exception, match="v") as raised:
        run_limited(engine.assess_file, limits, path=data, spec=spec)
    assert "Traceback" in "".join(raised.value.__notes__)  # the child's, for the log


@pytest.mark.parametrize(
    ("job", "limits", "message"),
    [
        (
            worker_jobs.allocate,
            {"EVIDENCE_MEMORY_MB": 1024},
            "more memory than its limit of 1024 MB",
        ),
        (worker_jobs.spin, {"EVIDENCE_SECONDS": 2}, "longer than its limit of 2 seconds"),
    ],
)
def test_an_assessment_over_its_limits_fails_with_a_message_to_the_person_who_asked(
    wessex, django_capture_on_commit_callbacks, settings, monkeypatch, job, limits, message
):
    for name, value in limits.items():
        setattr(settings, name, value)
    monkeypatch.setattr(engine, "assess_file", job)
    client = wessex.client(Role.COMMISSIONER)
    response = post_form(client, wessex.organisation, django_capture_on_commit_callbacks)
    assessment = OutcomeAssessment.objects.get()
    assert "failed" == assessment.status
    assert message in assessment.error_message
    assert "Split the data into smaller files" in assessment.error_message
    assert message in client.get(response.headers["Location"]).text
    failed = AuditEvent.objects.get(action=events.ASSESSMENT_FAILED)
    assert message in failed.payload["error"]


@pytest.fixture
def flaky_email(settings, monkeypatch):
    settings.EMAIL_BACKEND = "portal.worker_jobs.FlakyEmailBackend"
    settings.EMAIL_RETRY_SECONDS, settings.EMAIL_MAX_ATTEMPTS = 30, 3
    monkeypatch.setattr(worker_jobs.FlakyEmailBackend, "attempts", count())
    return worker_jobs.FlakyEmailBackend


def _waiting_retry() -> float:
    """Seconds between the waiting retry's enqueueing and the earliest it may run."""
    task = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    return (task.run_after - task.enqueued_at).total_seconds()


def _make_retries_due() -> None:
    DBTaskResult.objects.exclude(run_after=None).update(run_after=now() - timedelta(seconds=1))


def test_an_email_that_fails_for_a_transient_reason_is_sent_after_waits_that_double(
    database_queue, flaky_email, monkeypatch
):
    monkeypatch.setattr(flaky_email, "failures", 2)
    email_deliver.enqueue(to=["supplier@kestrel.example"], subject="Receipt", body="Kept.")
    work("default")
    assert ([], pytest.approx(30, abs=2)) == (mail.outbox, _waiting_retry())
    work("default")  # the retry is not due yet
    assert pytest.approx(30, abs=2) == _waiting_retry()

    _make_retries_due()
    work("default")
    assert ([], pytest.approx(60, abs=2)) == (mail.outbox, _waiting_retry())

    _make_retries_due()
    work("default")
    assert ["Receipt"] == [message.subject for message in mail.outbox]
    statuses = set(DBTaskResult.objects.values_list("status", flat=True))
    assert {TaskResultStatus.SUCCESSFUL} == statuses


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"x@kestrel.example": (550, b"No such mailbox")}),
        smtplib.SMTPDataError(554, b"Message refused"),
    ],
)
def test_an_email_refused_for_good_is_not_tried_again(
    database_queue, flaky_email, monkeypatch, error
):
    monkeypatch.setattr(flaky_email, "failures", 1)
    monkeypatch.setattr(flaky_email, "error", error)
    email_deliver.enqueue(to=["x@kestrel.example"], subject="Receipt", body="Kept.")
    work("default")
    assert [TaskResultStatus.FAILED] == list(DBTaskResult.objects.values_list("status", flat=True))


def test_an_email_still_failing_at_its_last_attempt_fails_its_task(
    database_queue, flaky_email, monkeypatch
):
    monkeypatch.setattr(flaky_email, "failures", 99)
    email_deliver.enqueue(to=["supplier@kestrel.example"], subject="Receipt", body="Kept.")
    for _ in range(3):
        work("default")
        _make_retries_due()
    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert [TaskResultStatus.SUCCESSFUL] * 2 + [TaskResultStatus.FAILED] == statuses
    assert [] == mail.outbox


def test_a_task_left_running_by_a_killed_worker_is_queued_again_and_runs(database_queue, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ended = subprocess.Popen(["true"])  # noqa: S607 - a worker of this host that has ended
    ended.wait()
    dead = f"{worker_id_here().rpartition('-')[0]}-{ended.pid}"
    email_deliver.enqueue(to=["a@kestrel.example"], subject="Receipt", body="Kept.")
    email_deliver.enqueue(to=["b@kestrel.example"], subject="Still running", body="Here.")
    orphan, alive = DBTaskResult.objects.order_by("enqueued_at")
    orphan.claim(dead)
    heartbeat_beat(dead)  # its heartbeat is still fresh: the process is gone all the same
    alive.claim(worker_id_here())
    heartbeat_beat(worker_id_here())

    housekeeping_run(now())
    orphan.refresh_from_db()
    alive.refresh_from_db()
    assert (TaskResultStatus.READY, TaskResultStatus.RUNNING) == (orphan.status, alive.status)
    work("default")
    assert ["Receipt"] == [message.subject for message in mail.outbox]


def test_a_task_of_a_worker_whose_heartbeat_went_stale_is_queued_again(database_queue):
    email_deliver.enqueue(to=["a@kestrel.example"], subject="Receipt", body="Kept.")
    task = DBTaskResult.objects.get()
    task.claim("another-machine-4242")
    housekeeping_run(now() + timedelta(seconds=WORKER_STALE_SECONDS + 1))
    task.refresh_from_db()
    assert TaskResultStatus.READY == task.status
