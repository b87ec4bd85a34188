"""The demo: Wessex's rural transport requests are open, with two receipted submissions."""

import pytest

from sanely import vault
from sanely.portal.core.clock import now
from sanely.portal.demo.load import demo_load
from sanely.portal.tenders.keys import signing_key
from sanely.portal.tenders.models import SubmissionRound, SubmissionVersion

pytestmark = pytest.mark.django_db


def test_the_demo_opens_requests_with_two_receipted_submissions_once():
    at = now()
    demo_load(now=at)
    demo_load(now=at)
    submission_round = SubmissionRound.objects.get(procurement__reference="WCC-IP-2026-001")
    assert ("WCC-IP-2026-001/rtp-1", False) == (submission_round.ref, submission_round.is_open)
    assert at < submission_round.deadline
    versions = SubmissionVersion.objects.filter(round=submission_round).order_by("received_at")
    assert ["Kestrel Mobility Ltd", "Fenland Community Transport CIC"] == [
        v.organisation.name for v in versions
    ]
    for version in versions:
        receipt = vault.receipt_verify(version.receipt, signing_key().public_pem)
        assert version.received_at == receipt.received_at
