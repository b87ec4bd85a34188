"""The demo's engagement: falls-prevention sensors asked of the market, and its UK2 on the public list."""

import pytest

from sanely.portal.audit.services import audit_verify
from sanely.portal.core.clock import now
from sanely.portal.demo.load import demo_load
from sanely.portal.engagement.models import DesignChange, EngagementEvent, Participant, SharedItem
from sanely.portal.publication.models import Record

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(
        m.objects.count() for m in (EngagementEvent, Participant, SharedItem, DesignChange)
    )


def test_the_demo_engagement_is_played_once_and_its_challenge_is_listed_as_planned(client):
    at = now()
    demo_load(now=at)
    counts = _counts()
    demo_load(now=at)
    assert (2, 6, 1, 2) == counts == _counts()
    assert audit_verify().intact
    record = Record.objects.get(procurement__reference="WCC-IP-2026-002")
    assert "planning" == record.stage
    assert (
        "Falls prevention sensors for home care" in client.get("/open/", {"stage": "planning"}).text
    )
    assert "Planned" in client.get(f"/open/{record.ocid}/").text
    notice = client.get(f"/open/{record.ocid}/notices/engagement").text
    assert "Supplier day: detecting falls at night without cameras" in notice
    assert "Wessex County Hall, Winchester, and online" in notice
