"""
Records: one contracting process's releases with its compiled and versioned release, as a
publisher serves them (`/ocds/records/{ocid}`), merged by the rules of the same release schema,
patched with the same extensions, that the releases were validated against.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sanely.ocds._compile import Output
from sanely.ocds._merge import Rules, rules_of
from sanely.ocds._validate import patched_release_schema

Json = dict[str, Any]
_RECORD = Output(versioned=True, records=True)


def merge_rules(schema_dir: Path, extensions: Sequence[str]) -> Rules:
    """The merge rules of the 1.1.5 release schema patched with `extensions` (their URLs)."""
    return rules_of(patched_release_schema(Path(schema_dir), extensions))


def build_record(ocid: str, releases: Sequence[Json], rules: Rules) -> Json:
    """The record of one ocid: its releases in date order, compiled and versioned."""
    ordered = sorted(releases, key=lambda release: release["date"])  # stable: ties keep order
    return _RECORD.shape(ocid, ordered, rules)
