"""Content sniffing: a file's kind from its bytes, whatever its name says."""

import io
import zipfile
from typing import BinaryIO

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanely.vault import FileKind, FileRefused, sniff

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20) + b"\xff\xd9"
OOXML = "application/vnd.openxmlformats-officedocument."


def archive(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zip_file:
        for name, content in parts.items():
            zip_file.writestr(name, content)
    return buffer.getvalue()


def ooxml(main_part: str, content_type: str) -> bytes:
    types = (
        f'<Types><Override PartName="/{main_part}" ContentType="{OOXML}{content_type}"/></Types>'
    )
    return archive({"[Content_Types].xml": types.encode(), main_part: b"<x/>"})


def odf(mimetype: str) -> bytes:
    return archive({"mimetype": mimetype.encode(), "content.xml": b"<x/>"})


def kind_of(data: bytes, name: str = "upload.bin", **options: object) -> FileKind:
    return sniff(io.BytesIO(data), name=name, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, FileKind.PDF),
        (b"\x00\xffjunk" + PDF, FileKind.PDF),  # PDF readers skip junk before the header
        (PDF + bytes(1000), FileKind.PDF),  # readers look for %%EOF in the last 1024 bytes
        (PNG, FileKind.PNG),
        (JPEG, FileKind.JPEG),
        (ooxml("word/document.xml", "wordprocessingml.document.main+xml"), FileKind.DOCX),
        (ooxml("xl/workbook.xml", "spreadsheetml.sheet.main+xml"), FileKind.XLSX),
        (ooxml("ppt/presentation.xml", "presentationml.presentation.main+xml"), FileKind.PPTX),
        (odf("application/vnd.oasis.opendocument.text"), FileKind.ODT),
        (odf("application/vnd.oasis.opendocument.spreadsheet"), FileKind.ODS),
        (odf("application/vnd.oasis.opendocument.presentation"), FileKind.ODP),
        (odf("application/vnd.oasis.opendocument.graphics"), FileKind.ZIP),
        (ooxml("word/document.xml", "something.else+xml"), FileKind.ZIP),
        (archive({"a.txt": b"a"}), FileKind.ZIP),
        (b"name,price\nWidget,\xc2\xa3100\n", FileKind.TEXT),
        (b"\xef\xbb\xbfplain text\twith tab\r\n", FileKind.TEXT),
        (b"MZ Consulting Ltd,1200\n", FileKind.TEXT),  # text, not a Windows program
        (b"Our offer quotes %PDF-1.7 headers, but this is text\n", FileKind.TEXT),
        (archive({"offer.pdf": PDF}), FileKind.ZIP),
        # A character cut in two by the sniffing window is still text.
        (b"a" * 8191 + "£".encode() * 10, FileKind.TEXT),
    ],
)
def test_a_file_is_recognised_by_its_content(data: bytes, expected: FileKind) -> None:
    assert expected == kind_of(data)


def test_each_kind_has_a_media_type() -> None:
    assert FileKind.DOCX.media_type == OOXML + "wordprocessingml.document"
    assert all("/" in kind.media_type for kind in FileKind)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"MZ\x90\x00" + bytes(100), "a Windows program"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "a Linux program"),
        (b"\xcf\xfa\xed\xfe" + bytes(100), "a macOS program"),
        (b"\xca\xfe\xba\xbe" + bytes(100), "a macOS universal program"),
        (b"#!/bin/sh\nrm -rf /\n", "a script"),
        (b"#!", "a script"),
    ],
)
def test_programs_and_scripts_are_refused_even_when_named_as_a_pdf(data: bytes, what: str) -> None:
    with pytest.raises(FileRefused, match=f"^tender.pdf is {what}"):
        kind_of(data, "tender.pdf")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "^tender.pdf is empty$"),
        (b"%PDF-1.7\n1 0 obj" + bytes(3000), "starts like a PDF but is incomplete"),
        (PNG[:12] + b"JUNK", "starts like a PNG image but is corrupt"),
        (b"PK\x03\x04" + bytes(100), "is a corrupt ZIP archive"),
        (archive({}), "is an empty ZIP archive"),
        (archive({"word/vbaProject.bin": b"x", "[Content_Types].xml": b""}), "contains macros"),
        (b"text\x00with a NUL", "is not of a recognised type"),
        (b"\xff\xfe not UTF-8", "is not of a recognised type"),
        (b"bell\x07", "is not of a recognised type"),
        (b"ends mid-character \xc2", "is not of a recognised type"),
    ],
)
def test_empty_corrupt_and_unknown_files_are_refused_naming_the_file(
    data: bytes, reason: str
) -> None:
    with pytest.raises(FileRefused, match=reason) as refusal:
        kind_of(data, "tender.pdf")

    assert str(refusal.value).startswith("tender.pdf ")


def test_a_kind_outside_the_allow_list_is_refused_with_what_is_accepted() -> None:
    with pytest.raises(
        FileRefused,
        match=r"^photo.png is a png file, which is not accepted here \(accepted: pdf\)$",
    ):
        kind_of(PNG, "photo.png", allowed=frozenset({FileKind.PDF}))


class CountingReader(io.BytesIO):
    """Counts the bytes read, to show that sniffing reads only the parts it needs."""

    bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_sniffing_a_large_file_reads_only_its_first_and_last_bytes() -> None:
    stream = CountingReader(b"%PDF-1.7\n" + bytes(20_000_000) + b"%%EOF\n")

    assert sniff(stream, name="big.pdf") == FileKind.PDF
    assert stream.bytes_read <= 8192 + 1024
    assert 0 == stream.tell()


def test_the_stream_is_rewound_even_after_a_refusal() -> None:
    stream: BinaryIO = io.BytesIO(b"MZ\x90\x00")

    with pytest.raises(FileRefused):
        sniff(stream, name="x.exe")
    assert 0 == stream.tell()


@st.composite
def mutated_zips(draw: st.DrawFn) -> bytes:
    """Real Office and OpenDocument archives with a few bytes overwritten."""
    data = bytearray(
        draw(
            st.sampled_from(
                [
                    ooxml("word/document.xml", "wordprocessingml.document.main+xml"),
                    odf("application/vnd.oasis.opendocument.text"),
                ]
            )
        )
    )
    for position, value in draw(
        st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), max_size=4)
    ):
        data[position] = value
    return bytes(data)


prefixes = st.sampled_from(
    [b"", b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"PK\x03\x04", b"PK\x05\x06", b"MZ"]
)


@given(data=st.one_of(st.builds(bytes.__add__, prefixes, st.binary(max_size=300)), mutated_zips()))
def test_any_bytes_at_all_are_recognised_or_refused_never_crash(data: bytes) -> None:
    outcome: FileKind | FileRefused
    try:
        outcome = kind_of(data)
    except FileRefused as refusal:
        outcome = refusal

    assert isinstance(outcome, FileKind) or str(outcome).startswith("upload.bin ")
