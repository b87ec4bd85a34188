"""
Nothing confidential or sealed is ever published: a numbered marker is planted in every private
place a procurement keeps (design sections that are not published, conflicts, evaluation
reasons and scores, letters, justifications, performance levels, sealed tender files in an
unopened round) and every private place a partnership keeps after award (claims' invoices,
notes, queries and payment references, evidence files and the engine's workings, acceptance
notes, partners' gate reports and the panel's deliberations, whatever a review keeps beside a
verdict's figures, purchase evidence, observations' notes, plan-change reasons, notices of
intention to terminate), the whole procurement is
published, and no marker appears in any release package, record, bulk file, export or page.
"""

import gzip
import itertools
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from portal.award.isolation import world
from portal.partnerships.world import partnership_world
from portal.publication.world import review_all, run
from portal.tenders.sealed_files import upload

from sanely.portal.accounts.models import Organisation, Role
from sanely.portal.award.models import Contract
from sanely.portal.award.services import award_notify, contracts_conclude
from sanely.portal.competition.models import Letter, Participant
from sanely.portal.core.clock import now
from sanely.portal.demo import load
from sanely.portal.evaluation.models import EvaluationOutcome
from sanely.portal.partnerships.models import (
    Acceptance,
    Claim,
    ContractChange,
    ContractEnd,
    GateDecision,
    GateReview,
    Observation,
    PlanVersion,
    Target,
    TerminationNotice,
)
from sanely.portal.partnerships.services import (
    PhaseChange,
    assessment_record,
    contract_change,
    contract_terminate,
    observation_record,
    termination_notify,
)
from sanely.portal.pilots.models import OutcomeAssessment
from sanely.portal.procurements.engine import uk_date
from sanely.portal.procurements.models import Procurement
from sanely.portal.publication.models import Fact, Release
from sanely.portal.tenders.services import submission_round_open, submission_submit

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)
planted: list[str] = []


def marker() -> str:
    text = f"CONFIDENTIAL-MARKER-{next(_numbers):03d}"
    planted.append(text)
    return text


def _plant_in_the_design(procurement) -> None:
    design = procurement.design
    design["need"] = {**design["need"], "market_unavailability": marker()}
    design["minimum_requirements"] = {"items": [marker()]}
    design["gates"] = {
        **design["gates"],
        "termination_conditions": marker(),
        "reduction_conditions": marker(),
    }
    design["ipr"] = {"model": "joint", "terms": marker()}
    design["confidentiality"] = {"terms": marker()}
    design["conflicts"] = {
        "declarations": [{"person": marker(), "interest": marker(), "mitigation": marker()}],
        "assessment_complete": True,
        "assessment_summary": marker(),
    }
    design["purchase"] = {**design["purchase"], "performance_levels": [marker()]}
    design["timeline"] = {"procedure_description": marker()}
    procurement.design = design
    procurement.justifications = {"PA23-20-4": marker()}
    procurement.save()


def _plant_in_the_evaluation(procurement) -> None:
    for outcome in EvaluationOutcome.objects.filter(procurement=procurement):
        outcome.strengths = marker()
        outcome.breakdown = [
            {**row, "reasons": marker(), "explanation": marker()} for row in outcome.breakdown
        ]
        outcome.save()
    Participant.objects.filter(procurement=procurement).update(reason=marker())


def _sealed_round(wessex, w) -> None:
    """Tender files with markers, in a round that is never opened."""
    start = now() - timedelta(days=1)
    # The world is past tendering: the round is opened as it would have been while tendering.
    procurement = Procurement.objects.get(pk=w.procurement_id)
    Procurement.objects.filter(pk=procurement.pk).update(state="tendering")
    sealed = submission_round_open(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=w.procurement_id,
        kind="tender",
        number=1,
        deadline=now() + timedelta(days=30),  # the s.54(4) period of 25 days and more
        now=start,
        justification=marker(),
    )
    for supplier in w.record.suppliers[:3]:
        submission_submit(
            actor=supplier.actor(Role.SUPPLIER_ADMIN),
            round_id=sealed.pk,
            organisation_id=supplier.organisation.pk,
            part="Tender",
            upload=upload(marker().encode(), name=f"{marker()}.txt"),
            now=start + timedelta(hours=1),
        )
    Procurement.objects.filter(pk=procurement.pk).update(state=procurement.state)


def _everything_published(ocid: str, tmp_path) -> str:
    browser = Client()
    pages = [
        browser.get(url)
        for url in (
            "/open/",
            f"/open/{ocid}/",
            "/ocds/releases?limit=1000",
            f"/ocds/records/{ocid}",
            *[f"/open/{ocid}/notices/{r.fact.key}" for r in Release.objects.all()],
        )
    ]
    bulk = browser.get("/ocds/releases.jsonl.gz")
    call_command("sanely_ocds_export", str(tmp_path))
    return "".join(
        [
            *(page.content.decode() for page in pages if page.status_code == 200),
            gzip.decompress(b"".join(bulk.streaming_content)).decode(),
            gzip.decompress((tmp_path / "releases.jsonl.gz").read_bytes()).decode(),
            gzip.decompress((tmp_path / "records.jsonl.gz").read_bytes()).decode(),
        ]
    )


def test_no_marker_reaches_any_release_page_or_file(wessex, tmp_path):
    w = world(wessex, notified=False, concluded=False)
    procurement = w.record.procurement
    _plant_in_the_design(procurement)
    _plant_in_the_evaluation(procurement)
    _sealed_round(wessex, w)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    award_notify(
        actor=lead,
        procurement_id=w.procurement_id,
        justification=marker(),
        now=now() - timedelta(20),
    )
    contracts_conclude(actor=lead, procurement_id=w.procurement_id, now=now())
    Contract.objects.filter(procurement=procurement).update(performance_levels=[marker()])
    run(w.procurement_id)
    review_all(wessex, w.procurement_id)
    ocid = Release.objects.first().ocid
    published = _everything_published(ocid, tmp_path)
    # The test would prove nothing if what it searched were empty or unrelated.
    assert "Kestrel Mobility Ltd" in published
    assert "Gate review after Prototype" in published
    assert len(planted) >= 25
    assert [] == [text for text in planted if text in published]


def _plant_after_award() -> None:
    """A marker in every field of a partnership's rows that is not for the public."""
    Claim.objects.update(
        basis=marker(),
        evidence_note=marker(),
        invoice_reference=marker()[:100],
        query=marker(),
        reasons=marker(),
        payment_rule=marker(),
        payment_reference=marker()[:100],
    )
    for assessment in OutcomeAssessment.objects.all():
        # The evidence file itself, its name, and the engine's workings beyond its verdict.
        Path(assessment.data_file.path).write_text(marker())
        result = assessment.result or {}
        result["warnings"] = [marker()]
        OutcomeAssessment.objects.filter(pk=assessment.pk).update(
            data_name=marker(), result=result, error_message=marker()
        )
    Acceptance.objects.update(name=marker(), note=marker(), performance_level=marker())
    for review in GateReview.objects.all():
        record = review.record
        record["reports"] = {key: marker() for key in [*record.get("reports", {}), "extra"]}
        # Beside the figures a verdict's chart needs, anything else is the review's own.
        for standing in record["partners"].values():
            for target in standing["targets"]:
                target["workings"] = marker()
                target["figures"] = [{**f, "workings": marker()} for f in target["figures"]]
        GateReview.objects.filter(pk=review.pk).update(record=record, reasons=marker())
    GateDecision.objects.update(purchase_evidence=[{"level": marker(), "evidence": marker()}])
    ContractEnd.objects.update(notice_rule=marker())
    for change in ContractChange.objects.all():
        notices = [{**notice, "when": marker(), "citation": marker()} for notice in change.notices]
        ContractChange.objects.filter(pk=change.pk).update(notices=notices)
    Observation.objects.update(note=marker())
    PlanVersion.objects.update(reason=marker())
    Target.objects.update(planning={"note": marker()})
    TerminationNotice.objects.update(reasons=marker(), ground=marker()[:60])
    Letter.objects.update(body=marker(), subject=marker(), content={"text": marker()})
    Contract.objects.update(performance_levels=[marker()])


def test_no_marker_of_a_partnership_after_award_reaches_anything_published(tmp_path, monkeypatch):
    """The demo's partnerships, with markers planted just before the demo publishes them."""
    publish = load.demo_publication

    def plant_then_publish(*, now):
        _plant_after_award()
        publish(now=now)

    monkeypatch.setattr(load, "demo_publication", plant_then_publish)
    load.demo_load(now=now())
    published = "".join(
        _everything_published(f"ocds-s4n3ly-{reference}", tmp_path / reference)
        for reference in ("WCC-IP-2025-006", "WCC-IP-2025-007")
    )
    for words in (
        "Brightwater Analytics",
        "Decision: continue.",
        "Contract termination notice (UK11)",
        "Spend against the instalments",
        "records of pilot data",
        "the estimate with its 95% confidence interval",
    ):
        assert words in published, words
    assert Claim.objects.filter(status="paid").exists()
    assert len(planted) >= 25
    assert [] == [text for text in planted if text in published]
    # What the public pages chart of a verdict is kept by name only.
    charted = json.dumps(list(Fact.objects.exclude(figures=[]).values_list("figures", flat=True)))
    assert "estimate" in charted
    assert [] == [text for text in planted if text in charted]


def test_no_marker_in_the_sources_of_a_notices_typed_content_reaches_its_page(wessex, tmp_path):
    """
    The typed content of UK9, UK10 and UK11 is built from the partnership's rows and from the
    authority's and the partners' own records: a marker in each of those the notice pages must
    not show (addresses and contact emails, an observation's note, the change's justification,
    the notice of intention's ground) is recorded with the notice and reaches no page or file.
    """
    w = partnership_world(wessex)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    kestrel, heron = w.contract(w.record.kestrel), w.contract(w.record.heron)
    own = [marker() for _ in range(2)]
    Organisation.objects.update(address=own[0], contact_email=f"{own[1]}@example.org")
    today = uk_date(now())
    observation_record(
        actor=lead,
        contract_id=kestrel.pk,
        kind="kpi",
        measure=kestrel.kpis[0],
        period_start=today - timedelta(days=40),
        period_end=today - timedelta(days=10),
        observed="93% of 1,240 trips on time",
        met=True,
        note=marker(),
        now=now(),
    )
    assessment_record(
        actor=lead,
        contract_id=kestrel.pk,
        period_start=today - timedelta(days=60),
        period_end=today,
        ratings=dict.fromkeys(kestrel.kpis, "good"),
        now=now(),
    )
    contract_change(
        actor=lead,
        contract_id=kestrel.pk,
        ground="additional",
        reason="Four more villages join the pilot.",
        changes=[PhaseChange("phase-pilot", max_value=Decimal("260000"))],
        justification=marker(),
        change_notice_published_on=today,
        now=now(),
    )
    termination_notify(
        actor=lead,
        contract_id=heron.pk,
        route="implied_term",
        ground="supplier_excluded",
        reasons="Heron was added to the debarment list.",
        representations_by=today + timedelta(days=14),
        now=now(),
    )
    contract_terminate(actor=lead, contract_id=heron.pk, now=now() + timedelta(days=15))
    TerminationNotice.objects.update(ground=marker()[:60])
    run(w.procurement_id)
    review_all(wessex, w.procurement_id)
    typed = Fact.objects.exclude(notice={}).filter(procurement_id=w.procurement_id)
    assert {"contract_performance_notice", "contract_change_notice"} <= {
        f.notice["kind"] for f in typed
    }
    assert "contract_termination_notice" in {f.notice["kind"] for f in typed}
    # The test proves something only if the typed content holds the markers it must not show.
    assert all(text in json.dumps([f.notice for f in typed]) for text in own)
    published = _everything_published(Release.objects.first().ocid, tmp_path)
    for words in ("section 71(2)", "section 75(1)", "section 80(1)", "Contract change notice"):
        assert words in published, words
    assert [] == [text for text in planted if text in published]
