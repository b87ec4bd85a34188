"""
Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP, HMAC-SHA1, 30-second steps,
6 digits): what authenticator apps show. Pure functions; the secret is sealed at rest by the
services.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

STEP_SECONDS = 30
DIGITS = 6
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends
# Codes of the step before and after are accepted too: phones' clocks drift.
WINDOW = 1


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def text_key(secret: bytes) -> str:
    """The secret as an app takes it typed in: base32, in groups of four letters."""
    letters = base64.b32encode(secret).decode().rstrip("=")
    return " ".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def step_at(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def code_at(secret: bytes, step: int, digits: int = DIGITS) -> str:
    """HOTP (RFC 4226 section 5.3) of the step: dynamic truncation of HMAC-SHA1."""
    digest = hmac.new(secret, step.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def matching_step(secret: bytes, code: str, moment: datetime) -> int | None:
    """The step within the window whose code this is, or None."""
    typed = "".join(code.split())
    now = step_at(moment)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if hmac.compare_digest(code_at(secret, step), typed):
            return step
    return None
