import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from sanely.portal.core.clock import now
from sanely.portal.core.heartbeat import (
    heartbeat_beat,
    heartbeat_start,
    housekeeping_run,
    housekeeping_start,
    worker_id_here,
)


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks-db), report its heartbeat to /healthz and do"
        " the housekeeping (expired uploads, stranded assessments)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run the queued tasks, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--queues",
            default="*",
            help=(
                "the queues to serve, separated by commas (default: all). Run one worker for"
                " 'default' (email, notices) and one for 'evidence' (assessments), so that email"
                " never waits behind an assessment"
            ),
        )

    def handle(self, *args: Any, batch: bool, interval: float, queues: str, **options: Any) -> None:
        worker_id = worker_id_here()
        common = ["--worker-id", worker_id, "--interval", str(interval), "--queue-name", queues]
        if batch:
            # A batch run ends in moments: one beat says it ran, no thread needed.
            heartbeat_beat(worker_id)
            housekeeping_run(now())
            call_command("db_worker", *common, "--batch")
            return
        stop = threading.Event()
        heartbeat_start(worker_id, stop)
        housekeeping_start(stop)
        try:
            call_command("db_worker", *common)
        finally:
            stop.set()
