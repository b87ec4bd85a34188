"""A person signs in, finds their organisation, makes an API token; every page passes axe-core."""

import re

import pytest
from cast import PASSWORD, SUPPLIER_ROLES, make_org

from sanely.portal.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kestrel_live(transactional_db):
    return make_org("Kestrel Mobility Ltd", "supplier", SUPPLIER_ROLES, slug="kestrel")


def sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_find_the_organisation_and_make_a_token(
    page, live_server, kestrel_live, console_errors, axe_violations
):
    page.goto(live_server.url)
    assert [] == axe_violations(page)
    sign_in(page, live_server.url, kestrel_live.user(Role.SUPPLIER_ADMIN).email)
    page.get_by_role("link", name="Kestrel Mobility Ltd").click()
    assert page.get_by_role("heading", name="Kestrel Mobility Ltd").is_visible()
    assert [] == axe_violations(page)
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("bid export")
    page.get_by_role("button", name="Make token").click()
    secret = page.locator("#token-secret").inner_text()
    assert re.fullmatch(r"sanely_pat_[A-Za-z0-9_-]+", secret)
    assert [] == console_errors


def test_a_wrong_password_is_announced_in_the_error_summary(
    page, live_server, kestrel_live, console_errors, axe_violations
):
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(kestrel_live.user(Role.SUPPLIER_ADMIN).email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter a correct email address and password" in summary.inner_text()
    # GOV.UK Frontend's JavaScript ran (CSP allowed our module) and moved focus to the summary.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert [] == axe_violations(page)
    assert [] == console_errors


def test_the_api_documentation_opens_an_operation_under_the_csp(
    page, live_server, console_errors, axe_violations
):
    page.goto(f"{live_server.url}/api/docs")
    assert "sanely API documentation" in page.locator("h1").inner_text()
    operation = page.locator("details", has_text="/api/v1/me").first
    operation.locator("summary").click()
    assert operation.locator("table").first.is_visible()
    assert [] == axe_violations(page)
    assert [] == console_errors
