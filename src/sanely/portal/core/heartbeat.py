"""
The worker's background loops besides its queue: the heartbeat, a row it refreshes while it
runs so that /healthz can tell its age, and housekeeping, the periodic work apps ask for
(`housekeeping_due`). Neither loop ends on an error: a database that is locked or away for a
moment must not leave /healthz saying "stale" while the worker runs.
"""

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import close_old_connections, connection
from django.dispatch import Signal
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .clock import now
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15
HOUSEKEEPING_SECONDS = 60
# A worker whose heartbeat is older than this is taken for dead (and /healthz says "stale").
WORKER_STALE_SECONDS = 120

# Sent by the worker every HOUSEKEEPING_SECONDS with `now`: receivers remove what expired and
# queue again what was stranded. Each receiver runs in its own transactions; one that fails is
# logged and the others still run.
housekeeping_due = Signal()


def heartbeat_beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now()})


def worker_id_here() -> str:
    """This process's worker id: the host and the process, which outlive neither."""
    return f"{socket.gethostname()}-{os.getpid()}"[:64]


def _died_here(worker_id: str) -> bool:
    """Whether the worker was a process of this host that has ended."""
    host, _, pid = worker_id.rpartition("-")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, as another user's
        return False
    return False


def tasks_of_dead_workers_requeue(*, now: datetime) -> int:
    """
    Put back in the queue every task left "running" by a worker that died (killed, or its
    machine lost): one of this host whose process has ended, or one whose heartbeat is stale.
    A task may so run twice (email is sent at least once, never lost). How many were put back.
    """
    fresh = now - timedelta(seconds=WORKER_STALE_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=fresh).values_list("worker_id", flat=True)
    )
    orphaned = [
        task.pk
        for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("worker_ids")
        if not task.worker_ids
        or task.worker_ids[-1] not in alive
        or _died_here(task.worker_ids[-1])
    ]
    return DBTaskResult.objects.filter(pk__in=orphaned, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )


def tasks_on_housekeeping(sender: object, now: datetime, **kwargs: object) -> None:
    """Receiver of `housekeeping_due`."""
    tasks_of_dead_workers_requeue(now=now)


def housekeeping_run(at: datetime) -> list[str]:
    """Run every receiver of `housekeeping_due` once; the names of those that failed."""
    failed = []
    for receiver, outcome in housekeeping_due.send_robust(sender=None, now=at):
        if isinstance(outcome, Exception):
            name = getattr(receiver, "__qualname__", repr(receiver))
            logger.error("Housekeeping %s failed", name, exc_info=outcome)
            failed.append(name)
    return failed


def _every(
    name: str, seconds: Callable[[], float], work: Callable[[], object], stop: threading.Event
) -> None:
    """Do `work` now and then every `seconds()` until `stop` is set, whatever `work` raises."""
    while True:
        try:
            close_old_connections()
            work()
        except Exception:
            logger.exception("The %s failed; trying again in %s s", name, seconds())
            connection.close()  # a broken connection is replaced by the next attempt
        if stop.wait(seconds()):
            connection.close()
            return


def _loop(
    name: str, seconds: Callable[[], float], work: Callable[[], object], stop: threading.Event
) -> threading.Thread:
    thread = threading.Thread(
        target=_every, args=(name, seconds, work, stop), name=f"sanely-{name}", daemon=True
    )
    thread.start()
    return thread


def heartbeat_start(worker_id: str, stop: threading.Event) -> threading.Thread:
    """Beat now and then every HEARTBEAT_SECONDS in a daemon thread until `stop` is set."""
    return _loop("heartbeat", lambda: HEARTBEAT_SECONDS, lambda: heartbeat_beat(worker_id), stop)


def housekeeping_start(stop: threading.Event) -> threading.Thread:
    """Run housekeeping now and then every HOUSEKEEPING_SECONDS until `stop` is set."""
    return _loop(
        "housekeeping", lambda: HOUSEKEEPING_SECONDS, lambda: housekeeping_run(now()), stop
    )
