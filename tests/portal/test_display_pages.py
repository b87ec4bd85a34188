"""
Pages that only show something take no POST: a POST to them is answered 405 (the route does not
take this method), never as if it were a GET. Their forms, where they have any, ask with GET or
post to routes of their own.
"""

import pytest
from cast import Role
from competition import procurement_at

pytestmark = pytest.mark.django_db


def test_a_page_that_only_shows_something_refuses_a_post(wessex) -> None:
    procurement = procurement_at(wessex, "tendering")
    organisation = wessex.organisation.pk
    pages = [
        "/",
        "/healthz",
        "/status",
        "/deadlines",
        "/audit/",
        "/procurements/",
        f"/procurements/{procurement.pk}/",
        f"/procurements/{procurement.pk}/check",
        "/evidence/",
        f"/organisations/{organisation}/",
        "/api/docs",
    ]
    lead = wessex.client(Role.PROCUREMENT_LEAD)
    assert dict.fromkeys(pages, 405) == {page: lead.post(page).status_code for page in pages}
    # The same pages still show themselves to a GET (the health pages answer by their state).
    shown = pages[3:]
    assert dict.fromkeys(shown, 200) == {page: lead.get(page).status_code for page in shown}
