"""
The partnership routes' cases for tests/portal/test_organisation_isolation.py: Mercia (another
authority), Plover (a supplier with no part in it), Heron (an unsuccessful tenderer) and the
other partner never reach a partner's plan.
"""

from portal.award.isolation import outsiders, world

from sanely.portal.accounts.models import Role
from sanely.portal.award.models import Contract

PARTNERSHIPS_PUBLIC: dict[str, str] = {}


def case_partnership(wessex, mercia):
    w = world(wessex)
    heron = w.record.heron
    for browser, client in [
        *outsiders(w, mercia)[:2],
        (heron.client(Role.SUPPLIER_ADMIN), heron.token_client(Role.SUPPLIER_ADMIN)),
    ]:
        page = browser.get(f"/partnerships/procurements/{w.procurement_id}/")
        api = client.get(f"/api/v1/partnerships/{w.procurement_id}")
        assert {404} == {page.status_code, api.status_code}


def case_plan(wessex, mercia):
    w = world(wessex)
    osprey = Contract.objects.get(partner=w.record.osprey.organisation)
    heron = w.record.heron
    # Kestrel, the other partner, is the last of the outsiders.
    for browser, client in [
        *outsiders(w, mercia),
        (heron.client(Role.SUPPLIER_ADMIN), heron.token_client(Role.SUPPLIER_ADMIN)),
    ]:
        page = browser.get(f"/partnerships/contracts/{osprey.pk}/plan")
        api = client.get(f"/api/v1/contracts/{osprey.pk}/plan")
        assert {404} == {page.status_code, api.status_code}
        assert "Prototype" not in page.text + api.text


PARTNERSHIPS_CASES: dict[str, object] = {
    "partnerships:partnership": case_partnership,
    "api:partnership_detail": case_partnership,
    "partnerships:plan": case_plan,
    "api:plan_detail": case_plan,
}
