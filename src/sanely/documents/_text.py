"""
Plain text, as emails and the portal's letters carry it: blocks apart by a blank line, a
section's heading directly above its blocks, lists as `- item` lines, tables as pipe tables.
"""

from ._content import (
    BulletList,
    Document,
    Heading,
    KeyValues,
    Paragraph,
    Preformatted,
    Section,
    Table,
)
from ._render import render


class TextRenderer:
    """Each block as lines of plain text."""

    def heading(self, block: Heading) -> str:
        return block.text

    def paragraph(self, block: Paragraph) -> str:
        return block.text

    def preformatted(self, block: Preformatted) -> str:
        return block.text

    def bullets(self, block: BulletList) -> str:
        return "\n".join(f"- {item}" for item in block.items)

    def key_values(self, block: KeyValues) -> str:
        return "\n".join(f"{key}: {value}" for key, value in block.pairs)

    def table(self, block: Table) -> str:
        lines = [block.caption] if block.caption else []
        lines.append(_row(block.header))
        lines.append("|" + " --- |" * len(block.header))
        lines.extend(_row(row) for row in block.rows)
        return "\n".join(lines)

    def section(self, block: Section, parts: list[str]) -> str:
        return "\n".join([block.heading, *parts])

    def document(self, document: Document, parts: list[str]) -> str:
        return "\n\n".join(parts)


def _row(cells: tuple[str, ...]) -> str:
    # A cell's own bar or line break would split the row, so they become a slash and a space.
    return "| " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in cells) + " |"


def render_text(document: Document) -> str:
    """The body of the email or letter: the subject travels apart from it."""
    return render(document, TextRenderer())
