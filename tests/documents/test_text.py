"""The one text renderer, and the seam a .docx or PDF renderer will use beside it."""

from datetime import UTC, datetime

from sanely.documents import (
    BulletList,
    Document,
    Heading,
    KeyValues,
    Paragraph,
    Preformatted,
    Section,
    Table,
    render,
    render_text,
)

from .test_content import EVERY_BLOCK


def test_blocks_are_a_blank_line_apart_and_a_section_sits_under_its_heading():
    document = Document("award_decision", "Decision", EVERY_BLOCK)
    assert render_text(document) == (
        "Award decision notice\n\n"
        "First line\nsecond line\n\n"
        '{\n  "signature": "c2ln"\n}\n\n'
        "Your tender's points\n"
        "- Quality: 54.00\n- Price: 27.00\n"
        "Total: 81.00\nRank: 1 of 3\n"
        "Scores\n| Criterion | Points |\n| --- | --- |\n| Quality | 54.00 |\n| Price | 27.00 |"
    )


def test_a_table_keeps_each_row_on_one_line_and_needs_no_caption():
    table = Table("", ("Tenderer", "Note"), (("Kestrel | Osprey", "first\nsecond"),))
    text = render_text(Document("report", "Report", (table,)))
    assert "| Tenderer | Note |\n| --- | --- |\n| Kestrel / Osprey | first second |" == text


def test_an_empty_document_renders_as_empty_text():
    assert "" == render_text(Document("notice", "Nothing", ()))


class Outline:
    """A second renderer, as a .docx one would be: each block's kind, nested as in the document."""

    def heading(self, block: Heading) -> str:
        return "heading"

    def paragraph(self, block: Paragraph) -> str:
        return "paragraph"

    def preformatted(self, block: Preformatted) -> str:
        return "preformatted"

    def bullets(self, block: BulletList) -> str:
        return f"bullets({len(block.items)})"

    def key_values(self, block: KeyValues) -> str:
        return f"key_values({len(block.pairs)})"

    def table(self, block: Table) -> str:
        return f"table({len(block.rows)}x{len(block.header)})"

    def section(self, block: Section, parts: list[str]) -> str:
        return f"section[{', '.join(parts)}]"

    def document(self, document: Document, parts: list[str]) -> list[str]:
        return [document.subject, *parts]


def test_another_renderer_plugs_into_the_same_walk_without_touching_the_content():
    document = Document(
        "award_decision",
        "Decision",
        EVERY_BLOCK,
        {"at": datetime(2026, 1, 1, tzinfo=UTC).isoformat()},
    )
    assert [
        "Decision",
        "heading",
        "paragraph",
        "preformatted",
        "section[bullets(2), key_values(2), table(2x2)]",
    ] == render(document, Outline())
