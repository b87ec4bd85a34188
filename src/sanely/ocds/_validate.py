"""
Validation of release packages against the official OCDS 1.1.5 schema, patched with exactly
the extensions a package declares, all read from a configured directory (never downloaded).

The directory is laid out as the shared reference copy is: `standard-1.1.5/` with the core
schemas and `extensions/<folder>/release-schema.json` per extension (see `_extensions`).
jsonschema-rs does the checking (about 150 times faster than `jsonschema` on the same
releases, with the same errors); each error names the release and its JSON path.
"""

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson

from sanely.ocds._errors import ReleaseInvalid, SchemaUnavailable
from sanely.ocds._extensions import BY_URL

CORE = "standard-1.1.5"


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply an RFC 7386 JSON merge patch (how OCDS extensions patch the release schema)."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def _tolerate_null_types(schema: Any) -> Any:
    """Read `"type": ["string", null]` as `["string", "null"]`: a known slip in a patch."""
    if isinstance(schema, list):
        return [_tolerate_null_types(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    fixed = {key: _tolerate_null_types(value) for key, value in schema.items()}
    if isinstance(fixed.get("type"), list):
        fixed["type"] = ["null" if kind is None else kind for kind in fixed["type"]]
    return fixed


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaUnavailable(
            f"{path} is missing: point the schema directory at a copy "
            "of the OCDS reference files (standard-1.1.5/, extensions/)"
        ) from None


def patched_release_schema(schema_dir: Path, extensions: Sequence[str]) -> dict[str, Any]:
    """The 1.1.5 release schema patched with each declared extension, in the declared order."""
    schema = _load(schema_dir / CORE / "release-schema.json")
    for url in extensions:
        extension = BY_URL.get(url)
        if extension is None:
            raise SchemaUnavailable(f"extension {url} is not one sanely knows a pinned copy of")
        patch = _load(schema_dir / "extensions" / extension.directory / "release-schema.json")
        schema = merge_patch(schema, _tolerate_null_types(patch))
    return schema  # type: ignore[no-any-return]


class PackageValidator:
    """Checks release packages that declare one given list of extensions.

    The patched release schema is embedded in the package schema, so that a whole package
    is checked in one call into jsonschema-rs; errors under `/releases/N` name release N.
    """

    def __init__(self, schema_dir: Path, extensions: Sequence[str]) -> None:
        package_schema = _load(schema_dir / CORE / "release-package-schema.json")
        release_schema = patched_release_schema(schema_dir, extensions)
        package_schema["definitions"] = release_schema.pop("definitions")
        # Without its own `id`, the embedded schema's `#/definitions/...` resolve at the root.
        release_schema.pop("id", None)
        release_schema.pop("$schema", None)
        releases = package_schema["properties"]["releases"]
        releases["items"] = release_schema
        # `uniqueItems` is checked below, mostly by ids: comparing whole releases costs more
        # than the rest of the validation together.
        self._unique = releases.pop("uniqueItems", False)
        self._validator = jsonschema_rs.Draft4Validator(package_schema, validate_formats=True)

    def problems(self, package: dict[str, Any]) -> list[str]:
        """Every schema error, as 'where at /path: what' lines; empty when the package is valid."""
        found = (
            []
            if self._validator.is_valid(package)
            else [_line(package, error) for error in self._validator.iter_errors(package)]
        )
        releases = package.get("releases")
        if self._unique and isinstance(releases, list):
            found += _repeated_releases(releases)
        return found


def _repeated_releases(releases: list[Any]) -> list[str]:
    ids = [release.get("id") if isinstance(release, dict) else None for release in releases]
    if None not in ids and len(set(map(str, ids))) == len(ids):
        return []  # distinct ids: no two releases can be the same
    seen: dict[bytes, int] = {}
    found = []
    for index, release in enumerate(releases):
        first = seen.setdefault(orjson.dumps(release, option=orjson.OPT_SORT_KEYS), index)
        if first != index:
            found.append(f"package at /releases: release {index} repeats release {first}")
    return found


def _line(package: dict[str, Any], error: jsonschema_rs.ValidationError) -> str:
    path = list(error.instance_path)
    where = "package"
    if len(path) >= 2 and path[0] == "releases":
        release = package["releases"][path[1]]
        name = release.get("id", "no id") if isinstance(release, dict) else None
        where = f"release {path[1]}" + (f" ({name})" if name else "")
        path = path[2:]
    return f"{where} at /{'/'.join(str(part) for part in path)}: {error.message}"


class RecordPackageValidator:
    """Checks record packages: the records' releases and compiled release against the patched
    release schema, their versioned release against the versioned-release schema.

    The 1.1.5 record package schema names the release schemas by their URLs; here each is
    replaced by the copy read from the schema directory, so nothing is fetched.
    """

    def __init__(self, schema_dir: Path, extensions: Sequence[str]) -> None:
        package_schema = _load(schema_dir / CORE / "record-package-schema.json")
        release_schema = patched_release_schema(schema_dir, extensions)
        package_schema["definitions"] |= release_schema.pop("definitions")
        release_schema.pop("id", None)
        release_schema.pop("$schema", None)
        record = package_schema["definitions"]["record"]["properties"]
        record["releases"]["oneOf"][1]["items"] = release_schema
        record["compiledRelease"] = release_schema
        # The versioned schema's definitions share names with the release schema's: it is
        # checked on its own below.
        record["versionedRelease"] = {"type": "object"}
        records = package_schema["properties"]["records"]
        self._unique = records.pop("uniqueItems", False)
        self._validator = jsonschema_rs.Draft4Validator(package_schema, validate_formats=True)
        self._versioned = jsonschema_rs.Draft4Validator(
            _load(schema_dir / CORE / "versioned-release-validation-schema.json"),
            validate_formats=True,
        )

    def problems(self, package: dict[str, Any]) -> list[str]:
        """Every schema error, as 'where at /path: what' lines; empty when the package is valid."""
        found = [
            f"package at /{'/'.join(str(part) for part in error.instance_path)}: {error.message}"
            for error in self._validator.iter_errors(package)
        ]
        records = package.get("records")
        if not isinstance(records, list):
            return found
        for index, record in enumerate(records):
            versioned = record.get("versionedRelease") if isinstance(record, dict) else None
            if versioned is not None:
                found += [
                    f"record {index} versionedRelease at /"
                    f"{'/'.join(str(part) for part in error.instance_path)}: {error.message}"
                    for error in self._versioned.iter_errors(versioned)
                ]
        ocids = [record.get("ocid") if isinstance(record, dict) else None for record in records]
        if self._unique and len(set(map(str, ocids))) != len(ocids):
            found.append("package at /records: two records have the same ocid")
        return found


@cache
def _validator(schema_dir: Path, extensions: tuple[str, ...]) -> PackageValidator:
    return PackageValidator(schema_dir, extensions)


@cache
def _record_validator(schema_dir: Path, extensions: tuple[str, ...]) -> RecordPackageValidator:
    return RecordPackageValidator(schema_dir, extensions)


def validate_record_package(package: dict[str, Any], schema_dir: Path) -> None:
    """Raise `ReleaseInvalid` listing every error unless the record package is valid."""
    extensions = tuple(package.get("extensions") or ())
    problems = _record_validator(Path(schema_dir).resolve(), extensions).problems(package)
    if problems:
        raise ReleaseInvalid(problems)


def validate_package(package: dict[str, Any], schema_dir: Path) -> None:
    """Raise `ReleaseInvalid` listing every error unless `package` is valid with its extensions."""
    validator = _validator(Path(schema_dir).resolve(), tuple(package.get("extensions") or ()))
    problems = validator.problems(package)
    if problems:
        raise ReleaseInvalid(problems)
