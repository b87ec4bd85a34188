"""
The deadline rush (`make bench-deadline`): a benchmark, never a timed test.

For each database (SQLite, then PostgreSQL when scripts/postgres-url finds one) a deployment
runs as production does (`sanely serve` with several gunicorn workers, and the worker), and:

1. the rush: N suppliers each send one sealed tender of 1-20 MB at a moment drawn in the last
   60 s before the deadline (a share of them resumable in 1 MB chunks), and a share just after
   it. Reported: throughput, p50/p99 latency, CPU.
2. saturation: a closed loop of C suppliers, each sending again as soon as its last tender was
   received, for S seconds; its payload rate against the machine's fsync'd write bandwidth,
   measured in the same run (the goal: at least half).

Both then open their round with four eyes and assert: 0 lost (every receipt matches a stored
submission whose content, read after opening, has the receipt's SHA-256), 0 late accepted,
every receipt verifies against the published key, every refusal audited.

With `--storage s3` the sealed files and upload pieces go to a bucket of moto's S3 server
(the one the tests use), started on the loopback address for the run.

    python tests/bench/deadline_rush.py [--suppliers 500] [--databases sqlite,postgres]
        [--storage files|s3] ...
"""

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import psutil
import requests

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "portal"), str(HERE.parent)]

from deployment import Deployment  # noqa: E402
from instances import S3_ACCESS, S3_REGION, moto_server, new_bucket, s3_client  # noqa: E402
from suppliers import Outcome, Supplier, tender  # noqa: E402

from sanely import vault  # noqa: E402

MB = 1024 * 1024
LATE_ACTION = "submission.refused_late"


def fsync_bandwidth(folder: Path, total: int = 256 * MB, block: int = 4 * MB) -> float:
    """Bytes per second written to `folder` with an fsync after every block, as a commit does."""
    data = os.urandom(block)
    with tempfile.NamedTemporaryFile(dir=folder) as out:
        started = time.perf_counter()
        for _ in range(total // block):
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        return total / (time.perf_counter() - started)


class Cpu:
    """Processor time of the machine and of the deployment's processes over a stretch."""

    def __init__(self, deployment: Deployment) -> None:
        self.roots = [p for p in (deployment.server, deployment.worker) if p is not None]
        self.started = time.monotonic()
        self.machine = psutil.cpu_times()
        self.own = self._own()

    def _own(self) -> float:
        total = 0.0
        for root in self.roots:
            process = psutil.Process(root.pid)
            for each in [process, *process.children(recursive=True)]:
                try:
                    times = each.cpu_times()
                    total += times.user + times.system
                except psutil.NoSuchProcess:
                    pass
        return total

    def report(self) -> dict[str, float]:
        wall = time.monotonic() - self.started
        now = psutil.cpu_times()
        busy = sum(now) - now.idle - (sum(self.machine) - self.machine.idle)
        return {
            "machine_busy_percent": 100 * busy / (wall * psutil.cpu_count()),
            "server_cpu_seconds": self._own() - self.own,
            "cores": psutil.cpu_count(),
        }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def rush(deployment: Deployment, world: dict, args: argparse.Namespace) -> dict:
    """Each supplier sends once, at a moment in the last window before the deadline (or after)."""
    deadline = datetime.fromisoformat(world["deadline"]).timestamp()
    rng = random.Random(args.seed)
    plans = []
    for n, (organisation_id, token) in enumerate(world["suppliers"]):
        late = rng.random() < args.late
        at = deadline + rng.uniform(0.5, 5) if late else deadline - rng.uniform(3, args.window)
        size = rng.randint(args.min_mb * MB, args.max_mb * MB)
        plans.append((at, late, size, rng.random() < args.resumable, organisation_id, token, n))
    outcomes: list[tuple[bool, Outcome]] = []

    def send(plan: tuple) -> None:  # type: ignore[type-arg]
        at, late, size, resumable, organisation_id, token, n = plan
        supplier = Supplier(deployment.base, world["round"], world["part"], organisation_id, token)
        time.sleep(max(0.0, at - time.time()))
        content = tender(f"RUSH-{n}".encode(), size)  # made at its moment: memory is finite
        outcome = supplier.upload(content) if resumable else supplier.submit(content)
        outcomes.append((late, outcome))

    cpu = Cpu(deployment)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(plans)) as pool:
        list(pool.map(send, plans))
    wall = time.monotonic() - started
    return {"outcomes": outcomes, "wall": wall, "cpu": cpu.report()}


def saturate(deployment: Deployment, world: dict, args: argparse.Namespace) -> dict:
    """A closed loop: each of C suppliers sends again as soon as its last was received."""
    stop_at = datetime.fromisoformat(world["deadline"]).timestamp() - 2
    outcomes: list[tuple[bool, Outcome]] = []
    size = args.saturation_mb * MB

    def loop(pair: list) -> None:  # type: ignore[type-arg]
        organisation_id, token = pair
        supplier = Supplier(deployment.base, world["round"], world["part"], organisation_id, token)
        while time.time() < stop_at:
            outcome = supplier.submit(tender(os.urandom(8).hex().encode(), size))
            outcomes.append((False, outcome))

    cpu = Cpu(deployment)
    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(pair,)) for pair in world["suppliers"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return {"outcomes": outcomes, "wall": wall, "cpu": cpu.report()}


def open_and_check(
    deployment: Deployment,
    world: dict,  # type: ignore[type-arg]
    outcomes: list[tuple[bool, Outcome]],
    audited_before: int,
) -> dict:  # type: ignore[type-arg]
    """Open the round with four eyes, then every invariant; the counts."""
    time.sleep(max(0.0, datetime.fromisoformat(world["deadline"]).timestamp() - time.time() + 0.5))
    lead, commissioner = world["openers"]
    for path, token in (("opening", lead), ("opening/confirm", commissioner)):
        answer = requests.post(
            f"{deployment.base}/api/v1/rounds/{world['round']}/{path}",
            headers={"authorization": f"Bearer {token}"},
            timeout=60,
        )
        assert 200 == answer.status_code, answer.text
    receipts = [o.receipt for _, o in outcomes if o.receipt is not None]
    report = deployment.script(
        "check",
        stdin=json.dumps({"receipts": receipts, "markers": [], "refusal_actions": [LATE_ACTION]}),
    )
    key = requests.get(f"{deployment.base}/.well-known/sanely-receipt-key.pem", timeout=10).content
    lost = len(report["receipts_without_submission"]) + len(report["half_submissions"])
    deadline = datetime.fromisoformat(world["deadline"])
    late_accepted = sum(1 for late, o in outcomes if late and o.status == 201)
    for receipt in receipts:
        verified = vault.receipt_verify(receipt["receipt"], key)  # raises if it does not verify
        late_accepted += verified.received_at >= deadline
        content = requests.get(
            f"{deployment.base}/api/v1/submissions/{receipt['id']}/content",
            headers={"authorization": f"Bearer {commissioner}"},
            timeout=120,
        ).content
        lost += hashlib.sha256(content).hexdigest() != verified.files[0].sha256
    refused_late = sum(1 for _, o in outcomes if o.status == 409 and "deadline" in o.message)
    return {
        "receipts": len(receipts),
        "lost": lost,
        "late_accepted": late_accepted,
        "refused_late": refused_late,
        "refusals_audited": report["refusals"][LATE_ACTION] - audited_before,
        "audited_so_far": report["refusals"][LATE_ACTION],
        "chain_intact": report["chain_intact"],
        "server_errors": sum(1 for _, o in outcomes if o.status >= 500),
        "other_failures": sorted(
            {f"{o.status} {o.message[:120]}" for _, o in outcomes if o.status not in (201, 409)}
        ),
    }


def summary(name: str, run: dict, checked: dict) -> dict:
    done = [o for _, o in run["outcomes"] if o.status == 201]
    latencies = [o.seconds for o in done]
    payload = sum(o.size for o in done)
    return {
        "run": name,
        "sent": len(run["outcomes"]),
        "received": len(done),
        "throughput_per_second": len(done) / run["wall"],
        "payload_mb_per_second": payload / MB / run["wall"],
        "p50_seconds": statistics.median(latencies) if latencies else 0.0,
        "p99_seconds": percentile(latencies, 0.99),
        **run["cpu"],
        **checked,
    }


def bucket_settings(endpoint: str) -> dict[str, str]:
    """A new bucket on the S3 server at `endpoint`, as the deployment's environment names it."""
    return {
        "SANELY_S3_BUCKET": new_bucket(s3_client(endpoint)),
        "SANELY_S3_ENDPOINT_URL": endpoint,
        "SANELY_S3_REGION": S3_REGION,
        **S3_ACCESS,
    }


def bench(database: str, args: argparse.Namespace, storage: dict[str, str]) -> list[dict]:
    postgres = None
    if database == "postgres":
        postgres = subprocess.run(  # noqa: S603 - the project's own script
            [str(HERE.parents[1] / "scripts" / "postgres-url")],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if not postgres:
            sys.stdout.write("PostgreSQL: not found, skipped\n")
            return []
    # Kept when --folder is given: the server's and the worker's logs are in logs/.
    folder = tempfile.mkdtemp(dir=args.folder, prefix=f"deadline-{database}-")
    deployment = Deployment(Path(folder), postgres=postgres, settings=storage)
    try:
        deployment.create()
        deployment.serve(workers=args.workers)
        deployment.work()
        bandwidth = fsync_bandwidth(deployment.data)
        results = []
        world = deployment.script("setup", str(args.suppliers), str(args.window + 5))
        run = rush(deployment, world, args)
        checked = open_and_check(deployment, world, run["outcomes"], 0)
        results.append(summary("rush", run, checked))
        world = {
            **world,
            "suppliers": world["suppliers"][: args.concurrency],
            **deployment.script("round", str(args.saturation_seconds + 2)),
        }
        run = saturate(deployment, world, args)
        checked = open_and_check(deployment, world, run["outcomes"], checked["audited_so_far"])
        result = summary("saturation", run, checked)
        result["fsync_mb_per_second"] = bandwidth / MB
        result["fraction_of_fsync_bandwidth"] = result["payload_mb_per_second"] * MB / bandwidth
        results.append(result)
        where = "s3" if storage else "files"
        return [{"database": database, "storage": where, **r} for r in results]
    finally:
        deployment.destroy()
        if args.folder is None:
            shutil.rmtree(folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=500)
    parser.add_argument("--window", type=float, default=60.0, help="seconds before the deadline")
    parser.add_argument("--min-mb", type=int, default=1)
    parser.add_argument("--max-mb", type=int, default=20)
    parser.add_argument("--resumable", type=float, default=0.3, help="share sent in chunks")
    parser.add_argument("--late", type=float, default=0.05, help="share sent after the deadline")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--concurrency", type=int, default=8, help="saturation suppliers")
    parser.add_argument("--saturation-seconds", type=float, default=30.0)
    parser.add_argument("--saturation-mb", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--folder", default=None, help="where the deployments live (a disk)")
    parser.add_argument("--storage", choices=("files", "s3"), default="files")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        endpoint = None
        if args.storage == "s3":
            log = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "moto.log"
            endpoint = stack.enter_context(moto_server(log))
        failed = run_all(args, endpoint)
    return 1 if failed else 0


def run_all(args: argparse.Namespace, endpoint: str | None) -> bool:
    """Every database's runs, printed as they end; whether any broke an invariant."""
    failed = False
    for database in args.databases.split(","):
        storage = bucket_settings(endpoint) if endpoint else {}
        for result in bench(database, args, storage):
            sys.stdout.write(json.dumps(result, indent=1) + "\n")
            sys.stdout.flush()
            failed |= bool(
                result["server_errors"]
                or result["lost"]
                or result["late_accepted"]
                or result["refusals_audited"] != result["refused_late"]
                or not result["chain_intact"]
            )
    return failed


if __name__ == "__main__":
    sys.exit(main())
