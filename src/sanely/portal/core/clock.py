"""
The one clock of the portal.

Views and tasks read it once per request or job and pass `now` down; services and the
pure packages never read the time themselves, so tests can give them any moment.
"""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return timezone.now()
