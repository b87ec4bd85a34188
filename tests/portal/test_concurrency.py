"""
Many writers at once: nothing fails because another process holds the lock, and no security
event is lost. The writers are threads of a fresh interpreter configured as a deployment is
(`run_contention.py`), against a database of their own: a SQLite file in the SQLite run of the
suite, a PostgreSQL database in the PostgreSQL run.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection

HERE = Path(__file__).parent
THREADS, ROUNDS = 4, 40
SETTINGS = "sanely.portal.config.settings"


def _env(data_dir: Path, url: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SANELY_DATA_DIR": str(data_dir),
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
    }


def _migrate(data_dir: Path, url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--verbosity", "0"],
        env=_env(data_dir, url),
        check=True,
    )


def _postgres(url: str, statement: str) -> None:
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as server:
        server.execute(statement)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A migrated database of the suite's kind, made once per module, and a data folder."""
    folder = tmp_path_factory.mktemp("contention")
    if connection.vendor == "sqlite":
        database = folder / "template.sqlite3"
        _migrate(folder, f"sqlite:///{database}")
        yield folder, database
        return
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"sanely_contention_{os.getpid()}"
    _postgres(url.geturl(), f"DROP DATABASE IF EXISTS {name}")
    _postgres(url.geturl(), f"CREATE DATABASE {name}")
    _migrate(folder, urlunsplit(url._replace(path=f"/{name}")))
    yield folder, name
    _postgres(url.geturl(), f"DROP DATABASE {name}")


@pytest.fixture
def database_url(template, tmp_path):
    """A fresh copy of the template: its URL."""
    _, made = template
    if connection.vendor == "sqlite":
        copy = tmp_path / "sanely.sqlite3"
        shutil.copyfile(made, copy)
        yield f"sqlite:///{copy}"
        return
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"{made}_copy"
    _postgres(url.geturl(), f"CREATE DATABASE {name} TEMPLATE {made}")
    yield urlunsplit(url._replace(path=f"/{name}"))
    _postgres(url.geturl(), f"DROP DATABASE {name}")


def run_contention(template, database_url: str, scenario: str) -> dict:
    folder, _ = template
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(HERE / "run_contention.py"), scenario, str(THREADS), str(ROUNDS)],
        env=_env(folder, database_url),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert 0 == result.returncode, result.stderr
    return json.loads(result.stdout)


def test_concurrent_writers_wait_for_the_lock_and_lose_no_security_event(template, database_url):
    report = run_contention(template, database_url, "security_events")
    assert {} == report["errors"]
    assert THREADS * ROUNDS == report["security_events"]
    assert report["chain_intact"]
    assert report["journal_mode"] in {"wal", None}  # None: PostgreSQL
