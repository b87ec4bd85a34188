"""
The OCDS extensions sanely may declare, each pinned to the commit or tag whose schema it
validates against, and where that schema sits in the configured schema directory.

A package declares exactly the extensions its releases use (see `_package`); validation
patches the core schema with exactly those, from disk, never from the network.
"""

from dataclasses import dataclass

_RAW = "https://raw.githubusercontent.com"


@dataclass(frozen=True)
class Extension:
    """One pinned extension: the URL a package declares and the folder holding its schema."""

    name: str
    url: str
    directory: str


def _pinned(name: str, repository: str, ref: str, directory: str) -> Extension:
    return Extension(name, f"{_RAW}/{repository}/{ref}/extension.json", directory)


_OCE = "open-contracting-extensions"

EXTENSIONS: dict[str, Extension] = {
    extension.name: extension
    for extension in (
        _pinned("lots", f"{_OCE}/ocds_lots_extension", "v1.1.5", "ocds_lots_extension/v1.1.5"),
        _pinned("bids", f"{_OCE}/ocds_bid_extension", "v1.1.5", "ocds_bid_extension/v1.1.5"),
        _pinned(
            "awardCriteria",
            f"{_OCE}/ocds_awardCriteria_extension",
            "b6b9f03c67871e01d937ed09cfc1952193bc88a0",
            "ocds_awardCriteria_extension",
        ),
        _pinned(
            "selectionCriteria",
            f"{_OCE}/ocds_selectionCriteria_extension",
            "000d56560f215292fb422b75b39a77b7333223f8",
            "ocds_selectionCriteria_extension",
        ),
        _pinned(
            "submissionTerms",
            f"{_OCE}/ocds_submissionTerms_extension",
            "14edfeaf4bd39b25f169d83491a6a56a06431a0e",
            "ocds_submissionTerms_extension",
        ),
        _pinned(
            "milestone_documents",
            f"{_OCE}/ocds_milestone_documents_extension",
            "8537b9c70df8f2366e52bcada84ea00dbd291079",
            "ocds_milestone_documents_extension",
        ),
        _pinned(
            "uk",
            "cabinetoffice/ocds_uk_extension",
            "92dbc99f44d07a9a5dd30ced8c92b63bc707d0fd",
            "cabinetoffice_ocds_uk_extension",
        ),
        # Not yet in the shared schema directory: declared when a release uses their fields.
        _pinned(
            "metrics",
            f"{_OCE}/ocds_metrics_extension",
            "fad91df868907e339e5b3b4af5c334e02b80fa4f",
            "ocds_metrics_extension",
        ),
        _pinned(
            "transaction_milestones",
            f"{_OCE}/ocds_transactions_relatedMilestone_extension",
            "c2b4581af7620c038e65d7f4df0d2f14483b6912",
            "ocds_transactions_relatedMilestone_extension",
        ),
        _pinned(
            "contract_completion",
            f"{_OCE}/ocds_contract_completion_extension",
            "8274e739d39d32e13c9744b32d8d2f0bd55f0420",
            "ocds_contract_completion_extension",
        ),
    )
}

BY_URL: dict[str, Extension] = {extension.url: extension for extension in EXTENSIONS.values()}


def extension_url(name: str) -> str:
    """The pinned URL a package declares for the extension sanely calls `name`."""
    return EXTENSIONS[name].url
