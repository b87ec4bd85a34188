"""
A document as plain JSON, to store (the portal keeps it in `Letter.content`) and to read back:
`from_json(to_json(document)) == document`. Reading checks every field and names the first
one that is wrong.
"""

import copy
from collections.abc import Callable, Mapping

from ._content import (
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
from ._errors import ContentInvalid

FORMAT = 1


def to_json(document: Document) -> dict[str, Json]:
    """The document as JSON-able data (a fresh copy: changing it leaves the document alone)."""
    return {
        "format": FORMAT,
        "kind": document.kind,
        "subject": document.subject,
        "blocks": [_block_json(block) for block in document.blocks],
        "facts": copy.deepcopy(dict(document.facts)),
    }


def _block_json(block: Block) -> dict[str, Json]:
    match block:
        case Heading(text):
            return {"type": "heading", "text": text}
        case Paragraph(text):
            return {"type": "paragraph", "text": text}
        case Preformatted(text):
            return {"type": "preformatted", "text": text}
        case BulletList(items):
            return {"type": "bullets", "items": list(items)}
        case KeyValues(pairs):
            return {"type": "key_values", "pairs": [[key, value] for key, value in pairs]}
        case Table(caption, header, rows):
            return {
                "type": "table",
                "caption": caption,
                "header": list(header),
                "rows": [list(row) for row in rows],
            }
        case _:  # a section (mypy flags here any kind of block not written above)
            return {
                "type": "section",
                "heading": block.heading,
                "blocks": [_block_json(inner) for inner in block.blocks],
            }


def from_json(data: object) -> Document:
    """A stored document read back, or `ContentInvalid` naming the field that is wrong."""
    fields = _mapping(data, "document", {"format", "kind", "subject", "blocks", "facts"})
    if fields["format"] != FORMAT:
        raise ContentInvalid(
            "format", f"{fields['format']!r} is not a format this reads ({FORMAT})."
        )
    facts = fields["facts"]
    if not isinstance(facts, dict):
        raise ContentInvalid("facts", "Give the facts as a mapping.")
    return Document(
        kind=_text(fields["kind"], "kind"),
        subject=_text(fields["subject"], "subject"),
        blocks=tuple(
            _block(item, f"blocks[{index}]")
            for index, item in enumerate(_list(fields["blocks"], "blocks"))
        ),
        facts=copy.deepcopy(facts),
    )


def _block(data: object, path: str) -> Block:
    kind = _kind(data, path)
    if kind == "heading":
        return Heading(_text(_mapping(data, path, {"type", "text"})["text"], f"{path}.text"))
    if kind == "section":
        fields = _mapping(data, path, {"type", "heading", "blocks"})
        return Section(
            _text(fields["heading"], f"{path}.heading"),
            tuple(
                _body(item, f"{path}.blocks[{index}]")
                for index, item in enumerate(_list(fields["blocks"], f"{path}.blocks"))
            ),
        )
    return _body(data, path)


def _paragraph(data: object, path: str) -> Paragraph:
    return Paragraph(_text(_mapping(data, path, {"type", "text"})["text"], f"{path}.text"))


def _preformatted(data: object, path: str) -> Preformatted:
    return Preformatted(_text(_mapping(data, path, {"type", "text"})["text"], f"{path}.text"))


def _bullets(data: object, path: str) -> BulletList:
    items = _mapping(data, path, {"type", "items"})["items"]
    return BulletList(_texts(items, f"{path}.items"))


def _key_values(data: object, path: str) -> KeyValues:
    pairs = _list(_mapping(data, path, {"type", "pairs"})["pairs"], f"{path}.pairs")
    return KeyValues(
        tuple(_pair(pair, f"{path}.pairs[{index}]") for index, pair in enumerate(pairs))
    )


def _table(data: object, path: str) -> Table:
    fields = _mapping(data, path, {"type", "caption", "header", "rows"})
    rows = _list(fields["rows"], f"{path}.rows")
    return Table(
        _text(fields["caption"], f"{path}.caption"),
        _texts(fields["header"], f"{path}.header"),
        tuple(_texts(row, f"{path}.rows[{index}]") for index, row in enumerate(rows)),
    )


BODIES: dict[str, Callable[[object, str], Body]] = {
    "paragraph": _paragraph,
    "preformatted": _preformatted,
    "bullets": _bullets,
    "key_values": _key_values,
    "table": _table,
}


def _body(data: object, path: str) -> Body:
    kind = _kind(data, path)
    if kind not in BODIES:
        known = ", ".join(sorted(BODIES))
        raise ContentInvalid(
            f"{path}.type", f"{kind!r} is not a block a section can hold: use one of {known}."
        )
    return BODIES[kind](data, path)


def _kind(data: object, path: str) -> str:
    if not isinstance(data, dict) or "type" not in data:
        raise ContentInvalid(path, "Give a block as a mapping with its type.")
    return _text(data["type"], f"{path}.type")


def _mapping(data: object, path: str, keys: set[str]) -> Mapping[str, object]:
    if not isinstance(data, dict):
        raise ContentInvalid(path, "Give it as a mapping.")
    if missing := sorted(keys - data.keys()):
        raise ContentInvalid(path, f"{', '.join(missing)} missing: give every field.")
    if unknown := sorted(data.keys() - keys, key=str):
        raise ContentInvalid(path, f"{', '.join(map(str, unknown))} not known: remove it.")
    return data


def _list(data: object, path: str) -> list[object]:
    if not isinstance(data, list):
        raise ContentInvalid(path, "Give a list.")
    return data


def _text(data: object, path: str) -> str:
    if not isinstance(data, str):
        raise ContentInvalid(path, "Give text.")
    return data


def _texts(data: object, path: str) -> tuple[str, ...]:
    return tuple(_text(item, f"{path}[{index}]") for index, item in enumerate(_list(data, path)))


def _pair(data: object, path: str) -> tuple[str, str]:
    texts = _texts(data, path)
    if len(texts) != 2:
        raise ContentInvalid(path, "Give a pair as a list of two texts: [label, value].")
    return texts[0], texts[1]
