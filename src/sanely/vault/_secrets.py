"""Small secrets sealed at rest under the master key: a person's second-factor key, say.

Each secret is sealed with AES-256-GCM under a key derived from the master key for its
purpose and owner, with a random nonce. The purpose and owner are bound in: a sealed secret
copied to another person's row, or to another purpose, does not open. As with a resumable
upload's pieces, the server opens these again without four eyes, so this protects the
database at rest (a dump, a backup) from whoever lacks the master key, not from the server.
"""

import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from sanely.vault._errors import TamperDetected
from sanely.vault._rounds import MasterKey, frame

SECRET_MAGIC = b"SANELYS1"
_NONCE_BYTES = 12
_CONTEXT = "sanely-vault/small-secret/v1"


def _key(master: MasterKey, purpose: str, owner: str) -> bytes:
    info = frame(_CONTEXT, purpose, owner)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master.secret)


def secret_seal(master: MasterKey, *, purpose: str, owner: str, secret: bytes) -> bytes:
    """`secret` sealed for `purpose` (like "totp") and `owner` (like a person's id)."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = AESGCM(_key(master, purpose, owner)).encrypt(nonce, secret, SECRET_MAGIC)
    return SECRET_MAGIC + nonce + sealed


def secret_unseal(master: MasterKey, *, purpose: str, owner: str, sealed: bytes) -> bytes:
    """The secret sealed by `secret_seal`; `TamperDetected` if it was altered or moved."""
    head, nonce = sealed[: len(SECRET_MAGIC)], sealed[len(SECRET_MAGIC) :][:_NONCE_BYTES]
    if head != SECRET_MAGIC or len(nonce) != _NONCE_BYTES:
        raise TamperDetected(f"the sealed {purpose} secret of {owner} is not a sealed secret")
    try:
        body = sealed[len(SECRET_MAGIC) + _NONCE_BYTES :]
        return AESGCM(_key(master, purpose, owner)).decrypt(nonce, body, SECRET_MAGIC)
    except InvalidTag as error:
        raise TamperDetected(
            f"the sealed {purpose} secret of {owner} was altered, moved, or sealed under"
            " another master key"
        ) from error
