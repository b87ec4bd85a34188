"""
Open contracting data for innovation partnerships: facts in, OCDS 1.1.5 release packages out.

Pure: no Django, no network, `now` passed in. `facts` holds the typed facts; `build_release`
turns one into a release through the allow-list of public fields; `build_package` wraps
releases with the publisher, licence, extensions and audit-chain head; `validate_package`
checks a package against the official schema and its declared extensions read from disk;
`compile_files` (and `sanely ocds compile`) merges any release packages into records.
"""

from sanely.ocds._errors import (
    CompileRefused,
    FactRefused,
    OcdsError,
    PackageRefused,
    ReleaseInvalid,
    SchemaUnavailable,
)
from sanely.ocds._package import AuditHead, PublicationConfig, Publisher, build_package
from sanely.ocds._releases import Built, build_release, ocid
from sanely.ocds._validate import validate_package

__all__ = [
    "AuditHead",
    "Built",
    "CompileRefused",
    "FactRefused",
    "OcdsError",
    "PackageRefused",
    "PublicationConfig",
    "Publisher",
    "ReleaseInvalid",
    "SchemaUnavailable",
    "build_package",
    "build_release",
    "ocid",
    "validate_package",
]
