"""The virus-scan hook: clamd's INSTREAM protocol over a unix or TCP socket, or nothing.

With no scanner configured a file is marked as not scanned, never as clean.
"""

import socket
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from sanely.vault._errors import ScanFailed
from sanely.vault._streams import SeekableByteSource

_CHUNK_BYTES = 1 << 16
_REPLY_LIMIT = 4096


class ScanStatus(StrEnum):
    """The outcome of a scan."""

    CLEAN = "clean"
    INFECTED = "infected"
    NOT_SCANNED = "not scanned"


@dataclass(frozen=True)
class ScanResult:
    """What the scanner said, and which scanner said it (for the record)."""

    status: ScanStatus
    scanner: str
    signature: str | None = None


class VirusScanner(Protocol):
    """Anything that can scan a stream of bytes."""

    def scan(self, stream: SeekableByteSource) -> ScanResult:
        """Scan `stream` from its start."""
        ...


class NoScanner:
    """The scanner used when none is configured: every file is marked as not scanned."""

    def scan(self, stream: SeekableByteSource) -> ScanResult:
        """Mark the file as not scanned, without reading it."""
        return ScanResult(ScanStatus.NOT_SCANNED, "none")


class ClamdScanner:
    """A client of a clamd daemon: a unix socket path, or a (host, port) pair for TCP."""

    def __init__(self, address: str | tuple[str, int], *, timeout: float = 60.0) -> None:
        self.address = address
        self.timeout = timeout

    @property
    def name(self) -> str:
        """The scanner as written on results: clamd and where it listens."""
        if isinstance(self.address, str):
            return f"clamd unix:{self.address}"
        return f"clamd tcp:{self.address[0]}:{self.address[1]}"

    def _connect(self) -> socket.socket:
        if isinstance(self.address, str):
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(self.timeout)
            try:
                connection.connect(self.address)
            except OSError:
                connection.close()
                raise
            return connection
        return socket.create_connection(self.address, timeout=self.timeout)

    def scan(self, stream: SeekableByteSource) -> ScanResult:
        """Stream the file to clamd and read its verdict; `ScanFailed` if there is none."""
        stream.seek(0)
        try:
            with self._connect() as connection:
                connection.sendall(b"zINSTREAM\0")
                while chunk := stream.read(_CHUNK_BYTES):
                    connection.sendall(len(chunk).to_bytes(4, "big") + chunk)
                connection.sendall(b"\0\0\0\0")
                reply = _read_reply(connection)
        except OSError as error:
            raise ScanFailed(f"{self.name} could not scan: {error}") from error
        finally:
            stream.seek(0)
        return self._verdict(reply)

    def _verdict(self, reply: str) -> ScanResult:
        if reply == "stream: OK":
            return ScanResult(ScanStatus.CLEAN, self.name)
        if reply.startswith("stream: ") and reply.endswith(" FOUND"):
            signature = reply.removeprefix("stream: ").removesuffix(" FOUND")
            return ScanResult(ScanStatus.INFECTED, self.name, signature)
        raise ScanFailed(f"{self.name} answered {reply!r}")


def _read_reply(connection: socket.socket) -> str:
    # clamd ends its reply with a NUL in the z-command mode.
    reply = b""
    while b"\0" not in reply and len(reply) < _REPLY_LIMIT:
        part = connection.recv(_REPLY_LIMIT)
        if not part:
            break
        reply += part
    return reply.split(b"\0", 1)[0].decode("utf-8", "replace")


def scanner_from_setting(setting: str | None) -> VirusScanner:
    """The scanner a setting names: empty for none, `unix:/path`, or `tcp://host:port`."""
    if not setting:
        return NoScanner()
    if setting.startswith("unix:"):
        return ClamdScanner(setting.removeprefix("unix:"))
    if setting.startswith("tcp://"):
        host, _, port = setting.removeprefix("tcp://").rpartition(":")
        if host and port.isdigit():
            return ClamdScanner((host, int(port)))
    raise ValueError(
        f"virus scanner setting {setting!r} is not empty, unix:/path or tcp://host:port"
    )
