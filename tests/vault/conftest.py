"""Shared keys, instants and a sealed round for the vault's tests."""

import pytest

from sanely.vault import (
    MasterKey,
    OpenedRound,
    OpeningAuthorisation,
    RoundKey,
    SigningKey,
    master_key_generate,
    master_key_load,
    round_key_create,
    round_key_open,
    signing_key_generate,
)

from .support import CREATED, DEADLINE, ROUND_ID


@pytest.fixture(scope="session")
def master() -> MasterKey:
    return master_key_load(master_key_generate())


@pytest.fixture
def round_key(master: MasterKey) -> RoundKey:
    return round_key_create(
        master, round_id=ROUND_ID, deadline=DEADLINE, now=CREATED, set_by="officer-1"
    )


@pytest.fixture
def opened(master: MasterKey, round_key: RoundKey) -> OpenedRound:
    return round_key_open(
        master,
        round_key,
        authorisation=OpeningAuthorisation(ROUND_ID, "officer-1", "officer-2"),
        now=DEADLINE,
    )


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return signing_key_generate()
