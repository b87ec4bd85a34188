"""The worker's heartbeat: a row it refreshes while it runs, so /healthz can tell its age."""

import threading

from django.db import close_old_connections

from .clock import now
from .models import WorkerHeartbeat

HEARTBEAT_SECONDS = 15


def heartbeat_beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now()})


def heartbeat_start(worker_id: str, stop: threading.Event) -> threading.Thread:
    """Beat now and then every HEARTBEAT_SECONDS in a daemon thread until `stop` is set."""

    def run() -> None:
        while True:
            close_old_connections()
            heartbeat_beat(worker_id)
            if stop.wait(HEARTBEAT_SECONDS):
                return

    thread = threading.Thread(target=run, name="sanely-heartbeat", daemon=True)
    thread.start()
    return thread
