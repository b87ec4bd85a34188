"""
Demo submissions: Wessex's published rural transport procurement has its requests to
participate open, and two suppliers have submitted, each with a signed receipt. Loading twice
changes nothing: the round is found by its procurement first.
"""

from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from sanely.portal.accounts.models import Organisation, Role, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.procurements.design import section
from sanely.portal.procurements.engine import requests_close
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.models import RoundKind, SubmissionRound
from sanely.portal.tenders.services import submission_round_open, submission_submit

REFERENCE = "WCC-IP-2026-001"
PARTS = ["Selection questionnaire", "Case studies"]
# (supplier's registration number, file name, what the file says, days before now)
SUBMISSIONS = [
    ("14500001", "kestrel-selection-questionnaire.txt", "Kestrel Mobility Ltd: 12 years", 3),
    ("14500002", "fenland-selection-questionnaire.txt", "Fenland Community Transport CIC", 2),
]


def demo_tenders(*, now: datetime) -> None:
    """Open the requests to participate of the demo procurement and submit two of them."""
    procurement = Procurement.objects.filter(reference=REFERENCE).first()
    if (
        procurement is None
        or procurement.published_at is None
        or SubmissionRound.objects.filter(procurement=procurement).exists()
    ):
        return
    closes = requests_close(section(procurement.design, "timeline").requests_deadline)
    opened_at = max(procurement.published_at, now - timedelta(days=4))
    lead = User.objects.get(
        memberships__organisation=procurement.organisation,
        memberships__role=Role.PROCUREMENT_LEAD,
    )
    submission_round = submission_round_open(
        actor=Actor.for_session(lead),
        procurement_id=procurement.pk,
        kind=RoundKind.RTP,
        number=1,
        deadline=closes or now + timedelta(days=30),
        parts=PARTS,
        now=opened_at,
    )
    for identifier, name, text, days_ago in SUBMISSIONS:
        supplier = Organisation.objects.get(identifier_scheme="GB-COH", identifier=identifier)
        admin = User.objects.get(
            memberships__organisation=supplier, memberships__role=Role.SUPPLIER_ADMIN
        )
        body = f"{text}. Selection questionnaire answers for {REFERENCE}.\n"
        submission_submit(
            actor=Actor.for_session(admin),
            round_id=submission_round.pk,
            organisation_id=supplier.pk,
            part=PARTS[0],
            upload=SimpleUploadedFile(name, body.encode()),
            now=now - timedelta(days=days_ago),
        )
