"""Streaming envelope encryption of one submission.

Blob layout: a 19-byte header (magic, chunk size, random nonce prefix), then the chunks,
each AES-256-GCM ciphertext plus its 16-byte tag. Chunk i is sealed with the nonce
prefix || i (4 bytes) || final flag (1 byte): the index and the flag are authenticated
through the nonce, so reordering, dropping, truncating at a chunk boundary or appending
all fail, as the STREAM construction intends. Every chunk also authenticates the header
and the submission and round ids, so a blob cannot be moved to another submission.

The fresh data key is wrapped for the round's public key with HPKE (RFC 9180; X25519,
HKDF-SHA256, AES-256-GCM), its info binding the same ids and the header.
"""

import hashlib
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sanely.vault._errors import TamperDetected
from sanely.vault._rounds import MasterKey, OpenedRound, RoundKey, frame, round_key_verify
from sanely.vault._streams import ByteSink, ByteSource

MAGIC = b"SANELYV1"
DEFAULT_CHUNK_SIZE = 1 << 20
MIN_CHUNK_SIZE = 1 << 12
MAX_CHUNK_SIZE = 1 << 24
_PREFIX_BYTES = 7
_HEADER_BYTES = len(MAGIC) + 4 + _PREFIX_BYTES
_TAG_BYTES = 16
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
_DATA_KEY_CONTEXT = "sanely-vault/data-key/v1"
_CHUNK_CONTEXT = "sanely-vault/chunk/v1"


@dataclass(frozen=True)
class Envelope:
    """What the portal stores beside a sealed blob: ids, the wrapped data key, digests.

    `plaintext_sha256` and `plaintext_size` describe the submission as the supplier sent
    it (they go on the receipt); unsealing checks them again.
    """

    submission_id: str
    round_id: str
    round_key_id: str
    wrapped_data_key: bytes
    plaintext_size: int
    plaintext_sha256: str
    sealed_size: int


def _read_full(stream: ByteSource, size: int) -> bytes:
    # A raw stream may return fewer bytes than asked for before its end.
    parts = []
    wanted = size
    while wanted:
        part = stream.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def _nonce(prefix: bytes, index: int, final: bool) -> bytes:
    return prefix + index.to_bytes(4, "big") + (b"\x01" if final else b"\x00")


def _chunk_aad(header: bytes, submission_id: str, round_id: str) -> bytes:
    return frame(_CHUNK_CONTEXT, header, submission_id, round_id)


def _data_key_info(header: bytes, submission_id: str, round_id: str, round_key_id: str) -> bytes:
    return frame(_DATA_KEY_CONTEXT, header, submission_id, round_id, round_key_id)


def seal(
    source: ByteSource,
    sink: ByteSink,
    *,
    master: MasterKey,
    round_key: RoundKey,
    submission_id: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Envelope:
    """Encrypt `source` into `sink` in one streaming pass, for opening with its round.

    Memory stays at about two chunks whatever the size. The round record is checked
    against the master key first, so a public key swapped into the database is refused
    (`TamperDetected`); only the public half of the round key is used.
    """
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be {MIN_CHUNK_SIZE}..{MAX_CHUNK_SIZE} bytes")
    round_key_verify(master, round_key)
    data_key = AESGCM.generate_key(bit_length=256)
    prefix = secrets.token_bytes(_PREFIX_BYTES)
    header = MAGIC + chunk_size.to_bytes(4, "big") + prefix
    wrapped = _SUITE.encrypt(
        data_key,
        X25519PublicKey.from_public_bytes(round_key.public_key),
        _data_key_info(header, submission_id, round_key.round_id, round_key.key_id),
    )
    aead = AESGCM(data_key)
    aad = _chunk_aad(header, submission_id, round_key.round_id)
    digest = hashlib.sha256()
    sink.write(header)
    size, sealed_size, index = 0, len(header), 0
    current = _read_full(source, chunk_size)
    while True:
        # Read one chunk ahead: the last chunk must be known to be last when sealed.
        following = _read_full(source, chunk_size) if len(current) == chunk_size else b""
        final = not following
        digest.update(current)
        size += len(current)
        sealed = aead.encrypt(_nonce(prefix, index, final), current, aad)
        sink.write(sealed)
        sealed_size += len(sealed)
        if final:
            break
        current, index = following, index + 1
    return Envelope(
        submission_id=submission_id,
        round_id=round_key.round_id,
        round_key_id=round_key.key_id,
        wrapped_data_key=wrapped,
        plaintext_size=size,
        plaintext_sha256=digest.hexdigest(),
        sealed_size=sealed_size,
    )


def unseal(source: ByteSource, sink: ByteSink, *, envelope: Envelope, opened: OpenedRound) -> None:
    """Decrypt a sealed blob into `sink`, streaming; `TamperDetected` on any change.

    Each chunk is authenticated before it is written, but truncation is only known at
    the end: treat what `sink` received as untrusted until this returns.
    """
    if envelope.round_id != opened.round_id or envelope.round_key_id != opened.key_id:
        raise TamperDetected(
            f"submission {envelope.submission_id} belongs to round {envelope.round_id}, "
            f"not to the opened round {opened.round_id}"
        )
    header = _read_full(source, _HEADER_BYTES)
    chunk_size = int.from_bytes(header[len(MAGIC) : len(MAGIC) + 4], "big")
    if (
        len(header) != _HEADER_BYTES
        or not header.startswith(MAGIC)
        or not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE
    ):
        raise TamperDetected(f"submission {envelope.submission_id}: not a sealed blob")
    prefix = header[-_PREFIX_BYTES:]
    try:
        data_key = _SUITE.decrypt(
            envelope.wrapped_data_key,
            opened.private_key,
            _data_key_info(header, envelope.submission_id, opened.round_id, opened.key_id),
        )
    except InvalidTag as error:
        raise TamperDetected(
            f"submission {envelope.submission_id}: the data key does not open; the blob "
            "header or the envelope was altered, or they belong to another submission"
        ) from error
    aead = AESGCM(data_key)
    aad = _chunk_aad(header, envelope.submission_id, envelope.round_id)
    digest = hashlib.sha256()
    size, index, step = 0, 0, chunk_size + _TAG_BYTES
    current = _read_full(source, step)
    while True:
        following = _read_full(source, step) if len(current) == step else b""
        final = not following
        try:
            plain = aead.decrypt(_nonce(prefix, index, final), current, aad)
        except InvalidTag as error:
            raise TamperDetected(
                f"submission {envelope.submission_id}: chunk {index} was altered, moved, "
                "or the blob was truncated or extended"
            ) from error
        digest.update(plain)
        size += len(plain)
        sink.write(plain)
        if final:
            break
        current, index = following, index + 1
    if size != envelope.plaintext_size or digest.hexdigest() != envelope.plaintext_sha256:
        raise TamperDetected(
            f"submission {envelope.submission_id}: the content does not match the size and "
            "SHA-256 recorded at receipt"
        )
