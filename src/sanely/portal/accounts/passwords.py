"""
Password rules after the NCSC's guidance: long enough, and not one that guessers try first.
No composition rules (capitals, symbols) and no expiry: those make passwords weaker in use.
"""

import re
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

DENY_LIST = Path(__file__).with_name("deny_list.txt")
# What people add to a guessable word to pass a rule: digits, symbols and spaces around it.
_PADDING = re.compile(r"^[\W\d_]+|[\W\d_]+$")
# Letters swapped for look-alike digits and symbols, which guessers swap back (1 and ! stand
# for i or l).
_LOOK_ALIKES = (str.maketrans("013457@$!", "oieastasi"), str.maketrans("013457@$!", "oleastasl"))


@cache
def denied_words() -> frozenset[str]:
    lines = DENY_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def guessable(password: str) -> bool:
    """Whether the password is a deny-listed word, a run of one, padded, or in look-alikes."""
    lowered = password.lower()
    unpadded = _PADDING.sub("", lowered)
    candidates = {lowered, unpadded, *(unpadded.translate(table) for table in _LOOK_ALIKES)}
    candidates |= {re.sub(r"[\W_]+", "", c) for c in set(candidates)}
    words = denied_words()
    return any(c in words or _repeats_one_of(c, words) for c in candidates if c)


def _repeats_one_of(text: str, words: frozenset[str]) -> bool:
    """'passwordpassword' or 'abcabcabcabc': one short unit repeated."""
    unit = re.fullmatch(r"(.+?)\1+", text)
    return unit is not None and (unit[1] in words or len(unit[1]) <= 3)


class DenyListValidator:
    """Refuses passwords on the service's deny-list (deny_list.txt), however they are padded."""

    def validate(self, password: str, user: Any = None) -> None:
        if guessable(password):
            raise ValidationError(
                "This password is one that people often choose, so it is easy to guess."
                " Choose another: three or four random words together work well.",
                code="password_denied",
            )

    def get_help_text(self) -> str:
        return "Do not use a common password or a common word with numbers or symbols added."
