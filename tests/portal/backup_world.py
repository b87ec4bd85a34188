"""
One instance's side of the backup tests (`test_backup_restore.py`), run in a fresh interpreter
configured as a deployment is. `seed` makes a procurement with a sealed request to participate;
`open ROUND VERSION` opens that round with four eyes, reads the submission and
verifies the audit chain. Each prints one
JSON line last.
"""

import hashlib
import json
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the worlds

import django

django.setup()

from cast import AUTHORITY_ROLES, SUPPLIER_ROLES, make_org  # noqa: E402
from competition import invite, procurement_at  # noqa: E402
from portal.tenders.sealed_files import SECRET, upload  # noqa: E402

from sanely.portal.accounts.models import Role, User  # noqa: E402
from sanely.portal.accounts.selectors import Actor  # noqa: E402
from sanely.portal.audit.services import audit_verify  # noqa: E402
from sanely.portal.core.clock import now  # noqa: E402
from sanely.portal.core.errors import Conflict  # noqa: E402
from sanely.portal.tenders.selectors import access_submission_content  # noqa: E402
from sanely.portal.tenders.services import (  # noqa: E402
    round_opening_confirm,
    round_opening_request,
    submission_round_open,
    submission_submit,
)


def seed() -> dict[str, object]:
    wessex = make_org("Wessex County Council", "authority", AUTHORITY_ROLES, slug="wessex")
    kestrel = make_org("Kestrel Mobility Ltd", "supplier", SUPPLIER_ROLES, slug="kestrel")
    procurement = procurement_at(wessex, "tendering", reference="IP-2026-BACKUP")
    invite(procurement, kestrel)
    opened_at = now() - timedelta(days=2)
    sealed_round = submission_round_open(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=procurement.pk,
        kind="rtp",
        number=1,
        deadline=opened_at + timedelta(days=1),
        now=opened_at,
    )
    version = submission_submit(
        actor=kestrel.actor(Role.SUPPLIER_MEMBER),
        round_id=sealed_round.pk,
        organisation_id=kestrel.organisation.pk,
        part="Request to participate",
        upload=upload(),
        now=opened_at + timedelta(hours=1),
    )
    return {"round": sealed_round.pk, "version": version.pk, "sha256": version.plaintext_sha256}


def person(role: str) -> Actor:
    return Actor.for_session(User.objects.get(email=f"{role}@wessex.example"))


def open_round(round_id: int, version_id: int) -> dict[str, object]:
    lead, commissioner = person(Role.PROCUREMENT_LEAD), person(Role.COMMISSIONER)
    round_opening_request(actor=lead, round_id=round_id, now=now())
    try:
        round_opening_confirm(actor=lead, round_id=round_id, now=now())
        one_person_refused = False
    except Conflict:
        one_person_refused = True
    round_opening_confirm(actor=commissioner, round_id=round_id, now=now())
    content = access_submission_content(
        actor=lead, version_id=version_id, route="backup test", now=now()
    )
    with content.file as plain:
        text = plain.read()
    return {
        "chain_intact": audit_verify().intact,
        "one_person_refused": one_person_refused,
        "sha256": hashlib.sha256(text).hexdigest(),
        "secret_read": SECRET in text,
    }


if __name__ == "__main__":
    command, *numbers = sys.argv[1:]
    result = seed() if command == "seed" else open_round(*map(int, numbers))
    sys.stdout.write(json.dumps(result) + "\n")
