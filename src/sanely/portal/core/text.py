"""Checks on text that arrives from outside, shared by the API schemas and the services."""

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError


def holds_nul(value: Any) -> bool:
    """Whether any text in the value (inside lists and objects too) holds a NUL character,
    which PostgreSQL cannot store in text or JSON."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(holds_nul(item) for item in value)
    return False


def validate_single_line(value: str) -> None:
    """A name is one line: no line breaks, tabs or other control characters."""
    if any(unicodedata.category(c) in {"Cc", "Zl", "Zp"} for c in value):
        raise ValidationError(
            "Write the name on one line, without line breaks, tabs or control characters.",
            code="single_line",
        )
