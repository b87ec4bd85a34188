"""
Instances of sanely in interpreters of their own, configured as deployments are: a data folder,
a database (a SQLite file, or a PostgreSQL database of the server the suite uses), the vault's
keys from the environment. Used by the backup and object-storage tests.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import boto3
import psycopg

HERE = Path(__file__).parent
POSTGRES_RUN = os.environ.get("DATABASE_URL", "").startswith("postgres")
# What the test S3 server (`s3_server`) is asked with: any credentials do, in one region.
S3_ACCESS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
S3_REGION = "us-east-1"


@contextlib.contextmanager
def moto_server(log: Path) -> Iterator[str]:
    """moto's S3 server on the loopback address and a free port, while inside: its endpoint."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
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


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_ACCESS["AWS_SECRET_ACCESS_KEY"],
    )


def new_bucket(client) -> str:
    """A bucket of its own for one test: its name."""
    name = f"sanely-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=name)
    return name


@dataclass
class Instance:
    folder: Path
    url: str
    keys: dict[str, str]
    environment: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "SANELY_DATA_DIR": str(self.folder),
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "sanely.portal.config.settings",
            "SANELY_TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            **self.keys,
            **self.environment,
        }

    def sanely(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the `sanely` command; its result, whatever the exit status."""
        return subprocess.run(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "sanely.cli", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )

    def world(self, *args: str) -> dict:
        """Run `backup_world.py` in this instance: the JSON it printed last."""
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(HERE / "backup_world.py"), *args],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert 0 == done.returncode, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])


def postgres(url: str, statement: str) -> None:
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as server:
        server.execute(statement)


class Databases:
    """Fresh, migrated databases of either kind, each copied from a template made once."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.templates, self.made = folder, {}, []
        self.server = os.environ.get("DATABASE_URL", "")

    def _migrated(self, kind: str) -> str:
        """The template of `kind`, migrated once: a SQLite file's path or a database's name."""
        if kind not in self.templates:
            if kind == "sqlite":
                made = str(self.folder / "template.sqlite3")
                url = f"sqlite:///{made}"
            else:
                made = f"sanely_backup_template_{os.getpid()}"
                self._create(made)
                url = self._url(made)
            migrated = Instance(self.folder, url, {}).sanely("migrate", "--verbosity", "0")
            assert 0 == migrated.returncode, migrated.stderr
            self.templates[kind] = made
        return self.templates[kind]

    def _url(self, name: str) -> str:
        return urlunsplit(urlsplit(self.server)._replace(path=f"/{name}"))

    def _create(self, name: str, template: str = "template0") -> None:
        postgres(self.server, f"DROP DATABASE IF EXISTS {name}")
        postgres(self.server, f"CREATE DATABASE {name} TEMPLATE {template}")
        self.made.append(name)

    def fresh(self, kind: str, folder: Path) -> str:
        """A new migrated database of `kind` ("sqlite" or "postgresql"): its URL."""
        template = self._migrated(kind)
        if kind == "sqlite":
            copy = folder / "sanely.sqlite3"
            shutil.copyfile(template, copy)
            return f"sqlite:///{copy}"
        name = f"sanely_backup_{os.getpid()}_{len(self.made)}"
        self._create(name, template=template)
        return self._url(name)

    def drop_all(self) -> None:
        for name in reversed(self.made):
            postgres(self.server, f"DROP DATABASE IF EXISTS {name}")
