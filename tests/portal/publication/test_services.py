"""
Publishing: the worker finds each fact once and publishes what needs no review; the authority
reviews the rest (publish, withhold fields on a lawful ground, or keep it back); a release that
cannot be checked against the schema is held with the reason (a field of an absent extension is
left out instead); every write is audited, every
published release validates, and a published release is never changed.
"""

import json

import pytest
from django.db import DatabaseError, connection, transaction
from ocds.partnership import SCHEMA_DIR
from portal.award.isolation import world
from portal.publication.world import abandon, fact, keep_back, published, run, withhold_value

from sanely import ocds
from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.audit.services import audit_verify
from sanely.portal.award.models import Contract
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from sanely.portal.publication import events
from sanely.portal.publication.models import (
    Fact,
    FactStatus,
    Release,
    ReleasesAreFinal,
    Withholding,
)
from sanely.portal.publication.selectors import publication_config
from sanely.portal.publication.services import fact_review

pytestmark = pytest.mark.django_db


def statuses(procurement_id):
    return dict(Fact.objects.filter(procurement_id=procurement_id).values_list("key", "status"))


def test_the_worker_publishes_the_notices_and_keeps_partner_facts_for_review(wessex):
    w = world(wessex)
    found = run(w.procurement_id)
    assert {
        "planning": FactStatus.PUBLISHED,
        "tender": FactStatus.PUBLISHED,
        "award-1": FactStatus.AWAITING_REVIEW,
        "award-2": FactStatus.AWAITING_REVIEW,
        "contract-1": FactStatus.AWAITING_REVIEW,
        "contract-2": FactStatus.AWAITING_REVIEW,
        "schedule-1": FactStatus.PUBLISHED,
        "schedule-2": FactStatus.PUBLISHED,
    } == statuses(w.procurement_id)
    assert 8 == len(found)
    assert 4 == Release.objects.count()
    assert [] == run(w.procurement_id)  # found once: a second run finds nothing new
    assert 4 == Release.objects.count()
    published_events = AuditEvent.objects.filter(action=events.RELEASE_PUBLISHED)
    assert 4 == published_events.count()
    assert {wessex.organisation.pk} == {e.authority_id for e in published_events}
    assert audit_verify().intact


def test_every_published_release_validates_against_the_official_schema(wessex):
    p = published(wessex, concluded=False)
    releases = list(Release.objects.filter(procurement_id=p.procurement_id))
    assert {"planning", "tender", "award-1", "award-2"} == {r.fact.key for r in releases}
    package = ocds.build_package(
        publication_config(),
        [ocds.Built(r.body, frozenset(r.extensions)) for r in releases],
        uri="https://example.org/p",
        published=now(),
    )
    ocds.validate_package(package, SCHEMA_DIR)


def test_a_contracts_kpis_are_left_out_while_the_metrics_schema_is_absent(wessex):
    """The shared schemas have no metrics extension: the contract is published without KPIs."""
    p = published(wessex)
    contract = fact(p.procurement_id, "contract-1")
    assert FactStatus.PUBLISHED == contract.status
    release = contract.published
    assert "agreedMetrics" not in release.body["contracts"][0]
    assert ocds.extension_url("metrics") not in str(release.extensions)
    assert "metrics" not in release.extensions
    kpis = release.omitted["contracts.agreedMetrics"][0]
    assert [m["title"] for m in kpis] == Contract.objects.get(
        procurement_id=p.procurement_id, rank=1
    ).kpis
    published_event = AuditEvent.objects.get(
        action=events.RELEASE_PUBLISHED, subject_id=str(contract.pk)
    )
    assert ["contracts.agreedMetrics"] == published_event.payload["left_out"]


def test_a_contracts_kpis_are_published_once_the_metrics_schema_is_there(
    wessex, settings, tmp_path
):
    """A minimal stand-in for the metrics extension, built here, proves the switch."""
    schemas = tmp_path / "ocds"
    (schemas / "extensions").mkdir(parents=True)
    (schemas / "standard-1.1.5").symlink_to(SCHEMA_DIR / "standard-1.1.5")
    for folder in (SCHEMA_DIR / "extensions").iterdir():
        (schemas / "extensions" / folder.name).symlink_to(folder)
    (schemas / "extensions" / "ocds_metrics_extension").mkdir()
    (schemas / "extensions" / "ocds_metrics_extension" / "release-schema.json").write_text(
        json.dumps(
            {"definitions": {"Contract": {"properties": {"agreedMetrics": {"type": "array"}}}}}
        )
    )
    settings.OCDS_SCHEMA_DIR = schemas
    p = published(wessex)
    release = fact(p.procurement_id, "contract-1").published
    assert release.body["contracts"][0]["agreedMetrics"]
    assert "metrics" in release.extensions
    assert {} == release.omitted


def test_a_release_that_cannot_be_checked_is_held_and_audited_once(wessex, settings, tmp_path):
    settings.OCDS_SCHEMA_DIR = tmp_path
    w = world(wessex, notified=False, concluded=False)
    run(w.procurement_id)
    held = fact(w.procurement_id, "tender")
    assert FactStatus.HELD == held.status
    assert not Release.objects.filter(fact=held).exists()
    run(w.procurement_id)  # tried again; the same reason is not audited twice
    assert (
        1 == AuditEvent.objects.filter(action=events.RELEASE_HELD, subject_id=str(held.pk)).count()
    )


def test_a_held_release_is_published_once_the_schemas_are_there(wessex, settings, tmp_path):
    settings.OCDS_SCHEMA_DIR = tmp_path  # nothing there: even the tender notice is held
    w = world(wessex, notified=False, concluded=False)
    run(w.procurement_id)
    assert {FactStatus.HELD} == set(statuses(w.procurement_id).values())
    assert "standard-1.1.5" in fact(w.procurement_id, "tender").problem
    settings.OCDS_SCHEMA_DIR = SCHEMA_DIR
    assert [] == run(w.procurement_id)
    assert {FactStatus.PUBLISHED} == set(statuses(w.procurement_id).values())


def test_publishing_with_a_field_withheld_on_a_lawful_ground(wessex):
    w = world(wessex, concluded=False)
    run(w.procurement_id)
    award = withhold_value(wessex, w.procurement_id)
    assert FactStatus.QUEUED == fact(w.procurement_id, "award-1").status
    run(w.procurement_id)
    release = Release.objects.get(fact=award)
    assert "value" not in release.body["awards"][0]
    assert "value" in award.release["awards"][0]  # kept as found, for the record
    withholding = Withholding.objects.get(fact=award)
    assert ("awards.value", "Procurement Act 2023 s.94(1)(b)", True) == (
        withholding.path,
        withholding.citation,
        withholding.announced,
    )
    reviewed = AuditEvent.objects.get(action=events.FACT_REVIEWED, subject_id=str(award.pk))
    assert ["awards.value"] == reviewed.payload["withheld"]


def test_keeping_a_whole_release_back(wessex):
    w = world(wessex, concluded=False)
    run(w.procurement_id)
    award = keep_back(wessex, w.procurement_id)
    run(w.procurement_id)
    assert FactStatus.SUPPRESSED == fact(w.procurement_id, "award-2").status
    assert not Release.objects.filter(fact=award).exists()
    withholding = Withholding.objects.get(fact=award)
    assert ("", "The whole release", False) == (
        withholding.path,
        withholding.what,
        withholding.announced,
    )
    assert AuditEvent.objects.filter(action=events.FACT_SUPPRESSED).exists()


@pytest.mark.parametrize(
    ("review", "problems"),
    [
        ({"withhold": ["awards.suppliers"]}, {"withhold", "ground", "explanation"}),
        ({"withhold": ["awards.value"]}, {"ground", "explanation"}),
        ({"publish": False, "ground": "pcr-commercial-interests", "explanation": "x"}, {"ground"}),
        (
            {
                "withhold": ["bids"],
                "ground": "pa-sensitive-commercial",
                "explanation": "x",
                "announced": False,
            },
            {"announced"},
        ),
    ],
)
def test_a_review_names_every_problem_and_stores_nothing(wessex, review, problems):
    w = world(wessex, concluded=False)
    run(w.procurement_id)
    award = fact(w.procurement_id, "award-1")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        fact_review(
            actor=wessex.actor(Role.PROCUREMENT_LEAD),
            fact_id=award.pk,
            **{"publish": True, **review},
            now=now(),
        )
    assert problems == set(refused.value.detail)
    assert FactStatus.AWAITING_REVIEW == fact(w.procurement_id, "award-1").status
    assert (0, before) == (Withholding.objects.count(), AuditEvent.objects.count())


def test_a_fact_is_reviewed_once_by_its_own_authority_lead_or_commissioner(wessex, mercia):
    w = world(wessex, concluded=False)
    run(w.procurement_id)
    award = fact(w.procurement_id, "award-1")
    with pytest.raises(NotFound):
        fact_review(
            actor=mercia.actor(Role.PROCUREMENT_LEAD), fact_id=award.pk, publish=True, now=now()
        )
    with pytest.raises(PermissionDenied):
        fact_review(actor=wessex.actor(Role.AUDITOR), fact_id=award.pk, publish=True, now=now())
    with pytest.raises(NotFound):
        fact_review(
            actor=wessex.actor(Role.PROCUREMENT_LEAD), fact_id=999999, publish=True, now=now()
        )
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    fact_review(actor=lead, fact_id=award.pk, publish=True, now=now())
    with pytest.raises(Conflict, match="decided already"):
        fact_review(actor=lead, fact_id=award.pk, publish=True, now=now())


def test_a_pcsr_procurement_has_no_ground_to_withhold_on(wessex):
    from sanely.portal.publication.services import _review_problems

    w = world(wessex, concluded=False)
    run(w.procurement_id)
    problems = _review_problems(
        fact(w.procurement_id, "award-1"),
        "PCSR 2015",
        publish=False,
        withhold=[],
        ground="",
        explanation="x",
        announced=True,
    )
    assert ["No ground for withholding is recorded for PCSR 2015"] == [
        problems["ground"][0].split(", so")[0]
    ]


def test_a_lifecycle_action_queues_the_worker_after_its_commit(
    wessex, django_capture_on_commit_callbacks
):
    w = world(wessex, notified=False, concluded=False)
    with django_capture_on_commit_callbacks(execute=True):
        abandon(wessex, w.procurement_id)
    assert FactStatus.AWAITING_REVIEW == fact(w.procurement_id, "cancellation").status
    assert FactStatus.PUBLISHED == fact(w.procurement_id, "tender").status
    with django_capture_on_commit_callbacks(execute=True):
        fact_review(
            actor=wessex.actor(Role.PROCUREMENT_LEAD),
            fact_id=fact(w.procurement_id, "cancellation").pk,
            publish=True,
            now=now(),
        )
    assert FactStatus.PUBLISHED == fact(w.procurement_id, "cancellation").status
    cancelled = Release.objects.get(fact__key="cancellation")
    assert "cancelled" == cancelled.body["tender"]["status"]


def test_published_releases_are_never_changed(wessex):
    published(wessex, concluded=False)
    release = Release.objects.first()
    release.body = {}
    with pytest.raises(ReleasesAreFinal):
        release.save()
    with pytest.raises(ReleasesAreFinal):
        release.delete()
    with pytest.raises(ReleasesAreFinal):
        Release.objects.update(body={})
    with pytest.raises(ReleasesAreFinal):
        Release.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    ["UPDATE publication_release SET body = '{}'", "DELETE FROM publication_release"],
)
def test_postgresql_refuses_changes_to_published_releases(wessex, statement):
    published(wessex, concluded=False)
    count = Release.objects.count()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        pytest.raises(DatabaseError, match="final"),
        transaction.atomic(),
    ):
        cursor.execute(statement)
    assert count == Release.objects.count()
