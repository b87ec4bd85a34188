"""The lawful grounds for withholding information from open data, read from grounds.toml."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Ground:
    """One ground, with the regimes it belongs to and where the law says it."""

    id: str
    regimes: tuple[str, ...]
    label: str
    citation: str
    summary: str
    silent_allowed: bool
    verified_by: str


@cache
def grounds() -> tuple[Ground, ...]:
    """Every ground, in the file's order."""
    data = tomllib.loads((Path(__file__).parent / "grounds.toml").read_text(encoding="utf-8"))
    return tuple(
        Ground(**{**ground, "regimes": tuple(ground["regimes"])}) for ground in data["grounds"]
    )


def grounds_for(regime: str) -> tuple[Ground, ...]:
    """The grounds a procurement under `regime` (a rulebook's `regime`) may withhold on."""
    return tuple(ground for ground in grounds() if regime in ground.regimes)
