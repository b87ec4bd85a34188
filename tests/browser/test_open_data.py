"""
Open data in a real browser: a resident searches the published procurements, reads one and its
contract award notice; another finds the demo's partnerships by a verdict and reads their charts;
the procurement lead reviews an award and withholds its value. Every page passes axe-core and
runs under the CSP without errors.
"""

import pytest
from browser.test_journeys import sign_in
from cast import AUTHORITY_ROLES, make_org
from portal.publication.world import published

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.demo.load import demo_load
from sanely.portal.publication.models import FactStatus, Withholding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wessex_live(transactional_db):
    return make_org(
        "Wessex County Council", "authority", AUTHORITY_ROLES, slug="wessex", nation="england"
    )


def test_a_resident_reads_a_procurement_and_its_notice(
    page, live_server, wessex_live, console_errors, axe_violations
):
    published(wessex_live, concluded=False)
    page.goto(live_server.url)
    page.get_by_role("link", name="Open data").click()
    page.get_by_label("Search").fill("villages")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("1 procurement found").wait_for()
    assert [] == axe_violations(page)
    page.get_by_role("link", name="Demand-responsive rural transport").click()
    page.get_by_role("heading", name="Partner: Kestrel Mobility Ltd").wait_for()
    assert [] == axe_violations(page)
    page.get_by_role("link", name="Contract award notice (UK6)").first.click()
    page.get_by_role("heading", name="Contract award notice (UK6)").wait_for()
    assert [] == axe_violations(page)
    assert [] == console_errors


def test_the_lead_withholds_an_awards_value_on_a_lawful_ground(
    page, live_server, wessex_live, console_errors, axe_violations
):
    p = published(wessex_live, reviewed=False, concluded=False)
    sign_in(page, live_server.url, wessex_live.user(Role.PROCUREMENT_LEAD).email)
    page.goto(f"{live_server.url}/publication/procurements/{p.procurement_id}/")
    assert [] == axe_violations(page)
    page.get_by_role("link", name="Review the award to a partner Kestrel Mobility Ltd").click()
    page.get_by_label("The award’s value").check()
    page.get_by_role("button", name="Record the decision").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Choose the lawful ground" in summary.inner_text()
    assert [] == axe_violations(page)
    page.get_by_label("The award’s value").check()
    page.get_by_label("The lawful ground for anything withheld").select_option(
        "pa-sensitive-commercial"
    )
    page.get_by_label("Why, for the record").fill("It would show the partner's pricing.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decision recorded").wait_for()
    withholding = Withholding.objects.get(path="awards.value")
    # Queued after the commit, and published by the (immediate) worker.
    withholding.fact.refresh_from_db()
    assert FactStatus.PUBLISHED == withholding.fact.status
    assert [] == console_errors


def test_a_resident_finds_partnerships_by_verdict_and_reads_their_charts(
    page, live_server, settings, tmp_path, console_errors, axe_violations
):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_load(now=now())
    page.goto(f"{live_server.url}/open/")
    page.get_by_label("Verdict").select_option(label="A target inconclusive at its phase’s review")
    page.get_by_label("Outcome").select_option(label="Still in partnership")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("1 procurement found").wait_for()
    assert [] == axe_violations(page)
    page.get_by_role("link", name="Demand-responsive buses in three rural districts").click()
    charts = page.get_by_role("img", name="Verdicts on", exact=False)
    charts.first.wait_for()
    assert 3 == charts.count()
    assert 3 == page.get_by_role("img", name="against the planned instalments").count()
    assert [] == axe_violations(page)
    page.goto(f"{live_server.url}/open/?verdict=won")
    summary = page.locator(".govuk-error-summary")
    assert "Choose a verdict from the list, or any." in summary.inner_text()
    assert [] == axe_violations(page)
    assert [] == console_errors
