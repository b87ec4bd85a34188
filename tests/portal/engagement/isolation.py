"""
The engagement routes' cases for tests/portal/test_organisation_isolation.py: Wessex's record of
its market engagement is not found by Mercia's people, through a page or the API, and nothing
they send reaches it.
"""

from datetime import date

from portal.engagement.world import designing, workshop

from sanely.portal.accounts.models import Role
from sanely.portal.engagement.models import (
    DesignChange,
    EngagementEvent,
    EngagementNotice,
    SharedItem,
)

ENGAGEMENT_PUBLIC: dict[str, str] = {}


def _record_and_nothing_planted(wessex):
    procurement = designing(wessex)
    workshop(wessex, procurement)
    return procurement


def _unchanged(procurement):
    assert 1 == EngagementEvent.objects.filter(procurement=procurement).count()
    assert not SharedItem.objects.exists()
    assert not DesignChange.objects.exists()
    assert not EngagementNotice.objects.exists()


def case_page_record(wessex, mercia):
    procurement = _record_and_nothing_planted(wessex)
    page = mercia.client(Role.AUDITOR).get(f"/engagement/procurements/{procurement.pk}/")
    assert 404 == page.status_code
    assert "Supplier workshop" not in page.text


def _page_write(path, form):
    def case(wessex, mercia):
        procurement = _record_and_nothing_planted(wessex)
        client = mercia.client(Role.PROCUREMENT_LEAD)
        url = f"/engagement/procurements/{procurement.pk}/{path}"
        assert 404 == client.get(url).status_code
        assert 404 == client.post(url, form).status_code
        _unchanged(procurement)

    return case


def case_api_record(wessex, mercia):
    procurement = _record_and_nothing_planted(wessex)
    answer = mercia.token_client(Role.AUDITOR).get(
        f"/api/v1/engagement/procurements/{procurement.pk}"
    )
    assert 404 == answer.status_code
    assert "Supplier workshop" not in answer.text


def _api_write(path, body):
    def case(wessex, mercia):
        procurement = _record_and_nothing_planted(wessex)
        answer = mercia.token_client(Role.PROCUREMENT_LEAD).post(
            f"/api/v1/engagement/procurements/{procurement.pk}/{path}",
            body,
            content_type="application/json",
        )
        assert 404 == answer.status_code
        _unchanged(procurement)

    return case


_EVENT = {
    "title": "Planted",
    "form": "event",
    "held_at": "2026-12-09T10:00:00Z",
    "asked": "Planted",
}
_NOTICE = {"closes_on": date(2026, 12, 18).isoformat(), "process": "Planted"}

ENGAGEMENT_CASES: dict[str, object] = {
    "engagement:record": case_page_record,
    "engagement:event_new": _page_write("events/new", {**_EVENT, "held_at": "2026-12-09 10:00"}),
    "engagement:shared_new": _page_write("shared/new", {"title": "Planted", "content": "Planted"}),
    "engagement:change_new": _page_write("changes/new", {"section": "need", "change": "Planted"}),
    "engagement:notice_new": _page_write("notice/new", _NOTICE),
    "api:engagement_record": case_api_record,
    "api:engagement_event_record": _api_write("events", _EVENT),
    "api:engagement_shared_record": _api_write(
        "shared", {"title": "Planted", "content": "Planted"}
    ),
    "api:engagement_change_record": _api_write("changes", {"section": "need", "change": "Planted"}),
    "api:engagement_notice_publish": _api_write("notice", _NOTICE),
}
