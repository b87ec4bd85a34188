"""
What an assessment's child process runs (`core.limits.run_limited`). The child starts fresh,
without Django, so this module imports nothing of the portal's.
"""

from pathlib import Path
from typing import Any

from sanely import evidence


def assess_file(path: Path, spec: dict[str, Any]) -> dict[str, Any]:
    """The evidence engine's verdict on one data file, as stored in the assessment."""
    return evidence.assess(path, spec).to_dict()
