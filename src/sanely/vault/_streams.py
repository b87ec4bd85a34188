"""The file-like objects the vault works on, as small protocols.

Open files, `io.BytesIO`, Django's `File` and storage files all fit; the vault never
opens a path itself.
"""

from typing import Protocol


class ByteSource(Protocol):
    """Something to read bytes from."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes; empty at the end."""
        ...


class ByteSink(Protocol):
    """Something to write bytes to."""

    def write(self, data: bytes, /) -> object:
        """Write all of `data`."""
        ...


class SeekableByteSource(ByteSource, Protocol):
    """A byte source that can be rewound and sought in."""

    def seek(self, offset: int, whence: int = 0, /) -> int:
        """Move to `offset` from the start (or as `whence` says); the new position."""
        ...

    def tell(self) -> int:
        """The current position."""
        ...


class SeekableByteSink(ByteSink, Protocol):
    """A byte sink that can be written at any offset."""

    def seek(self, offset: int, whence: int = 0, /) -> int:
        """Move to `offset` from the start (or as `whence` says); the new position."""
        ...
