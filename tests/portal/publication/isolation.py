"""
The publication routes' cases for tests/portal/test_organisation_isolation.py. The public pages
and feeds hold every authority's published data, so their case is that nothing unpublished
reaches anyone through them: Wessex's awards wait for review, and neither a visitor nor Mercia
finds a partner's name, a waiting notice or a release of them. The authority's own pages and
API routes are not found by Mercia or by a partner.
"""

import gzip

from django.test import Client
from portal.publication.world import fact, published

from sanely.portal.accounts.models import Role
from sanely.portal.publication.models import FactStatus

PUBLICATION_PUBLIC: dict[str, str] = {}
PARTNERS = ("Kestrel", "Osprey")


def _body(response):
    if response.streaming:
        return gzip.decompress(b"".join(response.streaming_content)).decode()
    return response.content.decode()


def case_nothing_unpublished(wessex, mercia):
    p = published(wessex, reviewed=False, concluded=False)
    urls = [
        "/open/",
        f"/open/{p.ocid}/",
        f"/open/{p.ocid}/notices/tender",
        "/ocds/releases",
        f"/ocds/records/{p.ocid}",
        "/ocds/releases.jsonl.gz",
    ]
    for browser in (Client(), mercia.client(Role.PROCUREMENT_LEAD)):
        for url in urls:
            response = browser.get(url)
            assert 200 == response.status_code, url
            assert not any(name in _body(response) for name in PARTNERS), url
        assert 404 == browser.get(f"/open/{p.ocid}/notices/award-1").status_code
        assert "0 procurements found" in browser.get("/open/?words=Kestrel").text


def _outsiders(p, mercia):
    kestrel = p.world.record.kestrel
    return [
        (mercia.client(Role.PROCUREMENT_LEAD), mercia.token_client(Role.PROCUREMENT_LEAD)),
        (mercia.client(Role.AUDITOR), mercia.token_client(Role.AUDITOR)),
        (kestrel.client(Role.SUPPLIER_ADMIN), kestrel.token_client(Role.SUPPLIER_ADMIN)),
    ]


def case_facts(wessex, mercia):
    p = published(wessex, reviewed=False, concluded=False)
    for browser, client in _outsiders(p, mercia):
        page = browser.get(f"/publication/procurements/{p.procurement_id}/")
        api = client.get(f"/api/v1/publication/procurements/{p.procurement_id}/facts")
        assert {404} == {page.status_code, api.status_code}
        assert not any(name in page.text + api.text for name in PARTNERS)


def case_review(wessex, mercia):
    p = published(wessex, reviewed=False, concluded=False)
    award = fact(p.procurement_id, "award-1")
    for browser, client in _outsiders(p, mercia):
        url = f"/publication/facts/{award.pk}/review"
        assert 404 == browser.get(url).status_code
        assert 404 == browser.post(url, {"decision": "publish"}).status_code
        api = client.post(
            f"/api/v1/publication/facts/{award.pk}/review",
            {"publish": True},
            content_type="application/json",
        )
        assert 404 == api.status_code
    assert FactStatus.AWAITING_REVIEW == fact(p.procurement_id, "award-1").status


PUBLICATION_CASES: dict[str, object] = {
    "publication:search": case_nothing_unpublished,
    "publication:procurement": case_nothing_unpublished,
    "publication:notice": case_nothing_unpublished,
    "ocds:releases": case_nothing_unpublished,
    "ocds:record": case_nothing_unpublished,
    "ocds:bulk": case_nothing_unpublished,
    "publication:facts": case_facts,
    "api:publication_facts": case_facts,
    "publication:review": case_review,
    "api:publication_review": case_review,
}
