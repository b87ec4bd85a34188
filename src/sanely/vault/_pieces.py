"""Sealed pieces: a resumable upload's chunks, sealed while they wait for the rest of the file.

A resumable upload arrives over minutes or days; each chunk is kept as one piece, sealed as it
arrives, so none of it rests in plaintext. A piece uses the streaming format of `seal`, under
a key derived from the master key, the upload's id and a random salt in the piece's header (a
fresh key for every piece, so no nonce can repeat), and every chunk of it authenticates the
upload's id and the piece's offset: a piece cannot be moved to another upload or place.

Unlike a submission, a piece is opened again by the server without four eyes, when the upload
finishes and the file is checked and sealed for its round. So this protects the bytes at rest
(a disk, a backup, an object store) from whoever lacks the master key, not from the server.
"""

import secrets

from sanely.vault._rounds import MasterKey, frame, upload_piece_key
from sanely.vault._seal import (
    DEFAULT_CHUNK_SIZE,
    ChunkSealer,
    open_chunks,
    read_header,
    stream_header,
)
from sanely.vault._streams import ByteSink, ByteSource

PIECE_MAGIC = b"SANELYU1"
_SALT_BYTES = 16
_PIECE_CONTEXT = "sanely-vault/upload-piece-chunk/v1"


def _aad(header: bytes, upload_id: str, offset: int) -> bytes:
    return frame(_PIECE_CONTEXT, header, upload_id, str(offset))


def piece_sealer(
    sink: ByteSink,
    *,
    master: MasterKey,
    upload_id: str,
    offset: int,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> ChunkSealer:
    """A sink that seals what is written into it, into `sink`, as the piece of `upload_id`
    that starts at byte `offset`. Call `close()` after the last write, or the piece is cut off.
    """
    salt = secrets.token_bytes(_SALT_BYTES)
    header = stream_header(PIECE_MAGIC, chunk_size) + salt
    return ChunkSealer(
        sink,
        key=upload_piece_key(master, upload_id=upload_id, salt=salt),
        header=header,
        aad=_aad(header, upload_id, offset),
    )


def piece_unseal(
    source: ByteSource, sink: ByteSink, *, master: MasterKey, upload_id: str, offset: int
) -> int:
    """Decrypt a sealed piece into `sink`; how many bytes it held.

    `TamperDetected` if the piece was altered, cut off, extended, or belongs to another upload
    or offset. What `sink` received is untrusted until this returns.
    """
    what = f"upload {upload_id}: the piece at byte {offset}"
    header = read_header(source, PIECE_MAGIC, _SALT_BYTES, what)
    size, _ = open_chunks(
        source,
        sink,
        key=upload_piece_key(master, upload_id=upload_id, salt=header[-_SALT_BYTES:]),
        header=header,
        aad=_aad(header, upload_id, offset),
        what=what,
    )
    return size
