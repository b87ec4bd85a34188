"""A commissioner designs a procurement, checks the answers, and sees a refusal with its rule."""

import pytest
from cast import AUTHORITY_ROLES, PASSWORD, make_org

from sanely.portal.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wessex_live(transactional_db):
    return make_org(
        "Wessex County Council", "authority", AUTHORITY_ROLES, slug="wessex", nation="england"
    )


def test_design_a_procurement_and_see_a_refusal_with_its_rule(
    page, live_server, wessex_live, console_errors, axe_violations
):
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(wessex_live.user(Role.COMMISSIONER).email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Procurements").click()
    page.get_by_role("link", name="Start a procurement").click()
    page.get_by_label("Title").fill("Predictive winter gritting")
    page.get_by_label("Commencement date (optional)").fill("2024-06-03")
    page.get_by_role("button", name="Continue").click()

    assert page.get_by_role("heading", name="The need and outcomes").is_visible()
    assert [] == axe_violations(page)
    page.get_by_label("What is the need?").fill("Gritting misses the roads that freeze first.")
    page.get_by_role("button", name="Save and continue").click()
    assert page.get_by_role("heading", name="Minimum requirements").is_visible()

    page.get_by_role("link", name="Check your answers").click()
    problems = page.locator(".govuk-error-summary")
    assert "PCR 2015 reg. 31(2)(a)" in problems.inner_text()
    assert [] == axe_violations(page)

    page.get_by_role("link", name="Back to the procurement").click()
    assert page.get_by_role("heading", name="What happens next").is_visible()
    blockers = page.locator("#blockers").inner_text()
    assert "Submit the contract notice for publication" in blockers
    assert [] == axe_violations(page)
    # A blocked action has no button; tried anyway, the engine refuses it with its rule.
    page.goto(f"{page.url}actions/submit_notice")
    page.get_by_label("Justification").fill("Reviewed.")
    page.get_by_role("button", name="Submit the contract notice for publication").click()
    summary = page.locator(".govuk-error-summary")
    assert "PCR 2015 reg. 31(2)(a); rule PCR15-31-2a" in summary.inner_text()
    assert [] == axe_violations(page)
    assert [] == console_errors
