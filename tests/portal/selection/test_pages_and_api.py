"""The selection through the API and the pages: marks, the proposed shortlist, the decision."""

import pytest
from competition import DESIGN
from portal.selection.world import TRACK_RECORD, mark, selecting

from sanely.documents.letters.invitation_to_tender import KIND as INVITATION
from sanely.documents.letters.regret import KIND as REGRET
from sanely.portal.accounts.models import Role
from sanely.portal.competition.models import Letter
from sanely.portal.selection.models import SelectionMark, ShortlistDecision

pytestmark = pytest.mark.django_db


def _api_marks(track: str = "4") -> dict:
    return {
        "marks": [
            {"criterion": "Insurance and finances", "passed": True, "reason": "Cover shown."},
            {"criterion": TRACK_RECORD, "score": track, "reason": "Two funded projects."},
            {"criterion": "Delivered innovations", "score": "3", "reason": "One in service."},
        ]
    }


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_through_the_api_an_evaluator_marks_and_the_lead_decides(wessex, five):
    procurement = selecting(wessex, five[:3])
    base = f"/api/v1/procurements/{procurement.pk}/selection"
    evaluator = wessex.token_client(Role.EVALUATOR)
    for candidate, track in zip(five[:3], ("5", "4", "3"), strict=True):
        url = f"{base}/candidates/{candidate.organisation.pk}/marks"
        recorded = _post(evaluator, url, _api_marks(track))
        assert 200 == recorded.status_code, recorded.json()
    listed = wessex.token_client(Role.AUDITOR).get(f"{base}/marks").json()
    assert 9 == len(listed)
    assert {"Evaluator of Wessex County Council"} == {m["assessor"] for m in listed}
    proposed = wessex.token_client(Role.FINANCE_OFFICER).get(f"{base}/shortlist").json()
    assert ([], "All 3 qualifying candidates are invited: within the maximum of 4.") == (
        proposed["missing"],
        proposed["reason"],
    )
    # Listed by name: Heron, Kestrel, Osprey; R&D weighs 2, delivery 1.
    assert [(3, "9.00", True), (1, "13.00", True), (2, "11.00", True)] == [
        (c["rank"], c["total"], c["invited"]) for c in proposed["candidates"]
    ]
    refused = _post(wessex.token_client(Role.EVALUATOR), f"{base}/shortlist/decision", {})
    assert 403 == refused.status_code
    decided = _post(wessex.token_client(Role.PROCUREMENT_LEAD), f"{base}/shortlist/decision", {})
    assert 201 == decided.status_code, decided.json()
    assert [c.organisation.pk for c in five[:3]] == decided.json()["invited"]


def test_the_api_names_the_field_of_a_score_outside_the_scale(wessex, five):
    procurement = selecting(wessex, five[:1])
    url = (
        f"/api/v1/procurements/{procurement.pk}/selection/candidates/"
        f"{five[0].organisation.pk}/marks"
    )
    response = _post(wessex.token_client(Role.EVALUATOR), url, _api_marks("7"))
    assert 400 == response.status_code
    body = response.json()
    assert (
        "validation_failed",
        ["Score R&D track record from 0 to 5; 7 is outside the published scale."],
    ) == (body["code"], body["detail"]["marks.1.score"])
    unknown = _post(wessex.token_client(Role.EVALUATOR), url, {"marks": [], "extra": 1})
    assert 422 == unknown.status_code
    for odd in ("NaN", "1e1000", "Infinity"):
        answer = _post(wessex.token_client(Role.EVALUATOR), url, _api_marks(odd))
        assert (422, ["marks.1.score"]) == (answer.status_code, list(answer.json()["detail"]))
    assert 0 == SelectionMark.objects.count()


def test_the_api_refuses_a_mark_by_an_auditor_and_a_decision_with_marks_missing(wessex, five):
    procurement = selecting(wessex, five[:2])
    base = f"/api/v1/procurements/{procurement.pk}/selection"
    url = f"{base}/candidates/{five[0].organisation.pk}/marks"
    assert 403 == _post(wessex.token_client(Role.AUDITOR), url, _api_marks()).status_code
    mark(wessex, procurement, five[0])
    refused = _post(wessex.token_client(Role.COMMISSIONER), f"{base}/shortlist/decision", {})
    assert 409 == refused.status_code
    assert refused.json()["message"].startswith("3 marks missing: Osprey Robotics Ltd on")
    assert not ShortlistDecision.objects.exists()


def test_a_candidate_cannot_see_the_marks_but_reads_its_letter(wessex, five):
    procurement = selecting(wessex, five[:1])
    mark(wessex, procurement, five[0])
    base = f"/api/v1/procurements/{procurement.pk}/selection"
    kestrel = five[0]
    assert 404 == kestrel.token_client(Role.SUPPLIER_ADMIN).get(f"{base}/marks").status_code
    page = kestrel.client(Role.SUPPLIER_ADMIN).get(f"/selection/procurements/{procurement.pk}/")
    assert 404 == page.status_code
    _post(wessex.token_client(Role.PROCUREMENT_LEAD), f"{base}/shortlist/decision", {})
    letter = Letter.objects.get(recipient=kestrel.organisation, kind=INVITATION)
    read = kestrel.token_client(Role.SUPPLIER_MEMBER).get(f"/api/v1/letters/{letter.pk}")
    assert (200, "Invitation to tender: Demand-responsive rural transport") == (
        read.status_code,
        read.json()["subject"],
    )
    shown = kestrel.client(Role.SUPPLIER_MEMBER).get(f"/opportunities/letters/{letter.pk}")
    assert "met every selection criterion" in shown.text


def _form(candidate, track="4", passed="yes", reason="Cover shown."):
    return {
        "candidate_id": candidate.organisation.pk,
        "marks.0.passed": passed,
        "marks.0.reason": reason,
        "marks.1.score": track,
        "marks.1.reason": "Two funded projects.",
        "marks.2.score": "3",
        "marks.2.reason": "One in service.",
    }


def test_on_the_page_an_evaluator_marks_and_sees_the_grid_and_missing_marks(wessex, five):
    procurement = selecting(wessex, five[:2])
    url = f"/selection/procurements/{procurement.pk}/"
    browser = wessex.client(Role.EVALUATOR)
    fresh = browser.get(url)
    assert 200 == fresh.status_code
    assert "6 marks missing: Kestrel Mobility Ltd on Insurance and finances" in fresh.text
    assert "Mark Kestrel Mobility Ltd" in fresh.text
    saved = browser.post(url, _form(five[0]))
    assert (302, url) == (saved.status_code, saved.url)
    grid = browser.get(url)
    assert "3 marks missing: Osprey Robotics Ltd on" in grid.text
    assert "Two funded projects." in grid.text
    assert "<strong>4 of 5</strong>" in grid.text
    assert "Mark Osprey Robotics Ltd" in grid.text
    assert "Decide the shortlist" not in grid.text


def test_the_page_shows_a_score_outside_the_scale_by_its_field(wessex, five):
    procurement = selecting(wessex, five[:1])
    url = f"/selection/procurements/{procurement.pk}/"
    refused = wessex.client(Role.EVALUATOR).post(url, _form(five[0], track="7", reason=""))
    assert 400 == refused.status_code
    assert 'href="#marks.1.score"' in refused.text
    assert (
        "Score R&amp;D track record from 0 to 5; 7 is outside the published scale." in refused.text
    )
    assert (
        "Give the reason for Kestrel Mobility Ltd&#39;s mark on Insurance and finances."
        in refused.text
    )
    assert 0 == SelectionMark.objects.count()


def test_an_auditor_reads_the_page_without_forms_and_cannot_post(wessex, five):
    procurement = selecting(wessex, five[:1])
    mark(wessex, procurement, five[0])
    url = f"/selection/procurements/{procurement.pk}/"
    auditor = wessex.client(Role.AUDITOR)
    page = auditor.get(url)
    assert (200, False) == (page.status_code, "Record the marks" in page.text)
    assert "Track record worth 4." in page.text
    assert 403 == auditor.post(url, _form(five[0], track="1")).status_code
    assert 403 == auditor.get(f"{url}decide").status_code
    assert ["4.00"] == [str(m.score) for m in SelectionMark.objects.filter(criterion=TRACK_RECORD)]


def test_on_the_page_the_lead_confirms_the_shortlist_and_the_letters_go(wessex, five):
    procurement = selecting(wessex, five[:2])
    mark(wessex, procurement, five[0])
    mark(wessex, procurement, five[1], insured=False)
    lead = wessex.client(Role.PROCUREMENT_LEAD)
    url = f"/selection/procurements/{procurement.pk}/decide"
    confirm = lead.get(url)
    assert 200 == confirm.status_code
    assert (
        "Only 1 candidate meets the selection criteria, fewer than the minimum of 3" in confirm.text
    )
    assert "Osprey Robotics Ltd: Did not meet the selection criteria" in confirm.text
    decided = lead.post(url, {"justification": ""})
    assert (302, f"/selection/procurements/{procurement.pk}/") == (decided.status_code, decided.url)
    after = lead.get(decided.url)
    assert "Shortlist decided" in after.text
    assert "1 candidate invited to tender" in after.text
    assert [INVITATION, REGRET] == list(
        Letter.objects.order_by("recipient__name").values_list("kind", flat=True)
    )


def test_the_decide_page_shows_missing_marks_and_a_refusal(wessex, five):
    procurement = selecting(wessex, five[:2])
    mark(wessex, procurement, five[0])
    lead = wessex.client(Role.PROCUREMENT_LEAD)
    url = f"/selection/procurements/{procurement.pk}/decide"
    assert "3 marks missing" in lead.get(url).text
    refused = lead.post(url, {"justification": ""})
    assert 409 == refused.status_code
    assert "Osprey Robotics Ltd on Insurance and finances" in refused.text
    assert not ShortlistDecision.objects.exists()


def test_a_tie_at_the_maximum_is_explained_with_the_candidates_names(wessex, five):
    design = {**DESIGN, "partners": {"partner_model": "single", "max_candidates": 2}}
    procurement = selecting(wessex, five[:3], design=design)
    for candidate, track in zip(five[:3], ("5", "4", "4"), strict=True):
        mark(wessex, procurement, candidate, track=track)
    tied = "“Osprey Robotics Ltd” and “Heron Transit CIC” tie on 11.00 points at the boundary"
    base = f"/api/v1/procurements/{procurement.pk}/selection/shortlist"
    proposed = wessex.token_client(Role.AUDITOR).get(base).json()["reason"]
    assert tied in proposed
    page = wessex.client(Role.PROCUREMENT_LEAD).get(f"/selection/procurements/{procurement.pk}/")
    assert tied in page.text
    assert f"“{five[1].organisation.pk}”" not in proposed + page.text
