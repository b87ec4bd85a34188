"""The API's promises: one error shape for every 4xx, tokens, sessions with CSRF, cursor pages."""

import json
from datetime import timedelta

import pytest
from cast import NOW
from django.test import Client

from sanely.portal.accounts import events as accounts_events
from sanely.portal.accounts.models import ApiToken, Role
from sanely.portal.accounts.services import token_create
from sanely.portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
ERROR_KEYS = {"code", "message", "detail"}


def assert_error(response, status, code):
    assert status == response.status_code, response.content
    body = response.json()
    assert ERROR_KEYS <= set(body)
    assert code == body["code"]
    assert "Traceback" not in response.text
    return body


def patch(client, path, body, **extra):
    return client.patch(
        path,
        body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        **extra,
    )


def test_no_credentials_is_401_in_the_error_shape(db):
    assert_error(Client().get("/api/v1/me"), 401, "unauthenticated")


def test_an_unknown_revoked_or_expired_token_is_401(wessex):
    actor = wessex.actor(Role.COMMISSIONER)
    _, secret = token_create(
        actor=actor,
        organisation_id=wessex.organisation.pk,
        name="t",
        now=NOW - timedelta(days=100),
        days=30,
    )
    for header in (f"Bearer {secret}", "Bearer sanely_pat_nonsense", "Bearer other", "Basic abc"):
        assert_error(
            Client(headers={"authorization": header}).get("/api/v1/me"), 401, "unauthenticated"
        )


def test_a_token_acts_in_its_one_membership_and_records_its_use(wessex):
    client = wessex.token_client(Role.AUDITOR)
    body = client.get("/api/v1/me").json()
    assert ["auditor"] == [m["role"] for m in body["memberships"]]
    assert ApiToken.objects.get(membership__role="auditor").last_used_at is not None


def test_the_secret_is_stored_only_as_a_hash(wessex):
    client = wessex.token_client(Role.COMMISSIONER)
    created = client.post(
        "/api/v1/tokens",
        {"organisation_id": wessex.organisation.pk, "name": "export"},
        content_type="application/json",
    )
    assert 201 == created.status_code
    secret = created.json()["secret"]
    stored = ApiToken.objects.get(pk=created.json()["id"])
    assert secret not in {stored.secret_hash, stored.prefix}
    assert secret.startswith(stored.prefix)
    assert (
        200 == Client(headers={"authorization": f"Bearer {secret}"}).get("/api/v1/me").status_code
    )


def test_a_revoked_token_stops_working(wessex):
    client = wessex.token_client(Role.COMMISSIONER)
    token_id = client.get("/api/v1/tokens").json()["items"][0]["id"]
    assert 200 == client.delete(f"/api/v1/tokens/{token_id}").status_code
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")


def test_session_writes_need_the_csrf_token(wessex):
    client = Client(enforce_csrf_checks=True)
    client.force_login(wessex.user(Role.PROCUREMENT_LEAD))
    url = f"/api/v1/organisations/{wessex.organisation.pk}"
    refused = patch(client, url, {"postcode": "SO23 9AA"})
    assert refused.status_code in {401, 403}
    assert ERROR_KEYS <= set(refused.json())
    client.get("/sign-in")  # sets the CSRF cookie
    allowed = patch(
        client,
        url,
        {"postcode": "SO23 9AA"},
        headers={"x-csrftoken": client.cookies["csrftoken"].value},
    )
    assert 200 == allowed.status_code
    assert "SO23 9AA" == allowed.json()["postcode"]


def test_malformed_json_is_400(wessex):
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    assert_error(
        patch(client, f"/api/v1/organisations/{wessex.organisation.pk}", '{"name": '),
        400,
        "malformed_json",
    )


def test_wrong_types_and_unknown_fields_name_the_field(wessex):
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    url = f"/api/v1/organisations/{wessex.organisation.pk}"
    body = assert_error(patch(client, url, {"is_sme": "perhaps"}), 422, "validation_failed")
    assert "is_sme" in body["detail"]
    body = assert_error(patch(client, url, {"colour": "blue"}), 422, "validation_failed")
    assert "colour" in body["detail"]


def test_service_validation_names_every_field_at_once(wessex):
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    body = assert_error(
        patch(
            client,
            f"/api/v1/organisations/{wessex.organisation.pk}",
            {"contact_email": "not-an-email", "website": "nope"},
        ),
        400,
        "validation_failed",
    )
    assert {"contact_email", "website"} == set(body["detail"])


def test_a_body_over_the_limit_is_413(wessex, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    assert_error(
        patch(client, f"/api/v1/organisations/{wessex.organisation.pk}", {"address": "x" * 5000}),
        413,
        "body_too_large",
    )


def test_unknown_ids_and_paths_are_404(wessex):
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    assert_error(client.get("/api/v1/organisations/424242"), 404, "not_found")
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(client.delete("/api/v1/tokens/424242"), 404, "not_found")


def test_a_role_that_may_not_write_gets_403(wessex):
    for role in (Role.AUDITOR, Role.COMMISSIONER):
        response = patch(
            wessex.token_client(role),
            f"/api/v1/organisations/{wessex.organisation.pk}",
            {"postcode": "X"},
        )
        assert_error(response, 403, "forbidden")


def test_wrong_method_is_405_without_a_stack_trace(wessex):
    response = wessex.token_client(Role.PROCUREMENT_LEAD).put("/api/v1/me")
    assert 405 == response.status_code
    assert "Traceback" not in response.text


def test_lists_page_with_a_cursor(wessex):
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    url = f"/api/v1/organisations/{wessex.organisation.pk}/members"
    first = client.get(url + "?limit=2").json()
    assert 2 == len(first["items"])
    second = client.get(url + f"?limit=2&cursor={first['next_cursor']}").json()
    third = client.get(url + f"?limit=2&cursor={second['next_cursor']}").json()
    ids = [m["id"] for page in (first, second, third) for m in page["items"]]
    assert 5 == len(ids) == len(set(ids))
    assert third["next_cursor"] is None
    assert_error(client.get(url + "?cursor=bogus!"), 400, "invalid")
    assert_error(client.get(url + "?limit=1000"), 422, "validation_failed")


def test_adding_a_member_emails_them_and_is_audited(
    wessex, mailoutbox, django_capture_on_commit_callbacks
):
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/organisations/{wessex.organisation.pk}/members",
            {"email": "New.Person@Wessex.example", "full_name": "New Person", "role": "evaluator"},
            content_type="application/json",
        )
    assert 201 == response.status_code
    assert "new.person@wessex.example" == response.json()["email"]
    assert ["new.person@wessex.example"] == mailoutbox[0].to
    assert "/password-set/" in mailoutbox[0].body
    assert AuditEvent.objects.filter(
        action=accounts_events.MEMBERSHIP_ADDED, payload__user="new.person@wessex.example"
    ).exists()


def test_a_role_must_suit_the_organisation(wessex):
    response = wessex.token_client(Role.PROCUREMENT_LEAD).post(
        f"/api/v1/organisations/{wessex.organisation.pk}/members",
        {"email": "x@wessex.example", "full_name": "X", "role": "supplier_admin"},
        content_type="application/json",
    )
    body = assert_error(response, 400, "validation_failed")
    assert "role" in body["detail"]


def test_openapi_documents_every_error_status(db):
    schema = Client().get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "404", "422"} <= set(operation["responses"]), f"{method} {path}"


def test_an_id_beyond_the_database_range_is_a_client_error(wessex):
    huge = 10**30
    response = wessex.token_client(Role.AUDITOR).get(f"/api/v1/audit/events?organisation_id={huge}")
    # SQLite cannot hold the number (400); PostgreSQL compares it and finds nothing (200, empty).
    assert response.status_code in {200, 400}
    assert "server_error" not in response.text
    page = wessex.client(Role.AUDITOR).get(f"/evidence/{huge}/")
    assert page.status_code in {400, 404}
    assert "Traceback" not in page.text


def test_the_openapi_schema_is_built_once_and_served_from_then_on(client, monkeypatch) -> None:
    from ninja import NinjaAPI

    from sanely.portal.config.api import api

    builds: list[object] = []
    build = NinjaAPI.get_openapi_schema

    def counted(self: NinjaAPI, **options: object) -> object:
        builds.append(options)
        return build(self, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(NinjaAPI, "get_openapi_schema", counted)
    # The cache is made by the first build: a test run alone finds none yet.
    monkeypatch.setitem(api.__dict__, "_schemas", {})
    first = client.get("/api/openapi.json")
    second = client.get("/api/openapi.json")
    docs = client.get("/api/docs")
    assert (200, 200, 200) == (first.status_code, second.status_code, docs.status_code)
    assert first.json() == second.json()
    assert 1 == len(builds)


def test_the_api_documentation_page_describes_every_operation_of_the_schema(db):
    client = Client()
    schema = client.get("/api/openapi.json").json()
    page = client.get("/api/docs")
    html = page.content.decode()
    assert 200 == page.status_code
    assert "<script" not in html.split("</main>")[0].split("<main")[1]
    operations = [(m.upper(), p) for p, methods in schema["paths"].items() for m in methods]
    missing = [
        op for op in operations if f"<strong>{op[0]}</strong> <code>{op[1]}</code>" not in html
    ]
    assert operations
    assert [] == missing
    # every refusal an operation may answer is named with its meaning on its disclosure
    refusals = schema["paths"]["/api/v1/tokens"]["post"]["responses"]
    named = [f"{status} {answer['description']}" for status, answer in refusals.items()]
    assert all(refusal in html for refusal in named if refusal.startswith("4"))


@pytest.mark.parametrize(
    ("days", "status"), [(None, 422), (0, 400), (367, 400), ("90", 422), (True, 422)]
)
def test_every_token_expires_within_the_limit(wessex, days, status):
    client = wessex.client(Role.COMMISSIONER)
    refused = client.post(
        "/api/v1/tokens",
        {"organisation_id": wessex.organisation.pk, "name": "forever", "days": days},
        content_type="application/json",
    )
    assert status == refused.status_code
    assert ["days"] == list(refused.json()["detail"])
    assert not ApiToken.objects.filter(name="forever").exists()


def test_a_token_cannot_make_a_token_that_outlives_it(wessex):
    from sanely.portal.core.clock import now

    _, secret = token_create(
        actor=wessex.actor(Role.COMMISSIONER),
        organisation_id=wessex.organisation.pk,
        name="short",
        now=now(),
        days=7,
    )
    client = Client(headers={"authorization": f"Bearer {secret}"})
    made = client.post(
        "/api/v1/tokens",
        {"organisation_id": wessex.organisation.pk, "name": "longer", "days": 366},
        content_type="application/json",
    )
    assert 201 == made.status_code
    parent = ApiToken.objects.get(name="short")
    assert parent.expires_at == ApiToken.objects.get(name="longer").expires_at


def test_setting_a_new_password_revokes_every_token(wessex):
    from sanely.portal.accounts.services import password_set
    from sanely.portal.audit.models import AuditEvent

    client = wessex.token_client(Role.COMMISSIONER)
    assert 200 == client.get("/api/v1/me").status_code
    password_set(user=wessex.user(Role.COMMISSIONER), password="a-fresh-long-phrase-4", now=NOW)
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")
    event = AuditEvent.objects.filter(action="user.password_set").last()
    assert {"tokens_revoked": 1} == event.payload
