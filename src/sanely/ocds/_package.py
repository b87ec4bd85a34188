"""
Release packages: the publisher's metadata, the releases, the extensions they use, and the
head of the portal's audit chain at the moment of publication.

`auditChainHead` is a sanely field at the top of the package (OCDS allows additional
fields there): `{"sequence": N, "hash": "<64 hex>", "hashAlgorithm": "sha-256",
"recordedAt": date}` — the sequence number and hash of the newest audit-trail entry when the
package was published. Whoever keeps a package can later ask the portal to prove that the
trail up to that entry has not been rewritten (`sanely audit verify --against PACKAGE`).
"""

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sanely.ocds._errors import PackageRefused
from sanely.ocds._extensions import EXTENSIONS
from sanely.ocds._facts import _Checked
from sanely.ocds._releases import Built, date

OCDS_VERSION = "1.1"
OGL_V3 = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@dataclass(frozen=True, kw_only=True)
class Publisher(_Checked):
    """Who publishes: an organisation name and, ideally, its identifier scheme and id."""

    name: str
    scheme: str = ""
    uid: str = ""
    uri: str = ""


@dataclass(frozen=True, kw_only=True)
class PublicationConfig(_Checked):
    """What every package of one portal carries: ocid prefix, publisher and licence."""

    ocid_prefix: str
    publisher: Publisher
    license: str = OGL_V3
    publication_policy: str = ""

    def _check(self) -> None:
        if not re.fullmatch(r"ocds-[a-z0-9]{6}", self.ocid_prefix):
            self._refuse("ocid_prefix", f"{self.ocid_prefix!r} is not 'ocds-' and 6 letters/digits")


@dataclass(frozen=True, kw_only=True)
class AuditHead(_Checked):
    """The newest entry of the audit chain when a package is published."""

    sequence: int
    hash: str
    recorded_at: datetime

    def _check(self) -> None:
        if self.sequence < 0:
            self._refuse("sequence", f"{self.sequence} is negative")
        if not re.fullmatch(r"[0-9a-f]{64}", self.hash):
            self._refuse("hash", "expected a SHA-256 digest in 64 lower-case hex digits")


def build_package(
    config: PublicationConfig,
    releases: Sequence[Built],
    *,
    uri: str,
    published: datetime,
    audit_head: AuditHead | None = None,
) -> dict[str, Any]:
    """A release package declaring exactly the extensions its releases use."""
    used = frozenset().union(*(built.extensions for built in releases))
    contents = [built.release for built in releases]
    return _wrap(config, "releases", contents, "id", used, uri, published, audit_head)


def build_record_package(
    config: PublicationConfig,
    records: Sequence[dict[str, Any]],
    *,
    extensions: frozenset[str],
    uri: str,
    published: datetime,
    audit_head: AuditHead | None = None,
) -> dict[str, Any]:
    """A record package; `extensions` names those its records' releases use."""
    return _wrap(config, "records", list(records), "ocid", extensions, uri, published, audit_head)


def _wrap(
    config: PublicationConfig,
    kind: str,
    contents: list[dict[str, Any]],
    key: str,
    extensions: frozenset[str],
    uri: str,
    published: datetime,
    audit_head: AuditHead | None,
) -> dict[str, Any]:
    """The package around releases or records, whose `key` (id, ocid) must be unique."""
    if not contents:
        raise PackageRefused(f"a package needs at least one {kind[:-1]}")
    counts = Counter(item[key] for item in contents)
    duplicates = sorted(value for value, count in counts.items() if count > 1)
    if duplicates:
        repeated = ", ".join(duplicates)
        raise PackageRefused(f"{kind[:-1]} {key}s must be unique; repeated: {repeated}")
    package: dict[str, Any] = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": date(published),
        "publisher": _publisher(config.publisher),
        "license": config.license,
        "extensions": [EXTENSIONS[name].url for name in sorted(extensions)],
        kind: contents,
    }
    if config.publication_policy:
        package["publicationPolicy"] = config.publication_policy
    if audit_head is not None:
        package["auditChainHead"] = {
            "sequence": audit_head.sequence,
            "hash": audit_head.hash,
            "hashAlgorithm": "sha-256",
            "recordedAt": date(audit_head.recorded_at),
        }
    return package


def _publisher(publisher: Publisher) -> dict[str, str]:
    optional = {"scheme": publisher.scheme, "uid": publisher.uid, "uri": publisher.uri}
    return {"name": publisher.name, **{key: text for key, text in optional.items() if text}}
