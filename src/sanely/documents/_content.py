"""
Typed content: a document is its kind, its subject, a sequence of blocks and the facts it
states. Blocks say what a piece of text is (a heading, a paragraph, a list, a table), never
how it looks: each renderer decides that for its medium.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ._errors import ContentInvalid

type Json = str | int | float | bool | list[Json] | dict[str, Json] | None

KIND = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Heading:
    """The title of the whole document, standing alone."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """Running text; a newline inside it is a line break, not a new paragraph."""

    text: str


@dataclass(frozen=True)
class BulletList:
    """Items in no particular order of importance, each a line of text."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class KeyValues:
    """Labelled values, such as `Reason: ...`, one pair a line."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """Rows of cells under a header; every row has one cell per column of the header."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Preformatted:
    """Text to be kept exactly as it is, line for line (a signed receipt, a command)."""

    text: str


type Body = Paragraph | BulletList | KeyValues | Table | Preformatted


@dataclass(frozen=True)
class Section:
    """A heading and the blocks it heads, kept together."""

    heading: str
    blocks: tuple[Body, ...]


type Block = Heading | Section | Body


@dataclass(frozen=True)
class Document:
    """
    A letter, notice or email as typed content. `facts` are the facts it states, as plain JSON
    (lists, not tuples), so that storing and reading it back gives an equal document.
    """

    kind: str
    subject: str
    blocks: tuple[Block, ...]
    facts: Mapping[str, Json] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not KIND.fullmatch(self.kind):
            raise ContentInvalid(
                "kind", f"{self.kind!r} is not a kind: use lower case letters, digits and _."
            )
        if not self.subject.strip() or "\n" in self.subject:
            raise ContentInvalid("subject", "Give a subject of one line that is not blank.")
        for index, block in enumerate(self.blocks):
            _check_block(block, f"blocks[{index}]")
        _check_json(self.facts, "facts")


def _check_block(block: Block, path: str) -> None:
    if isinstance(block, Section):
        for index, inner in enumerate(block.blocks):
            _check_block(inner, f"{path}.blocks[{index}]")
    elif isinstance(block, Table):
        width = len(block.header)
        for index, row in enumerate(block.rows):
            if len(row) != width:
                raise ContentInvalid(
                    f"{path}.rows[{index}]",
                    f"has {len(row)} cells; the header has {width}: give one cell per column.",
                )


def _check_json(value: object, path: str) -> None:
    """Refuse anything that would not come back equal from JSON."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ContentInvalid(path, f"key {key!r} is not text: JSON keys are text.")
            _check_json(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, f"{path}[{index}]")
    elif isinstance(value, float) and not math.isfinite(value):
        raise ContentInvalid(path, f"{value} is not a finite number: JSON has no {value}.")
    elif not isinstance(value, str | int | float | bool | None):
        raise ContentInvalid(
            path,
            f"{type(value).__name__} is not plain JSON: give text, a number, true/false,"
            " null, a list or a mapping (write a decimal or a date as text).",
        )
