"""
The selection routes' cases for tests/portal/test_organisation_isolation.py.
"""

# Routes that hold no organisation's private data, and why.
SELECTION_PUBLIC: dict[str, str] = {}

SELECTION_CASES: dict[str, object] = {}
