"""
The selection routes' cases for tests/portal/test_organisation_isolation.py: Mercia (another
authority), Osprey (an unrelated supplier) and Kestrel (the candidate itself) never see
Wessex's marks nor change them, nor decide its shortlist.
"""

from cast import SUPPLIER_ROLES, Org, make_org
from portal.selection.world import mark, selecting

from sanely.portal.accounts.models import Role
from sanely.portal.procurements.models import Procurement
from sanely.portal.selection.models import SelectionMark, ShortlistDecision

# Routes that hold no organisation's private data, and why.
SELECTION_PUBLIC: dict[str, str] = {}


def _world(wessex: Org) -> tuple[Procurement, Org, list[tuple]]:
    """Wessex's procurement in selection, Kestrel its candidate marked; and the outsiders."""
    kestrel = make_org("Kestrel Mobility Ltd", "supplier", SUPPLIER_ROLES, slug="kestrel")
    osprey = make_org("Osprey Robotics Ltd", "supplier", SUPPLIER_ROLES, slug="osprey")
    procurement = selecting(wessex, [kestrel], reference="IP-ISO-SEL")
    mark(wessex, procurement, kestrel)
    return procurement, kestrel, [osprey, kestrel]


def _outsiders(mercia: Org, suppliers: list[Org]) -> list[tuple]:
    """(browser, API client) of another authority, an unrelated supplier and the candidate."""
    pairs = [(mercia.client(Role.PROCUREMENT_LEAD), mercia.token_client(Role.PROCUREMENT_LEAD))]
    pairs += [
        (s.client(Role.SUPPLIER_ADMIN), s.token_client(Role.SUPPLIER_ADMIN)) for s in suppliers
    ]
    return pairs


def _unchanged(procurement: Procurement, before: list) -> None:
    procurement.refresh_from_db()
    assert before == list(SelectionMark.objects.values_list("pk", "score", "reason"))
    assert not ShortlistDecision.objects.exists()
    assert procurement.state in {"selection", "conditions_assessment"}


def case_selection(wessex, mercia):
    procurement, kestrel, suppliers = _world(wessex)
    before = list(SelectionMark.objects.values_list("pk", "score", "reason"))
    url = f"/selection/procurements/{procurement.pk}/"
    for browser, client in _outsiders(mercia, suppliers):
        page = browser.get(url)
        assert 404 == page.status_code
        assert "Track record worth" not in page.text
        posted = browser.post(
            url,
            {
                "candidate_id": kestrel.organisation.pk,
                "marks.0.passed": "no",
                "marks.0.reason": "x",
                "marks.1.score": "0",
                "marks.1.reason": "x",
                "marks.2.score": "0",
                "marks.2.reason": "x",
            },
        )
        assert 404 == posted.status_code
        api = client.get(f"/api/v1/procurements/{procurement.pk}/selection/marks")
        assert 404 == api.status_code
        recorded = client.post(
            f"/api/v1/procurements/{procurement.pk}/selection/candidates/"
            f"{kestrel.organisation.pk}/marks",
            {"marks": [{"criterion": "R&D track record", "score": "0", "reason": "x"}]},
            content_type="application/json",
        )
        assert 404 == recorded.status_code
    _unchanged(procurement, before)


def case_shortlist(wessex, mercia):
    procurement, _, suppliers = _world(wessex)
    before = list(SelectionMark.objects.values_list("pk", "score", "reason"))
    for browser, client in _outsiders(mercia, suppliers):
        assert 404 == browser.get(f"/selection/procurements/{procurement.pk}/decide").status_code
        assert 404 == browser.post(f"/selection/procurements/{procurement.pk}/decide").status_code
        api = client.get(f"/api/v1/procurements/{procurement.pk}/selection/shortlist")
        assert 404 == api.status_code
        decided = client.post(
            f"/api/v1/procurements/{procurement.pk}/selection/shortlist/decision",
            {},
            content_type="application/json",
        )
        assert 404 == decided.status_code
    _unchanged(procurement, before)


SELECTION_CASES: dict[str, object] = {
    "selection:selection": case_selection,
    "api:selection_marks": case_selection,
    "api:selection_marks_record": case_selection,
    "selection:decide": case_shortlist,
    "api:selection_shortlist": case_shortlist,
    "api:selection_shortlist_decide": case_shortlist,
}
