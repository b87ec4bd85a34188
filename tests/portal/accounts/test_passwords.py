"""Passwords after the NCSC's guidance: long, not guessable, and no composition rules."""

import pytest
from cast import NOW
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sanely.portal.accounts.models import Role
from sanely.portal.accounts.passwords import denied_words
from sanely.portal.accounts.services import user_create
from sanely.portal.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def _refused(password: str) -> list[str]:
    with pytest.raises(ValidationFailed) as refused:
        user_create(email="new@wessex.example", full_name="New", password=password, now=NOW)
    return refused.value.detail["password"]


@pytest.mark.parametrize(
    "password",
    [
        "Procurement2026!",  # a word of this service, with the year and a symbol added
        "P4rtn3rsh1p-2026",  # the same, in look-alike digits
        "Innovation Partnership 2026",
        "!!County Council!!",  # padded at both ends
        "tendertendertender",  # one word repeated
        "abcabcabcabcabc",  # a short run repeated
    ],
)
def test_a_guessable_password_is_refused_naming_the_password(password):
    assert len(password) >= 12  # long enough: only the deny-list refuses it
    assert any("easy to guess" in message for message in _refused(password))


def test_a_long_passphrase_of_plain_lower_case_words_is_accepted():
    """No composition rules: no capital, digit or symbol is asked for."""
    user = user_create(
        email="new@wessex.example", full_name="New", password="walnut orbit lantern", now=NOW
    )
    assert user.check_password("walnut orbit lantern")


def test_a_short_password_is_refused_saying_how_long_it_must_be():
    assert any("at least 12 characters" in message for message in _refused("Kx9#vQ2!m"))


def test_the_deny_list_holds_the_services_own_words():
    assert {"procurement", "innovation", "partnership", "tender", "council"} <= denied_words()


def test_a_new_password_from_the_emailed_link_must_not_be_guessable(wessex):
    user = wessex.user(Role.EVALUATOR)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = f"/password-set/{uid}/{default_token_generator.make_token(user)}"
    chosen = "Tendering2027!!"
    response = Client().post(link, {"password": chosen, "confirm": chosen})
    assert 400 == response.status_code
    assert "easy to guess" in response.text
    user.refresh_from_db()
    assert not user.check_password(chosen)
