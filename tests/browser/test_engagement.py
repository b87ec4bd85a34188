"""
Preliminary market engagement in a real browser: a commissioner records a supplier day and
publishes the UK2; a resident then finds the challenge on the public list as planned and reads
its notice. Every page passes axe-core and runs under the CSP without errors.
"""

import pytest
from browser.test_journeys import sign_in
from cast import AUTHORITY_ROLES, make_org
from portal.engagement.world import designing

from sanely.portal.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wessex_live(transactional_db):
    return make_org(
        "Wessex County Council", "authority", AUTHORITY_ROLES, slug="wessex", nation="england"
    )


def test_engagement_is_recorded_and_its_notice_found_by_the_public(
    page, live_server, wessex_live, console_errors, axe_violations
):
    procurement = designing(wessex_live)
    sign_in(page, live_server.url, wessex_live.user(Role.COMMISSIONER).email)
    page.goto(f"{live_server.url}/procurements/{procurement.pk}/")
    page.get_by_role("link", name="Preliminary market engagement").click()
    page.get_by_role("link", name="Record an engagement event").click()
    assert [] == axe_violations(page)
    page.get_by_role("button", name="Record the event").click()
    page.locator(".govuk-error-summary").wait_for()
    assert [] == axe_violations(page)
    page.get_by_label("Title").fill("Supplier day on village transport")
    page.get_by_label("When, UK time").fill("2026-12-09 10:00")
    page.get_by_label("Where").fill("Wessex County Hall, Dorchester")
    page.get_by_label("What the market was asked").fill("Could bookings reach every village?")
    page.get_by_label("Who took part").fill("Kestrel Mobility Ltd, SME\nVillage Wheels, VCSE")
    page.get_by_role("button", name="Record the event").click()
    page.get_by_text("2 organisations took part").wait_for()
    assert [] == axe_violations(page)
    page.get_by_role("link", name="Publish the preliminary market engagement notice (UK2)").click()
    page.get_by_label("The engagement closes, or closed, on").fill("2026-12-18")
    page.get_by_label("How suppliers take part").fill("Come to the supplier day or write to us.")
    page.get_by_role("button", name="Publish the notice").click()
    page.get_by_text("The preliminary market engagement closes on 18 December 2026.").wait_for()
    page.goto(f"{live_server.url}/open/?stage=planning")
    page.get_by_role("link", name="Rural transport on demand").click()
    page.get_by_role("link", name="Preliminary market engagement notice (UK2)").first.click()
    page.get_by_text("Supplier day on village transport").first.wait_for()
    assert [] == axe_violations(page)
    assert [] == console_errors
