"""
The award routes' cases for tests/portal/test_organisation_isolation.py.
"""

# Routes that hold no organisation's private data, and why.
AWARD_PUBLIC: dict[str, str] = {}

AWARD_CASES: dict[str, object] = {}
