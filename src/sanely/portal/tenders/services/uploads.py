"""Resumable uploads: a file sent in chunks, submitted when complete."""

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files import File
from django.db import transaction

from sanely import vault
from sanely.documents.wording import sentence
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import Conflict, ValidationFailed, validation_failed_from

from .. import events
from ..models import ChunkedUpload, SubmissionRound, SubmissionVersion
from ..selectors import access_supplier_round, access_upload
from .submissions import submission_submit


def _spool(upload: ChunkedUpload) -> Path:
    """Where a resumable upload's bytes wait: local disk, outside the file storage."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()) / "sanely-uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / f"{upload.token}.part"


def _in_time(submission_round: SubmissionRound, now: datetime) -> None:
    try:
        vault.accept_submission(now, submission_round.deadline)
    except vault.SubmissionLate as error:
        raise Conflict(sentence(str(error))) from None


@transaction.atomic
def upload_begin(
    *,
    actor: Actor,
    round_id: int,
    organisation_id: int,
    part: str,
    name: str,
    total_size: int,
    sha256: str,
    now: datetime,
) -> ChunkedUpload:
    """Declare a file to send in chunks (its name, size and SHA-256), for one part of a round."""
    submission_round, organisation = access_supplier_round(
        actor=actor, round_id=round_id, organisation_id=organisation_id
    )
    _in_time(submission_round, now)
    problems: dict[str, list[str]] = {}
    if part not in submission_round.parts:
        problems["part"] = ["Choose one of the round's parts: " + ", ".join(submission_round.parts)]
    name = PurePath(name).name[:255]
    try:
        state = vault.upload_start(
            name=name or "file",
            total_size=total_size,
            sha256=sha256,
            max_size=settings.SUBMISSION_MAX_BYTES,
        )
    except (vault.FileRefused, vault.UploadRefused) as error:
        problems["file"] = [f"{str(error).rstrip('.')}."]
    if problems:
        raise validation_failed_from(problems)
    upload = ChunkedUpload.objects.create(
        round=submission_round,
        organisation=organisation,
        part=part,
        started_by=actor.user,
        started_at=now,
        token=secrets.token_hex(16),
        name=state.name,
        total_size=state.total_size,
        sha256=state.sha256,
    )
    _spool(upload).touch(mode=0o600)
    audit_record(
        action=events.UPLOAD_STARTED,
        subject=upload,
        now=now,
        actor=actor.user,
        organisation=organisation,
        authority=submission_round.procurement.organisation,
        payload={"round": submission_round.ref, "part": part, "size": total_size},
    )
    return upload


@transaction.atomic
def upload_put(
    *, actor: Actor, upload_id: int, offset: int, length: int, data: vault.ByteSource, now: datetime
) -> ChunkedUpload:
    """Write one chunk; chunks may come in any order. The answer says what is still missing."""
    upload = access_upload(actor=actor, upload_id=upload_id, lock=True)
    _in_time(upload.round, now)
    try:
        with _spool(upload).open("r+b") as spool:
            state = vault.upload_chunk(
                upload.state(), spool, offset=offset, length=length, data=data
            )
    except vault.UploadRefused as error:
        raise Conflict(f"{str(error).rstrip('.')}.") from None
    upload.received = [list(r) for r in state.received]
    upload.save(update_fields=["received"])
    return upload


@contextmanager
def _spooled(upload: ChunkedUpload) -> Iterator[File]:
    with _spool(upload).open("rb") as handle:
        yield File(handle, name=upload.name)


def upload_finish(*, actor: Actor, upload_id: int, now: datetime) -> SubmissionVersion:
    """
    Check the assembled file against its declared size and SHA-256, then submit it like any
    other file (type, virus scan, seal, receipt). The spooled bytes are then deleted.
    """
    upload = access_upload(actor=actor, upload_id=upload_id)
    with _spooled(upload) as assembled:
        try:
            vault.upload_finish(upload.state(), assembled)
        except vault.UploadRefused as error:
            raise Conflict(f"{str(error).rstrip('.')}.") from None
        try:
            version = submission_submit(
                actor=actor,
                round_id=upload.round_id,
                organisation_id=upload.organisation_id,
                part=upload.part,
                upload=assembled,
                now=now,
            )
        except ValidationFailed:
            _discard(upload)  # the file itself is refused: sending it again will not help
            raise
    _discard(upload)
    return version


def _discard(upload: ChunkedUpload) -> None:
    _spool(upload).unlink(missing_ok=True)
    upload.delete()
