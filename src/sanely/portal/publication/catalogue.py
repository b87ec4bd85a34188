"""Every source of facts the publisher reads: the procurement's own, then the partnership's."""

from . import after_award, sources
from .sources import Source

SOURCES: tuple[Source, ...] = (*sources.SOURCES, *after_award.SOURCES)
SOURCE_OF: dict[str, Source] = {source.kind: source for source in SOURCES}
