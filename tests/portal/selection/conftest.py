"""Five supplier organisations to be candidates: Kestrel, Osprey, Heron, Merlin, Curlew."""

import pytest
from competition import suppliers


@pytest.fixture
def five(db):
    return suppliers(5)
