"""
The evaluation routes' cases for tests/portal/test_organisation_isolation.py.
"""

# Routes that hold no organisation's private data, and why.
EVALUATION_PUBLIC: dict[str, str] = {}

EVALUATION_CASES: dict[str, object] = {}
