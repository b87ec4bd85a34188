"""
Object storage for real: the sealed-submission, resumable-upload, opening and evidence paths
against an S3-compatible server on the loopback address (moto's server mode, `s3_server`),
each test with a bucket of its own. Files stream to and from the bucket in parts, never held
whole in memory; a refused or expired upload leaves nothing in the bucket.
"""

import hashlib
import os
import tracemalloc
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files import File
from django.core.files.storage import default_storage
from portal.instances import S3_ACCESS, S3_REGION, new_bucket, s3_client
from portal.pilots.test_assessments import post_form
from portal.tenders.conftest import open_round, opened, opened_at, past_round, procurement, sealed
from portal.tenders.sealed_files import SECRET, pdf
from portal.tenders.test_uploads import begin, put

from sanely.portal.accounts.models import Role
from sanely.portal.config.settings import s3_storage
from sanely.portal.core.clock import now as clock_now
from sanely.portal.core.heartbeat import housekeeping_run
from sanely.portal.pilots.models import OutcomeAssessment
from sanely.portal.tenders.models import ChunkedUpload
from sanely.portal.tenders.selectors import access_submission_content
from sanely.portal.tenders.services import (
    round_opening_confirm,
    round_opening_request,
    submission_submit,
)

pytestmark = pytest.mark.django_db
FIXTURES = (open_round, opened, opened_at, past_round, procurement, sealed)  # the rounds' world
PART = 5 << 20  # the smallest part S3 takes


@dataclass
class Bucket:
    client: object
    name: str

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    """A new bucket on the server, and the file storage pointed at it."""
    for variable, value in S3_ACCESS.items():
        monkeypatch.setenv(variable, value)
    client = s3_client(s3_server)
    name = new_bucket(client)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(name, endpoint_url=s3_server, region=S3_REGION, part_bytes=PART),
    }
    return Bucket(client, name)


def read_opened(wessex, version) -> bytes:
    content = access_submission_content(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        version_id=version.pk,
        route="test",
        now=clock_now(),
    )
    with content.file as plain:
        return plain.read()


def test_a_sealed_submission_rests_in_the_bucket_as_ciphertext_and_opens_with_four_eyes(
    wessex, bucket, opened, settings
):
    [key] = bucket.keys()
    assert key == opened.sealed_blob.name
    assert SECRET not in bucket.read(key)
    assert pdf() == read_opened(wessex, opened)
    assert not settings.MEDIA_ROOT.exists()  # nothing went to the local disk


def test_a_sealed_file_gone_from_the_bucket_is_named_not_a_server_error(wessex, bucket, opened):
    bucket.client.delete_object(Bucket=bucket.name, Key=opened.sealed_blob.name)
    api = wessex.token_client(Role.PROCUREMENT_LEAD)
    answer = api.get(f"/api/v1/submissions/{opened.pk}/content")
    assert 409 == answer.status_code
    assert "is missing from storage" in answer.json()["message"]


def test_a_file_sent_in_chunks_is_sealed_into_the_bucket_and_its_pieces_removed(
    kestrel, open_round, bucket
):
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    content = pdf(SECRET * 100)
    upload_id = begin(api, open_round, kestrel.organisation, content).json()["id"]
    half = len(content) // 2
    assert 200 == put(api, upload_id, half, content[half:]).status_code
    assert 200 == put(api, upload_id, 0, content[:half]).status_code
    pieces = bucket.keys()
    assert [True, True] == [key.startswith("uploads/") for key in pieces]
    assert not any(SECRET in bucket.read(key) for key in pieces)  # sealed as they arrived

    finished = api.post(f"/api/v1/uploads/{upload_id}/finish")

    assert 201 == finished.status_code, finished.content
    [key] = bucket.keys()
    assert key.startswith("sealed/")
    assert SECRET not in bucket.read(key)


def test_an_upload_refused_at_finish_leaves_nothing_in_the_bucket(kestrel, open_round, bucket):
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    content = pdf()
    upload_id = begin(api, open_round, kestrel.organisation, content, sha256="0" * 64).json()["id"]
    put(api, upload_id, 0, content)
    assert 1 == len(bucket.keys())

    assert 409 == api.post(f"/api/v1/uploads/{upload_id}/finish").status_code

    assert ([], 0) == (bucket.keys(), ChunkedUpload.objects.count())


def test_an_expired_upload_leaves_nothing_in_the_bucket(kestrel, open_round, bucket):
    api = kestrel.token_client(Role.SUPPLIER_MEMBER)
    content = pdf()
    upload_id = begin(api, open_round, kestrel.organisation, content).json()["id"]
    put(api, upload_id, 0, content[:50])
    put(api, upload_id, 50, content[50:100])
    assert 2 == len(bucket.keys())

    housekeeping_run(ChunkedUpload.objects.get().expires_at)

    assert ([], 0) == (bucket.keys(), ChunkedUpload.objects.count())


def test_an_evidence_file_is_stored_in_the_bucket_and_assessed_from_it(
    wessex, bucket, django_capture_on_commit_callbacks
):
    client = wessex.client(Role.COMMISSIONER)
    response = post_form(client, wessex.organisation, django_capture_on_commit_callbacks)
    assert 302 == response.status_code
    assessment = OutcomeAssessment.objects.get()
    assert [assessment.data_file.name] == bucket.keys()
    assert ("done", "met") == (assessment.status, assessment.result["verdict"])


def test_a_large_submission_streams_to_and_from_the_bucket_never_held_whole_in_memory(
    wessex, kestrel, past_round, opened_at, bucket, tmp_path
):
    """
    A 40 MiB tender, sealed, stored, opened and read back: Python's allocations peak under
    three parts (5 MiB each), far below the file. With the libraries' defaults, boto3 read up
    to ten parts ahead and sent ten at once, and django-storages read a file back whole.
    """
    path = tmp_path / "big.pdf"
    with path.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        for _ in range(40):
            out.write(os.urandom(1 << 20))
        out.write(b"\n%%EOF\n")
    size = path.stat().st_size
    # The S3 client loads its service description once per process (about 10 MB, whatever
    # the file): load it before measuring.
    default_storage.exists("warm-up")

    tracemalloc.start()
    try:
        with path.open("rb") as handle:
            version = submission_submit(
                actor=kestrel.actor(Role.SUPPLIER_MEMBER),
                round_id=past_round.pk,
                organisation_id=kestrel.organisation.pk,
                part="Request to participate",
                upload=File(handle, name="big.pdf"),
                now=opened_at + timedelta(hours=1),
            )
        _, stored_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        at = clock_now()
        round_opening_request(
            actor=wessex.actor(Role.PROCUREMENT_LEAD), round_id=past_round.pk, now=at
        )
        round_opening_confirm(actor=wessex.actor(Role.COMMISSIONER), round_id=past_round.pk, now=at)
        content = access_submission_content(
            actor=wessex.actor(Role.PROCUREMENT_LEAD), version_id=version.pk, route="test", now=at
        )
        digest = hashlib.sha256()
        with content.file as plain:
            while block := plain.read(1 << 20):
                digest.update(block)
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    figures = f"file {size:,} bytes; peaks: storing {stored_peak:,}, reading {read_peak:,}"
    assert version.plaintext_sha256 == digest.hexdigest()
    assert stored_peak < 3 * PART < size / 2, figures
    assert read_peak < 3 * PART, figures
