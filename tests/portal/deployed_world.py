"""
Run by deployment.Deployment.script in a fresh interpreter configured as the deployment is
(its database, its data folder), to build a world and to check what a run left:

    python deployed_world.py setup SUPPLIERS SECONDS_TO_DEADLINE
    python deployed_world.py round SECONDS_TO_DEADLINE      (another round, same suppliers)
    python deployed_world.py check < {"receipts": [...], "markers": [...]}

Each prints one JSON object.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

os.environ["DJANGO_SETTINGS_MODULE"] = "sanely.portal.config.settings"

import django

django.setup()

from cast import AUTHORITY_ROLES, Org, make_org  # noqa: E402
from competition import invite, procurement_at  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.tasks import TaskResultStatus  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from sanely.portal.accounts.models import Role  # noqa: E402
from sanely.portal.accounts.services import token_create  # noqa: E402
from sanely.portal.audit.models import AuditEvent  # noqa: E402
from sanely.portal.audit.services import audit_verify  # noqa: E402
from sanely.portal.core.clock import now  # noqa: E402
from sanely.portal.tenders.models import ChunkedUpload, SubmissionRound, SubmissionVersion  # noqa: E402
from sanely.portal.tenders.services import submission_round_open  # noqa: E402


def token(org, role: str) -> str:
    _, secret = token_create(
        actor=org.actor(role), organisation_id=org.organisation.pk, name="deployed", now=now()
    )
    return secret


def setup(suppliers: str, seconds: str) -> dict:
    """An authority's published procurement with a round closing in SECONDS, and N suppliers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # many people
    wessex = make_org("Wessex County Council", "authority", AUTHORITY_ROLES, slug="wessex")
    tenderers = [
        make_org(f"Supplier {n} Ltd", "supplier", [Role.SUPPLIER_MEMBER], slug=f"supplier{n}")
        for n in range(int(suppliers))
    ]
    procurement = procurement_at(wessex, "tendering", reference="IP-2026-RUSH1")
    invite(procurement, *tenderers)
    submission_round = submission_round_open(
        actor=wessex.actor(Role.COMMISSIONER),
        procurement_id=procurement.pk,
        kind="rtp",
        number=1,
        deadline=now() + timedelta(seconds=float(seconds)),
        now=now(),
    )
    return {
        "round": submission_round.pk,
        "deadline": submission_round.deadline.isoformat(),
        "part": submission_round.parts[0],
        "suppliers": [[t.organisation.pk, token(t, Role.SUPPLIER_MEMBER)] for t in tenderers],
        "openers": [token(wessex, Role.PROCUREMENT_LEAD), token(wessex, Role.COMMISSIONER)],
    }


def another_round(seconds: str) -> dict:
    """A round of another procurement of the authority, closing in SECONDS."""
    first = SubmissionRound.objects.earliest("pk").procurement
    people = {m.role: m.user for m in first.organisation.memberships.select_related("user")}
    authority = Org(first.organisation, people)
    procurement = procurement_at(
        authority, "tendering", reference=f"IP-2026-RUSH{SubmissionRound.objects.count() + 1}"
    )
    submission_round = submission_round_open(
        actor=authority.actor(Role.COMMISSIONER),
        procurement_id=procurement.pk,
        kind="rtp",
        number=1,
        deadline=now() + timedelta(seconds=float(seconds)),
        now=now(),
    )
    return {
        "round": submission_round.pk,
        "deadline": submission_round.deadline.isoformat(),
        "part": submission_round.parts[0],
    }


def _holding(folders: list[Path], markers: list[bytes]) -> list[str]:
    """The files under `folders` that hold any of the plaintext markers."""
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and any(marker in path.read_bytes() for marker in markers):
                found.append(str(path))
    return found


def _half(version: SubmissionVersion) -> bool:
    """Whether the version lacks a part of what a whole submission has."""
    stored = default_storage.exists(version.sealed_blob.name)
    return not (stored and version.receipt and version.sealed_size > 0) or (
        default_storage.size(version.sealed_blob.name) != version.sealed_size
    )


def check() -> dict:
    """What a run left: receipts without a durable submission, half submissions, plaintext."""
    given = json.load(sys.stdin)
    versions = {v.pk: v for v in SubmissionVersion.objects.all()}
    unmatched = [
        r["id"]
        for r in given["receipts"]
        if r["id"] not in versions
        or versions[r["id"]].receipt != r["receipt"]
        or versions[r["id"]].plaintext_sha256 != r["sha256"]
    ]
    markers = [m.encode() for m in given["markers"]]
    return {
        "versions": len(versions),
        "receipts_without_submission": unmatched,
        "half_submissions": [pk for pk, v in versions.items() if _half(v)],
        "plaintext_files": _holding([settings.DATA_DIR, Path(os.environ["TMPDIR"])], markers),
        "uploads_open": ChunkedUpload.objects.count(),
        "chain_intact": audit_verify().intact,
        "tasks_left_running": list(
            DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
                "task_path", flat=True
            )
        ),
        "opened": SubmissionRound.objects.filter(opened_at__isnull=False).count(),
        "refusals": {
            action: AuditEvent.objects.filter(action=action).count()
            for action in given.get("refusal_actions", [])
        },
    }


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    commands = {"setup": setup, "round": another_round, "check": check}
    answer = commands[command](*args)
    sys.stdout.write(json.dumps(answer) + "\n")
