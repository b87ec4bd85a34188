"""
What the end-to-end competition journeys share: a clock the test moves (deadlines must really
pass before a round is opened or a standstill ends), and a lawful design with scored selection,
award criteria with sub-criteria and a published price formula.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from competition import DESIGN, RURAL_TRANSPORT

JOURNEY_STARTS = datetime(2024, 9, 2, 9, 0, tzinfo=UTC)  # a Monday, under PCR 2015


@dataclass
class Clock:
    """The portal's time during a journey; `django.utils.timezone.now` reads it."""

    moment: datetime

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> datetime:
        self.moment += timedelta(**delta)
        return self.moment


def journey_clock(monkeypatch: Any, start: datetime = JOURNEY_STARTS) -> Clock:
    clock = Clock(start)
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


def lawful_design(notice_on: date, requests_days: int = 30) -> dict[str, Any]:
    """
    Every section a rulebook asks for, with the notice on `notice_on`: the phases, intellectual
    property and confidentiality of the demo's design of the same service.
    """
    return DESIGN | {
        **{name: RURAL_TRANSPORT[name] for name in ("phases", "ipr", "confidentiality")},
        "conflicts": {"assessment_complete": True, "assessment_summary": "No conflicts."},
        "timeline": {
            "notice_on": notice_on.isoformat(),
            "requests_deadline": (notice_on + timedelta(days=requests_days)).isoformat(),
            "procedure_description": "Requests, two negotiated rounds, final tenders; two phases.",
        },
    }
