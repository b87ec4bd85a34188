"""The preliminary market engagement notice (UK2): built from the record, published as open data."""

from datetime import date

import pytest
from cast import NOW
from portal.engagement.world import designing, later, workshop

from sanely.portal.accounts.models import Role
from sanely.portal.core.errors import Conflict, ValidationFailed
from sanely.portal.engagement.models import EngagementNotice
from sanely.portal.engagement.services import engagement_notice_publish
from sanely.portal.procurements.engine import facts_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.publication.models import Record, Release
from sanely.portal.publication.services import publication_run

pytestmark = pytest.mark.django_db

PROCESS = "Come to the workshop, or send written views by the closing date."


def publish(wessex, procurement, *, at=NOW):
    return engagement_notice_publish(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=procurement.pk,
        closes_on=date(2026, 12, 18),
        process=PROCESS,
        now=at,
    )


def test_a_published_uk2_becomes_a_planning_release_with_its_notice_type(
    wessex, django_capture_on_commit_callbacks
):
    procurement = designing(wessex)
    workshop(wessex, procurement)
    with django_capture_on_commit_callbacks(execute=True):
        publish(wessex, procurement, at=later(1))
    release = Release.objects.get(procurement=procurement)
    document = release.body["planning"]["documents"][0]
    assert ("UK2", "marketEngagementNotice") == (document["noticeType"], document["documentType"])
    assert ["planning"] == release.tags
    assert "Rural transport on demand" == release.body["tender"]["title"]
    assert "closes on 18 December 2026" in document["description"]
    assert "Wessex County Hall, Dorchester" in document["description"]
    assert "planning" == Record.objects.get(procurement=procurement).stage


def test_publishing_the_uk2_marks_engagement_and_its_notice_in_the_design(wessex):
    procurement = designing(wessex)
    publish(wessex, procurement)
    facts = facts_of(Procurement.objects.get(pk=procurement.pk))
    assert facts.pme_done
    assert facts.pme_notice_published


def test_the_planned_procurement_is_listed_and_its_notice_reads_in_plain_english(wessex, client):
    procurement = designing(wessex)
    workshop(wessex, procurement)
    publish(wessex, procurement, at=later(1))
    publication_run(procurement_id=procurement.pk, now=later(1))
    listed = client.get("/open/", {"stage": "planning"}).text
    assert "Rural transport on demand" in listed
    ocid = Record.objects.get(procurement=procurement).ocid
    page = client.get(f"/open/{ocid}/notices/engagement")
    assert 200 == page.status_code
    assert "Preliminary market engagement notice (UK2)" in page.text
    assert "Supplier workshop on demand-responsive transport" in page.text


def test_events_recorded_after_the_uk2_are_not_in_it(wessex):
    procurement = designing(wessex)
    publish(wessex, procurement)
    workshop(wessex, procurement, at=later(1))
    publication_run(procurement_id=procurement.pk, now=later(1))
    description = Release.objects.get(procurement=procurement).body["planning"]["documents"][0][
        "description"
    ]
    assert PROCESS in description
    assert "Supplier workshop" not in description


def test_a_second_uk2_is_refused(wessex):
    procurement = designing(wessex)
    publish(wessex, procurement)
    with pytest.raises(Conflict, match="already published"):
        publish(wessex, procurement)


def test_pcr_2015_has_no_uk2_to_publish(wessex):
    procurement = designing(wessex, commenced_on=date(2024, 9, 2))
    with pytest.raises(Conflict, match="has no preliminary market engagement notice"):
        publish(wessex, procurement)
    assert not EngagementNotice.objects.exists()


def test_a_uk2_without_closing_date_or_process_names_both_and_publishes_nothing(wessex):
    procurement = designing(wessex)
    with pytest.raises(ValidationFailed) as refused:
        engagement_notice_publish(
            actor=wessex.actor(Role.COMMISSIONER),
            procurement_id=procurement.pk,
            closes_on=None,
            process=" ",
            now=NOW,
        )
    assert {"closes_on", "process"} == set(refused.value.detail)
    assert not EngagementNotice.objects.exists()
    assert not facts_of(Procurement.objects.get(pk=procurement.pk)).pme_notice_published
