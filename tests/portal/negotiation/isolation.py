"""
The negotiation routes' cases for tests/portal/test_organisation_isolation.py.
"""

# Routes that hold no organisation's private data, and why.
NEGOTIATION_PUBLIC: dict[str, str] = {}

NEGOTIATION_CASES: dict[str, object] = {}
