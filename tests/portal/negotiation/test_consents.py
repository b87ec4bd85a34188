"""Consent to disclose one confidential item: specific, named, for a purpose; never blanket."""

import pytest

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from sanely.portal.negotiation.selectors import access_consent
from sanely.portal.negotiation.services import consent_give, consent_withdraw

pytestmark = pytest.mark.django_db

ITEM = "The unit price table in section 4 of our tender of 3 March"


def give(n, who=None, role=Role.SUPPLIER_ADMIN, **fields):
    who = who or n.kestrel
    values = {
        "item": ITEM,
        "recipient": "Osprey Robotics Ltd",
        "purpose": "To agree a shared booking interface",
        **fields,
    }
    return consent_give(
        actor=who.actor(role),
        procurement_id=n.procurement.pk,
        organisation_id=who.organisation.pk,
        now=now(),
        **values,
    )


def test_a_tenderers_admin_consents_and_withdraws(wessex, neg):
    consent = give(neg)
    assert (ITEM, True) == (consent.item, consent.active)
    withdrawn = consent_withdraw(
        actor=neg.kestrel.actor(Role.SUPPLIER_ADMIN), consent_id=consent.pk, now=now()
    )
    assert not withdrawn.active
    with pytest.raises(Conflict):
        consent_withdraw(
            actor=neg.kestrel.actor(Role.SUPPLIER_ADMIN), consent_id=consent.pk, now=now()
        )


@pytest.mark.parametrize(
    "item",
    [
        "all",
        "Everything",
        "any information",
        "All confidential information.",
        "our tender",
        "all of our commercial data",
        "pricing",
    ],
)
def test_blanket_consent_is_refused_saying_what_to_write(neg, item):
    with pytest.raises(ValidationFailed) as refused:
        give(neg, item=item)
    message = refused.value.detail["item"][0]
    assert "blanket or too vague" in message
    assert "name one specific item instead" in message


def test_recipient_and_purpose_are_required_and_named(neg):
    with pytest.raises(ValidationFailed) as refused:
        give(neg, recipient="anyone", purpose=" ")
    assert {"recipient", "purpose"} == set(refused.value.detail)
    assert "not a named recipient" in refused.value.detail["recipient"][0]


def test_only_the_tenderers_admin_consents(neg):
    with pytest.raises(PermissionDenied):
        give(neg, role=Role.SUPPLIER_MEMBER)
    with pytest.raises(NotFound):
        give(neg, who=neg.outsiders[0])


def test_the_authority_reads_consents_other_tenderers_never(wessex, mercia, neg):
    consent = give(neg)
    assert consent == access_consent(actor=wessex.actor(Role.AUDITOR), consent_id=consent.pk)
    for other in (neg.osprey.actor(Role.SUPPLIER_ADMIN), mercia.actor(Role.PROCUREMENT_LEAD)):
        with pytest.raises(NotFound):
            access_consent(actor=other, consent_id=consent.pk)
    with pytest.raises(NotFound):  # the authority reads; it never withdraws for the tenderer
        consent_withdraw(
            actor=wessex.actor(Role.PROCUREMENT_LEAD), consent_id=consent.pk, now=now()
        )
