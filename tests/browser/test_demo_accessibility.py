"""
Every kind of page of the demo, as each role sees it, passes axe-core (WCAG 2.1 A and AA) in
Debian's Chromium. The pages are found by the same crawler as the link test (tests/portal), one
page per named route and role, so that the run stays within its budget (docs/reliability.md):
a route's pages share their template, and each role sees its own offers on it.
"""

import pytest
from portal.crawl import PUBLIC, Crawler, client_of, demo_seeds, route_of

from sanely.portal.core.clock import now
from sanely.portal.demo.load import demo_load
from sanely.portal.procurements.models import Procurement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One person for each way of seeing the pages: one who changes procurements (a commissioner
# sees what a procurement lead sees; an evaluator sees the lead's evaluation pages with fewer
# forms), one who reads only (a finance officer sees what an auditor sees), a supplier (a
# member sees its admin's pages without the admin's forms) and the public. Other suppliers and
# authorities see the same templates with other data.
ROLES = [
    "procurement@wessex.example",
    "auditor@wessex.example",
    "admin@kestrel.example",
    PUBLIC,
]


def pages_by_route(client) -> dict[str, str]:
    """The first page the client's person reaches of each named route of the portal's own."""
    # as many pages of a route as there are procurements: a route whose pages differ by the
    # procurement's state (an award page with contracts, say) is reached from each of them
    crawl = Crawler(client, per_route=Procurement.objects.count()).run(demo_seeds())
    found: dict[str, str] = {}
    for url in crawl.pages:
        found.setdefault(route_of(url), url)
    return found


def test_every_kind_of_demo_page_passes_axe_for_every_role(
    page, live_server, settings, tmp_path, axe_violations
):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_load(now=now())
    violations = []
    checked = 0
    for person in ROLES:
        client = client_of(person)
        page.context.clear_cookies()
        if person != PUBLIC:
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            page.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
        for route, url in sorted(pages_by_route(client).items()):
            page.goto(live_server.url + url)
            checked += 1
            violations += [f"{person} {route} {url}: {v}" for v in axe_violations(page)]
    assert checked > len(ROLES)
    assert not violations, "\n".join(violations)
