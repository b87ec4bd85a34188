"""
Internal identifiers that must not reach people: what a page shows outside a <details>
disclosure must be words a council officer would use, not the codes the software keeps.
"""

import re
from html.parser import HTMLParser

# Text inside these elements is not shown, or is shown only on request (a disclosure).
_HIDDEN = {"details", "script", "style", "template", "noscript"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}

PATTERNS = {
    "rulebook id": re.compile(r"\b(?:pa-2023|pcr-2015|pcsr-2015|eu-2014)-[a-z0-9-]+"),
    "index path": re.compile(r"\b[a-z_]+(?:\.[a-z_]+)*\[\d+\](?:\.[a-z_]+(?:\[\d+\])?)*"),
    "snake_case word": re.compile(r"(?<![\w@./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-]|\.\w)"),
    "ISO timestamp": re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"),
    "content hash": re.compile(r"\b(?:sha256:)?[0-9a-f]{32,}\b"),
}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth_hidden = 0
        self.stack: list[str] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        self.stack.append(tag)
        if tag in _HIDDEN:
            self.depth_hidden += 1

    def handle_endtag(self, tag):
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            opened = self.stack.pop()
            if opened in _HIDDEN:
                self.depth_hidden -= 1
            if opened == tag:
                break

    def handle_data(self, data):
        if not self.depth_hidden:
            self.chunks.append(data)


def visible_text(html: str) -> str:
    """The page's text outside disclosures, scripts and styles; attributes are not text."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.chunks)


def internal_ids(html: str) -> list[tuple[str, str]]:
    """(kind, text) of every internal identifier a page shows outside a <details> element."""
    text = visible_text(html)
    return [(kind, found) for kind, pattern in PATTERNS.items() for found in pattern.findall(text)]
