"""
Open contracting data for innovation partnerships: facts in, OCDS 1.1.5 release packages out.

Pure: no Django, no network, `now` passed in. `facts` holds the typed facts; `build_release`
turns one into a release through the allow-list of public fields; `build_package` wraps
releases with the publisher, licence, extensions and audit-chain head; `validate_package`
checks a package against the official schema and its declared extensions read from disk;
`withhold` removes fields the authority keeps back; `build_record` and `build_record_package`
serve one contracting process as a record; `compile_releases` (and `sanely ocds compile`) merges
any release packages into records.
"""

from sanely.ocds._errors import (
    CompileRefused,
    FactRefused,
    OcdsError,
    PackageRefused,
    ReleaseInvalid,
    SchemaUnavailable,
    WithholdingRefused,
)
from sanely.ocds._extensions import extension_url
from sanely.ocds._fit import Fitted, available_extensions, fit
from sanely.ocds._package import (
    AuditHead,
    PublicationConfig,
    Publisher,
    build_package,
    build_record_package,
)
from sanely.ocds._records import build_record, merge_rules
from sanely.ocds._releases import Built, build_release, ocid
from sanely.ocds._validate import validate_package, validate_record_package
from sanely.ocds._withhold import withhold

__all__ = [
    "AuditHead",
    "Built",
    "CompileRefused",
    "FactRefused",
    "Fitted",
    "OcdsError",
    "PackageRefused",
    "PublicationConfig",
    "Publisher",
    "ReleaseInvalid",
    "SchemaUnavailable",
    "WithholdingRefused",
    "available_extensions",
    "build_package",
    "build_record",
    "build_record_package",
    "build_release",
    "extension_url",
    "fit",
    "merge_rules",
    "ocid",
    "validate_package",
    "validate_record_package",
    "withhold",
]
