"""Submitting: checked, scanned, sealed and versioned, with a signed receipt."""

import hashlib
import secrets
import tempfile
from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from sanely import vault
from sanely.documents.letters import submission_receipt
from sanely.documents.wording import sentence
from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.email import email_document
from sanely.portal.core.errors import Conflict, validation_failed_from
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import ensure_not_closed

from .. import events
from ..keys import master_key, scanner, signing_key
from ..models import ScanOutcome, SubmissionRound, SubmissionVersion
from ..security import refusal_record
from ..selectors import access_supplier_round


def supplier_ref(organisation: Organisation) -> str:
    """How a receipt names the supplier: its registration number, else its id here."""
    if organisation.identifier:
        return f"{organisation.identifier_scheme}-{organisation.identifier}"
    return f"supplier-{organisation.pk}"


def _file_problems(upload: File | None) -> list[str]:
    if upload is None:
        return ["Choose a file to upload."]
    if not upload.size:
        return [f"{upload.name} is empty: check you chose the right file and upload it again."]
    if upload.size > settings.SUBMISSION_MAX_BYTES:
        return [
            f"{upload.name} is {upload.size:,} bytes; files can be at most"
            f" {settings.SUBMISSION_MAX_BYTES:,} bytes. Split it into parts or compress it."
        ]
    return []


def _checked(upload: File, name: str) -> tuple[vault.FileKind, vault.ScanResult]:
    """The file's kind by its content, and the virus scanner's answer; refusals name the file."""
    try:
        kind = vault.sniff(upload, name=name)
    except vault.FileRefused as error:
        raise validation_failed_from(
            # The vault's message starts with the file's name, which keeps its spelling.
            {"file": [f"{str(error).rstrip('.')}. Upload a PDF, office document, image or text."]}
        ) from None
    try:
        scan = scanner().scan(upload)
    except vault.ScanFailed:
        raise Conflict(
            "The virus scanner did not answer, so the file was not accepted. Try again in a few"
            " minutes; if the deadline is close, tell the authority now."
        ) from None
    if scan.status == vault.ScanStatus.INFECTED:
        raise validation_failed_from(
            {"file": [f"{name} contains a virus ({scan.signature}); it was not accepted."]}
        )
    upload.seek(0)
    return kind, scan


def refuse_if_late(
    *, actor: Actor, submission_round: SubmissionRound, organisation: Organisation, now: datetime
) -> datetime:
    """
    The time of receipt, or a refusal after the deadline, recorded first in a transaction of
    its own (so the refused request's rollback cannot take the record with it): every late
    attempt, by whom and when, is in the audit trail. Call it outside any transaction.
    """
    try:
        return vault.accept_submission(now, submission_round.deadline)
    except vault.SubmissionLate as error:
        late = str(error)
    refusal_record(
        action=events.SUBMISSION_REFUSED_LATE,
        actor=actor,
        round=submission_round,
        subject=submission_round,
        error=Conflict(sentence(late)),
        now=now,
        organisation=organisation,
    )


def submission_submit(
    *,
    actor: Actor,
    round_id: int,
    organisation_id: int,
    part: str,
    upload: File | None,
    now: datetime,
) -> SubmissionVersion:
    """
    A supplier submits one file for one part of a round. It is checked (size, type by content,
    virus scan), refused when late, sealed for the round and stored; the supplier gets a signed
    receipt and an email. Earlier versions stay; the latest counts.
    """
    submission_round, organisation = access_supplier_round(
        actor=actor, round_id=round_id, organisation_id=organisation_id
    )
    ensure_not_closed(submission_round.procurement)
    received_at = refuse_if_late(
        actor=actor, submission_round=submission_round, organisation=organisation, now=now
    )
    problems: dict[str, list[str]] = {}
    if part not in submission_round.parts:
        problems["part"] = ["Choose one of the round's parts: " + ", ".join(submission_round.parts)]
    if file_problems := _file_problems(upload):
        problems["file"] = file_problems
    if problems or upload is None:
        raise validation_failed_from(problems)
    name = PurePath(upload.name or "file").name[:255]
    kind, scan = _checked(upload, name)
    submission_id = f"sub-{secrets.token_hex(16)}"
    with tempfile.TemporaryFile() as sealed:
        envelope = vault.seal(
            upload,
            sealed,
            master=master_key(),
            round_key=submission_round.round_key(),
            submission_id=submission_id,
        )
        sealed.seek(0)
        blob = default_storage.save(
            f"sealed/{submission_round.pk}/{submission_id}.sealed", File(sealed)
        )
    try:
        return _record(
            actor=actor,
            submission_round=submission_round,
            organisation=organisation,
            part=part,
            name=name,
            kind=kind,
            scan=scan,
            blob=blob,
            envelope=envelope,
            received_at=received_at,
        )
    except BaseException:
        default_storage.delete(blob)  # nothing half-stored
        raise


@transaction.atomic
def _record(
    *,
    actor: Actor,
    submission_round: SubmissionRound,
    organisation: Organisation,
    part: str,
    name: str,
    kind: vault.FileKind,
    scan: vault.ScanResult,
    blob: str,
    envelope: vault.Envelope,
    received_at: datetime,
) -> SubmissionVersion:
    # Lock the round so that two submissions at once get consecutive version numbers. "No key"
    # (PostgreSQL's FOR NO KEY UPDATE): rows that refer to the round (an upload begun at the
    # same moment) may still be checked against it; a full lock made such a commit wait for
    # this one while this one waited for its audit chain lock: a deadlock in the deadline rush.
    SubmissionRound.objects.select_for_update(no_key=True).filter(pk=submission_round.pk).first()
    last = SubmissionVersion.objects.filter(
        round=submission_round, organisation=organisation
    ).aggregate(last=Max("version"))["last"]
    number = (last or 0) + 1
    procurement: Procurement = submission_round.procurement
    receipt = vault.receipt_issue(
        signing_key(),
        submission_id=envelope.submission_id,
        procurement_ref=procurement.reference,
        round_ref=submission_round.ref,
        supplier_ref=supplier_ref(organisation),
        files=[vault.ReceiptFile(name, envelope.plaintext_size, envelope.plaintext_sha256)],
        received_at=received_at,
        version=number,
    )
    version = SubmissionVersion.objects.create(
        round=submission_round,
        organisation=organisation,
        part=part,
        version=number,
        submitted_by=actor.user,
        received_at=received_at,
        file_name=name,
        file_kind=kind.value,
        scan=ScanOutcome.CLEAN
        if scan.status == vault.ScanStatus.CLEAN
        else ScanOutcome.NOT_SCANNED,
        scanner=scan.scanner,
        sealed_blob=blob,
        submission_id=envelope.submission_id,
        round_key_id=envelope.round_key_id,
        wrapped_data_key=envelope.wrapped_data_key,
        plaintext_size=envelope.plaintext_size,
        plaintext_sha256=envelope.plaintext_sha256,
        sealed_size=envelope.sealed_size,
        receipt=receipt,
    )
    audit_record(
        action=events.SUBMISSION_RECEIVED,
        subject=version,
        now=received_at,
        actor=actor.user,
        organisation=organisation,
        authority=procurement.organisation,
        payload={
            "round": submission_round.ref,
            "part": part,
            "version": number,
            "submission_id": envelope.submission_id,
            "size": envelope.plaintext_size,
            "sha256": envelope.plaintext_sha256,
            "kind": kind.value,
            "scan": scan.status.value,
            "received_at": received_at.isoformat(),
        },
    )
    received = submission_receipt.Received(
        reference=procurement.reference,
        title=procurement.title,
        supplier=organisation.name,
        part=part,
        label=submission_round.label,
        file_name=name,
        size=envelope.plaintext_size,
        version=number,
        received_at=received_at,
        submission_id=envelope.submission_id,
        receipt=receipt,
    )
    email_document(to=[actor.user.email], document=submission_receipt.build(received))
    return version


def text_receipt(
    *,
    procurement: Procurement,
    organisation: Organisation,
    ref: str,
    file_name: str,
    text: str,
    received_at: datetime,
) -> str:
    """
    A signed receipt for something a supplier submits as text (a clarification question):
    the same receipt as for a sealed file, naming `file_name` with the text's UTF-8 SHA-256,
    so that `sanely vault verify-receipt RECEIPT --file FILE` checks it offline.
    """
    data = text.encode()
    return vault.receipt_issue(
        signing_key(),
        submission_id=ref,
        procurement_ref=procurement.reference,
        round_ref=f"{procurement.reference}/{file_name.rsplit('.', 1)[0]}",
        supplier_ref=supplier_ref(organisation),
        files=[vault.ReceiptFile(file_name, len(data), hashlib.sha256(data).hexdigest())],
        received_at=received_at,
        version=1,
    )
