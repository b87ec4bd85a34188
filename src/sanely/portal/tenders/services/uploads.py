"""
Resumable uploads: a file sent in chunks, submitted when complete.

Each chunk is sealed as it arrives (`vault.piece_sealer`) and kept in the file storage as a
piece, so nothing of it rests in plaintext; the pieces are put together again only in an
anonymous temporary file while the finished upload is checked and sealed for its round. An
upload that is finished, refused or abandoned (it expires) leaves nothing behind, and each
supplier can reserve only so many uploads and bytes at a time.
"""

import contextlib
import secrets
import tempfile
from datetime import datetime, timedelta
from pathlib import Path, PurePath
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Sum

from sanely import vault
from sanely.documents.wording import uk_instant
from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import Conflict, ValidationFailed, validation_failed_from
from sanely.portal.procurements.selectors import ensure_not_closed

from .. import events
from ..keys import master_key
from ..models import ChunkedUpload, SubmissionVersion
from ..selectors import access_supplier_round, access_upload
from .submissions import refuse_if_late, submission_submit

SUBMITTED = "submitted"


def _not_expired(upload: ChunkedUpload, now: datetime) -> None:
    if now >= upload.expires_at:
        raise Conflict(
            f"This upload expired at {uk_instant(upload.expires_at)}: an unfinished upload is"
            f" kept for {settings.UPLOAD_EXPIRY_HOURS} hours. Start the upload again."
        )


def _within_limits(organisation: Organisation, total_size: int, now: datetime) -> None:
    """Refuse an upload beyond the supplier's limits, naming the limit."""
    # Locked so that two uploads begun at once cannot both pass the count.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    reserved = ChunkedUpload.objects.filter(
        organisation=organisation, expires_at__gt=now
    ).aggregate(uploads=Count("pk"), size=Sum("total_size"))
    if reserved["uploads"] >= settings.UPLOAD_MAX_OPEN:
        raise Conflict(
            f"{organisation.name} already has {reserved['uploads']} uploads in progress, the most"
            f" a supplier may have at once (the limit is {settings.UPLOAD_MAX_OPEN}). Finish one,"
            " or wait for an abandoned one to expire, then start this one."
        )
    if (reserved["size"] or 0) + total_size > settings.UPLOAD_MAX_RESERVED_BYTES:
        raise Conflict(
            f"{organisation.name}'s uploads in progress reserve {reserved['size'] or 0:,} bytes;"
            f" with this one's {total_size:,} bytes that is more than a supplier may reserve at"
            f" once (the limit is {settings.UPLOAD_MAX_RESERVED_BYTES:,} bytes). Finish an upload"
            " in progress first."
        )


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
    ensure_not_closed(submission_round.procurement)
    refuse_if_late(
        actor=actor, submission_round=submission_round, organisation=organisation, now=now
    )
    # One transaction, begun after the refusals above (a late one is recorded on its own).
    with transaction.atomic():
        problems: dict[str, list[str]] = {}
        if part not in submission_round.parts:
            problems["part"] = [
                "Choose one of the round's parts: " + ", ".join(submission_round.parts)
            ]
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
        _within_limits(organisation, state.total_size, now)
        upload = ChunkedUpload.objects.create(
            round=submission_round,
            organisation=organisation,
            part=part,
            started_by=actor.user,
            started_at=now,
            expires_at=now + timedelta(hours=settings.UPLOAD_EXPIRY_HOURS),
            token=secrets.token_hex(16),  # the pieces' keys are bound to it
            name=state.name,
            total_size=state.total_size,
            sha256=state.sha256,
        )
        audit_record(
            action=events.UPLOAD_STARTED,
            subject=upload,
            now=now,
            actor=actor.user,
            organisation=organisation,
            authority=submission_round.procurement.organisation,
            payload={
                "round": submission_round.ref,
                "part": part,
                "size": total_size,
                "upload": upload.token,
            },
        )
        return upload


def _refused(error: vault.VaultError) -> Conflict:
    return Conflict(f"{str(error).rstrip('.')}.")


def upload_put(
    *, actor: Actor, upload_id: int, offset: int, length: int, data: vault.ByteSource, now: datetime
) -> ChunkedUpload:
    """
    Write one chunk; chunks may come in any order. The answer says what is still missing.
    The chunk is sealed and stored as it streams in, outside any transaction (a slow line must
    not hold the database); it is then recorded, or removed if it cannot be.
    """
    upload = access_upload(actor=actor, upload_id=upload_id)
    ensure_not_closed(upload.round.procurement)
    refuse_if_late(
        actor=actor, submission_round=upload.round, organisation=upload.organisation, now=now
    )
    _not_expired(upload, now)
    if len(upload.pieces) >= settings.UPLOAD_MAX_CHUNKS:
        raise Conflict(
            f"This upload already has {len(upload.pieces):,} chunks, the most one upload may have"
            f" (the limit is {settings.UPLOAD_MAX_CHUNKS:,}). Send the missing bytes in fewer,"
            " larger chunks."
        )
    with tempfile.TemporaryFile() as sealed:  # ciphertext only
        sealer = vault.piece_sealer(
            sealed, master=master_key(), upload_id=upload.token, offset=offset
        )
        try:
            vault.upload_chunk(upload.state(), sealer, offset=offset, length=length, data=data)
        except vault.UploadRefused as error:
            raise _refused(error) from None
        sealer.close()
        sealed.seek(0)
        stored = default_storage.save(f"{_folder(upload)}/{offset:012d}.piece", File(sealed))
    try:
        return _piece_record(actor, upload_id, offset, length, stored)
    except BaseException:
        default_storage.delete(stored)  # nothing half-stored
        raise


@transaction.atomic
def _piece_record(
    actor: Actor, upload_id: int, offset: int, length: int, stored: str
) -> ChunkedUpload:
    upload = access_upload(actor=actor, upload_id=upload_id, lock=True)
    try:  # against the state now: a chunk that arrived meanwhile may overlap this one
        state = vault.upload_chunk_record(upload.state(), offset=offset, length=length)
    except vault.UploadRefused as error:
        raise _refused(error) from None
    upload.received = [list(r) for r in state.received]
    upload.pieces = [*upload.pieces, [offset, length, stored]]
    upload.save(update_fields=["received", "pieces"])
    return upload


def _folder(upload: ChunkedUpload) -> str:
    return f"uploads/{upload.token}"


def _assemble(upload: ChunkedUpload, into: IO[bytes], now: datetime) -> None:
    """Unseal the pieces in order into `into`, then rewind it."""
    for offset, _, stored in sorted(upload.pieces):
        with default_storage.open(stored, "rb") as piece:
            try:
                vault.piece_unseal(
                    piece, into, master=master_key(), upload_id=upload.token, offset=offset
                )
            except vault.TamperDetected:
                upload_discard(upload=upload, reason="a stored chunk was damaged", now=now)
                raise Conflict(
                    "A stored chunk of this upload was damaged, so it was removed. Start the"
                    " upload again."
                ) from None
    into.seek(0)


def upload_finish(*, actor: Actor, upload_id: int, now: datetime) -> SubmissionVersion:
    """
    Check the assembled file against its declared size and SHA-256, then submit it like any
    other file (type, virus scan, seal, receipt). The pieces are then deleted; so are they when
    the file is refused, since sending it again in the same upload cannot help.
    """
    upload = access_upload(actor=actor, upload_id=upload_id)
    ensure_not_closed(upload.round.procurement)
    _not_expired(upload, now)
    state = upload.state()
    # Anonymous: the plaintext has no name on disk and vanishes with the process, even on a crash.
    with tempfile.TemporaryFile() as assembled:
        if state.complete:
            _assemble(upload, assembled, now)
        try:
            vault.upload_finish(state, assembled)
        except vault.UploadRefused as error:
            if state.complete:  # every byte arrived, and together they are not the declared file
                upload_discard(upload=upload, reason="not the declared file", now=now)
            raise _refused(error) from None
        try:
            version = submission_submit(
                actor=actor,
                round_id=upload.round_id,
                organisation_id=upload.organisation_id,
                part=upload.part,
                upload=File(assembled, name=upload.name),
                now=now,
            )
        except ValidationFailed:
            upload_discard(upload=upload, reason="file refused", now=now)
            raise
    upload_discard(upload=upload, reason=SUBMITTED, now=now)
    return version


def upload_discard(*, upload: ChunkedUpload, reason: str, now: datetime) -> None:
    """
    Remove an upload and its sealed pieces, the pieces first (a row left by a failure here
    expires; a piece left without its row would not). Every removal is audited except after a
    submission, which the submission's own event records.
    """
    _delete_pieces(upload)
    with transaction.atomic():
        removed, _ = ChunkedUpload.objects.filter(pk=upload.pk).delete()
        if removed and reason != SUBMITTED:
            audit_record(
                action=events.UPLOAD_DISCARDED,
                subject=upload,
                now=now,
                organisation=upload.organisation,
                authority=upload.round.procurement.organisation,
                payload={
                    "round": upload.round.ref,
                    "part": upload.part,
                    "reason": reason,
                    "upload": upload.token,
                },
            )


def _delete_pieces(upload: ChunkedUpload) -> None:
    """Every file under the upload's folder: its recorded pieces and any a crash left."""
    folder = _folder(upload)
    try:
        _, names = default_storage.listdir(folder)
    except FileNotFoundError:
        names = []
    for name in {f"{folder}/{n}" for n in names} | {stored for _, _, stored in upload.pieces}:
        default_storage.delete(name)
    with contextlib.suppress(NotImplementedError, OSError):  # object storage has no folders
        Path(default_storage.path(folder)).rmdir()


def uploads_expire(*, now: datetime) -> int:
    """Remove every upload whose time ran out (abandoned), with its pieces; how many."""
    expired = list(
        ChunkedUpload.objects.filter(expires_at__lte=now).select_related(
            "organisation", "round__procurement__organisation"
        )
    )
    for upload in expired:
        upload_discard(upload=upload, reason="expired", now=now)
    return len(expired)


def uploads_on_housekeeping(sender: object, now: datetime, **kwargs: object) -> None:
    """Receiver of the worker's `housekeeping_due`."""
    uploads_expire(now=now)
