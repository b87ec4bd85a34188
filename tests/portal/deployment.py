"""
A deployment on this machine, as production runs it: a database of its own (a SQLite file, or
a PostgreSQL database made for it on the server named by DATABASE_URL), a data folder, the web
server (`sanely serve`: gunicorn with several workers) and the worker, each a process group
that can be killed with SIGKILL and started again. Used by the crash suite and the deadline
benchmark; it imports nothing of Django, so that a benchmark can drive it from outside.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

HERE = Path(__file__).parent
SETTINGS = "sanely.portal.config.settings"
SANELY = [sys.executable, "-m", "sanely.cli"]


def postgres_statement(url: str, statement: str) -> None:
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as server:
        server.execute(statement)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Deployment:
    """One deployment under `folder`, on SQLite or on the PostgreSQL server at `postgres`."""

    folder: Path
    postgres: str | None = None
    port: int = field(default_factory=free_port)
    server: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    # More of the processes' environment: an object storage's bucket and credentials.
    settings: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.data = self.folder / "data"
        self.temp = self.folder / "tmp"  # the processes' temporary folder, searched for plaintext
        self.logs = self.folder / "logs"
        for folder in (self.data, self.temp, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        self.name = f"sanely_deployed_{os.getpid()}_{self.port}"

    @property
    def url(self) -> str:
        if self.postgres is None:
            return f"sqlite:///{self.data / 'sanely.sqlite3'}"
        return urlunsplit(urlsplit(self.postgres)._replace(path=f"/{self.name}"))

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "SANELY_DATA_DIR": str(self.data),
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "TMPDIR": str(self.temp),
            **self.settings,
        }

    def create(self) -> None:
        """The empty database, migrated."""
        if self.postgres is not None:
            postgres_statement(self.postgres, f"DROP DATABASE IF EXISTS {self.name}")
            postgres_statement(self.postgres, f"CREATE DATABASE {self.name}")
        subprocess.run(  # noqa: S603 - our own command
            [*SANELY, "migrate", "--verbosity", "0"], env=self.env(), check=True
        )

    def destroy(self) -> None:
        for process in (self.server, self.worker):
            if process is not None:
                self.kill(process)
        if self.postgres is not None:
            postgres_statement(self.postgres, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")

    def script(self, *args: str, stdin: str = "") -> dict:  # type: ignore[type-arg]
        """Run deployed_world.py against this deployment; its JSON answer."""
        result = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(HERE / "deployed_world.py"), *args],
            env={**self.env(), "PYTHONPATH": f"{HERE}:{HERE.parent}"},
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert 0 == result.returncode, result.stderr
        answer: dict = json.loads(result.stdout)  # type: ignore[type-arg]
        return answer

    def _start(self, argv: list[str], log: str) -> subprocess.Popen[bytes]:
        with (self.logs / log).open("ab") as out:
            return subprocess.Popen(  # noqa: S603 - our own command
                argv, env=self.env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def serve(self, workers: int = 2, timeout: float = 120) -> None:
        """Start the web server and wait until it answers."""
        self.start_server(workers)
        self.wait_until_serving(timeout)

    def start_server(self, workers: int = 2) -> None:
        """Start the web server; it boots (imports, forks its workers) while the caller goes on."""
        argv = [*SANELY, "serve", "--port", str(self.port), "--workers", str(workers)]
        self.server = self._start(argv, "server.log")

    def wait_until_serving(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.base}/healthz", timeout=10)
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        raise RuntimeError(f"The server did not answer in {timeout} s: see {self.logs}")

    def work(self) -> None:
        """Start the worker (every queue)."""
        self.worker = self._start([*SANELY, "worker", "--interval", "0.2"], "worker.log")

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """SIGKILL to the process and every process it started (gunicorn's workers too)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
