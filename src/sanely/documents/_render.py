"""
The seam every renderer plugs into. `render` walks a document's blocks and asks the renderer
for each one; a renderer says only how each kind of block looks in its medium. The plain text
of emails is one renderer (`render_text`); a .docx or PDF renderer is another class with the
same methods, added beside it, and no builder changes. mypy checks that a renderer handles
every kind of block.
"""

from typing import Protocol

from ._content import (
    Block,
    BulletList,
    Document,
    Heading,
    KeyValues,
    Paragraph,
    Preformatted,
    Section,
    Table,
)


class Renderer[Part, Out](Protocol):
    """How one medium shows each kind of block (`Part`), and the whole document (`Out`)."""

    def heading(self, block: Heading) -> Part: ...

    def paragraph(self, block: Paragraph) -> Part: ...

    def preformatted(self, block: Preformatted) -> Part: ...

    def bullets(self, block: BulletList) -> Part: ...

    def key_values(self, block: KeyValues) -> Part: ...

    def table(self, block: Table) -> Part: ...

    def section(self, block: Section, parts: list[Part]) -> Part:
        """A section, given its blocks already rendered."""
        ...

    def document(self, document: Document, parts: list[Part]) -> Out:
        """The whole document, given its blocks already rendered."""
        ...


def render[Part, Out](document: Document, renderer: Renderer[Part, Out]) -> Out:
    """The document in the renderer's medium."""
    return renderer.document(document, [_part(block, renderer) for block in document.blocks])


def _part[Part](block: Block, renderer: Renderer[Part, object]) -> Part:
    match block:
        case Heading():
            return renderer.heading(block)
        case Paragraph():
            return renderer.paragraph(block)
        case Preformatted():
            return renderer.preformatted(block)
        case BulletList():
            return renderer.bullets(block)
        case KeyValues():
            return renderer.key_values(block)
        case Table():
            return renderer.table(block)
        case _:  # a section: mypy says so, and flags here any block a renderer does not handle
            return renderer.section(block, [_part(inner, renderer) for inner in block.blocks])
