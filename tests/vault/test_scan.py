"""The virus-scan hook, against a fake clamd listening on loopback and on a unix socket."""

import io
import socket
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from sanely.vault import (
    ClamdScanner,
    NoScanner,
    ScanFailed,
    ScanResult,
    ScanStatus,
    scanner_from_setting,
)

EICAR_MARK = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


class FakeClamd(socketserver.BaseRequestHandler):
    """Speaks clamd's INSTREAM: reads length-prefixed chunks, then answers like clamd."""

    received: list[bytes]
    reply: bytes | None = None  # a fixed reply instead of a verdict

    def handle(self) -> None:
        stream = self.request.makefile("rb")
        command = stream.read(len(b"zINSTREAM\0"))
        data = bytearray()
        while size := int.from_bytes(stream.read(4), "big"):
            data += stream.read(size)
        self.received.append(command + bytes(data))
        if self.reply is not None:
            self.request.sendall(self.reply)
        elif EICAR_MARK in data:
            self.request.sendall(b"stream: Eicar-Test-Signature FOUND\0")
        else:
            self.request.sendall(b"stream: OK\0")


def serve(server: socketserver.BaseServer) -> Iterator[socketserver.BaseServer]:
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def handler() -> type[FakeClamd]:
    return type("Handler", (FakeClamd,), {"received": []})


@pytest.fixture
def tcp_clamd(handler: type[FakeClamd]) -> Iterator[tuple[str, int]]:
    for server in serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)):
        yield cast(tuple[str, int], server.server_address)


@pytest.fixture
def unix_clamd(handler: type[FakeClamd], tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "clamd.sock")
    for _ in serve(socketserver.ThreadingUnixStreamServer(path, handler)):
        yield path


def test_a_clean_file_is_streamed_whole_to_clamd_over_tcp(
    tcp_clamd: tuple[str, int], handler: type[FakeClamd]
) -> None:
    content = bytes(range(256)) * 1000  # several INSTREAM chunks
    stream = io.BytesIO(content)
    stream.seek(100)

    result = ClamdScanner(tcp_clamd).scan(stream)

    host, port = tcp_clamd
    assert ScanResult(ScanStatus.CLEAN, f"clamd tcp:{host}:{port}") == result
    assert [b"zINSTREAM\0" + content] == handler.received
    assert 0 == stream.tell()


def test_an_infected_file_is_reported_with_its_signature_over_a_unix_socket(
    unix_clamd: str,
) -> None:
    result = ClamdScanner(unix_clamd).scan(io.BytesIO(b"X5O!P%@AP " + EICAR_MARK))

    assert ScanResult(ScanStatus.INFECTED, f"clamd unix:{unix_clamd}", "Eicar-Test-Signature") == (
        result
    )


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (
            b"INSTREAM size limit exceeded. ERROR\0",
            "answered 'INSTREAM size limit exceeded. ERROR'",
        ),
        (b"", "answered ''"),
        (b"x" * 5000, "answered 'xxxx"),
    ],
)
def test_an_error_or_no_answer_from_clamd_fails_the_scan(
    tcp_clamd: tuple[str, int], handler: type[FakeClamd], reply: bytes, reason: str
) -> None:
    handler.reply = reply

    with pytest.raises(ScanFailed, match=reason):
        ClamdScanner(tcp_clamd).scan(io.BytesIO(b"content"))


def test_an_unreachable_clamd_fails_the_scan_rather_than_passing_the_file() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the scan: nobody listens

    with pytest.raises(ScanFailed, match=f"clamd tcp:127.0.0.1:{port} could not scan"):
        ClamdScanner(("127.0.0.1", port), timeout=5).scan(io.BytesIO(b"content"))


def test_a_missing_unix_socket_fails_the_scan(tmp_path: Path) -> None:
    with pytest.raises(ScanFailed, match="could not scan"):
        ClamdScanner(str(tmp_path / "absent.sock")).scan(io.BytesIO(b"content"))


def test_without_a_scanner_a_file_is_marked_not_scanned() -> None:
    assert ScanResult(ScanStatus.NOT_SCANNED, "none") == NoScanner().scan(io.BytesIO(b"x"))


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (None, "none"),
        ("", "none"),
        ("unix:/run/clamav/clamd.ctl", "clamd unix:/run/clamav/clamd.ctl"),
        ("tcp://clamav.internal:3310", "clamd tcp:clamav.internal:3310"),
    ],
)
def test_a_setting_names_the_scanner(setting: str | None, expected: str) -> None:
    scanner = scanner_from_setting(setting)

    assert expected == getattr(scanner, "name", "none")
    assert isinstance(scanner, NoScanner) == (expected == "none")


@pytest.mark.parametrize("setting", ["clamd", "tcp://host", "tcp://:3310", "tcp://host:port"])
def test_a_malformed_setting_is_refused(setting: str) -> None:
    with pytest.raises(ValueError, match="is not empty, unix:/path or tcp://host:port"):
        scanner_from_setting(setting)
