"""
Fitting a release to the extension schemas at hand: a field that only an extension defines is
left out when that extension's schema is not in the schema directory, so that the release can
still be checked and published with what it can carry (never with an extension declared whose
schema nobody here can validate against, and never with an invented one).

What is left out is returned beside the release, by path, for the readable notice that shows
it; once the extension's folder is added, the same release carries the field and declares it.
"""

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sanely.ocds._extensions import EXTENSIONS
from sanely.ocds._releases import Built

Json = dict[str, Any]

# The fields sanely's releases use that each extension without a shared copy adds, as paths
# from the top of the release (as `withhold` names them).
EXTENSION_FIELDS: dict[str, tuple[str, ...]] = {
    "metrics": ("contracts.agreedMetrics", "contracts.implementation.metrics"),
    "transaction_milestones": (
        "contracts.implementation.transactions.relatedImplementationMilestone",
    ),
    "contract_completion": (
        "contracts.implementation.endDate",
        "contracts.implementation.endDateDetails",
        "contracts.implementation.finalValue",
    ),
}


def available_extensions(schema_dir: Path) -> frozenset[str]:
    """The extensions whose release schema is in the directory."""
    folder = Path(schema_dir) / "extensions"
    return frozenset(
        name
        for name, extension in EXTENSIONS.items()
        if (folder / extension.directory / "release-schema.json").is_file()
    )


@dataclass(frozen=True)
class Fitted:
    """The release as it can be published, and what was left out of it, by path."""

    built: Built
    omitted: dict[str, list[Any]]


def fit(built: Built, available: Iterable[str]) -> Fitted:
    """`built` without the fields of the extensions it uses that are not `available`."""
    present = set(available)
    missing = sorted(built.extensions - present)
    release = copy.deepcopy(built.release)
    omitted: dict[str, list[Any]] = {}
    for name in missing:
        for path in EXTENSION_FIELDS.get(name, ()):
            if taken := _take(release, path.split(".")):
                omitted[path] = taken
    _prune(release)
    return Fitted(Built(release, built.extensions & present), omitted)


def _take(node: object, keys: list[str]) -> list[Any]:
    """Remove `keys` below `node` (in every item of an array) and return what was there."""
    if isinstance(node, list):
        return [value for item in node for value in _take(item, keys)]
    if not isinstance(node, dict) or keys[0] not in node:
        return []
    if len(keys) == 1:
        return [node.pop(keys[0])]
    return _take(node[keys[0]], keys[1:])


def _prune(node: object) -> None:
    """Drop the objects a removal emptied (an implementation left with nothing in it)."""
    if isinstance(node, list):
        for item in node:
            _prune(item)
    elif isinstance(node, dict):
        for key, value in list(node.items()):
            _prune(value)
            if value == {}:
                del node[key]
