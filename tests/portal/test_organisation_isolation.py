"""
For every page and API route: a person of one organisation can neither read nor change
another organisation's data. A route added without a case here fails
`test_every_route_has_an_isolation_case`.
"""

import json

import pytest
from cast import NOW, membership_of
from portal.award.isolation import AWARD_CASES, AWARD_PUBLIC
from portal.engagement.isolation import ENGAGEMENT_CASES, ENGAGEMENT_PUBLIC
from portal.evaluation.isolation import EVALUATION_CASES, EVALUATION_PUBLIC
from portal.negotiation.isolation import NEGOTIATION_CASES, NEGOTIATION_PUBLIC
from portal.partnerships.isolation import PARTNERSHIPS_CASES, PARTNERSHIPS_PUBLIC
from portal.publication.isolation import PUBLICATION_CASES, PUBLICATION_PUBLIC
from portal.publication.isolation_notices import NOTICES_CASES, NOTICES_PUBLIC
from portal.routes import route_names
from portal.selection.isolation import SELECTION_CASES, SELECTION_PUBLIC
from portal.tenders.isolation import TENDERS_CASES, TENDERS_PUBLIC

from sanely.portal.accounts.models import ApiToken, Membership, Organisation, Role
from sanely.portal.accounts.services import token_create

pytestmark = pytest.mark.django_db

# Routes that hold no organisation's data at all, and why.
NO_ORGANISATION_DATA = {
    "healthz": "service health only",
    "status": "service health only, in words",
    "api:openapi-json": "the API description",
    "api_docs": "the API documentation page",
    "api:api-root": "the API index",
    "accounts:login": "the sign-in form",
    "accounts:register": "creates a new organisation; reads none",
    "accounts:logout_confirm": "the sign-out form",
    "accounts:sign_in_code": "the second step of signing in, for the person whose password it was",
    "accounts:second_factor": "the signed-in person's own authenticator app",
    "accounts:password_reset": "answers the same for every address",
    "accounts:password_set": "works only with the secret token emailed to the person",
    "api:deadline": "the public statutory deadline calculator",
    "deadlines": "the public statutory deadline calculator page",
    **TENDERS_PUBLIC,
    **SELECTION_PUBLIC,
    **NEGOTIATION_PUBLIC,
    **EVALUATION_PUBLIC,
    **AWARD_PUBLIC,
    **PARTNERSHIPS_PUBLIC,
    **PUBLICATION_PUBLIC,
    **ENGAGEMENT_PUBLIC,
    **NOTICES_PUBLIC,
}


def wessex_token(wessex):
    token, _ = token_create(
        actor=wessex.actor(Role.COMMISSIONER),
        organisation_id=wessex.organisation.pk,
        name="theirs",
        now=NOW,
    )
    return token


def json_patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def case_home(wessex, mercia):
    response = mercia.client(Role.PROCUREMENT_LEAD).get("/")
    assert 200 == response.status_code
    assert wessex.organisation.name not in response.text


def case_page_organisation(wessex, mercia):
    response = mercia.client(Role.PROCUREMENT_LEAD).get(f"/organisations/{wessex.organisation.pk}/")
    assert 404 == response.status_code
    assert wessex.organisation.name not in response.text


def case_page_organisation_edit(wessex, mercia):
    client = mercia.client(Role.PROCUREMENT_LEAD)
    url = f"/organisations/{wessex.organisation.pk}/edit"
    assert 404 == client.get(url).status_code
    assert 404 == client.post(url, {"name": "Taken over"}).status_code
    assert "Wessex County Council" == Organisation.objects.get(pk=wessex.organisation.pk).name


def case_page_member_add(wessex, mercia):
    client = mercia.client(Role.PROCUREMENT_LEAD)
    url = f"/organisations/{wessex.organisation.pk}/members/add"
    assert 404 == client.get(url).status_code
    response = client.post(
        url, {"email": "spy@mercia.example", "full_name": "Spy", "role": "auditor"}
    )
    assert 404 == response.status_code
    assert not Membership.objects.filter(user__email="spy@mercia.example").exists()


def case_page_member_remove(wessex, mercia):
    victim = membership_of(wessex.user(Role.EVALUATOR), wessex.organisation)
    client = mercia.client(Role.PROCUREMENT_LEAD)
    for org_id in (wessex.organisation.pk, mercia.organisation.pk):
        assert 404 == client.post(f"/organisations/{org_id}/members/{victim.pk}/remove").status_code
    assert Membership.objects.filter(pk=victim.pk).exists()


def case_page_tokens(wessex, mercia):
    token = wessex_token(wessex)
    response = mercia.client(Role.COMMISSIONER).get("/account/tokens")
    assert 200 == response.status_code
    assert token.prefix not in response.text
    # Making a token for another organisation is refused as not found.
    response = mercia.client(Role.COMMISSIONER).post(
        "/account/tokens", {"name": "x", "organisation_id": wessex.organisation.pk, "days": 30}
    )
    assert 400 == response.status_code
    assert not ApiToken.objects.filter(
        membership__organisation=wessex.organisation, name="x"
    ).exists()


def case_page_token_revoke(wessex, mercia):
    token = wessex_token(wessex)
    assert (
        404
        == mercia.client(Role.COMMISSIONER).post(f"/account/tokens/{token.pk}/revoke").status_code
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def case_page_audit(wessex, mercia):
    client = mercia.client(Role.AUDITOR)
    for query in ("", f"?organisation_id={wessex.organisation.pk}"):
        response = client.get(f"/audit/{query}")
        assert 200 == response.status_code
        assert "wessex.example" not in response.text


def case_api_me(wessex, mercia):
    body = mercia.token_client(Role.COMMISSIONER).get("/api/v1/me").json()
    assert {mercia.organisation.pk} == {m["organisation_id"] for m in body["memberships"]}


def case_api_organisation_list(wessex, mercia):
    body = mercia.token_client(Role.COMMISSIONER).get("/api/v1/organisations").json()
    assert [mercia.organisation.pk] == [o["id"] for o in body["items"]]


def case_api_organisation_detail(wessex, mercia):
    client = mercia.token_client(Role.PROCUREMENT_LEAD)
    theirs = client.get(f"/api/v1/organisations/{wessex.organisation.pk}")
    missing = client.get("/api/v1/organisations/999999")
    assert 404 == theirs.status_code
    # Exactly the answer for an id that does not exist: nothing says it is someone else's.
    assert missing.json() == theirs.json()


def case_api_organisation_update(wessex, mercia):
    client = mercia.token_client(Role.PROCUREMENT_LEAD)
    response = json_patch(
        client, f"/api/v1/organisations/{wessex.organisation.pk}", {"name": "Taken over"}
    )
    assert 404 == response.status_code
    assert "Wessex County Council" == Organisation.objects.get(pk=wessex.organisation.pk).name


def case_api_member_list(wessex, mercia):
    response = mercia.token_client(Role.PROCUREMENT_LEAD).get(
        f"/api/v1/organisations/{wessex.organisation.pk}/members"
    )
    assert 404 == response.status_code
    assert "wessex.example" not in response.text


def case_api_member_add(wessex, mercia):
    response = mercia.token_client(Role.PROCUREMENT_LEAD).post(
        f"/api/v1/organisations/{wessex.organisation.pk}/members",
        {"email": "spy@mercia.example", "full_name": "Spy", "role": "auditor"},
        content_type="application/json",
    )
    assert 404 == response.status_code
    assert not Membership.objects.filter(user__email="spy@mercia.example").exists()


def case_api_member_remove(wessex, mercia):
    victim = membership_of(wessex.user(Role.EVALUATOR), wessex.organisation)
    client = mercia.token_client(Role.PROCUREMENT_LEAD)
    for org_id in (wessex.organisation.pk, mercia.organisation.pk):
        assert (
            404 == client.delete(f"/api/v1/organisations/{org_id}/members/{victim.pk}").status_code
        )
    assert Membership.objects.filter(pk=victim.pk).exists()


def case_api_token_list(wessex, mercia):
    token = wessex_token(wessex)
    body = mercia.token_client(Role.COMMISSIONER).get("/api/v1/tokens").json()
    assert token.pk not in [t["id"] for t in body["items"]]


def case_api_token_create(wessex, mercia):
    response = mercia.token_client(Role.COMMISSIONER).post(
        "/api/v1/tokens",
        {"organisation_id": wessex.organisation.pk, "name": "x"},
        content_type="application/json",
    )
    assert 404 == response.status_code
    assert not ApiToken.objects.filter(
        membership__organisation=wessex.organisation, name="x"
    ).exists()


def case_api_token_revoke(wessex, mercia):
    token = wessex_token(wessex)
    assert (
        404
        == mercia.token_client(Role.COMMISSIONER).delete(f"/api/v1/tokens/{token.pk}").status_code
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def case_api_audit_events(wessex, mercia):
    client = mercia.token_client(Role.AUDITOR)
    own = client.get("/api/v1/audit/events").json()["items"]
    assert own, "the auditor sees their own authority's events"
    assert {mercia.organisation.pk} == {e["authority_id"] for e in own}
    filtered = client.get(f"/api/v1/audit/events?organisation_id={wessex.organisation.pk}").json()
    assert [] == filtered["items"]


def wessex_assessment(wessex):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanely.portal.pilots.services import assessment_request

    spec = {
        "columns": {"value": "minutes"},
        "design": {"kind": "threshold"},
        "metric": {"statistic": "mean"},
    }
    return assessment_request(
        actor=wessex.actor(Role.COMMISSIONER),
        organisation_id=wessex.organisation.pk,
        title="Wessex waiting times",
        data=SimpleUploadedFile("w.csv", b"minutes\n1\n2\n"),
        spec=spec,
        now=NOW,
    )


def case_page_evidence_list(wessex, mercia):
    wessex_assessment(wessex)
    response = mercia.client(Role.COMMISSIONER).get("/evidence/")
    assert 200 == response.status_code
    assert "Wessex waiting times" not in response.text


def case_page_evidence_new(wessex, mercia):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanely.portal.pilots.models import OutcomeAssessment

    response = mercia.client(Role.COMMISSIONER).post(
        "/evidence/new",
        {
            "organisation_id": wessex.organisation.pk,
            "title": "x",
            "value": "minutes",
            "design": "threshold",
            "statistic": "mean",
            "standard": "ci_bound",
            "method": "analytic",
            "data_file": SimpleUploadedFile("w.csv", b"minutes\n1\n"),
        },
    )
    assert 400 == response.status_code  # not one of the choices offered
    assert 0 == OutcomeAssessment.objects.filter(organisation=wessex.organisation).count()


def case_page_evidence_detail(wessex, mercia):
    assessment = wessex_assessment(wessex)
    assert 404 == mercia.client(Role.AUDITOR).get(f"/evidence/{assessment.pk}/").status_code


def case_api_assessment_list(wessex, mercia):
    wessex_assessment(wessex)
    assert [] == mercia.token_client(Role.AUDITOR).get("/api/v1/assessments").json()["items"]


def case_api_assessment_detail(wessex, mercia):
    assessment = wessex_assessment(wessex)
    response = mercia.token_client(Role.AUDITOR).get(f"/api/v1/assessments/{assessment.pk}")
    assert 404 == response.status_code


def case_api_assessment_create(wessex, mercia):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanely.portal.pilots.models import OutcomeAssessment

    spec = '{"columns": {"value": "minutes"}, "design": {"kind": "threshold"}, "metric": {"statistic": "mean"}}'
    response = mercia.token_client(Role.COMMISSIONER).post(
        "/api/v1/assessments",
        {
            "organisation_id": wessex.organisation.pk,
            "title": "x",
            "spec": spec,
            "data": SimpleUploadedFile("w.csv", b"minutes\n1\n"),
        },
    )
    assert 404 == response.status_code
    assert 0 == OutcomeAssessment.objects.count()


def wessex_procurement(wessex):
    from sanely.portal.procurements.services import procurement_create

    return procurement_create(
        actor=wessex.actor(Role.COMMISSIONER),
        organisation_id=wessex.organisation.pk,
        title="Wessex rural transport",
        now=NOW,
    )


def case_api_procurement_list(wessex, mercia):
    wessex_procurement(wessex)
    response = mercia.token_client(Role.PROCUREMENT_LEAD).get("/api/v1/procurements")
    assert {"items": [], "next_cursor": None} == response.json()


def case_api_procurement_create(wessex, mercia):
    from sanely.portal.procurements.models import Procurement

    body = {"organisation_id": wessex.organisation.pk, "title": "Planted"}
    client = mercia.token_client(Role.PROCUREMENT_LEAD)
    response = client.post(
        "/api/v1/procurements", json.dumps(body), content_type="application/json"
    )
    assert 404 == response.status_code
    assert not Procurement.objects.exists()


def case_api_procurement_detail(wessex, mercia):
    procurement = wessex_procurement(wessex)
    for role in (Role.PROCUREMENT_LEAD, Role.AUDITOR):
        response = mercia.token_client(role).get(f"/api/v1/procurements/{procurement.pk}")
        assert 404 == response.status_code


def case_api_procurement_update(wessex, mercia):
    procurement = wessex_procurement(wessex)
    body = {"need": {"need_statement": "Overwritten"}}
    client = mercia.token_client(Role.PROCUREMENT_LEAD)
    assert 404 == json_patch(client, f"/api/v1/procurements/{procurement.pk}", body).status_code
    procurement.refresh_from_db()
    assert {} == procurement.design


def case_api_procurement_next(wessex, mercia):
    procurement = wessex_procurement(wessex)
    client = mercia.token_client(Role.PROCUREMENT_LEAD)
    assert 404 == client.get(f"/api/v1/procurements/{procurement.pk}/next").status_code


def case_api_procurement_action(wessex, mercia):
    procurement = wessex_procurement(wessex)
    client = mercia.token_client(Role.PROCUREMENT_LEAD)
    url = f"/api/v1/procurements/{procurement.pk}/actions/abandon"
    assert 404 == client.post(url, "{}", content_type="application/json").status_code
    procurement.refresh_from_db()
    assert "drafting" == procurement.state


def case_page_procurement_list(wessex, mercia):
    wessex_procurement(wessex)
    response = mercia.client(Role.PROCUREMENT_LEAD).get("/procurements/")
    assert 200 == response.status_code
    assert "Wessex rural transport" not in response.text


def case_page_procurement_new(wessex, mercia):
    from sanely.portal.procurements.models import Procurement

    response = mercia.client(Role.PROCUREMENT_LEAD).post(
        "/procurements/new", {"title": "Planted", "organisation_id": wessex.organisation.pk}
    )
    assert 400 == response.status_code  # not one of the authorities offered
    assert not Procurement.objects.exists()


def case_page_procurement_detail(wessex, mercia):
    procurement = wessex_procurement(wessex)
    response = mercia.client(Role.AUDITOR).get(f"/procurements/{procurement.pk}/")
    assert 404 == response.status_code


def case_page_procurement_section(wessex, mercia):
    procurement = wessex_procurement(wessex)
    client = mercia.client(Role.PROCUREMENT_LEAD)
    url = f"/procurements/{procurement.pk}/design/need"
    assert 404 == client.get(url).status_code
    assert 404 == client.post(url, {"need_statement": "Overwritten"}).status_code
    procurement.refresh_from_db()
    assert {} == procurement.design


def case_page_procurement_check(wessex, mercia):
    procurement = wessex_procurement(wessex)
    response = mercia.client(Role.AUDITOR).get(f"/procurements/{procurement.pk}/check")
    assert 404 == response.status_code


def case_page_procurement_action(wessex, mercia):
    procurement = wessex_procurement(wessex)
    client = mercia.client(Role.PROCUREMENT_LEAD)
    url = f"/procurements/{procurement.pk}/actions/abandon"
    assert 404 == client.get(url).status_code
    assert 404 == client.post(url, {"evidence": "Planted"}).status_code
    procurement.refresh_from_db()
    assert "drafting" == procurement.state


CASES = {
    "home": case_home,
    "accounts:organisation": case_page_organisation,
    "accounts:organisation_edit": case_page_organisation_edit,
    "accounts:member_add": case_page_member_add,
    "accounts:member_remove": case_page_member_remove,
    "accounts:tokens": case_page_tokens,
    "accounts:token_revoke": case_page_token_revoke,
    "audit:events": case_page_audit,
    "api:me": case_api_me,
    "api:organisation_list": case_api_organisation_list,
    "api:organisation_detail": case_api_organisation_detail,
    "api:organisation_update": case_api_organisation_update,
    "api:member_list": case_api_member_list,
    "api:member_add": case_api_member_add,
    "api:member_remove": case_api_member_remove,
    "api:token_list": case_api_token_list,
    "api:token_create": case_api_token_create,
    "api:token_revoke": case_api_token_revoke,
    "api:audit_events": case_api_audit_events,
    "pilots:list": case_page_evidence_list,
    "pilots:new": case_page_evidence_new,
    "pilots:detail": case_page_evidence_detail,
    "api:assessment_list": case_api_assessment_list,
    "api:assessment_detail": case_api_assessment_detail,
    "api:assessment_create": case_api_assessment_create,
    "api:procurement_list": case_api_procurement_list,
    "api:procurement_create": case_api_procurement_create,
    "api:procurement_detail": case_api_procurement_detail,
    "api:procurement_update": case_api_procurement_update,
    "api:procurement_next": case_api_procurement_next,
    "api:procurement_action": case_api_procurement_action,
    "procurements:list": case_page_procurement_list,
    "procurements:new": case_page_procurement_new,
    "procurements:detail": case_page_procurement_detail,
    "procurements:section": case_page_procurement_section,
    "procurements:check": case_page_procurement_check,
    "procurements:action": case_page_procurement_action,
    **TENDERS_CASES,
    **SELECTION_CASES,
    **NEGOTIATION_CASES,
    **EVALUATION_CASES,
    **AWARD_CASES,
    **PARTNERSHIPS_CASES,
    **PUBLICATION_CASES,
    **ENGAGEMENT_CASES,
    **NOTICES_CASES,
}


def test_every_route_has_an_isolation_case():
    routes = set(route_names())
    assert set() == routes - set(CASES) - set(NO_ORGANISATION_DATA)
    assert set() == (set(CASES) | set(NO_ORGANISATION_DATA)) - routes


@pytest.mark.parametrize("route", sorted(CASES))
def test_one_organisation_cannot_reach_anothers_data(route, wessex, mercia):
    CASES[route](wessex, mercia)
