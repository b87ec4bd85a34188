"""Documents: letters, notices and emails as typed content, and the renderers that show it.

Pure: no Django, no clock. A builder in `sanely.documents.letters` turns the typed facts of one
kind of letter into a `Document` (headings, paragraphs, lists, tables, and the facts it
states); `render_text` writes any document as the plain text of an email, and `to_json` /
`from_json` store it and read it back unchanged. `sanely.documents.wording` writes numbers,
money, counts, sentences, dates and times. See docs/documents.md.
"""

from sanely.documents._content import (
    Block,
    Body,
    BulletList,
    Document,
    Heading,
    Json,
    KeyValues,
    Paragraph,
    Preformatted,
    Section,
    Table,
)
from sanely.documents._errors import ContentInvalid, DocumentError, NaiveTime
from sanely.documents._json import from_json, to_json
from sanely.documents._render import Renderer, render
from sanely.documents._text import TextRenderer, render_text

__all__ = [
    "Block",
    "Body",
    "BulletList",
    "ContentInvalid",
    "Document",
    "DocumentError",
    "Heading",
    "Json",
    "KeyValues",
    "NaiveTime",
    "Paragraph",
    "Preformatted",
    "Renderer",
    "Section",
    "Table",
    "TextRenderer",
    "from_json",
    "render",
    "render_text",
    "to_json",
]
