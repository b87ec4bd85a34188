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
    for _, client in outsiders(w, mercia)[:2]:
        assert 404 == client.get(f"/api/v1/partnerships/{w.procurement_id}").status_code
    heron = w.record.heron.token_client(Role.SUPPLIER_ADMIN)
    assert 404 == heron.get(f"/api/v1/partnerships/{w.procurement_id}").status_code


def case_plan(wessex, mercia):
    w = world(wessex)
    osprey = Contract.objects.get(partner=w.record.osprey.organisation)
    clients = [client for _, client in outsiders(w, mercia)]  # Kestrel, the other partner, last
    clients.append(w.record.heron.token_client(Role.SUPPLIER_ADMIN))
    for client in clients:
        response = client.get(f"/api/v1/contracts/{osprey.pk}/plan")
        assert 404 == response.status_code
        assert "phase-prototype" not in response.text


PARTNERSHIPS_CASES: dict[str, object] = {
    "api:partnership_detail": case_partnership,
    "api:plan_detail": case_plan,
}
