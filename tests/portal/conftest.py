import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cast import AUTHORITY_ROLES, SUPPLIER_ROLES, make_org


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Argon2 is the production hasher (tested on its own); tests hash many passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The production queues (settings.TASKS), run at once.
    immediate = "django.tasks.backends.immediate.ImmediateBackend"
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": immediate}}


@pytest.fixture
def wessex(db):
    return make_org(
        "Wessex County Council", "authority", AUTHORITY_ROLES, slug="wessex", nation="england"
    )


@pytest.fixture
def mercia(db):
    return make_org(
        "Mercia District Council", "authority", AUTHORITY_ROLES, slug="mercia", nation="england"
    )


@pytest.fixture
def kestrel(db):
    return make_org("Kestrel Mobility Ltd", "supplier", SUPPLIER_ROLES, slug="kestrel")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """
    An S3-compatible server (moto's server mode) on the loopback address, one per test process
    (so one per xdist worker), on a free port; its endpoint URL. Started only when asked for.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path_factory.mktemp("moto") / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - the venv's own moto_server
            [
                str(Path(sys.executable).with_name("moto_server")),
                "-H",
                "127.0.0.1",
                "-p",
                str(port),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "moto_server did not start within 60 s"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
