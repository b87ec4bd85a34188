"""Submitting: versions, receipts, the completeness check, and every kind of bad input."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from portal.tenders.sealed_files import SECRET, docx, pdf, upload

from sanely import vault
from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.core.errors import Conflict, NotFound, ValidationFailed
from sanely.portal.tenders import events as tenders_events
from sanely.portal.tenders.keys import signing_key
from sanely.portal.tenders.models import SubmissionVersion
from sanely.portal.tenders.selectors import completeness
from sanely.portal.tenders.services import submission_submit

pytestmark = pytest.mark.django_db


def submit(supplier, round_, at, *, part=None, file=None, role=Role.SUPPLIER_ADMIN, org=None):
    return submission_submit(
        actor=supplier.actor(role),
        round_id=round_.pk,
        organisation_id=(org or supplier.organisation).pk,
        part=part or round_.parts[0],
        upload=file or upload(),
        now=at,
    )


def stored_blobs():
    try:
        folders, _ = default_storage.listdir("sealed")
    except FileNotFoundError:
        return set()
    return {
        f"sealed/{folder}/{name}"
        for folder in folders
        for name in default_storage.listdir(f"sealed/{folder}")[1]
    }


def test_a_submission_is_sealed_stored_and_receipted(kestrel, past_round, opened_at):
    at = opened_at + timedelta(hours=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda f, *a, **k: f())
        version = submit(kestrel, past_round, at)
    receipt = vault.receipt_verify(version.receipt, signing_key().public_pem)
    assert (version.submission_id, 1, at) == (
        receipt.submission_id,
        receipt.version,
        receipt.received_at,
    )
    assert [("proposal.pdf", len(pdf()))] == [(f.name, f.size) for f in receipt.files]
    assert "IP-2026-TEST1/rtp-1" == receipt.round_ref
    with default_storage.open(version.sealed_blob.name, "rb") as blob:
        assert SECRET not in blob.read()
    assert [
        "Received: Request to participate for IP-2026-TEST1 Demand-responsive rural transport"
    ] == [m.subject for m in mail.outbox]
    assert version.receipt in mail.outbox[0].body
    event = AuditEvent.objects.get(action=tenders_events.SUBMISSION_RECEIVED)
    assert (kestrel.organisation.pk, past_round.procurement.organisation_id) == (
        event.organisation_id,
        event.authority_id,
    )


def test_parts_are_submitted_independently_and_the_latest_counts(kestrel, open_round):
    from sanely.portal.core.clock import now

    before = completeness(round=open_round, organisation=kestrel.organisation)
    assert (False, ["Technical proposal", "Commercial proposal"]) == (
        before.complete,
        before.missing,
    )
    first = submit(kestrel, open_round, now(), part="Technical proposal")
    middle = completeness(round=open_round, organisation=kestrel.organisation)
    assert ["Commercial proposal"] == middle.missing
    submit(kestrel, open_round, now(), part="Commercial proposal", file=upload(docx(), "c.docx"))
    replaced = submit(
        kestrel, open_round, now(), part="Technical proposal", role=Role.SUPPLIER_MEMBER
    )
    after = completeness(round=open_round, organisation=kestrel.organisation)
    assert (True, [], [1, 2, 3]) == (
        after.complete,
        after.missing,
        [v.version for v in after.versions],
    )
    assert replaced == after.parts[0].latest
    # The first version is kept, untouched.
    assert SubmissionVersion.objects.filter(pk=first.pk, version=1).exists()


BAD_FILES = [
    (b"", "proposal.pdf", "empty"),
    (b"%PDF-1.7\nbroken with no end", "proposal.pdf", "proposal.pdf"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200), "proposal.pdf", "program"),
    (b"#!/bin/sh\nrm -rf /\n", "notes.txt", "script"),
]


@pytest.mark.parametrize(("content", "name", "said"), BAD_FILES)
def test_bad_files_are_refused_and_nothing_is_stored(kestrel, open_round, content, name, said):
    from sanely.portal.core.clock import now

    kept = submit(kestrel, open_round, now())
    blobs = stored_blobs()
    file = upload(content, name)
    with pytest.raises(ValidationFailed) as refused:
        submit(kestrel, open_round, now(), file=file)
    assert said in refused.value.detail["file"][0]
    assert [kept.pk] == list(SubmissionVersion.objects.values_list("pk", flat=True))
    assert blobs == stored_blobs()


def test_a_missing_file_and_an_unknown_part_are_reported_together(kestrel, open_round):
    from sanely.portal.core.clock import now

    with pytest.raises(ValidationFailed) as refused:
        submission_submit(
            actor=kestrel.actor(Role.SUPPLIER_ADMIN),
            round_id=open_round.pk,
            organisation_id=kestrel.organisation.pk,
            part="Price",
            upload=None,
            now=now(),
        )
    assert {"part", "file"} == set(refused.value.detail)
    assert "Technical proposal, Commercial proposal" in refused.value.detail["part"][0]


def test_a_file_over_the_limit_is_refused_before_it_is_read(kestrel, open_round, settings):
    from sanely.portal.core.clock import now

    settings.SUBMISSION_MAX_BYTES = 100
    with pytest.raises(ValidationFailed) as refused:
        submit(kestrel, open_round, now())
    assert "at most 100 bytes" in refused.value.detail["file"][0]


def test_a_submission_for_a_closed_round_is_refused_showing_both_times(
    kestrel, past_round, opened_at
):
    late = past_round.deadline + timedelta(microseconds=1)
    blobs = stored_blobs()
    with pytest.raises(Conflict) as refused:
        submit(kestrel, past_round, late)
    message = refused.value.message
    assert vault.SubmissionLate.__name__ not in message
    assert f"{late:%Y-%m-%d %H:%M:%S.%f} UTC" in message
    assert f"{past_round.deadline:%Y-%m-%d %H:%M:%S.%f} UTC" in message
    assert "Europe/London" in message
    assert (0, blobs) == (SubmissionVersion.objects.count(), stored_blobs())


def test_a_supplier_cannot_act_for_another_organisation(kestrel, wessex, open_round):
    from sanely.portal.accounts.services import organisation_create
    from sanely.portal.core.clock import now

    other = organisation_create(name="Other Ltd", kind="supplier", now=now())
    for organisation in (other, wessex.organisation):
        with pytest.raises(NotFound):
            submit(kestrel, open_round, now(), org=organisation)
    # Nor can the authority's people submit, for anyone.
    with pytest.raises(NotFound):
        submit(wessex, open_round, now(), role=Role.PROCUREMENT_LEAD, org=kestrel.organisation)
    assert 0 == SubmissionVersion.objects.count()


def test_an_infected_file_is_refused_naming_the_signature(kestrel, open_round, monkeypatch):
    from sanely.portal.core.clock import now

    class Infected:
        def scan(self, stream):
            return vault.ScanResult(vault.ScanStatus.INFECTED, "clamd", "Eicar-Test-Signature")

    monkeypatch.setattr("sanely.portal.tenders.services.submissions.scanner", Infected)
    with pytest.raises(ValidationFailed) as refused:
        submit(kestrel, open_round, now())
    assert "Eicar-Test-Signature" in refused.value.detail["file"][0]
    assert 0 == SubmissionVersion.objects.count()


def test_a_scanner_that_does_not_answer_refuses_the_file_with_advice(kestrel, open_round, settings):
    from sanely.portal.core.clock import now

    settings.VAULT_SCANNER = "tcp://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(Conflict) as refused:
        submit(kestrel, open_round, now())
    assert "virus scanner did not answer" in refused.value.message
    assert 0 == SubmissionVersion.objects.count()


def test_without_a_scanner_a_file_is_marked_not_scanned(kestrel, open_round):
    from sanely.portal.core.clock import now

    assert "not scanned" == submit(kestrel, open_round, now()).scan


def test_a_failure_while_recording_removes_the_sealed_blob(kestrel, open_round, monkeypatch):
    from sanely.portal.core.clock import now

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("sanely.portal.tenders.services.submissions.audit_record", broken)
    with pytest.raises(RuntimeError):
        submit(kestrel, open_round, now())
    assert (0, set()) == (SubmissionVersion.objects.count(), stored_blobs())
