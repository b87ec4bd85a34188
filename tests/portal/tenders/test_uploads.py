"""Resumable uploads: declare, send chunks in any order, resume, finish into a sealed submission."""

import hashlib
import io
from datetime import timedelta

import pytest
from portal.tenders.sealed_files import SECRET, pdf

from sanely import vault
from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.core.clock import now as clock_now
from sanely.portal.core.heartbeat import housekeeping_run
from sanely.portal.tenders import events, services
from sanely.portal.tenders.keys import signing_key
from sanely.portal.tenders.models import ChunkedUpload, SubmissionVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _temporary_files_in_tmp(settings, tmp_path, monkeypatch):
    """Every temporary file in one folder of the test's, so the test can search it all."""
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "temp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(settings.FILE_UPLOAD_TEMP_DIR))


def files_under(*folders):
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]


def stored(settings):
    """Every file the upload left in the file storage or the temporary folder."""
    return files_under(settings.MEDIA_ROOT / "uploads", settings.FILE_UPLOAD_TEMP_DIR)


def begin(api, round_, org, content, **changes):
    body = {
        "organisation_id": org.pk,
        "part": "Technical proposal",
        "name": "big-proposal.pdf",
        "total_size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        **changes,
    }
    return api.post(f"/api/v1/rounds/{round_.pk}/uploads", body, content_type="application/json")


def put(api, upload_id, offset, data):
    return api.put(
        f"/api/v1/uploads/{upload_id}/chunks?offset={offset}",
        data,
        content_type="application/octet-stream",
    )


def test_a_file_sent_in_chunks_out_of_order_is_sealed_with_a_receipt(kestrel, open_round, settings):
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    content = pdf(b"x" * 5000)
    started = begin(api, open_round, kestrel.organisation, content)
    assert (201, [[0, len(content)]]) == (started.status_code, started.json()["missing"])
    upload_id = started.json()["id"]
    assert 200 == put(api, upload_id, 3000, content[3000:]).status_code
    # Interrupted: the supplier asks what is missing and resumes.
    assert [[0, 3000]] == api.get(f"/api/v1/uploads/{upload_id}").json()["missing"]
    overlap = put(api, upload_id, 2000, content[2000:4000])
    assert 409 == overlap.status_code
    assert "missing: bytes 0-2999" in overlap.json()["message"]
    last = put(api, upload_id, 0, content[:3000])
    assert (True, []) == (last.json()["complete"], last.json()["missing"])
    finished = api.post(f"/api/v1/uploads/{upload_id}/finish")
    assert 201 == finished.status_code, finished.content
    receipt = vault.receipt_verify(finished.json()["receipt"], signing_key().public_pem)
    assert hashlib.sha256(content).hexdigest() == receipt.files[0].sha256
    assert (0, []) == (ChunkedUpload.objects.count(), stored(settings))


def test_a_file_that_is_not_what_was_declared_is_refused_at_the_end_and_discarded(
    kestrel, open_round, settings
):
    api = kestrel.token_client(Role.SUPPLIER_ADMIN)
    content = pdf()
    upload_id = begin(api, open_round, kestrel.organisation, content, sha256="0" * 64).json()["id"]
    put(api, upload_id, 0, content)
    refused = api.post(f"/api/v1/uploads/{upload_id}/finish")
    assert 409 == refused.status_code
    assert "SHA-256" in refused.json()["message"]
    assert (0, 0, []) == (
        SubmissionVersion.objects.count(),
        ChunkedUpload.objects.count(),
        stored(settings),
    )
    discarded = AuditEvent.objects.get(action=events.UPLOAD_DISCARDED)
    assert "not the declared file" == discarded.payload["reason"]


def test_finishing_an_incomplete_upload_says_what_is_missing_and_keeps_it(kestrel, open_round):
    api = kestrel.token_client(Role.SUPPLIER_ADMIN)
    content = pdf()
    upload_id = begin(api, open_round, kestrel.organisation, content).json()["id"]
    put(api, upload_id, 10, content[10:])
    refused = api.post(f"/api/v1/uploads/{upload_id}/finish")
    assert 409 == refused.status_code
    assert "incomplete; missing: bytes 0-9" in refused.json()["message"]
    assert 1 == ChunkedUpload.objects.count()


def test_a_renamed_program_sent_in_chunks_is_refused_and_discarded(kestrel, open_round, settings):
    api = kestrel.token_client(Role.SUPPLIER_ADMIN)
    program = b"MZ\x90\x00" + bytes(500)
    upload_id = begin(api, open_round, kestrel.organisation, program).json()["id"]
    put(api, upload_id, 0, program)
    refused = api.post(f"/api/v1/uploads/{upload_id}/finish")
    assert 400 == refused.status_code
    assert "big-proposal.pdf is a Windows program" in refused.json()["detail"]["file"][0]
    assert (0, 0, []) == (
        SubmissionVersion.objects.count(),
        ChunkedUpload.objects.count(),
        stored(settings),
    )


def test_chunks_waiting_for_the_rest_of_the_file_never_rest_in_plaintext(
    kestrel, open_round, settings
):
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    content = pdf(SECRET * 200)
    upload_id = begin(api, open_round, kestrel.organisation, content).json()["id"]
    half = len(content) // 2
    assert 200 == put(api, upload_id, half, content[half:]).status_code
    assert 200 == put(api, upload_id, 0, content[:100]).status_code
    pieces = files_under(settings.MEDIA_ROOT / "uploads")
    assert 2 == len(pieces)
    for piece in pieces:
        assert piece.read_bytes().startswith(b"SANELYU1")
    everything = files_under(settings.MEDIA_ROOT, settings.FILE_UPLOAD_TEMP_DIR)
    assert [] == [str(p) for p in everything if b"confidential price" in p.read_bytes()]


def test_an_abandoned_upload_expires_and_leaves_nothing_behind(kestrel, open_round, settings):
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    content = pdf()
    upload_id = begin(api, open_round, kestrel.organisation, content).json()["id"]
    put(api, upload_id, 0, content[:50])
    upload = ChunkedUpload.objects.get()
    assert timedelta(hours=24) == upload.expires_at - upload.started_at
    housekeeping_run(upload.expires_at - timedelta(seconds=1))
    assert 1 == ChunkedUpload.objects.count()

    housekeeping_run(upload.expires_at)  # the worker's housekeeping removes it

    assert (0, []) == (ChunkedUpload.objects.count(), stored(settings))
    discarded = AuditEvent.objects.get(action=events.UPLOAD_DISCARDED)
    assert ("expired", open_round.ref) == (discarded.payload["reason"], discarded.payload["round"])
    assert 404 == put(api, upload_id, 50, content[50:]).status_code


def test_an_expired_upload_refuses_more_chunks_saying_so(kestrel, open_round):
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    content = pdf()
    upload_id = begin(api, open_round, kestrel.organisation, content).json()["id"]
    ChunkedUpload.objects.update(expires_at=clock_now() - timedelta(seconds=1))
    late = put(api, upload_id, 0, content)
    assert 409 == late.status_code
    assert "This upload expired at" in late.json()["message"]
    assert "Start the upload again" in late.json()["message"]


def test_a_supplier_may_not_hold_more_uploads_than_the_limit(kestrel, open_round, settings):
    settings.UPLOAD_MAX_OPEN = 2
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    for _ in range(2):
        assert 201 == begin(api, open_round, kestrel.organisation, pdf()).status_code
    refused = begin(api, open_round, kestrel.organisation, pdf())
    assert 409 == refused.status_code
    assert "already has 2 uploads in progress" in refused.json()["message"]
    assert "the limit is 2" in refused.json()["message"]
    ChunkedUpload.objects.filter(pk=ChunkedUpload.objects.first().pk).update(
        expires_at=clock_now()
    )  # an expired upload no longer counts
    assert 201 == begin(api, open_round, kestrel.organisation, pdf()).status_code


def test_a_supplier_may_not_reserve_more_bytes_than_the_limit(kestrel, open_round, settings):
    settings.UPLOAD_MAX_RESERVED_BYTES = 1000
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    assert 201 == begin(api, open_round, kestrel.organisation, bytes(600)).status_code
    refused = begin(api, open_round, kestrel.organisation, bytes(500))
    assert 409 == refused.status_code
    assert "reserve 600 bytes; with this one's 500 bytes" in refused.json()["message"]
    assert "the limit is 1,000 bytes" in refused.json()["message"]
    assert 1 == ChunkedUpload.objects.count()


def test_an_upload_takes_at_most_the_limit_of_chunks(kestrel, open_round, settings):
    settings.UPLOAD_MAX_CHUNKS = 2
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    content = pdf()
    upload_id = begin(api, open_round, kestrel.organisation, content).json()["id"]
    put(api, upload_id, 0, content[:1])
    put(api, upload_id, 1, content[1:2])
    refused = put(api, upload_id, 2, content[2:])
    assert 409 == refused.status_code
    assert "the limit is 2" in refused.json()["message"]


def test_a_chunk_overlapped_by_one_that_arrived_while_it_streamed_is_refused_and_removed(
    kestrel, open_round, settings
):
    actor = kestrel.actor(Role.SUPPLIER_MEMBER)
    content = pdf()
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    upload_id = begin(api, open_round, kestrel.organisation, content).json()["id"]

    class SlowLine(io.BytesIO):
        """Lets another request's chunk (bytes 0-9) arrive while this one streams."""

        def read(self, size=-1):
            if not self.tell():
                put(api, upload_id, 0, content[:10])
            return super().read(size)

    with pytest.raises(services.uploads.Conflict, match="overlaps what has arrived"):
        services.upload_put(
            actor=actor,
            upload_id=upload_id,
            offset=5,
            length=20,
            data=SlowLine(content[5:25]),
            now=clock_now(),
        )
    assert [[0, 10]] == ChunkedUpload.objects.get().received
    assert 1 == len(files_under(settings.MEDIA_ROOT / "uploads"))


def test_declaring_a_bad_upload_names_every_problem(kestrel, open_round, settings):
    settings.SUBMISSION_MAX_BYTES = 10
    api = kestrel.token_client(Role.SUPPLIER_ADMIN)
    refused = begin(api, open_round, kestrel.organisation, pdf(), part="Price")
    assert (400, {"part", "file"}) == (refused.status_code, set(refused.json()["detail"]))
    assert "more than the 10 bytes allowed" in refused.json()["detail"]["file"][0]


def test_chunks_after_the_deadline_are_refused(kestrel, open_round, monkeypatch):
    api = kestrel.token_client(Role.SUPPLIER_ADMIN)
    content = pdf()
    upload_id = begin(api, open_round, kestrel.organisation, content).json()["id"]
    monkeypatch.setattr("sanely.portal.tenders.apis.now", lambda: open_round.deadline)
    late = put(api, upload_id, 0, content)
    assert 409 == late.status_code
    assert "not before the deadline" in late.json()["message"]
