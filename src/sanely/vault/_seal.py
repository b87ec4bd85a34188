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


def read_full(stream: ByteSource, size: int) -> bytes:
    """Up to `size` bytes: fewer only at the end (a raw stream may return less before its end)."""
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


def stream_header(magic: bytes, chunk_size: int) -> bytes:
    """The start of a sealed stream: an 8-byte magic, the chunk size, a random nonce prefix."""
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be {MIN_CHUNK_SIZE}..{MAX_CHUNK_SIZE} bytes")
    return magic + chunk_size.to_bytes(4, "big") + secrets.token_bytes(_PREFIX_BYTES)


def _header_fields(header: bytes) -> tuple[int, bytes]:
    """The chunk size and the nonce prefix a stream header holds."""
    start = len(MAGIC)
    return int.from_bytes(header[start : start + 4], "big"), header[start + 4 : _HEADER_BYTES]


class ChunkSealer:
    """Seals what is written into it chunk by chunk (STREAM), into `sink`; `close` ends it.

    One chunk is held back until more arrives or `close` is called, because the last chunk
    must be known to be last when it is sealed. Memory stays at about two chunks.
    """

    def __init__(self, sink: ByteSink, *, key: bytes, header: bytes, aad: bytes) -> None:
        self._sink, self._aead, self._aad = sink, AESGCM(key), aad
        self._chunk_size, self._prefix = _header_fields(header)
        self._pending = bytearray()
        self._index = 0
        self._digest = hashlib.sha256()
        self.size = 0
        self.sealed_size = len(header)
        sink.write(header)

    def write(self, data: bytes) -> int:
        self._pending += data
        self._digest.update(data)
        self.size += len(data)
        while len(self._pending) > self._chunk_size:
            self._seal(bytes(self._pending[: self._chunk_size]), final=False)
            del self._pending[: self._chunk_size]
        return len(data)

    def close(self) -> str:
        """Seal the last chunk; the SHA-256 of everything written."""
        self._seal(bytes(self._pending), final=True)
        self._pending.clear()
        return self._digest.hexdigest()

    def _seal(self, chunk: bytes, *, final: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._index, final), chunk, self._aad)
        self._sink.write(sealed)
        self.sealed_size += len(sealed)
        self._index += 1


def read_header(source: ByteSource, magic: bytes, extra: int, what: str) -> bytes:
    """The header of a sealed stream, with `extra` bytes after the prefix; checked."""
    header = read_full(source, _HEADER_BYTES + extra)
    chunk_size, _ = _header_fields(header)
    if (
        len(header) != _HEADER_BYTES + extra
        or not header.startswith(magic)
        or not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE
    ):
        raise TamperDetected(f"{what}: not a sealed blob")
    return header


def open_chunks(
    source: ByteSource, sink: ByteSink, *, key: bytes, header: bytes, aad: bytes, what: str
) -> tuple[int, str]:
    """Decrypt the chunks after `header` into `sink`: the size and SHA-256 of the plaintext.

    Each chunk is authenticated before it is written, but truncation is only known at the
    end: `TamperDetected` names the chunk that was altered, moved, cut off or added.
    """
    chunk_size, prefix = _header_fields(header)
    aead = AESGCM(key)
    digest = hashlib.sha256()
    size, index, step = 0, 0, chunk_size + _TAG_BYTES
    current = read_full(source, step)
    while True:
        following = read_full(source, step) if len(current) == step else b""
        final = not following
        try:
            plain = aead.decrypt(_nonce(prefix, index, final), current, aad)
        except InvalidTag as error:
            raise TamperDetected(
                f"{what}: chunk {index} was altered, moved, or the blob was truncated or extended"
            ) from error
        digest.update(plain)
        size += len(plain)
        sink.write(plain)
        if final:
            return size, digest.hexdigest()
        current, index = following, index + 1


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
    header = stream_header(MAGIC, chunk_size)
    round_key_verify(master, round_key)
    data_key = AESGCM.generate_key(bit_length=256)
    wrapped = _SUITE.encrypt(
        data_key,
        X25519PublicKey.from_public_bytes(round_key.public_key),
        _data_key_info(header, submission_id, round_key.round_id, round_key.key_id),
    )
    sealer = ChunkSealer(
        sink, key=data_key, header=header, aad=_chunk_aad(header, submission_id, round_key.round_id)
    )
    while piece := source.read(chunk_size):
        sealer.write(piece)
    digest = sealer.close()
    return Envelope(
        submission_id=submission_id,
        round_id=round_key.round_id,
        round_key_id=round_key.key_id,
        wrapped_data_key=wrapped,
        plaintext_size=sealer.size,
        plaintext_sha256=digest,
        sealed_size=sealer.sealed_size,
    )


def unseal(source: ByteSource, sink: ByteSink, *, envelope: Envelope, opened: OpenedRound) -> None:
    """Decrypt a sealed blob into `sink`, streaming; `TamperDetected` on any change.

    Each chunk is authenticated before it is written, but truncation is only known at
    the end: treat what `sink` received as untrusted until this returns.
    """
    what = f"submission {envelope.submission_id}"
    if envelope.round_id != opened.round_id or envelope.round_key_id != opened.key_id:
        raise TamperDetected(
            f"{what} belongs to round {envelope.round_id},"
            f" not to the opened round {opened.round_id}"
        )
    header = read_header(source, MAGIC, 0, what)
    try:
        data_key = _SUITE.decrypt(
            envelope.wrapped_data_key,
            opened.private_key,
            _data_key_info(header, envelope.submission_id, opened.round_id, opened.key_id),
        )
    except InvalidTag as error:
        raise TamperDetected(
            f"{what}: the data key does not open; the blob header or the envelope was altered,"
            " or they belong to another submission"
        ) from error
    size, digest = open_chunks(
        source,
        sink,
        key=data_key,
        header=header,
        aad=_chunk_aad(header, envelope.submission_id, envelope.round_id),
        what=what,
    )
    if size != envelope.plaintext_size or digest != envelope.plaintext_sha256:
        raise TamperDetected(
            f"{what}: the content does not match the size and SHA-256 recorded at receipt"
        )
