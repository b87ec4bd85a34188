"""
Withholding: a release with named fields removed before it is published, for information the
law lets an authority keep back (the reasons are the portal's to record, not this module's).

A path names a field by its keys from the top of the release, crossing arrays item by item:
`awards.value` removes the value of every award in the release, `contracts.agreedMetrics` every
contract's KPIs. A path that names nothing in the release is refused, so that a mistyped path
never passes for information withheld; whether what is left is still a valid release is the
validator's to say.
"""

import copy
from collections.abc import Iterable
from typing import Any

from sanely.ocds._errors import WithholdingRefused

Json = dict[str, Any]


def withhold(release: Json, paths: Iterable[str]) -> Json:
    """A copy of `release` without the fields at `paths`."""
    kept = copy.deepcopy(release)
    for path in paths:
        if not _remove(kept, path.split(".")):
            raise WithholdingRefused(
                f"release {release.get('id')!r} has nothing at {path!r} to withhold"
            )
    return kept


def _remove(node: object, keys: list[str]) -> bool:
    """Remove `keys` below `node` (in every item of an array); whether anything was there."""
    if isinstance(node, list):
        return [_remove(item, keys) for item in node].count(True) > 0
    if not isinstance(node, dict) or keys[0] not in node:
        return False
    if len(keys) == 1:
        del node[keys[0]]
        return True
    return _remove(node[keys[0]], keys[1:])
