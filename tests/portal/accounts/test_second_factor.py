"""The optional second factor of authority users: an authenticator app (RFC 6238 TOTP)."""

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
from cast import PASSWORD
from django.test import Client
from portal.journey import journey_clock

from sanely.portal.accounts import totp
from sanely.portal.accounts.models import RecoveryCode, Role, SecondFactor

pytestmark = pytest.mark.django_db
START = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
RFC_SECRET = b"12345678901234567890"


@pytest.mark.parametrize(
    ("unix", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_codes_are_those_of_rfc_6238s_test_vectors(unix, code):
    moment = datetime.fromtimestamp(unix, UTC)
    assert code == totp.code_at(RFC_SECRET, totp.step_at(moment), digits=8)


def test_a_code_of_the_step_before_or_after_is_accepted_and_no_other():
    step = totp.step_at(START)
    for late, accepted in ((-2, False), (-1, True), (0, True), (1, True), (2, False)):
        code = totp.code_at(RFC_SECRET, step + late)
        assert accepted == (totp.matching_step(RFC_SECRET, code, START) == step + late)


def _secret_of(page_text: str) -> bytes:
    letters = re.search(r'id="second-factor-key">([A-Z2-7 ]+)<', page_text)[1].replace(" ", "")
    return base64.b32decode(letters + "=" * (-len(letters) % 8))


def _turned_on(client: Client, clock) -> tuple[bytes, list[str]]:
    secret = _secret_of(client.post("/account/second-factor").text)
    code = totp.code_at(secret, totp.step_at(clock()))
    page = client.post("/account/second-factor", {"code": code}).text
    return secret, re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", page)


def _sign_in(email: str) -> tuple[Client, object]:
    client = Client()
    return client, client.post("/sign-in", {"email": email, "password": PASSWORD})


def test_an_authority_user_turns_the_app_on_and_then_signs_in_with_a_code(wessex, monkeypatch):
    clock = journey_clock(monkeypatch, START)
    user = wessex.user(Role.EVALUATOR)
    secret, codes = _turned_on(wessex.client(Role.EVALUATOR), clock)
    assert 10 == len(codes)
    clock.advance(minutes=5)
    client, answer = _sign_in(user.email)
    assert "/sign-in/code" == answer["Location"]
    assert "_auth_user_id" not in client.session  # the password alone does not sign in
    wrong = client.post("/sign-in/code", {"code": "000000"})
    assert 400 == wrong.status_code
    assert "Enter the code your app shows now" in wrong.text
    right = client.post("/sign-in/code", {"code": totp.code_at(secret, totp.step_at(clock()))})
    assert 302 == right.status_code
    assert str(user.pk) == client.session["_auth_user_id"]


def test_a_code_works_once(wessex, monkeypatch):
    clock = journey_clock(monkeypatch, START)
    user = wessex.user(Role.AUDITOR)
    secret, _ = _turned_on(wessex.client(Role.AUDITOR), clock)
    clock.advance(minutes=1)
    code = totp.code_at(secret, totp.step_at(clock()))
    first, _ = _sign_in(user.email)
    assert 302 == first.post("/sign-in/code", {"code": code}).status_code
    second, _ = _sign_in(user.email)
    assert 400 == second.post("/sign-in/code", {"code": code}).status_code
    assert "_auth_user_id" not in second.session


def test_a_recovery_code_signs_in_once(wessex, monkeypatch):
    clock = journey_clock(monkeypatch, START)
    user = wessex.user(Role.COMMISSIONER)
    _, codes = _turned_on(wessex.client(Role.COMMISSIONER), clock)
    first, _ = _sign_in(user.email)
    assert 302 == first.post("/sign-in/code", {"code": codes[3].upper()}).status_code
    second, _ = _sign_in(user.email)
    assert 400 == second.post("/sign-in/code", {"code": codes[3]}).status_code
    assert 1 == RecoveryCode.objects.filter(user=user, used_at__isnull=False).count()


def test_the_code_must_follow_the_password_within_five_minutes(wessex, monkeypatch):
    clock = journey_clock(monkeypatch, START)
    user = wessex.user(Role.FINANCE_OFFICER)
    secret, _ = _turned_on(wessex.client(Role.FINANCE_OFFICER), clock)
    client, _ = _sign_in(user.email)
    clock.advance(minutes=6)
    late = client.post("/sign-in/code", {"code": totp.code_at(secret, totp.step_at(clock()))})
    assert "/sign-in" == late["Location"]
    assert "_auth_user_id" not in client.session


def test_the_apps_secret_and_the_recovery_codes_are_not_stored_in_plaintext(wessex, monkeypatch):
    clock = journey_clock(monkeypatch, START)
    user = wessex.user(Role.PROCUREMENT_LEAD)
    secret, codes = _turned_on(wessex.client(Role.PROCUREMENT_LEAD), clock)
    stored = bytes(SecondFactor.objects.get(user=user).sealed_secret)
    assert secret not in stored
    assert base64.b32encode(secret).rstrip(b"=") not in stored
    hashes = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert not set(codes) & hashes
    assert 10 == len(hashes)


def test_a_supplier_cannot_set_up_an_app(kestrel):
    response = kestrel.client(Role.SUPPLIER_ADMIN).post("/account/second-factor")
    assert 403 == response.status_code
    assert not SecondFactor.objects.exists()


def test_signing_in_without_an_app_needs_only_the_password(wessex):
    client, answer = _sign_in(wessex.user(Role.EVALUATOR).email)
    assert "/" == answer["Location"]
    assert "_auth_user_id" in client.session


def test_wrong_codes_count_as_failed_sign_ins_and_are_throttled(wessex, monkeypatch, settings):
    clock = journey_clock(monkeypatch, START)
    user = wessex.user(Role.EVALUATOR)
    secret, _ = _turned_on(wessex.client(Role.EVALUATOR), clock)
    client, _ = _sign_in(user.email)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/sign-in/code", {"code": "123456"})
    right = client.post(
        "/sign-in/code",
        {"code": totp.code_at(secret, totp.step_at(clock() + timedelta(seconds=30)))},
    )
    assert 429 == right.status_code
    assert "Too many failed sign-ins" in right.text


def test_the_page_offers_the_app_only_to_authority_users(wessex, kestrel):
    offered = wessex.client(Role.EVALUATOR).get("/account/second-factor").text
    assert "Set up an authenticator app" in offered
    not_offered = kestrel.client(Role.SUPPLIER_ADMIN).get("/account/second-factor").text
    assert "Set up an authenticator app" not in not_offered
    assert "offered to people of a contracting authority" in not_offered


def test_the_navigation_leads_authority_users_to_the_app_and_no_one_else(wessex, kestrel):
    link = 'href="/account/second-factor"'
    assert link in wessex.client(Role.EVALUATOR).get("/").text
    assert link not in kestrel.client(Role.SUPPLIER_ADMIN).get("/").text
    assert link not in Client().get("/").text
