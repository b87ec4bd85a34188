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
    from portal.instances import moto_server  # boto3 and psycopg: only for the tests that ask

    with moto_server(tmp_path_factory.mktemp("moto") / "server.log") as endpoint:
        yield endpoint
