"""
Writes for sealed submissions: expressing interest, opening a round for submissions and
extending its deadline, submitting (sealed, with a signed receipt), and the four-eyes opening.

Each refusal says what to change; a refused submission leaves nothing stored and the
supplier's earlier versions untouched.
"""

import hashlib
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from sanely import vault
from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.email import email_send
from sanely.portal.core.errors import (
    Conflict,
    RuleRefused,
    ValidationFailed,
    validation_failed_from,
)
from sanely.portal.procurements.design import ActionIn
from sanely.portal.procurements.engine import UK, facts_of, rulebook_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import access_procurement
from sanely.portal.procurements.services import procurement_act, require_justification
from sanely.procedure import check, evaluate

from . import events
from .keys import master_key, scanner, signing_key
from .models import (
    ChunkedUpload,
    DeadlineExtension,
    Interest,
    Letter,
    Participant,
    RoundKind,
    ScanOutcome,
    Standing,
    SubmissionRound,
    SubmissionVersion,
)
from .security import refuse_sealed_access
from .selectors import (
    access_opportunity,
    access_round,
    access_supplier,
    access_supplier_round,
    access_upload,
    tenderers,
)

# A deadline further away than this is a typing mistake, not a plan.
LONGEST_ROUND = timedelta(days=3 * 365)
DEFAULT_PARTS: dict[str, list[str]] = {
    RoundKind.RTP: ["Request to participate"],
    RoundKind.TENDER: ["Tender"],
}


def _sentence(error: Exception) -> str:
    text = str(error).rstrip(".")
    return text[:1].upper() + text[1:] + "."


def supplier_ref(organisation: Organisation) -> str:
    """How a receipt names the supplier: its registration number, else its id here."""
    if organisation.identifier:
        return f"{organisation.identifier_scheme}-{organisation.identifier}"
    return f"supplier-{organisation.pk}"


@transaction.atomic
def interest_express(
    *, actor: Actor, procurement_id: int, organisation_id: int, now: datetime
) -> Interest:
    """A supplier registers its interest in a published opportunity (once; again is a no-op)."""
    organisation = access_supplier(actor=actor, organisation_id=organisation_id)
    procurement = access_opportunity(procurement_id=procurement_id)
    existing = Interest.objects.filter(procurement=procurement, organisation=organisation).first()
    if existing is not None:
        return existing
    interest = Interest.objects.create(
        procurement=procurement,
        organisation=organisation,
        expressed_by=actor.user,
        expressed_at=now,
    )
    audit_record(
        action=events.INTEREST_EXPRESSED,
        subject=interest,
        now=now,
        actor=actor.user,
        organisation=organisation,
        authority=procurement.organisation,
        payload={"procurement": procurement.reference},
    )
    return interest


def _deadline_problems(deadline: datetime, now: datetime) -> list[str]:
    if deadline.tzinfo is None or deadline.utcoffset() is None:
        return ["Give the deadline with its time zone, e.g. 2026-12-01T12:00:00+00:00."]
    if deadline <= now:
        return ["The deadline must be in the future."]
    if deadline - now > LONGEST_ROUND:
        return ["The deadline must be within three years."]
    return []


def _parts_problems(parts: list[str]) -> list[str]:
    names = [p.strip() for p in parts]
    if any(not n or len(n) > 100 for n in names):
        return ["Name each part in 1 to 100 characters."]
    if len(set(names)) != len(names):
        return ["Give each part a different name."]
    if len(names) > 20:
        return ["A round has at most 20 parts."]
    return []


@transaction.atomic
def submission_round_open(
    *,
    actor: Actor,
    procurement_id: int,
    kind: str,
    number: int,
    deadline: datetime,
    final: bool = False,
    parts: list[str] | None = None,
    justification: str = "",
    now: datetime,
) -> SubmissionRound:
    """
    A commissioner or procurement lead opens a round of a published procurement for
    submissions. Its vault key pair is made now, bound to the deadline and to who set it.
    A tender round is a step of the procedure; `justification` answers the WARN rules of
    that step.
    """
    procurement, membership = access_procurement(
        actor=actor, procurement_id=procurement_id, write=True
    )
    parts = [p.strip() for p in parts] if parts else list(DEFAULT_PARTS.get(kind, []))
    problems: dict[str, list[str]] = {}
    if kind not in RoundKind.values:
        problems["kind"] = ["Choose rtp (requests to participate) or tender."]
    elif kind == RoundKind.RTP and (number != 1 or final):
        problems["number"] = ["Requests to participate are one round: number 1, not final."]
    if not 1 <= number <= 50:
        problems["number"] = ["Number the round from 1 to 50."]
    if deadline_problems := _deadline_problems(deadline, now):
        problems["deadline"] = deadline_problems
    if parts_problems := _parts_problems(parts):
        problems["parts"] = parts_problems
    if problems:
        raise validation_failed_from(problems)
    if procurement.published_at is None:
        raise Conflict("Publish the procurement's notice before opening a round for submissions.")
    if SubmissionRound.objects.filter(procurement=procurement, kind=kind, number=number).exists():
        raise Conflict(f"This procurement already has {kind} round {number}; open another number.")
    if kind == RoundKind.TENDER:
        _tender_round_in_lifecycle(actor, procurement, number, final, justification, now)
    ref = f"{procurement.reference}/{kind}-{number}"
    key = vault.round_key_create(
        master_key(), round_id=ref, deadline=deadline, now=now, set_by=str(actor.user.pk)
    )
    submission_round = SubmissionRound(
        procurement=procurement,
        kind=kind,
        number=number,
        final=final,
        parts=parts,
        created_by=actor.user,
        created_at=now,
    )
    submission_round.store_round_key(key)
    submission_round.save()
    audit_record(
        action=events.ROUND_OPENED_FOR_SUBMISSIONS,
        subject=submission_round,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "round": ref,
            "deadline": key.deadline.isoformat(),
            "final": final,
            "parts": parts,
            "master_key_id": key.master_key_id,
        },
    )
    _invite_to_round(actor, submission_round, now)
    return submission_round


def _invite_to_round(actor: Actor, submission_round: SubmissionRound, now: datetime) -> None:
    """
    Tell the suppliers a round concerns that it is open: every tenderer still in the
    competition for a tender round, everyone who expressed interest for the requests.
    """
    procurement = submission_round.procurement
    if submission_round.kind == RoundKind.TENDER:
        recipients = tenderers(procurement)
    else:
        recipients = [i.organisation for i in procurement.interests.select_related("organisation")]
    parts = "".join(f"\n- {part}" for part in submission_round.parts)
    for recipient in recipients:
        letter_send(
            actor=actor,
            procurement=procurement,
            recipient=recipient,
            kind="round_invitation",
            subject=f"{submission_round.label}: open until {vault_time(submission_round.deadline)}",
            body=(
                f"{procurement.organisation.name} invites {recipient.name} to submit"
                f" {submission_round.label.lower()} for {procurement.reference}"
                f" {procurement.title}.\n\nDeadline: {vault_time(submission_round.deadline)}."
                " Submissions after it are refused.\n\nSubmit each part on its own, on the"
                f" opportunity's page:{parts}\n\nEach part is sealed until the deadline has"
                " passed and two people of the authority have opened the round; you get a"
                " signed receipt for each."
            ),
            content={
                "round": submission_round.ref,
                "deadline": submission_round.deadline.isoformat(),
                "final": submission_round.final,
                "parts": submission_round.parts,
            },
            now=now,
        )


def _revised_round_allowed(procurement: Procurement, justification: str, now: datetime) -> None:
    """Tenders are revised only while negotiation is allowed: the engine's `negotiate` rules."""
    rulebook, facts = rulebook_of(procurement), facts_of(procurement)
    refusal = check(rulebook, facts, "negotiate", now)
    if refusal is not None:
        raise RuleRefused(
            f"A revised-tender round cannot follow: {refusal.message}. To fix: {refusal.fix}.",
            rule=refusal.rule,
            citation=refusal.citation,
        )
    warnings = [w for w in evaluate(rulebook, facts, now).warnings if w.event == "negotiate"]
    require_justification(warnings, justification)


def _tender_round_in_lifecycle(
    actor: Actor,
    procurement: Procurement,
    number: int,
    final: bool,
    justification: str,
    now: datetime,
) -> None:
    """
    A tender round is a step of the procedure: round 1 follows the invitation to tender, a
    later round is a revised-tender round the engine allows only before the final one, and
    the final round is the invitation to submit final tenders.
    """
    if not tenderers(procurement):
        raise Conflict(
            "Nobody has been invited to tender yet: decide the shortlist in the selection first."
        )
    expected = SubmissionRound.objects.filter(procurement=procurement, kind=RoundKind.TENDER)
    if number != expected.count() + 1:
        raise validation_failed_from(
            {"number": [f"The next tender round is number {expected.count() + 1}."]}
        )
    if final:
        procurement_act(
            actor=actor,
            procurement_id=procurement.pk,
            event="invite_final_tenders",
            action=ActionIn.model_validate(
                {"evidence": f"Final tenders are round {number}.", "justification": justification}
            ),
            now=now,
        )
    elif number > 1:
        _revised_round_allowed(procurement, justification, now)
        Procurement.objects.filter(pk=procurement.pk).update(
            rounds=[*procurement.rounds, {"number": number, "final": False}], updated_at=now
        )


def _people_to_tell(submission_round: SubmissionRound) -> list[str]:
    """Everyone who expressed interest in the procurement or submitted to the round."""
    interested = Interest.objects.filter(procurement=submission_round.procurement).values_list(
        "expressed_by__email", flat=True
    )
    submitted = SubmissionVersion.objects.filter(round=submission_round).values_list(
        "submitted_by__email", flat=True
    )
    return sorted(set(interested) | set(submitted))


@transaction.atomic
def submission_round_extend(
    *,
    actor: Actor,
    round_id: int,
    new_deadline: datetime,
    reason: str,
    platform_incident: bool = False,
    now: datetime,
) -> DeadlineExtension:
    """
    Extend a round's deadline before it passes, with the reason recorded in the incident log
    (a platform fault is marked as one). The vault refuses bringing it forward, or any change
    after it passed. Everyone interested is told.
    """
    submission_round, membership = access_round(actor=actor, round_id=round_id, write=True)
    submission_round = SubmissionRound.objects.select_for_update().get(pk=submission_round.pk)
    problems: dict[str, list[str]] = {}
    if not reason.strip():
        problems["reason"] = ["Say why the deadline is extended; suppliers will read it."]
    if deadline_problems := _deadline_problems(new_deadline, now):
        problems["new_deadline"] = deadline_problems
    if problems:
        raise validation_failed_from(problems)
    previous = submission_round.deadline
    try:
        key = vault.round_key_extend(
            master_key(),
            submission_round.round_key(),
            new_deadline=new_deadline,
            now=now,
            changed_by=str(actor.user.pk),
        )
    except vault.DeadlineRefused as error:
        raise Conflict(_sentence(error)) from None
    submission_round.store_round_key(key)
    submission_round.save()
    extension = DeadlineExtension.objects.create(
        round=submission_round,
        previous_deadline=previous,
        new_deadline=key.deadline,
        reason=reason.strip(),
        platform_incident=platform_incident,
        recorded_by=actor.user,
        recorded_at=now,
    )
    audit_record(
        action=events.ROUND_DEADLINE_EXTENDED,
        subject=submission_round,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "round": submission_round.ref,
            "from": previous.isoformat(),
            "to": key.deadline.isoformat(),
            "reason": extension.reason,
            "platform_incident": platform_incident,
        },
    )
    if recipients := _people_to_tell(submission_round):
        email_send(
            to=recipients,
            subject=f"Deadline extended: {submission_round.procurement.title}",
            body=(
                f"The deadline for {submission_round.label.lower()} in"
                f" {submission_round.procurement.reference} {submission_round.procurement.title}"
                f" is now {vault_time(key.deadline)} (it was {vault_time(previous)}).\n\n"
                f"Reason: {extension.reason}\n"
            ),
        )
    return extension


def vault_time(moment: datetime) -> str:
    """An instant as emails and messages give it: UK time and UTC, to the second."""
    london = moment.astimezone(UK)
    return f"{london:%-d %B %Y %H:%M:%S} {london.tzname()} ({moment.astimezone(UTC):%H:%M:%S} UTC)"


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
    try:
        received_at = vault.accept_submission(now, submission_round.deadline)
    except vault.SubmissionLate as error:
        raise Conflict(_sentence(error)) from None
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
    # Lock the round so that two submissions at once get consecutive version numbers.
    SubmissionRound.objects.select_for_update().filter(pk=submission_round.pk).first()
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
    email_send(
        to=[actor.user.email],
        subject=f"Received: {part} for {procurement.reference} {procurement.title}",
        body=(
            f"We received {name} ({envelope.plaintext_size:,} bytes) from {organisation.name}"
            f" for '{part}' ({submission_round.label.lower()}) at {vault_time(received_at)},"
            f" version {number}. It is sealed until the deadline has passed and the authority"
            " opens the round.\n\nYour signed receipt follows. Keep it: with the portal's public"
            " key at /.well-known/sanely-receipt-key.pem you can check it offline with"
            " `sanely vault verify-receipt receipt.json --public-key key.pem --file "
            f"{name}`.\n\n{receipt}"
        ),
    )
    return version


def round_opening_request(*, actor: Actor, round_id: int, now: datetime) -> SubmissionRound:
    """The first of two people asks to open a round; refused (and recorded) before the deadline."""
    submission_round, membership = access_round(actor=actor, round_id=round_id, write=True)
    if now < submission_round.deadline:
        refuse_sealed_access(
            actor=actor,
            round=submission_round,
            subject=submission_round,
            route="opening request",
            error=Conflict(
                f"The round cannot be opened before its deadline,"
                f" {vault_time(submission_round.deadline)}; it is now {vault_time(now)}."
            ),
            now=now,
        )
    with transaction.atomic():
        submission_round = SubmissionRound.objects.select_for_update().get(pk=submission_round.pk)
        if submission_round.opening_requested_by_id is not None:
            raise Conflict(
                "Opening has already been requested; a second authorised person confirms it."
            )
        submission_round.opening_requested_by = actor.user
        submission_round.opening_requested_at = now
        submission_round.save(update_fields=["opening_requested_by", "opening_requested_at"])
        audit_record(
            action=events.ROUND_OPENING_REQUESTED,
            subject=submission_round,
            now=now,
            actor=actor.user,
            organisation=membership.organisation,
            payload={"round": submission_round.ref},
        )
    return submission_round


def round_opening_confirm(*, actor: Actor, round_id: int, now: datetime) -> SubmissionRound:
    """
    A second, different authorised person confirms: the vault checks the deadline has passed
    and that two distinct people are named, then the round is open. A refusal is recorded as a
    security event.
    """
    submission_round, membership = access_round(actor=actor, round_id=round_id, write=True)
    if submission_round.opened_at is not None:
        raise Conflict("The round is already open.")
    if submission_round.opening_requested_by_id is None:
        raise Conflict("First ask to open the round; a second authorised person then confirms.")
    try:
        opened = vault.round_key_open(
            master_key(),
            submission_round.round_key(),
            authorisation=vault.OpeningAuthorisation(
                submission_round.ref,
                str(submission_round.opening_requested_by_id),
                str(actor.user.pk),
            ),
            now=now,
        )
    except vault.VaultError as error:
        message = (
            "A second authorised person, not the one who asked, must confirm the opening."
            if isinstance(error, vault.FourEyesRequired)
            else _sentence(error)
        )
        refuse_sealed_access(
            actor=actor,
            round=submission_round,
            subject=submission_round,
            route="opening confirmation",
            error=Conflict(message),
            now=now,
        )
    with transaction.atomic():
        updated = SubmissionRound.objects.filter(
            pk=submission_round.pk, opened_at__isnull=True
        ).update(opened_by=actor.user, opened_at=opened.opened_at)
        if not updated:
            raise Conflict("The round is already open.")
        audit_record(
            action=events.ROUND_OPENED,
            subject=submission_round,
            now=now,
            actor=actor.user,
            organisation=membership.organisation,
            payload={
                "round": submission_round.ref,
                "opened_by": list(opened.opened_by),
                "opened_at": opened.opened_at.isoformat(),
            },
        )
    submission_round.refresh_from_db()
    return submission_round


def _spool(upload: ChunkedUpload) -> Path:
    """Where a resumable upload's bytes wait: local disk, outside the file storage."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()) / "sanely-uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / f"{upload.token}.part"


def _in_time(submission_round: SubmissionRound, now: datetime) -> None:
    try:
        vault.accept_submission(now, submission_round.deadline)
    except vault.SubmissionLate as error:
        raise Conflict(_sentence(error)) from None


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
        round=submission_round, organisation=organisation, part=part, started_by=actor.user,
        started_at=now, token=secrets.token_hex(16), name=state.name,
        total_size=state.total_size, sha256=state.sha256,
    )  # fmt: skip
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
                actor=actor, round_id=upload.round_id, organisation_id=upload.organisation_id,
                part=upload.part, upload=assembled, now=now,
            )  # fmt: skip
        except ValidationFailed:
            _discard(upload)  # the file itself is refused: sending it again will not help
            raise
    _discard(upload)
    return version


def _discard(upload: ChunkedUpload) -> None:
    _spool(upload).unlink(missing_ok=True)
    upload.delete()


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


def participant_set(
    *,
    actor: Actor,
    procurement: Procurement,
    organisation: Organisation,
    standing: Standing,
    reason: str,
    now: datetime,
) -> Participant:
    """
    Move a supplier to a new standing in the competition (called by selection, staged
    reduction, evaluation and award inside their own transactions), with the reason.
    """
    participant, _ = Participant.objects.update_or_create(
        procurement=procurement,
        organisation=organisation,
        defaults={"standing": standing, "reason": reason, "changed_at": now},
    )
    audit_record(
        action=events.PARTICIPANT_STANDING_CHANGED,
        subject=participant,
        now=now,
        actor=actor.user,
        organisation=procurement.organisation,
        payload={"organisation": organisation.pk, "standing": standing, "reason": reason},
    )
    return participant


def letter_send(
    *,
    actor: Actor,
    procurement: Procurement,
    recipient: Organisation,
    kind: str,
    subject: str,
    body: str,
    content: dict[str, object] | None = None,
    now: datetime,
) -> Letter:
    """
    Send a supplier a letter: kept as sent, emailed after commit to every person of the
    supplier, and recorded in the audit trail (with the authority, so its auditors see it).
    """
    letter = Letter.objects.create(
        procurement=procurement,
        recipient=recipient,
        kind=kind,
        subject=subject,
        body=body,
        content=content or {},
        sent_by=actor.user,
        sent_at=now,
    )
    people = sorted(recipient.memberships.values_list("user__email", flat=True).distinct())
    if people:
        email_send(to=people, subject=f"{procurement.reference}: {subject}", body=body)
    audit_record(
        action=events.LETTER_SENT,
        subject=letter,
        now=now,
        actor=actor.user,
        organisation=procurement.organisation,
        payload={"recipient": recipient.pk, "kind": kind, "subject": subject},
    )
    return letter
