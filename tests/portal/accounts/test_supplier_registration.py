import pytest
from cast import PASSWORD
from django.test import Client

from sanely.portal.accounts import events as accounts_events
from sanely.portal.accounts.models import Membership, Organisation, User
from sanely.portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Riverside Community Transport CIC",
    "identifier_scheme": "GB-COH",
    "identifier": "15500001",
    "postcode": "GL1 1AA",
    "is_sme": "on",
    "is_vcse": "on",
    "full_name": "Rosa Field",
    "email": "rosa@riverside.example",
    "password": PASSWORD,
}


def test_a_supplier_registers_and_becomes_its_admin():
    client = Client()
    response = client.post("/register", FORM)
    assert 302 == response.status_code
    membership = Membership.objects.get(user__email="rosa@riverside.example")
    assert ("supplier_admin", "supplier") == (membership.role, membership.organisation.kind)
    assert membership.organisation.is_vcse
    assert "Riverside Community Transport CIC" in client.get(response.headers["Location"]).text
    assert AuditEvent.objects.filter(action=accounts_events.SUPPLIER_REGISTERED).exists()


def test_every_problem_is_shown_at_once_and_nothing_is_kept(kestrel):
    taken = Organisation.objects.get(pk=kestrel.organisation.pk)
    taken.identifier_scheme, taken.identifier = "GB-COH", "15500001"
    taken.save()
    response = Client().post(
        "/register", {**FORM, "email": kestrel.user("supplier_admin").email, "password": "password"}
    )
    assert 400 == response.status_code
    assert "A person with this email address already exists" in response.text
    assert "this registration number is already registered" in response.text
    assert 'href="#email"' in response.text
    assert not Organisation.objects.filter(name=FORM["name"]).exists()
    assert 1 == User.objects.filter(email=kestrel.user("supplier_admin").email).count()


def test_a_weak_password_keeps_the_organisation_out():
    response = Client().post("/register", {**FORM, "password": "password"})
    assert 400 == response.status_code
    assert "too common" in response.text
    assert not Organisation.objects.filter(name=FORM["name"]).exists()
