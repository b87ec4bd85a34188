"""The engagement record through its pages and the API."""

import pytest
from portal.engagement.world import designing, workshop

from sanely.portal.accounts.models import Role
from sanely.portal.engagement.models import (
    DesignChange,
    EngagementEvent,
    EngagementNotice,
    SharedItem,
)

pytestmark = pytest.mark.django_db


def post_json(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_an_event_is_recorded_through_the_page_and_read_on_the_record(wessex):
    procurement = designing(wessex)
    page = wessex.client(Role.COMMISSIONER)
    base = f"/engagement/procurements/{procurement.pk}/"
    answer = page.post(
        f"{base}events/new",
        {
            "title": "Questionnaire to bus operators",
            "form": "questionnaire",
            "held_at": "2026-12-09 10:00",
            "asked": "What would a village booking service cost per trip?",
            "participants": "Kestrel Mobility Ltd, SME\nVillage Wheels, VCSE\n\nBig Bus plc",
        },
    )
    assert 302 == answer.status_code
    event = EngagementEvent.objects.get()
    assert [
        ("Kestrel Mobility Ltd", True, False),
        ("Village Wheels", False, True),
        ("Big Bus plc", False, False),
    ] == [(p.name, p.is_sme, p.is_vcse) for p in event.participants.all()]
    record = page.get(base).text
    assert "Questionnaire to bus operators" in record
    assert "9 December 2026, 10:00" in record
    assert "Kestrel Mobility Ltd (small or medium-sized enterprise)" in record
    assert "publish the notice here" in record  # engagement without a UK2 nor reasons


def test_a_bad_form_is_a_400_naming_the_field_and_stores_nothing(wessex):
    procurement = designing(wessex)
    page = wessex.client(Role.COMMISSIONER)
    answer = page.post(
        f"/engagement/procurements/{procurement.pk}/events/new",
        {"title": "", "form": "event", "held_at": "2026-12-09 10:00", "asked": ""},
    )
    assert 400 == answer.status_code
    assert "Say what the market was asked" in answer.text
    assert not EngagementEvent.objects.exists()


def test_shared_change_and_notice_pages_record_each(wessex, client):
    procurement = designing(wessex)
    event = workshop(wessex, procurement)
    page = wessex.client(Role.PROCUREMENT_LEAD)
    base = f"/engagement/procurements/{procurement.pk}/"
    assert (
        302
        == page.post(
            f"{base}shared/new",
            {"title": "Answers", "content": "Depot opens in June.", "event_id": event.pk},
        ).status_code
    )
    assert (
        302
        == page.post(
            f"{base}changes/new",
            {"section": "need", "change": "Evening journeys added.", "event_id": ""},
        ).status_code
    )
    assert (
        302
        == page.post(
            f"{base}notice/new",
            {"closes_on": "18/12/2026", "process": "Workshop, then written views."},
        ).status_code
    )
    assert (1, 1, 1) == (
        SharedItem.objects.count(),
        DesignChange.objects.count(),
        EngagementNotice.objects.count(),
    )
    record = page.get(base).text
    assert "The preliminary market engagement closes on 18 December 2026." in record
    assert "Publish the preliminary market engagement notice" not in record


def test_readers_see_the_record_without_ways_to_change_it_and_other_authorities_see_nothing(
    wessex, mercia
):
    procurement = designing(wessex)
    workshop(wessex, procurement)
    base = f"/engagement/procurements/{procurement.pk}/"
    evaluator = wessex.client(Role.EVALUATOR)
    reading = evaluator.get(base).text
    assert "Supplier workshop" in reading
    assert "Record an engagement event" not in reading
    assert 403 == evaluator.get(f"{base}events/new").status_code
    assert 404 == mercia.client(Role.COMMISSIONER).get(base).status_code


def test_the_api_records_and_reads_the_record(wessex, mercia):
    procurement = designing(wessex)
    api = wessex.token_client(Role.PROCUREMENT_LEAD)
    base = f"/api/v1/engagement/procurements/{procurement.pk}"
    created = post_json(
        api,
        f"{base}/events",
        {
            "title": "Market day",
            "form": "event",
            "held_at": "2026-12-09T10:00:00Z",
            "location": "Bridport",
            "asked": "What could run by next summer?",
            "participants": [{"name": "Kestrel Mobility Ltd", "is_sme": True}],
        },
    )
    assert 201 == created.status_code, created.text
    assert [{"name": "Kestrel Mobility Ltd", "is_sme": True, "is_vcse": False}] == created.json()[
        "participants"
    ]
    event_id = created.json()["id"]
    assert (
        201
        == post_json(
            api, f"{base}/shared", {"title": "Notes", "content": "All notes.", "event_id": event_id}
        ).status_code
    )
    assert (
        201
        == post_json(
            api, f"{base}/changes", {"section": "award", "change": "Social value 15%."}
        ).status_code
    )
    notice = post_json(api, f"{base}/notice", {"closes_on": "2026-12-18", "process": "Market day."})
    assert 201 == notice.status_code, notice.text
    assert "Market day (an event open to any supplier): 9 December 2026" in notice.json()["text"]
    record = api.get(base).json()
    assert "events" in record, record
    assert (1, 1, 1) == (len(record["events"]), len(record["shared"]), len(record["changes"]))
    assert record["notice"]["closes_on"] == "2026-12-18"
    assert not record["notice_offered"]
    assert 404 == mercia.token_client(Role.PROCUREMENT_LEAD).get(base).status_code


def test_bad_api_input_names_the_field(wessex):
    procurement = designing(wessex)
    api = wessex.token_client(Role.PROCUREMENT_LEAD)
    base = f"/api/v1/engagement/procurements/{procurement.pk}"
    answer = post_json(
        api,
        f"{base}/events",
        {"title": "T", "form": "party", "held_at": "2026-12-09T10:00:00Z", "asked": "A"},
    )
    assert 422 == answer.status_code or 400 == answer.status_code
    assert "form" in answer.text
    answer = post_json(api, f"{base}/changes", {"section": "need", "change": "x", "colour": "red"})
    assert answer.status_code in (400, 422)
    assert "colour" in answer.text
    assert not EngagementEvent.objects.exists()
    assert not DesignChange.objects.exists()
