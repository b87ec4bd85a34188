"""An evaluated Wessex procurement under each regime, made directly."""

import pytest
from competition import PCR_COMMENCED_ON
from portal.award.record import Evaluated, evaluated


@pytest.fixture
def pa(wessex) -> Evaluated:
    """Under the Procurement Act 2023, in "assessment"."""
    return evaluated(wessex)


@pytest.fixture
def pcr(wessex) -> Evaluated:
    """Under the Public Contracts Regulations 2015, in "evaluation"."""
    return evaluated(wessex, commenced_on=PCR_COMMENCED_ON, reference="IP-2024-AWARD")
