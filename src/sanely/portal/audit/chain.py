"""How an audit event's hash is computed: SHA-256 over canonical JSON of its fields."""

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(
    *,
    sequence: int,
    at: datetime,
    actor_id: int | None,
    organisation_id: int | None,
    authority_id: int | None,
    action: str,
    subject_type: str,
    subject_id: str,
    payload: Any,
    previous_hash: str,
) -> str:
    """The SHA-256 that chains one event to the one before it."""
    body = {
        "sequence": sequence,
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "organisation_id": organisation_id,
        "authority_id": authority_id,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        # The payload goes through JSON once so that what is hashed is what the database keeps.
        "payload": json.loads(canonical_json(payload)),
        "previous_hash": previous_hash,
    }
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()
