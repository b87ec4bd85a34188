import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from sanely.portal.core.clock import now
from sanely.portal.demo.load import DEMO_PASSWORD, demo_load


def worker_queues() -> list[str]:
    """The task queues, each of which gets a worker process of its own."""
    return list(settings.TASKS["default"]["QUEUES"])


class Command(BaseCommand):
    help = "Migrate, load the demo data (idempotent), then serve on 127.0.0.1:8000 with a worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")

    def handle(self, *args: Any, port: int, no_serve: bool, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        logins = demo_load(now=now())
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, organisation, role in logins:
            self.stdout.write(f"  {email:<32} {role:<18} {organisation}")
        if no_serve:
            return
        self.stdout.write(
            f"\nServing on http://127.0.0.1:{port}/ (Ctrl-C stops the server and the worker)\n"
        )
        self.stdout.flush()
        self._serve(port)

    def _serve(self, port: int) -> None:
        os.environ.setdefault("SANELY_AUTHORITY_NAME", "Wessex County Council")
        sanely = [sys.executable, "-m", "sanely.cli"]
        # One worker per queue, as in production: email never waits behind an assessment.
        workers = [
            subprocess.Popen([*sanely, "worker", "--queues", queue])  # noqa: S603 - our own command
            for queue in worker_queues()
        ]
        server = subprocess.Popen([*sanely, "serve", "--port", str(port)])  # noqa: S603
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in (server, *workers):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in (server, *workers):
                process.wait(timeout=20)
        os._exit(server.returncode or 0)
