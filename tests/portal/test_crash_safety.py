"""
Crash safety: the real web server (gunicorn, as `sanely serve` starts it) and the worker run
as processes on a database of their own, suppliers send sealed tenders (in one request, and
resumable in chunks), and at moments drawn from a seeded schedule the server or the worker is
killed with SIGKILL and started again. After the deadline two people open the round, with a
kill between the request and the confirmation. Then the invariants: no receipt without a
durable submission, no half submission, no plaintext at rest (data folder, temporary folder),
the opening completes, every receipt's file decrypts to its SHA-256, the audit chain verifies,
no task is left running by a dead worker.

Runs on SQLite in the SQLite run of the suite, on PostgreSQL in the PostgreSQL run. Budget:
90 s per database on a 2-core machine (docs/reliability.md has what it took).
"""

import hashlib
import json
import os
import random
import threading
import time
from datetime import datetime

import pytest
import requests
from portal.deployment import Deployment
from portal.suppliers import Supplier, tender

from sanely import vault

SEED = int(os.environ.get("SANELY_CRASH_SEED", "20261205"))
SUPPLIERS = 3
# The round's deadline is this long after the world is made: long enough for the schedule's
# kills and the server's restart (about 10 s on a busy 2-core machine) to fall inside it.
LOAD_SECONDS = 15


@pytest.fixture
def deployment(tmp_path):
    """Serving, with its worker, on a migrated database of its own."""
    url = os.environ.get("DATABASE_URL", "")
    made = Deployment(tmp_path, postgres=url if url.startswith("postgres") else None)
    # gunicorn boots (its imports take seconds on a busy machine) while the database is made:
    # it reaches the database only when asked, and nothing asks before it is migrated.
    made.start_server()
    try:
        made.create()
        made.work()
        yield made
    finally:
        made.destroy()


def schedule(rng: random.Random) -> list[tuple[float, str]]:
    """
    Seeded and bounded: (seconds to wait, what to kill) during the load, the server and the
    worker once each in a seeded order. The server is killed once more between the opening's
    two steps: each restart of the server costs seconds of gunicorn start-up, so no more.
    """
    targets = ["server", "worker"]
    rng.shuffle(targets)
    return [(rng.uniform(0.5, 3.0), target) for target in targets]


def crowd(deployment: Deployment, world: dict, rng: random.Random, stop: threading.Event):
    """One thread per supplier, alternating files in one request and resumable uploads."""
    outcomes, markers = [], []

    def send(n: int, organisation_id: int, token: str) -> None:
        supplier = Supplier(deployment.base, world["round"], world["part"], organisation_id, token)
        local = random.Random(rng.random())
        while not stop.is_set():
            marker = f"PLAINTEXT-{n}-{len(markers)}-{local.getrandbits(64):016x}".encode()
            markers.append(marker.decode())
            content = tender(marker, local.randint(200_000, 3_500_000))
            resumable = local.random() < 0.5
            outcomes.append(supplier.upload(content) if resumable else supplier.submit(content))

    threads = [
        threading.Thread(target=send, args=(n, *pair), daemon=True)
        for n, pair in enumerate(world["suppliers"])
    ]
    for thread in threads:
        thread.start()
    return threads, outcomes, markers


def restart(deployment: Deployment, target: str) -> None:
    if target == "server":
        deployment.kill(deployment.server)
        deployment.serve()
    else:
        deployment.kill(deployment.worker)
        deployment.work()


def post_patiently(deployment: Deployment, path: str, token: str) -> requests.Response:
    give_up = time.monotonic() + 60
    while True:
        try:
            return requests.post(
                f"{deployment.base}{path}", headers={"authorization": f"Bearer {token}"}, timeout=30
            )
        except requests.ConnectionError:
            if time.monotonic() > give_up:
                raise
            time.sleep(0.2)


def open_round_with_a_crash(deployment: Deployment, world: dict) -> None:
    """The lead asks, the server dies, comes back; the commissioner confirms."""
    lead, commissioner = world["openers"]
    asked = post_patiently(deployment, f"/api/v1/rounds/{world['round']}/opening", lead)
    assert 200 == asked.status_code, asked.text
    restart(deployment, "server")
    confirmed = post_patiently(
        deployment, f"/api/v1/rounds/{world['round']}/opening/confirm", commissioner
    )
    assert 200 == confirmed.status_code, confirmed.text


def decrypted_sha256(deployment: Deployment, version_id: int, token: str) -> str:
    answer = requests.get(
        f"{deployment.base}/api/v1/submissions/{version_id}/content",
        headers={"authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert 200 == answer.status_code, answer.text
    return hashlib.sha256(answer.content).hexdigest()


def test_killed_servers_and_workers_lose_no_receipted_tender_and_leave_nothing_plaintext(
    deployment,
):
    rng = random.Random(SEED)
    world = deployment.script("setup", str(SUPPLIERS), str(LOAD_SECONDS))
    deployment.wait_until_serving()
    stop = threading.Event()
    threads, outcomes, markers = crowd(deployment, world, rng, stop)
    for wait, target in schedule(rng):
        time.sleep(wait)
        restart(deployment, target)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    receipts = [o.receipt for o in outcomes if o.receipt is not None]
    assert receipts, [(o.status, o.message) for o in outcomes]

    time.sleep(max(0.0, datetime.fromisoformat(world["deadline"]).timestamp() - time.time() + 0.5))
    open_round_with_a_crash(deployment, world)
    restart(deployment, "worker")
    time.sleep(2)  # the worker takes what the killed one left

    report = deployment.script(
        "check", stdin=json.dumps({"receipts": receipts, "markers": markers})
    )
    assert [] == report["receipts_without_submission"]
    assert [] == report["half_submissions"]
    assert [] == report["plaintext_files"]
    assert report["chain_intact"]
    assert 1 == report["opened"]
    public_key = requests.get(f"{deployment.base}/.well-known/sanely-receipt-key.pem", timeout=10)
    commissioner = world["openers"][1]
    for receipt in receipts:
        verified = vault.receipt_verify(receipt["receipt"], public_key.content)
        assert receipt["sha256"] == verified.files[0].sha256
        assert receipt["sha256"] == decrypted_sha256(deployment, receipt["id"], commissioner)
    assert [] == report["tasks_left_running"]
