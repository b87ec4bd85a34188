import pytest
from portal.partnerships.world import outcome_file

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.partnerships.models import Evidence
from sanely.portal.partnerships.services import evidence_submit


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Deliver outcome data as a partner and run its assessment, as the worker would on commit."""

    def delivered(world, partner, target_key, successes, failures, **options) -> Evidence:
        with django_capture_on_commit_callbacks(execute=True):
            return evidence_submit(
                actor=partner.actor(Role.SUPPLIER_ADMIN),
                contract_id=world.contract(partner).pk,
                target_key=target_key,
                data=outcome_file(successes, failures, options.pop("name", "outcomes.csv")),
                now=now(),
                **options,
            )

    return delivered
