"""What a file is, by its content: magic bytes, and for ZIP containers their part names.

Only the first bytes, the end of a PDF, and a ZIP's directory and small type parts are
read, so checking a 250 MB file costs about the same as a small one.
"""

import codecs
import io
import zipfile
import zlib
from enum import StrEnum

from sanely.vault._errors import FileRefused
from sanely.vault._streams import SeekableByteSource

_HEAD_BYTES = 8192
_PDF_TAIL_BYTES = 1024
_TYPE_PART_LIMIT = 1 << 20


class FileKind(StrEnum):
    """A kind of file the vault can recognise; the value is its usual extension."""

    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    PPTX = "pptx"
    ODT = "odt"
    ODS = "ods"
    ODP = "odp"
    PNG = "png"
    JPEG = "jpg"
    TEXT = "txt"
    ZIP = "zip"

    @property
    def media_type(self) -> str:
        """The MIME type to serve this kind of file with."""
        return _MEDIA_TYPES[self]


_OOXML_MAIN = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
_MEDIA_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: _OOXML_MAIN + "wordprocessingml.document",
    FileKind.XLSX: _OOXML_MAIN + "spreadsheetml.sheet",
    FileKind.PPTX: _OOXML_MAIN + "presentationml.presentation",
    FileKind.ODT: _ODF + "text",
    FileKind.ODS: _ODF + "spreadsheet",
    FileKind.ODP: _ODF + "presentation",
    FileKind.PNG: "image/png",
    FileKind.JPEG: "image/jpeg",
    FileKind.TEXT: "text/plain; charset=utf-8",
    FileKind.ZIP: "application/zip",
}
# Office Open XML: the main part, and the content type [Content_Types].xml gives it.
_OOXML_PARTS = (
    (FileKind.DOCX, "word/document.xml", _OOXML_MAIN + "wordprocessingml.document.main+xml"),
    (FileKind.XLSX, "xl/workbook.xml", _OOXML_MAIN + "spreadsheetml.sheet.main+xml"),
    (FileKind.PPTX, "ppt/presentation.xml", _OOXML_MAIN + "presentationml.presentation.main+xml"),
)
_ODF_KINDS = {
    _MEDIA_TYPES[FileKind.ODT]: FileKind.ODT,
    _MEDIA_TYPES[FileKind.ODS]: FileKind.ODS,
    _MEDIA_TYPES[FileKind.ODP]: FileKind.ODP,
}
_PROGRAMS = (
    (b"MZ", "a Windows program (PE)"),
    (b"\x7fELF", "a Linux program (ELF)"),
    (b"\xfe\xed\xfa\xce", "a macOS program (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "a macOS program (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "a macOS universal program (Mach-O) or Java class"),
)
_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r\f")

DEFAULT_ALLOWED: frozenset[FileKind] = frozenset(FileKind)


def _pdf(stream: SeekableByteSource, name: str, size: int) -> FileKind:
    stream.seek(max(0, size - _PDF_TAIL_BYTES))
    if b"%%EOF" not in stream.read(_PDF_TAIL_BYTES):
        raise FileRefused(f"{name} starts like a PDF but is incomplete or corrupt (no %%EOF)")
    return FileKind.PDF


def _read_part(archive: zipfile.ZipFile, part: str) -> bytes:
    # Bounded: a tiny compressed part could inflate to gigabytes.
    with archive.open(part) as handle:
        return handle.read(_TYPE_PART_LIMIT)


def _zip(stream: SeekableByteSource, name: str) -> FileKind:
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = set(archive.namelist())
            if not parts:
                raise FileRefused(f"{name} is an empty ZIP archive")
            if any(part.lower().endswith("vbaproject.bin") for part in parts):
                raise FileRefused(f"{name} contains macros (vbaProject.bin), not accepted")
            if "mimetype" in parts:
                mimetype = _read_part(archive, "mimetype").decode("ascii", "replace").strip()
                return _ODF_KINDS.get(mimetype, FileKind.ZIP)
            if "[Content_Types].xml" in parts:
                types = _read_part(archive, "[Content_Types].xml").decode("utf-8", "replace")
                for kind, main_part, content_type in _OOXML_PARTS:
                    if main_part in parts and content_type in types:
                        return kind
            return FileKind.ZIP
    # What a damaged archive raises depends on where it is damaged.
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,
        ValueError,
    ) as error:
        raise FileRefused(f"{name} is a corrupt ZIP archive: {error}") from error


def _is_text(head: bytes, complete: bool) -> bool:
    if b"\x00" in head:
        return False
    # The cut at _HEAD_BYTES may split a character; only a complete file must end whole.
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        text = decoder.decode(head, final=complete)
    except UnicodeDecodeError:
        return False
    return all(char >= " " or char in _TEXT_CONTROLS_ALLOWED for char in text)


def _kind(stream: SeekableByteSource, name: str) -> FileKind:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    head = stream.read(_HEAD_BYTES)
    if not head:
        raise FileRefused(f"{name} is empty")
    text = _is_text(head, complete=size <= _HEAD_BYTES)
    if head.startswith(b"#!"):
        raise FileRefused(f"{name} is a script (it starts with #!); scripts are not accepted")
    for magic, what in _PROGRAMS:
        # A program's header is binary; text that happens to start "MZ" is just text.
        if head.startswith(magic) and not text:
            raise FileRefused(f"{name} is {what}; programs are not accepted")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        if head[12:16] != b"IHDR":
            raise FileRefused(f"{name} starts like a PNG image but is corrupt")
        return FileKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip(stream, name)
    # PDF readers accept the header anywhere in the first KiB; later than byte 0 it only
    # counts in a binary file, since a text may quote it (and a ZIP may store a PDF).
    pdf_at = head.find(b"%PDF-", 0, _PDF_TAIL_BYTES)
    if pdf_at == 0 or (pdf_at > 0 and not text):
        return _pdf(stream, name, size)
    if text:
        return FileKind.TEXT
    raise FileRefused(f"{name} is not of a recognised type ({_accepted(DEFAULT_ALLOWED)})")


def _accepted(allowed: frozenset[FileKind]) -> str:
    return "accepted: " + ", ".join(sorted(kind.value for kind in allowed))


def sniff(
    stream: SeekableByteSource, *, name: str, allowed: frozenset[FileKind] = DEFAULT_ALLOWED
) -> FileKind:
    """The kind of the file in a seekable `stream`, judged by content, not by `name`.

    Raises `FileRefused`, naming the file, if it is empty, corrupt, a program or script
    (even renamed), or of a kind not in `allowed`. Leaves the stream at its start.
    """
    try:
        kind = _kind(stream, name)
    finally:
        stream.seek(0)
    if kind not in allowed:
        raise FileRefused(
            f"{name} is a {kind.value} file, which is not accepted here ({_accepted(allowed)})"
        )
    return kind
