"""
Hostile input gets a clear 4xx naming the field, and harms nothing: nulls where a value is
needed, NUL characters, numbers and yes-or-nos sent as something else, text beyond its length,
dates beyond any procurement's, line breaks in a name. Run on both databases: PostgreSQL is the
one that refused some of these with a server error.
"""

import pytest

from sanely.portal.accounts.models import ApiToken, Organisation, Role
from sanely.portal.accounts.services import ORGANISATION_FIELDS
from sanely.portal.procurements.models import Procurement

pytestmark = pytest.mark.django_db


def send(client, method, path, body):
    return getattr(client, method)(path, body, content_type="application/json")


def refused(response, status, field, words):
    assert status == response.status_code, response.content
    body = response.json()
    assert field in body["detail"], body
    assert words in " ".join(body["detail"][field]), body
    return body


@pytest.mark.parametrize("field", ORGANISATION_FIELDS)
def test_a_null_in_an_organisation_patch_names_the_field_and_changes_nothing(wessex, field):
    before = Organisation.objects.values().get(pk=wessex.organisation.pk)
    response = send(
        wessex.token_client(Role.PROCUREMENT_LEAD),
        "patch",
        f"/api/v1/organisations/{wessex.organisation.pk}",
        {field: None},
    )
    refused(response, 422, field, "leave the field out")
    assert before == Organisation.objects.values().get(pk=wessex.organisation.pk)


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"organisation_id": True, "name": "x"}, "organisation_id", "not true or false"),
        ({"organisation_id": "1", "name": "x"}, "organisation_id", "without quotes"),
        ({"organisation_id": 1, "name": "x", "days": "90"}, "days", "without quotes"),
        ({"organisation_id": 1, "name": "a\x00b"}, "name", "NUL character"),
    ],
)
def test_the_api_reads_numbers_and_text_as_sent(wessex, body, field, words):
    response = send(wessex.token_client(Role.COMMISSIONER), "post", "/api/v1/tokens", body)
    refused(response, 422, field, words)
    assert 1 == ApiToken.objects.count()  # the client's own


def test_a_yes_or_no_is_true_or_false_only(wessex):
    response = send(
        wessex.token_client(Role.PROCUREMENT_LEAD),
        "patch",
        f"/api/v1/organisations/{wessex.organisation.pk}",
        {"is_sme": 1},
    )
    refused(response, 422, "is_sme", "Give true or false")


def test_a_nul_deep_in_a_design_is_refused_naming_where(wessex):
    lead = wessex.token_client(Role.PROCUREMENT_LEAD)
    created = send(
        lead,
        "post",
        "/api/v1/procurements",
        {"organisation_id": wessex.organisation.pk, "title": "T"},
    )
    response = send(
        lead,
        "patch",
        f"/api/v1/procurements/{created.json()['id']}",
        {"need": {"need_statement": "Buses\x00"}},
    )
    refused(response, 422, "need.need_statement", "NUL character")


@pytest.mark.parametrize("path", ["/api/v1/audit/events", "/audit/"])
def test_a_nul_in_a_query_string_is_refused(wessex, path):
    response = wessex.client(Role.AUDITOR).get(f"{path}?user_email=a%00b&action=x")
    assert 400 == response.status_code
    if path.startswith("/api/"):
        assert ["user_email"] == list(response.json()["detail"])
    else:
        assert "Bad request" in response.text


def test_a_title_beyond_its_length_is_refused_and_nothing_stored(wessex):
    response = send(
        wessex.token_client(Role.PROCUREMENT_LEAD),
        "post",
        "/api/v1/procurements",
        {"organisation_id": wessex.organisation.pk, "title": "x" * 100_000},
    )
    refused(response, 422, "title", "at most 200 characters")
    assert not Procurement.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_a_date_no_procurement_could_have_is_refused(wessex, day):
    response = send(
        wessex.token_client(Role.PROCUREMENT_LEAD),
        "post",
        "/api/v1/procurements",
        {"organisation_id": wessex.organisation.pk, "title": "T", "commenced_on": day},
    )
    refused(response, 422, "commenced_on", f"Give a date from 2000 to 2099; {day} is outside")
    assert not Procurement.objects.exists()


@pytest.mark.parametrize("name", ["Wessex\nCounty", "Wessex\tCounty", "Wessex\u2028County"])
def test_an_organisation_name_is_one_line(wessex, name):
    response = send(
        wessex.token_client(Role.PROCUREMENT_LEAD),
        "patch",
        f"/api/v1/organisations/{wessex.organisation.pk}",
        {"name": name},
    )
    refused(response, 400, "name", "on one line")
    assert "Wessex County Council" == Organisation.objects.get(pk=wessex.organisation.pk).name


def test_a_supplier_registering_with_a_line_break_in_its_name_is_told(db):
    from django.test import Client

    response = Client().post(
        "/register",
        {
            "name": "Kestrel\nMobility",
            "full_name": "Kim Kestrel",
            "email": "kim@kestrel.example",
            "password": "a-long-enough-secret-1",
        },
    )
    assert 400 == response.status_code
    assert "Write the name on one line" in response.text
    assert not Organisation.objects.exists()
