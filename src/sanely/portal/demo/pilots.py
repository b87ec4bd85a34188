"""
Demo evidence: a demand-responsive bus pilot in six Wessex villages against six comparison
villages, before and after, judged by difference in differences. The data are simulated
(seeded) with a true fall in waiting time of about 4 minutes.
"""

import io
from datetime import datetime

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile

from sanely.portal.accounts.models import Organisation, Role, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.pilots.models import OutcomeAssessment
from sanely.portal.pilots.services import assessment_request

TITLE = "Demand-responsive bus, phase 1: waiting times"
PILOT = ["Ashby Parva", "Brockley", "Chalcombe", "Dunsford", "Elmstead", "Fordingley"]
COMPARISON = ["Grayshott", "Hambury", "Ilsington", "Kempley", "Lydford", "Marwood"]
SPEC = {
    "columns": {"value": "waiting_minutes", "unit": "village", "period": "quarter", "group": "arm"},
    "design": {
        "kind": "did",
        "treated": ["pilot"],
        "control": ["comparison"],
        "before": ["2025-Q1"],
        "after": ["2025-Q3"],
    },
    "metric": {"statistic": "mean", "label": "waiting time", "units": "minutes"},
    "target": {"comparator": "<=", "threshold": -2.0, "confidence": 0.95, "standard": "ci_bound"},
}


def demo_csv() -> bytes:
    """Trips with their waiting times: 40 per village and quarter."""
    rng = np.random.default_rng(2025)
    out = io.StringIO()
    out.write("trip,village,arm,quarter,waiting_minutes\n")
    trip = 0
    for arm, villages in (("pilot", PILOT), ("comparison", COMPARISON)):
        for village in villages:
            base = rng.normal(14, 2)
            for quarter in ("2025-Q1", "2025-Q3"):
                effect = -4.0 if (arm, quarter) == ("pilot", "2025-Q3") else 0.0
                trend = -0.5 if quarter == "2025-Q3" else 0.0
                for wait in rng.normal(base + effect + trend, 3.0, size=40).clip(0.5):
                    trip += 1
                    out.write(f"T{trip:05d},{village},{arm},{quarter},{wait:.1f}\n")
    return out.getvalue().encode()


def demo_evidence(*, now: datetime) -> None:
    """Queue the demo assessment once; the demo's worker runs it."""
    council = Organisation.objects.get(identifier_scheme="GB-GOR", identifier="E10000099")
    if OutcomeAssessment.objects.filter(organisation=council, title=TITLE).exists():
        return
    commissioner = User.objects.get(
        memberships__organisation=council, memberships__role=Role.COMMISSIONER
    )
    assessment_request(
        actor=Actor.for_session(commissioner),
        organisation_id=council.pk,
        title=TITLE,
        data=SimpleUploadedFile("drt-waiting-times.csv", demo_csv(), content_type="text/csv"),
        spec=SPEC,
        now=now,
    )
