"""
A published Wessex procurement with rounds, and files to submit to them.

`past_round` closed a day ago (submitted to while it was open), so the opening can run at the
real time of the request; `open_round` closes in twelve days (a tender round of this procurement
lasts at least ten, Procurement Act 2023 s.54(4)).
"""

from datetime import timedelta

import pytest
from competition import invite, procurement_at
from portal.tenders.sealed_files import upload

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now as clock_now
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.services import submission_round_open, submission_submit


@pytest.fixture
def procurement(wessex, kestrel) -> Procurement:
    """Published by Wessex and tendering, with Kestrel invited (made directly)."""
    made = procurement_at(
        wessex,
        "tendering",
        reference="IP-2026-TEST1",
        design={
            "need": {"need_statement": "Villagers cannot reach the clinic without a car."},
            "timeline": {"circumstances": ["preselected_only"]},
        },
    )
    invite(made, kestrel)
    return made


@pytest.fixture
def opened_at():
    """When the past round was opened for submissions: two days ago, to the microsecond."""
    return (clock_now() - timedelta(days=2)).replace(microsecond=123456)


@pytest.fixture
def past_round(wessex, procurement, opened_at):
    return submission_round_open(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=procurement.pk,
        kind="rtp",
        number=1,
        deadline=opened_at + timedelta(days=1),
        now=opened_at,
    )


@pytest.fixture
def open_round(wessex, procurement):
    return submission_round_open(
        actor=wessex.actor(Role.COMMISSIONER),
        procurement_id=procurement.pk,
        kind="tender",
        number=1,
        deadline=clock_now() + timedelta(days=12),
        parts=["Technical proposal", "Commercial proposal"],
        now=clock_now(),
    )


@pytest.fixture
def sealed(kestrel, past_round, opened_at):
    """Kestrel's request to participate, submitted an hour after the round opened."""
    return submission_submit(
        actor=kestrel.actor(Role.SUPPLIER_MEMBER),
        round_id=past_round.pk,
        organisation_id=kestrel.organisation.pk,
        part="Request to participate",
        upload=upload(),
        now=opened_at + timedelta(hours=1),
    )


@pytest.fixture
def opened(wessex, sealed):
    """The past round opened by the lead and the commissioner; returns Kestrel's version."""
    from sanely.portal.tenders.services import round_opening_confirm, round_opening_request

    at = clock_now()
    round_opening_request(
        actor=wessex.actor(Role.PROCUREMENT_LEAD), round_id=sealed.round_id, now=at
    )
    round_opening_confirm(actor=wessex.actor(Role.COMMISSIONER), round_id=sealed.round_id, now=at)
    return sealed
