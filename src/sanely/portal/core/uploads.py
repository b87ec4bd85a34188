"""
Files sent in one request, larger than FILE_UPLOAD_MAX_MEMORY_SIZE, wait on disk while the
request lasts. Django's own handler keeps them there in plaintext under a name, and a server
killed mid-request (SIGKILL, a power cut) leaves them for ever. Here they wait in a file
without a name (gone when the process ends, however it ends) and encrypted under a key that
only the process's memory holds: nothing of a tender rests on disk readable, even for a moment.
"""

import io
import os
import tempfile
from typing import IO, Any, cast

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

BLOCK = 16  # AES's block: counter mode lets any byte be read without reading those before it


class EphemeralFile(io.RawIOBase):
    """A readable, writable, seekable temporary file whose bytes on disk are AES-CTR encrypted."""

    def __init__(self) -> None:
        super().__init__()
        # Unbuffered: the size on disk is the size written, for a reader seeking from the end.
        self._disk = tempfile.TemporaryFile(  # noqa: SIM115 - closed with this file
            dir=settings.FILE_UPLOAD_TEMP_DIR, buffering=0
        )
        self._key = os.urandom(32)
        self._counter = int.from_bytes(os.urandom(BLOCK))
        self._at = 0

    def _keystream_at(self, offset: int) -> Any:
        """A cipher positioned at `offset` bytes into the file."""
        block, skip = divmod(offset, BLOCK)
        start = ((self._counter + block) % (1 << 128)).to_bytes(BLOCK)
        cipher = Cipher(algorithms.AES(self._key), modes.CTR(start)).encryptor()
        cipher.update(bytes(skip))
        return cipher

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        plain = bytes(data)
        self._disk.seek(self._at)
        self._disk.write(self._keystream_at(self._at).update(plain))
        self._at += len(plain)
        return len(plain)

    def readinto(self, buffer: Any) -> int:
        self._disk.seek(self._at)
        stored = self._disk.read(len(buffer))
        buffer[: len(stored)] = self._keystream_at(self._at).update(stored)
        self._at += len(stored)
        return len(stored)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        origin = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: self._size()}[whence]
        self._at = max(0, origin + offset)
        return self._at

    def tell(self) -> int:
        return self._at

    def _size(self) -> int:
        return os.fstat(self._disk.fileno()).st_size

    def close(self) -> None:
        if not self.closed:
            self._disk.close()
        super().close()


class EphemeralUploadedFile(UploadedFile):
    """An uploaded file kept in an EphemeralFile while the request lasts."""

    def __init__(
        self,
        name: str,
        content_type: str,
        size: int,
        charset: str | None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        # An IO in all but the type checker's name (RawIOBase is not typed as IO[bytes]).
        ephemeral = cast(IO[bytes], EphemeralFile())
        super().__init__(ephemeral, name, content_type, size, charset, content_type_extra)


class EphemeralUploadHandler(FileUploadHandler):
    """The handler for files too large for memory: each waits in an EphemeralUploadedFile."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = EphemeralUploadedFile(
            self.file_name or "file",
            self.content_type or "",
            0,
            self.charset,
            self.content_type_extra,
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.file.write(raw_data)

    def file_complete(self, file_size: int) -> UploadedFile:
        self.file.seek(0)
        self.file.size = file_size
        return self.file

    def upload_interrupted(self) -> None:
        if hasattr(self, "file"):  # the request may end before its first file began
            self.file.close()
