"""Before the requests to participate are opened, the selection shows how many, never who."""

import pytest
from portal.selection.world import selecting
from portal.tenders.test_who_submitted import open_round

from sanely.portal.accounts.models import Role
from sanely.portal.tenders.models import SubmissionRound

pytestmark = pytest.mark.django_db


def test_selection_shows_only_how_many_requests_wait_sealed(wessex, five):
    procurement = selecting(wessex, five[:2], opened=False)
    names = [c.organisation.name for c in five[:2]]
    shortlist = wessex.token_client(Role.EVALUATOR).get(
        f"/api/v1/procurements/{procurement.pk}/selection/shortlist"
    )
    assert 200 == shortlist.status_code
    body = shortlist.json()
    assert ([], [], 2) == (body["candidates"], body["missing"], body["sealed_requests"])
    page = wessex.client(Role.EVALUATOR).get(f"/selection/procurements/{procurement.pk}/")
    assert "2 suppliers sent a request to participate" in page.text
    assert [] == [name for name in names if name in page.text + shortlist.text]

    open_round(wessex, SubmissionRound.objects.get(procurement=procurement))

    body = (
        wessex.token_client(Role.EVALUATOR)
        .get(f"/api/v1/procurements/{procurement.pk}/selection/shortlist")
        .json()
    )
    assert (sorted(names), None) == (
        sorted(c["name"] for c in body["candidates"]),
        body["sealed_requests"],
    )
