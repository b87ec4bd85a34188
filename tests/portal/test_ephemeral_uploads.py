"""Files sent in one request wait on disk encrypted, in a file without a name."""

import hashlib
import io

import pytest
from django.core.files.uploadhandler import load_handler
from django.http.multipartparser import MultiPartParser
from portal.tenders.sealed_files import SECRET

from sanely.portal.core.uploads import EphemeralFile


@pytest.fixture
def temporary_folder(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path
    return tmp_path


def test_a_large_file_sent_in_one_request_leaves_no_named_file_and_reads_back_whole(
    temporary_folder, settings
):
    # The request's file goes through the handlers as Django reads a multipart body.
    content = SECRET + b"x" * (3 * 1024 * 1024)
    boundary = "sanelyboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="t.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    handlers = [load_handler(path) for path in settings.FILE_UPLOAD_HANDLERS]
    meta = {
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        "CONTENT_LENGTH": str(len(body)),
    }
    _, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    received = files["file"]
    assert [] == list(temporary_folder.iterdir())  # no name on disk, in plaintext or not
    assert hashlib.sha256(content).digest() == hashlib.sha256(received.read()).digest()
    assert len(content) == received.size


def test_the_bytes_on_disk_are_not_the_plaintext_and_any_byte_reads_back(temporary_folder):
    secret = SECRET * 1000
    ephemeral = EphemeralFile()
    for start in range(0, len(secret), 100):  # small writes, as a slow request's
        ephemeral.write(secret[start : start + 100])
    assert len(secret) == ephemeral.seek(0, io.SEEK_END)  # as a reader finds the size
    ephemeral._disk.seek(0)
    assert SECRET not in ephemeral._disk.read()
    for start in (0, 1, 15, 16, 17, 4095, len(secret) - 3):
        ephemeral.seek(start)
        assert secret[start : start + 50] == ephemeral.read(50)
    ephemeral.close()
