"""Resumable uploads: declare, send chunks in any order, resume, finish into a sealed submission."""

import hashlib

import pytest
from portal.tenders.sealed_files import pdf

from sanely import vault
from sanely.portal.accounts.models import Role
from sanely.portal.tenders.keys import signing_key
from sanely.portal.tenders.models import ChunkedUpload, SubmissionVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _spool_in_tmp(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path


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


def test_a_file_sent_in_chunks_out_of_order_is_sealed_with_a_receipt(kestrel, open_round, tmp_path):
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
    assert (0, []) == (ChunkedUpload.objects.count(), list((tmp_path / "sanely-uploads").iterdir()))


def test_a_file_that_is_not_what_was_declared_is_refused_at_the_end(kestrel, open_round):
    api = kestrel.token_client(Role.SUPPLIER_ADMIN)
    content = pdf()
    upload_id = begin(api, open_round, kestrel.organisation, content, sha256="0" * 64).json()["id"]
    put(api, upload_id, 0, content)
    refused = api.post(f"/api/v1/uploads/{upload_id}/finish")
    assert 409 == refused.status_code
    assert "SHA-256" in refused.json()["message"]
    assert 0 == SubmissionVersion.objects.count()


def test_a_renamed_program_sent_in_chunks_is_refused_and_discarded(kestrel, open_round):
    api = kestrel.token_client(Role.SUPPLIER_ADMIN)
    program = b"MZ\x90\x00" + bytes(500)
    upload_id = begin(api, open_round, kestrel.organisation, program).json()["id"]
    put(api, upload_id, 0, program)
    refused = api.post(f"/api/v1/uploads/{upload_id}/finish")
    assert 400 == refused.status_code
    assert "big-proposal.pdf is a Windows program" in refused.json()["detail"]["file"][0]
    assert (0, 0) == (SubmissionVersion.objects.count(), ChunkedUpload.objects.count())


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
