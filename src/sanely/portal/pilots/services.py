"""Writes for pilot evidence: requesting an assessment, and running it in the worker."""

import hashlib
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist

from sanely import evidence
from sanely.portal.accounts.models import Organisation, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.clock import now as clock_now
from sanely.portal.core.errors import validation_failed_from
from sanely.portal.core.limits import LimitExceeded, Limits, run_limited
from sanely.portal.core.text import holds_nul
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.planning import target_at
from sanely.portal.procurements.selectors import access_procurement

from . import engine, events
from .models import AssessmentStatus, OutcomeAssessment
from .selectors import access_assessment_organisation

logger = logging.getLogger(__name__)
NUL = "Remove the NUL character (\\u0000): the text cannot hold it."
DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".jsonl", ".ndjson", ".parquet", ".pq")
EVIDENCE_QUEUE = "evidence"
ENGINE_PACKAGES = ("sanely", "numpy", "scipy", "duckdb", "pyarrow", "python-calamine")
# A run left in these states by a task that ended is stranded: nothing else will finish it.
STRANDABLE = (AssessmentStatus.QUEUED, AssessmentStatus.RUNNING)


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def data_file_problems(upload: UploadedFile | None) -> list[str]:
    """What is wrong with an uploaded data file, if anything."""
    if upload is None or not upload.size:
        return ["Choose a data file that is not empty."]
    if Path(upload.name or "").suffix.lower() not in DATA_SUFFIXES:
        return ["Upload a .csv, .xlsx, .parquet or .jsonl file."]
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        return [f"The file is larger than {settings.EVIDENCE_MAX_BYTES // 1_000_000} MB."]
    return []


def _target_problems(
    actor: Actor, organisation_id: int, procurement_id: int | None, target_key: str
) -> tuple[Procurement | None, list[str]]:
    """The procurement whose target is named, or why it cannot be used."""
    if procurement_id is None:
        return None, ["Say which procurement the target belongs to."] if target_key else []
    procurement, _ = access_procurement(actor=actor, procurement_id=procurement_id)
    if procurement.organisation_id != organisation_id:
        return None, ["The procurement belongs to another authority than the assessment."]
    if target_at(procurement.design, target_key) is None:
        return None, [
            f"{procurement.reference} has no target with the key {target_key!r}: use the"
            " target_key of one of its targets."
        ]
    return procurement, []


@transaction.atomic
def assessment_request(
    *,
    actor: Actor,
    organisation_id: int,
    title: str,
    data: UploadedFile | None,
    spec: dict[str, Any],
    now: datetime,
    procurement_id: int | None = None,
    target_key: str = "",
) -> OutcomeAssessment:
    """
    Check the spec and the file, store both, and queue the assessment for the worker.
    Every problem is reported at once; nothing is stored unless all is well.
    """
    organisation, _ = access_assessment_organisation(
        actor=actor, organisation_id=organisation_id, write=True
    )
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Give the assessment a title."]
    elif holds_nul(title):
        errors["title"] = [NUL]
    if problems := data_file_problems(data):
        errors["data_file"] = problems
    refused: evidence.SpecError | None = None
    try:
        evidence.parse_spec(spec)
    except evidence.SpecError as error:
        errors["spec"], refused = [str(error)], error
    if holds_nul(spec):
        errors["spec"] = [NUL]
    procurement, problems = _target_problems(actor, organisation_id, procurement_id, target_key)
    if problems:
        errors["target_key"] = problems
    if errors or data is None:
        # The spec's own error rides along as the cause: a form shows it at its question.
        raise validation_failed_from(errors) from refused
    return assessment_store(
        organisation=organisation,
        user=actor.user,
        title=title.strip(),
        data=data,
        spec=spec,
        now=now,
        procurement=procurement,
        target_key=target_key if procurement else "",
    )


def assessment_store(
    *,
    organisation: Organisation,
    user: User,
    title: str,
    data: UploadedFile,
    spec: dict[str, Any],
    now: datetime,
    procurement: Procurement | None = None,
    target_key: str = "",
) -> OutcomeAssessment:
    """
    Store a data file and a spec the caller has checked, audit the request and queue the
    assessment for the worker once the transaction commits.
    """
    assessment = OutcomeAssessment(
        organisation=organisation,
        title=title,
        requested_by=user,
        requested_at=now,
        data_name=Path(data.name or "data").name,
        data_size=data.size or 0,
        data_sha256=_sha256(data),
        spec=spec,
        procurement=procurement,
        target_key=target_key,
        queued_at=now,
    )
    assessment.data_file.save(assessment.data_name, data, save=False)
    assessment.save()
    audit_record(
        action=events.ASSESSMENT_REQUESTED,
        subject=assessment,
        now=now,
        actor=user,
        organisation=organisation,
        payload={
            "title": assessment.title,
            "data_sha256": assessment.data_sha256,
            "spec": spec,
            "procurement": procurement.reference if procurement else None,
            "target": assessment.target_key,
        },
    )
    # Robust: a queue that fails to take the task leaves the assessment queued without a task,
    # which housekeeping queues again; the request itself has succeeded.
    transaction.on_commit(lambda: _enqueue(assessment.pk), robust=True)
    return assessment


def _enqueue(assessment_id: int) -> None:
    """Queue the run and remember its task, so housekeeping can tell when the task ended."""
    queued = assessment_run_task.enqueue(assessment_id=assessment_id)
    OutcomeAssessment.objects.filter(pk=assessment_id).update(task_id=queued.id)


@contextmanager
def _local_path(field: FieldFile) -> Iterator[Path]:
    """A path to the stored file: the file itself on local storage, else a temporary copy."""
    try:
        yield Path(field.path)
        return
    except NotImplementedError:
        pass
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(field.name or "data").name
        with field.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target)
        yield path


def _verified(assessment: OutcomeAssessment, path: Path) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != assessment.data_sha256:
        raise evidence.DataError("The stored data file no longer matches its SHA-256: it changed.")


def _outcome(assessment: OutcomeAssessment) -> dict[str, Any]:
    limits = Limits(memory_mb=settings.EVIDENCE_MEMORY_MB, seconds=settings.EVIDENCE_SECONDS)
    with _local_path(assessment.data_file) as path:
        _verified(assessment, path)
        result: dict[str, Any] = run_limited(
            engine.assess_file, limits, path=path, spec=assessment.spec
        )
        return result


def assessment_run(*, assessment_id: int, clock: Callable[[], datetime]) -> OutcomeAssessment:
    """
    Run one queued assessment and store its result or a message saying what to change.
    `clock` is read when the run starts and when it ends, since the work takes time.
    """
    with transaction.atomic():
        assessment = OutcomeAssessment.objects.select_for_update().get(pk=assessment_id)
        if assessment.status != AssessmentStatus.QUEUED:
            return assessment
        assessment.status, assessment.started_at = AssessmentStatus.RUNNING, clock()
        assessment.engine_versions = {name: version(name) for name in ENGINE_PACKAGES}
        assessment.save(update_fields=["status", "started_at", "engine_versions"])
    try:
        assessment.result = _outcome(assessment)
        assessment.status, action = AssessmentStatus.DONE, events.ASSESSMENT_COMPLETED
        payload = {
            "verdict": assessment.result["verdict"],
            "estimate": assessment.result["estimate"],
        }
    except evidence.EvidenceError as error:
        assessment.status, action = AssessmentStatus.FAILED, events.ASSESSMENT_FAILED
        assessment.error_message = str(error)
        assessment.error_issues = [asdict(issue) for issue in getattr(error, "issues", ())]
        payload = {"error": assessment.error_message}
    except LimitExceeded as error:
        assessment.status, action = AssessmentStatus.FAILED, events.ASSESSMENT_FAILED
        assessment.error_message = (
            f"{error} Split the data into smaller files, or ask the service's administrators"
            " to raise the limit."
        )
        payload = {"error": str(error)}
    except Exception:
        # A fault of ours, not of the data: say so, keep the details in the log.
        logger.exception("Assessment %s failed unexpectedly", assessment_id)
        assessment.status, action = AssessmentStatus.FAILED, events.ASSESSMENT_FAILED
        assessment.error_message = "The assessment failed unexpectedly; the problem was logged."
        payload = {"error": "unexpected"}
    assessment.finished_at = clock()
    with transaction.atomic():
        assessment.save()
        audit_record(
            action=action,
            subject=assessment,
            now=assessment.finished_at,
            organisation=assessment.organisation,
            payload=payload,
        )
    return assessment


# Its own queue: a long or heavy assessment never holds up email and notices (docs/reliability.md).
@task(queue_name=EVIDENCE_QUEUE)
def assessment_run_task(*, assessment_id: int) -> str:
    """Background task: run one assessment; returns its final status."""
    return str(assessment_run(assessment_id=assessment_id, clock=clock_now).status)


def _task_ended(task_id: str) -> bool:
    """Whether the run's task is over (or never was): nothing will run the assessment now."""
    if not task_id:
        return True
    try:
        queued = assessment_run_task.get_result(task_id)
    except (TaskResultDoesNotExist, NotImplementedError):  # pruned, or a backend that runs at once
        return True
    return queued.status not in (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def _retry_due(assessment: OutcomeAssessment, now: datetime) -> bool:
    """The back-off: the wait before another attempt doubles with each attempt."""
    wait = timedelta(seconds=settings.ASSESSMENT_RETRY_SECONDS * 2 ** (assessment.attempts - 1))
    return assessment.queued_at + wait <= now


@transaction.atomic
def _requeue_or_fail(assessment_id: int, now: datetime) -> None:
    assessment = OutcomeAssessment.objects.select_for_update().get(pk=assessment_id)
    if assessment.status not in STRANDABLE or not _task_ended(assessment.task_id):
        return  # it moved on while we looked
    if assessment.attempts >= settings.ASSESSMENT_MAX_ATTEMPTS:
        assessment.status, assessment.finished_at = AssessmentStatus.FAILED, now
        assessment.error_message = (
            f"The assessment could not be run in {assessment.attempts} attempts (the worker or"
            " its database was unavailable); the problem was logged. Request it again."
        )
        assessment.save(update_fields=["status", "finished_at", "error_message"])
        action, payload = (
            events.ASSESSMENT_FAILED,
            {"error": "not run", "attempts": assessment.attempts},
        )
    else:
        assessment.status, assessment.queued_at = AssessmentStatus.QUEUED, now
        assessment.attempts += 1
        assessment.save(update_fields=["status", "queued_at", "attempts"])
        transaction.on_commit(lambda: _enqueue(assessment_id), robust=True)
        action, payload = events.ASSESSMENT_REQUEUED, {"attempt": assessment.attempts}
    audit_record(
        action=action,
        subject=assessment,
        now=now,
        organisation=assessment.organisation,
        payload=payload,
    )


def assessments_requeue_stranded(*, now: datetime) -> int:
    """
    Queue again every assessment whose task ended without finishing it (the database was
    locked, the task failed before it began, the queue refused it), after a back-off; after
    ASSESSMENT_MAX_ATTEMPTS it fails with a message saying so. None stays queued for ever.
    Returns how many were queued again or failed.
    """
    stranded = [
        a
        for a in OutcomeAssessment.objects.filter(status__in=STRANDABLE).only(
            "pk", "queued_at", "attempts", "task_id"
        )
        if _retry_due(a, now) and _task_ended(a.task_id)
    ]
    for assessment in stranded:
        _requeue_or_fail(assessment.pk, now)
    return len(stranded)


def assessments_on_housekeeping(sender: object, now: datetime, **kwargs: object) -> None:
    """Receiver of the worker's `housekeeping_due`."""
    assessments_requeue_stranded(now=now)
