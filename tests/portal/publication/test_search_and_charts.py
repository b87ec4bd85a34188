"""
The public search by need, outcome and verdict, and the charts of each partner's targets and
spend on a partnership's public page, over the demo's published partnerships: the rural buses
(three partners at the gate after their pilot, one target inconclusive), the household-waste
routes (two partners ended at a gate, the third bought from) and a cancelled procurement. The
demo is loaded once for the module, in a transaction rolled back at the end.
"""

import importlib
import re
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.test import Client
from portal.crawl import demo_loaded

from sanely.portal.publication import presentation, views
from sanely.portal.publication.models import Record

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
BUSES = "Demand-responsive buses in three rural districts"
WASTE = "Smarter household-waste collection routes"
CANCELLED = "Community connectors for people living alone"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_loaded(django_db_blocker, tmp_path_factory.mktemp("media")):
        yield


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def found(**query):
    """The titles the public search lists for the query, and how many it says it found."""
    response = Client().get("/open/", query)
    assert 200 == response.status_code, query
    page = text(response)
    count = int(re.search(r"(\d+) procurements? found", page).group(1))
    titles = {t for t in (BUSES, WASTE, CANCELLED) if t in page}
    return count, titles


def test_each_outcome_finds_the_partnerships_that_turned_out_so(demo):
    assert (1, {BUSES}) == found(outcome="active")
    assert (1, {WASTE}) == found(outcome="purchased")
    assert (1, {CANCELLED}) == found(outcome="cancelled")
    assert (0, set()) == found(outcome="ended")


def test_each_verdict_finds_the_partnerships_with_a_target_so_judged(demo):
    assert (2, {BUSES, WASTE}) == found(verdict="met")
    assert (2, {BUSES, WASTE}) == found(verdict="not-met")
    # Only the buses have a target their phase's review left without a verdict.
    assert (1, {BUSES}) == found(verdict="inconclusive")
    assert (0, set()) == found(verdict="partly-met")


def test_a_verdict_is_found_whole_not_inside_another(demo):
    record = Record.objects.get(title=WASTE)
    record.verdicts = "|not-met|partly-met|"
    record.save(update_fields=["verdicts"])
    assert (1, {BUSES}) == found(verdict="met")
    assert (1, {WASTE}) == found(verdict="partly-met")


def test_words_search_the_need_and_the_targets(demo):
    buses = Record.objects.get(title=BUSES).compiled
    need = buses["planning"]["rationale"].split()[:4]
    assert BUSES in found(words=" ".join(need))[1]
    assert (1, {BUSES}) == found(words="passengers satisfied")
    assert (1, {WASTE}) == found(words="missed bins")


def test_filters_work_together(demo):
    assert (1, {BUSES}) == found(words="passengers", verdict="inconclusive", stage="contracted")
    assert (0, set()) == found(words="missed bins", verdict="inconclusive")
    assert (1, {WASTE}) == found(outcome="purchased", stage="contracted", verdict="met")
    assert (0, set()) == found(outcome="purchased", stage="tender")
    assert (0, set()) == found(outcome="cancelled", verdict="met")


def test_the_pages_of_a_filtered_search_keep_the_filters(demo, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 1)
    first = Client().get("/open/", {"verdict": "met"}).content.decode()
    assert "2 procurements found" in text_of(first)
    assert 'href="?verdict=met&amp;page=2"' in first
    second = Client().get("/open/", {"verdict": "met", "page": "2"}).content.decode()
    assert 'href="?verdict=met&amp;page=1"' in second
    shown = [t for t in (BUSES, WASTE) if t in first] + [t for t in (BUSES, WASTE) if t in second]
    assert {BUSES, WASTE} == set(shown)
    assert 2 == len(shown)


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"outcome": "won"}, "outcome", "Choose an outcome from the list, or any."),
        ({"verdict": "met;drop"}, "verdict", "Choose a verdict from the list, or any."),
        ({"stage": "secret"}, "stage", "Choose a stage from the list, or any."),
        ({"words": "x" * 201}, "words", "Search with at most 200 characters."),
    ],
)
def test_a_bad_filter_is_refused_naming_the_field(demo, query, field, message):
    response = Client().get("/open/", {"verdict": "met", **query})
    assert 400 == response.status_code
    html = response.content.decode()
    assert f'<a href="#{field}">{message}</a>' in html
    assert f'id="{field}-error"' in html
    # Nothing is listed for a search that could not be understood.
    assert "found." not in text(response)


def _charts(page):
    """Each inline chart of the page: (its title, its description, the parsed SVG)."""
    charts = []
    for svg in re.findall(r"<svg .*?</svg>", page, re.S):
        root = ET.fromstring(svg)  # noqa: S314 (our own page)
        charts.append((root.findtext(f"{SVG}title"), root.findtext(f"{SVG}desc"), root))
    return charts


def test_the_buses_page_charts_each_partners_verdicts_and_spend(demo):
    record = Record.objects.get(title=BUSES)
    response = Client().get(f"/open/{record.ocid}/")
    page = response.content.decode()
    charts = _charts(page)
    partners = [a["suppliers"][0]["name"] for a in record.compiled["awards"]]
    assert 3 == len(partners)
    assert [
        title
        for name in partners
        for title in (
            f"Verdicts on {name}’s intermediate targets",
            f"Paid to {name} against the planned instalments",
        )
    ] == [title for title, _, _ in charts if title.startswith(("Verdicts on", "Paid to"))]
    first = charts[0][1]
    # The first partner: two targets not met, the satisfaction target inconclusive at the gate
    # after the pilot, the roll-out's targets not yet judged.
    assert first.startswith(
        f"Verdicts on {partners[0]}’s intermediate targets: 2 met, 2 not met, 1 inconclusive, "
        "2 not yet judged."
    )
    for words in (
        "Operating cost per passenger trip: not met",
        "Share of passengers satisfied with the service: inconclusive",
        "Wait from asking to travel to pick-up: met",
    ):
        assert words in first, words
    spend = next(desc for title, desc, _ in charts if title.startswith("Paid to"))
    assert "Service design accepted: £50,000 planned, £50,000 paid" in spend
    assert "Pilot data delivered for every target: £50,000 planned, £0 paid" in spend
    shown = text(response)
    # The text alternatives: the figure's caption, the targets' table and the spend table.
    assert first in shown
    assert "Share of passengers satisfied with the service " in shown
    assert " Inconclusive " in shown
    assert " Not yet judged " in shown
    assert "Planned and paid, by instalment" in shown
    assert "Pilot data delivered for every target £50,000.00 £0.00" in shown


def test_the_buses_page_charts_each_published_estimate_against_its_target(demo):
    record = Record.objects.get(title=BUSES)
    response = Client().get(f"/open/{record.ocid}/")
    charts = _charts(response.content.decode())
    name = record.compiled["awards"][0]["suppliers"][0]["name"]
    titles = [title for title, _, _ in charts]
    first = titles[: titles.index(f"Paid to {name} against the planned instalments")]
    # The first partner's verdicts, then its four targets with a published verdict: the
    # satisfaction target, inconclusive, has none, nor have the roll-out's, not yet judged.
    assert [
        f"Verdicts on {name}’s intermediate targets",
        "Share of trial bookings confirmed within 10 minutes",
        "Passenger trips per pilot village a day, against a year before",
        "Wait from asking to travel to pick-up",
        "Operating cost per passenger trip",
    ] == first
    cost = next(
        (desc, root) for title, desc, root in charts if title == "Operating cost per passenger trip"
    )
    assert cost[0].startswith("Operating cost per passenger trip: All the data ")
    assert cost[0].endswith("; the target is 12 pounds.")
    assert 1 == len(cost[1].findall(f"{SVG}circle"))
    assert cost[1].get("aria-labelledby") == "estimates-1-4-title estimates-1-4-desc"
    shown = text(response)
    assert (
        "Operating cost per passenger trip: the estimate with its 95% confidence interval; "
        "the target is at most 12 pounds Measured over Estimate Lower bound Upper bound "
        "All the data "
    ) in shown


def test_the_charts_keep_to_what_the_page_may_carry(demo):
    """Unique ids for every chart's title and description, no inline style, no script."""
    record = Record.objects.get(title=WASTE)
    response = Client().get(f"/open/{record.ocid}/")
    page = response.content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for _, _, root in _charts(page):
        labels = root.get("aria-labelledby").split()
        assert all(label in ids for label in labels)
        assert "img" == root.get("role")
    assert "style=" not in page
    assert "<style" not in page
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp


def test_the_waste_pages_charts_show_the_ended_partners_verdicts(demo):
    record = Record.objects.get(title=WASTE)
    charts = _charts(Client().get(f"/open/{record.ocid}/").content.decode())
    verdicts = [desc for title, desc, _ in charts if title.startswith("Verdicts")]
    assert 3 == len(verdicts)
    assert sorted(v.split(": ", 2)[1].split(".")[0] for v in verdicts) == [
        "1 met, 2 not yet judged",
        "1 not met, 2 not yet judged",
        "3 met",
    ]


def _contract(*milestones, status="active"):
    return {"status": status, "implementation": {"milestones": list(milestones)}}


def _m(code, status="scheduled", due="2026-01-01T00:00:00+00:00", **more):
    return {"code": code, "status": status, "dueDate": due, "title": f"{code} {status}", **more}


def test_a_target_without_a_verdict_is_inconclusive_only_once_its_phase_was_reviewed():
    later = "2027-01-01T00:00:00+00:00"
    waiting = _contract(_m("target"), _m("gate"), _m("target", due=later))
    assert ["not yet judged", "not yet judged"] == [
        v for _, v in presentation.target_verdicts(waiting)
    ]
    # The gate decided, or another target of the phase judged: the phase has been reviewed.
    decided = _contract(_m("target"), _m("gate", "met"), _m("target", due=later))
    assert ["inconclusive", "not yet judged"] == [
        v for _, v in presentation.target_verdicts(decided)
    ]
    judged = _contract(_m("target", "partiallyMet"), _m("target"), _m("gate"))
    assert ["partly met", "inconclusive"] == [v for _, v in presentation.target_verdicts(judged)]
    assert ["partly-met", "inconclusive"] == presentation.verdicts({"contracts": [judged]})


def test_outcomes_from_a_compiled_release():
    assert "" == presentation.outcome({"awards": [{}]})
    assert "cancelled" == presentation.outcome({"tender": {"status": "cancelled"}})
    ended = _contract(status="terminated")
    bought = _contract(_m("purchase", "met"), status="terminated")
    assert "ended" == presentation.outcome({"contracts": [ended, ended]})
    assert "active" == presentation.outcome({"contracts": [ended, _contract()]})
    assert "purchased" == presentation.outcome({"contracts": [ended, bought]})


def test_payments_not_linked_to_an_instalment_are_shown_apart():
    contract = {
        "implementation": {
            "milestones": [
                _m("instalment", id="i-1", description="An instalment. Value: 1000.00 GBP."),
                _m("instalment", id="i-2", description="An instalment."),
            ],
            "transactions": [
                {"id": "payment-1-i-1", "value": {"amount": 400, "currency": "GBP"}},
                {"id": "payment-2-i-1", "value": {"amount": 600, "currency": "GBP"}},
                {"id": "elsewhere", "value": {"amount": 50, "currency": "GBP"}},
                {"id": "payment-3-i-2"},
            ],
        }
    }
    shown = [(i.title, i.planned_text, i.paid_text) for i in presentation.instalments(contract)]
    assert [
        ("instalment scheduled", "£1,000.00", "£1,000.00"),  # to the penny, as planned
        ("instalment scheduled", "Not stated", "£0.00"),
        ("Other payments", "Not stated", "£50.00"),
    ] == shown


def test_records_published_before_the_search_knew_outcomes_get_theirs(demo):
    migration = importlib.import_module(
        "sanely.portal.publication.migrations.0005_record_outcome_verdicts"
    )
    Record.objects.update(outcome="", verdicts="")
    migration.fill(apps, None)
    buses = Record.objects.get(title=BUSES)
    assert ("active", "|met|not-met|inconclusive|") == (buses.outcome, buses.verdicts)
    assert "cancelled" == Record.objects.get(title=CANCELLED).outcome
