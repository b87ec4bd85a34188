"""
What a person is waiting to do: each app says what is due on its records (its `tasks`
module), and the home page lists them all, soonest first.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Task:
    """
    One thing to do, as a sentence; `due` is the day by which it is done where the law or the
    authority sets one; `url` is the page where it is done, only for someone who may do it.
    """

    sentence: str
    due: date | None = None
    url: str | None = None


def in_due_order(tasks: Iterable[Task]) -> list[Task]:
    """Soonest first; those without a date last, in the order of their sentences."""
    return sorted(tasks, key=lambda t: (t.due is None, t.due or date.min, t.sentence))
