"""
Jobs and an email backend that misbehave on purpose, for test_worker_limits.py. The jobs run
in a child process that has no Django, so this module imports none of the portal.
"""

import time
from itertools import count

from django.core.mail.backends.locmem import EmailBackend


def allocate(**kwargs: object) -> int:
    """Ask for 4 GB at once, as a decompressing spreadsheet would."""
    return len(bytearray(4 * 1024**3))


def spin(**kwargs: object) -> None:
    """Never finish."""
    while True:
        time.sleep(0.01)


class FlakyEmailBackend(EmailBackend):
    """The locmem backend, but the server is away for the first `failures` sends."""

    failures = 0
    error: Exception = ConnectionRefusedError(111, "Connection refused")
    attempts = count()

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        if next(FlakyEmailBackend.attempts) < FlakyEmailBackend.failures:
            raise FlakyEmailBackend.error
        return super().send_messages(messages)
