"""Round keys: one X25519 key pair per round, its private half wrapped by the master key.

Sealing needs only the public half, so the server never holds anything that can read a
submission while the round is open. The private half is wrapped (AES-256-GCM) by the
master key-encryption key, with the round id, the deadline and who set it bound as
associated data: editing the deadline in the database makes the key unopenable instead of
opening it early. The public record also carries an HMAC under the master key, which
sealing checks, so whoever can write to the database (an admin, say) cannot swap in a
public key of their own to read later submissions. `round_key_open` is the only public
way to the private half, and it checks the deadline and the four eyes first.
"""

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from sanely.vault._errors import (
    DeadlineRefused,
    FourEyesRequired,
    KeyInvalid,
    StillSealed,
    TamperDetected,
)
from sanely.vault._time import describe, iso_utc, require_aware

_ID_PURPOSE = "sanely-vault/master-key-id/v1"
_WRAP_PURPOSE = "sanely-vault/round-key-wrap/v1"
_TAG_PURPOSE = "sanely-vault/round-record-tag/v1"
_PIECE_PURPOSE = "sanely-vault/upload-piece/v1"
_NONCE_BYTES = 12


def frame(*parts: str | bytes) -> bytes:
    """Unambiguous concatenation (each part length-prefixed) for associated data."""
    out = bytearray()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        out += len(data).to_bytes(4, "big") + data
    return bytes(out)


def fingerprint(kind: str, public: bytes) -> str:
    """A short, stable id for a public key: its kind and the first 128 bits of its SHA-256.

    Plain SHA-256 of the raw key, so anyone can recompute it with everyday tools.
    """
    return f"{kind}-{hashlib.sha256(public).hexdigest()[:32]}"


@dataclass(frozen=True)
class MasterKey:
    """The key-encryption key that wraps round keys; it comes from the environment."""

    secret: bytes = field(repr=False)

    @property
    def key_id(self) -> str:
        """Names the master key without revealing it (derived one way, like a sub-key)."""
        return fingerprint("master", _derive(self, _ID_PURPOSE))


def _derive(master: MasterKey, purpose: str) -> bytes:
    # One sub-key per purpose, so no key serves two algorithms. Not public: nothing
    # outside this module needs the wrapping key, and offering it would be a way round
    # the checks of round_key_open.
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
    return kdf.derive(master.secret)


def upload_piece_key(master: MasterKey, *, upload_id: str, salt: bytes) -> bytes:
    """The key of one sealed piece of a resumable upload: never a round's key or its wrapping."""
    kdf = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=frame(_PIECE_PURPOSE, upload_id)
    )
    return kdf.derive(master.secret)


def master_key_generate() -> str:
    """A new master key as text for the environment (URL-safe base64 of 32 random bytes)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def master_key_load(text: str) -> MasterKey:
    """The master key written by `master_key_generate`; `KeyInvalid` for anything else."""
    try:
        secret = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError) as error:
        raise KeyInvalid(f"the master key is not base64 text: {error}") from error
    if len(secret) != 32:
        raise KeyInvalid(f"the master key must be 32 bytes, got {len(secret)}")
    return MasterKey(secret)


@dataclass(frozen=True)
class RoundKey:
    """What the portal stores for a round: public half, wrapped private half, deadline.

    Nothing here reads a submission without the master key, which is not stored with it.
    """

    round_id: str
    deadline: datetime
    deadline_set_by: str
    public_key: bytes
    wrapped_private_key: bytes
    master_key_id: str
    record_tag: bytes

    @property
    def key_id(self) -> str:
        """Names the round's key pair (a fingerprint of its public half)."""
        return fingerprint("round", self.public_key)


@dataclass(frozen=True)
class OpeningAuthorisation:
    """Two people of the authority who together authorise opening one round.

    The vault knows people only as opaque ids; whether they are authorised is the
    portal's decision, made before it builds this.
    """

    round_id: str
    first_person: str
    second_person: str


@dataclass(frozen=True)
class OpenedRound:
    """A round whose private key was released by `round_key_open`: who, when, and the key.

    The portal should record `opened_at` and `opened_by`; it needs this object to unseal.
    """

    round_id: str
    key_id: str
    opened_at: datetime
    opened_by: tuple[str, str]
    private_key: X25519PrivateKey = field(repr=False)


def _record(key: RoundKey, master: MasterKey) -> bytes:
    # Everything that must not change without the master key, in one unambiguous string.
    return frame(
        key.round_id, iso_utc(key.deadline), key.deadline_set_by, key.public_key, master.key_id
    )


def _tag(master: MasterKey, record: bytes) -> bytes:
    mac = hmac.HMAC(_derive(master, _TAG_PURPOSE), hashes.SHA256())
    mac.update(record)
    return mac.finalize()


def _wrap(
    master: MasterKey, round_id: str, deadline: datetime, set_by: str, private: X25519PrivateKey
) -> RoundKey:
    public = private.public_key().public_bytes_raw()
    unwrapped = RoundKey(round_id, deadline, set_by, public, b"", master.key_id, b"")
    record = _record(unwrapped, master)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    wrapped = AESGCM(_derive(master, _WRAP_PURPOSE)).encrypt(
        nonce, private.private_bytes_raw(), record
    )
    return replace(unwrapped, wrapped_private_key=nonce + wrapped, record_tag=_tag(master, record))


def round_key_verify(master: MasterKey, key: RoundKey) -> None:
    """Check that a stored round record is as the vault wrote it, without opening it.

    Raises `KeyInvalid` for another master key and `TamperDetected` if the deadline, who
    set it or the public key was altered.
    """
    require_aware(key.deadline, "round deadline")
    if key.master_key_id != master.key_id:
        raise KeyInvalid(
            f"round {key.round_id} was sealed under master key {key.master_key_id}, "
            f"not {master.key_id}"
        )
    try:
        mac = hmac.HMAC(_derive(master, _TAG_PURPOSE), hashes.SHA256())
        mac.update(_record(key, master))
        mac.verify(key.record_tag)
    except InvalidSignature as error:
        raise TamperDetected(
            f"the key record of round {key.round_id} (deadline, who set it or public key) "
            "was altered"
        ) from error


def _unwrap(master: MasterKey, key: RoundKey) -> X25519PrivateKey:
    # Private on purpose: every public path to this goes through the deadline checks.
    round_key_verify(master, key)
    nonce, wrapped = key.wrapped_private_key[:_NONCE_BYTES], key.wrapped_private_key[_NONCE_BYTES:]
    try:
        private = AESGCM(_derive(master, _WRAP_PURPOSE)).decrypt(
            nonce, wrapped, _record(key, master)
        )
    except InvalidTag as error:
        raise TamperDetected(f"the wrapped key of round {key.round_id} was altered") from error
    return X25519PrivateKey.from_private_bytes(private)


def _require_person(person: str, what: str) -> None:
    if not person.strip():
        raise DeadlineRefused(f"{what} must name the person who does it")


def round_key_create(
    master: MasterKey, *, round_id: str, deadline: datetime, now: datetime, set_by: str
) -> RoundKey:
    """A new key pair for a round whose tenders are sealed until `deadline`.

    `set_by` is the (opaque) person who set the deadline; it is bound to the key.
    Raises `DeadlineRefused` for a deadline not after `now`.
    """
    deadline = require_aware(deadline, "deadline")
    now = require_aware(now, "now")
    _require_person(set_by, "setting a deadline")
    if deadline <= now:
        raise DeadlineRefused(
            f"the deadline {describe(deadline)} is not after now, {describe(now)}"
        )
    return _wrap(master, round_id, deadline, set_by, X25519PrivateKey.generate())


def round_key_extend(
    master: MasterKey, key: RoundKey, *, new_deadline: datetime, now: datetime, changed_by: str
) -> RoundKey:
    """The same round key re-bound to a later deadline, recording who changed it.

    Only extensions before the current deadline are allowed: bringing a deadline forward
    would be a way to open early. Submissions sealed so far stay valid.
    """
    new_deadline = require_aware(new_deadline, "new deadline")
    now = require_aware(now, "now")
    _require_person(changed_by, "changing a deadline")
    round_key_verify(master, key)
    if now >= key.deadline:
        raise DeadlineRefused(
            f"the deadline of round {key.round_id}, {describe(key.deadline)}, has passed "
            f"(now {describe(now)}); it can no longer be changed"
        )
    if new_deadline <= key.deadline:
        raise DeadlineRefused(
            f"a deadline can only be extended: {describe(new_deadline)} is not after "
            f"{describe(key.deadline)}"
        )
    return _wrap(master, key.round_id, new_deadline, changed_by, _unwrap(master, key))


def round_key_rewrap(old: MasterKey, new: MasterKey, key: RoundKey) -> RoundKey:
    """The same round key wrapped by a new master key, for rotating the master key.

    Deadline and setter are kept; the private half goes from one wrapping to the other
    inside the vault and is never returned.
    """
    return _wrap(new, key.round_id, key.deadline, key.deadline_set_by, _unwrap(old, key))


def round_key_open(
    master: MasterKey, key: RoundKey, *, authorisation: OpeningAuthorisation, now: datetime
) -> OpenedRound:
    """Release a round's private key: only at or after its deadline, and only to four eyes.

    Raises `FourEyesRequired` unless the authorisation is for this round and names two
    distinct people, `StillSealed` before the deadline, `KeyInvalid` for another master
    key, and `TamperDetected` if the stored record was altered.
    """
    now = require_aware(now, "now")
    deadline = require_aware(key.deadline, "round deadline")
    first, second = authorisation.first_person.strip(), authorisation.second_person.strip()
    if authorisation.round_id != key.round_id:
        raise FourEyesRequired(
            f"the opening authorisation is for round {authorisation.round_id}, "
            f"not round {key.round_id}"
        )
    if not first or not second or first == second:
        raise FourEyesRequired(
            f"opening round {key.round_id} needs two distinct people, got "
            f"{authorisation.first_person!r} and {authorisation.second_person!r}"
        )
    if now < deadline:
        raise StillSealed(
            f"round {key.round_id} is sealed until {describe(deadline)}; now is {describe(now)}",
            now=now,
            deadline=deadline,
        )
    private = _unwrap(master, key)
    return OpenedRound(key.round_id, key.key_id, now, (first, second), private)
