"""A Wessex competition with its final tenders opened, under each regime."""

import pytest
from competition import PCR_COMMENCED_ON
from portal.evaluation.world import Competition, competition


@pytest.fixture
def c(wessex) -> Competition:
    """Under the Procurement Act 2023: Kestrel, Osprey and Heron tendered; the round is open."""
    return competition(wessex)


@pytest.fixture
def pcr(wessex) -> Competition:
    """The same under the Public Contracts Regulations 2015."""
    return competition(wessex, commenced_on=PCR_COMMENCED_ON, reference="IP-2024-EVAL1")
