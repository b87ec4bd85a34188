import pytest
from competition import PCR_COMMENCED_ON
from portal.negotiation.world import negotiation

from sanely.portal.accounts.models import Role


@pytest.fixture
def neg(wessex):
    """Under the Procurement Act 2023."""
    return negotiation(wessex)


@pytest.fixture
def pcr(wessex):
    """Under the Public Contracts Regulations 2015."""
    return negotiation(wessex, commenced_on=PCR_COMMENCED_ON, reference="IP-2024-NEG2")


@pytest.fixture
def lead(wessex):
    return wessex.actor(Role.PROCUREMENT_LEAD)
