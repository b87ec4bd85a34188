"""
The figures behind a target's verdict (each part's estimate with its confidence interval, and the
target's threshold) are kept with the verdict's fact when its phase's gate review records them,
and charted on the partnership's public page only once that fact is published: not while it
waits for review, not when the authority keeps it back or withholds its figures, and not when
the records used are fewer than the public count threshold.
"""

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from portal.partnerships.world import outcome_file, partnership_world
from portal.publication.world import run

from sanely.portal.accounts.models import Role
from sanely.portal.award.models import Contract
from sanely.portal.core.clock import now
from sanely.portal.partnerships.models import GateReview
from sanely.portal.partnerships.services import evidence_submit, gate_open
from sanely.portal.publication.after_award import FIGURES_WITHHELD
from sanely.portal.publication.models import Fact, FactStatus, Record
from sanely.portal.publication.services import fact_review

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
TARGET = "Booking requests answered within a day"


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Outcome data delivered by a partner and assessed, as the worker would on commit."""

    def delivered(world, partner, successes, failures, part=""):
        with django_capture_on_commit_callbacks(execute=True):
            evidence_submit(
                actor=partner.actor(Role.SUPPLIER_ADMIN),
                contract_id=world.contract(partner).pk,
                target_key="target-answered",
                data=outcome_file(successes, failures),
                now=now(),
                part=part,
            )

    return delivered


@pytest.fixture
def reviewed(wessex, deliver):
    """
    Kestrel's booking target met on the whole of its data, Osprey's partly met on two parts,
    Heron's not met; the gate after service design opened and the facts found.
    """
    w = partnership_world(wessex)
    r = w.record
    deliver(w, r.kestrel, 190, 10)
    deliver(w, r.osprey, 190, 10, part="Upper valley")
    deliver(w, r.osprey, 50, 50, part="Coast")
    deliver(w, r.heron, 100, 100)
    gate_open(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=w.procurement_id,
        phase_key="phase-design",
        now=now(),
    )
    return w


def _verdict(w, partner) -> Fact:
    rank = Contract.objects.get(partner=partner.organisation).rank
    return Fact.objects.get(procurement_id=w.procurement_id, key=f"verdict-{rank}-target-answered")


def _publish_all_but(wessex, w, *kept) -> None:
    """The lead publishes every fact waiting for review except the verdicts of `kept`."""
    waiting = {_verdict(w, partner).pk for partner in kept}
    for fact in Fact.objects.filter(
        procurement_id=w.procurement_id, status=FactStatus.AWAITING_REVIEW
    ).exclude(pk__in=waiting):
        fact_review(
            actor=wessex.actor(Role.PROCUREMENT_LEAD), fact_id=fact.pk, publish=True, now=now()
        )
    run(w.procurement_id)


def _estimates(w) -> dict[str, list[tuple[str, ET.Element]]]:
    """Each partner's estimate charts on the public page: (description, SVG), by name."""
    ocid = Record.objects.get(procurement_id=w.procurement_id).ocid
    response = Client().get(f"/open/{ocid}/")
    assert 200 == response.status_code
    found = {}
    for section in response.content.decode().split('<h2 class="govuk-heading-m">Partner: ')[1:]:
        name = section.split("<", 1)[0]
        charts = []
        for svg in re.findall(r"<svg .*?</svg>", section, re.S):
            root = ET.fromstring(svg)  # noqa: S314 (our own page)
            if root.findtext(f"{SVG}title") == TARGET:
                charts.append((root.findtext(f"{SVG}desc"), root))
        found[name] = charts
    return found


def _page_text(w) -> str:
    ocid = Record.objects.get(procurement_id=w.procurement_id).ocid
    html = Client().get(f"/open/{ocid}/").content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_gate_review_keeps_each_assessed_parts_figures(reviewed):
    w = reviewed
    review = GateReview.objects.get()
    osprey = str(w.contract(w.record.osprey).pk)
    (target,) = review.record["partners"][osprey]["targets"]
    figures = {f["part"]: f for f in target["figures"]}
    assert {"Coast", "Upper valley"} == set(figures)
    coast = figures["Coast"]
    assert (0.8, ">=", "", 0.95) == (
        coast["threshold"],
        coast["comparator"],
        coast["units"],
        coast["level"],
    )
    assert coast["low"] < coast["estimate"] == 0.5 < coast["high"]
    # Plain JSON values only: the engine's other workings stay with the assessment.
    assert {"part", "estimate", "low", "high", "level", "threshold", "comparator", "units"} == set(
        coast
    )


def test_a_published_verdicts_figures_are_charted_and_no_others(wessex, reviewed):
    w = reviewed
    r = w.record
    run(w.procurement_id)
    # Every verdict's figures are kept with its fact, whether or not it is ever published.
    for partner in (r.kestrel, r.osprey, r.heron):
        assert _verdict(w, partner).figures
    _publish_all_but(wessex, w, r.heron)
    charts = _estimates(w)
    kestrel, osprey = r.kestrel.organisation.name, r.osprey.organisation.name
    heron = r.heron.organisation.name
    assert {kestrel, osprey, heron} == set(charts)
    ((described, root),) = charts[kestrel]
    assert described.startswith(f"{TARGET}: All the data 0.95 (from ")
    assert described.endswith("; the target is 0.8.")
    assert 1 == len(root.findall(f"{SVG}circle"))
    ((described, root),) = charts[osprey]
    assert "Coast 0.5 (from " in described
    assert "Upper valley 0.95 (from " in described
    assert 2 == len(root.findall(f"{SVG}circle"))
    # Heron's verdict is waiting for review: nothing of it is shown.
    assert [] == charts[heron]
    shown = _page_text(w)
    caption = f"{TARGET}: the estimate with its 95% confidence interval; the target is at least 0.8"
    assert 2 == shown.count(caption)
    assert "Measured over Estimate Lower bound Upper bound All the data 0.95 " in shown
    # Kept back, it stays unshown.
    fact_review(
        actor=wessex.actor(Role.COMMISSIONER),
        fact_id=_verdict(w, r.heron).pk,
        publish=False,
        ground="pa-sensitive-commercial",
        explanation="The verdict would show the partner's costs.",
        now=now(),
    )
    run(w.procurement_id)
    assert FactStatus.SUPPRESSED == _verdict(w, r.heron).status
    assert [] == _estimates(w)[heron]
    assert 2 == _page_text(w).count(caption)


def test_a_verdict_published_with_its_figures_withheld_has_no_chart(wessex, reviewed):
    w = reviewed
    r = w.record
    run(w.procurement_id)
    fact_review(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        fact_id=_verdict(w, r.kestrel).pk,
        publish=True,
        withhold=[FIGURES_WITHHELD],
        ground="pa-sensitive-commercial",
        explanation="The figures would show the partner's volumes.",
        now=now(),
    )
    _publish_all_but(wessex, w)
    charts = _estimates(w)
    assert [] == charts[r.kestrel.organisation.name]
    assert 1 == len(charts[r.osprey.organisation.name])


def test_figures_from_fewer_records_than_the_threshold_are_not_kept_or_charted(
    wessex, reviewed, settings
):
    w = reviewed
    settings.PUBLIC_COUNT_THRESHOLD = 201
    run(w.procurement_id)
    r = w.record
    # Kestrel's and Heron's 200 records are too few; Osprey's two parts used 300.
    assert [] == _verdict(w, r.kestrel).figures == _verdict(w, r.heron).figures
    assert (
        "Based on fewer than 201 records"
        in (
            _verdict(w, r.kestrel).release["contracts"][0]["implementation"]["milestones"][0][
                "description"
            ]
        )
    )
    assert _verdict(w, r.osprey).figures
    _publish_all_but(wessex, w)
    charts = _estimates(w)
    assert [] == charts[r.kestrel.organisation.name] == charts[r.heron.organisation.name]
    assert 1 == len(charts[r.osprey.organisation.name])


def test_a_review_recorded_before_gates_kept_figures_shows_none(wessex, reviewed):
    w = reviewed
    review = GateReview.objects.get()
    record = review.record
    for standing in record["partners"].values():
        for target in standing["targets"]:
            del target["figures"]
    GateReview.objects.filter(pk=review.pk).update(record=record)
    run(w.procurement_id)
    assert not Fact.objects.filter(procurement_id=w.procurement_id).exclude(figures=[]).exists()
    _publish_all_but(wessex, w)
    kestrel = w.record.kestrel.organisation.name
    assert f"Verdicts on {kestrel}’s intermediate targets" in _page_text(w)
    assert all(charts == [] for charts in _estimates(w).values())


def test_the_review_shows_the_chart_the_verdict_would_publish(wessex, reviewed):
    w = reviewed
    run(w.procurement_id)
    waiting = _verdict(w, w.record.osprey)
    page = wessex.client(Role.PROCUREMENT_LEAD).get(f"/publication/facts/{waiting.pk}/review")
    assert 200 == page.status_code
    html = page.content.decode()
    (svg,) = re.findall(r"<svg .*?</svg>", html, re.S)
    root = ET.fromstring(svg)  # noqa: S314 (our own page)
    assert TARGET == root.findtext(f"{SVG}title")
    assert 2 == len(root.findall(f"{SVG}circle"))
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "The public page charts the figures behind the verdict" in shown
    assert "Measured over Estimate Lower bound Upper bound Coast 0.5 " in shown
    assert "style=" not in html
