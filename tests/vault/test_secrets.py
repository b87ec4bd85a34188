"""Small secrets sealed under the master key open only for their purpose and owner."""

import pytest

from sanely import vault

MASTER = vault.master_key_load(vault.master_key_generate())
SECRET = b"12345678901234567890"


def _sealed() -> bytes:
    return vault.secret_seal(MASTER, purpose="totp", owner="7", secret=SECRET)


def test_a_sealed_secret_opens_for_its_purpose_and_owner_and_hides_the_secret():
    sealed = _sealed()
    assert SECRET not in sealed
    assert sealed != _sealed()  # a fresh nonce each time
    assert SECRET == vault.secret_unseal(MASTER, purpose="totp", owner="7", sealed=sealed)


@pytest.mark.parametrize(
    ("master", "purpose", "owner"),
    [
        (MASTER, "totp", "8"),  # copied to another person
        (MASTER, "other", "7"),  # used for another purpose
        (vault.master_key_load(vault.master_key_generate()), "totp", "7"),
    ],
)
def test_a_sealed_secret_does_not_open_elsewhere(master, purpose, owner):
    with pytest.raises(vault.TamperDetected, match="altered, moved"):
        vault.secret_unseal(master, purpose=purpose, owner=owner, sealed=_sealed())


@pytest.mark.parametrize("sealed", [b"", b"SANELYS1short", b"NOTMAGIC" + bytes(40)])
def test_what_is_not_a_sealed_secret_is_refused(sealed):
    with pytest.raises(vault.TamperDetected, match="not a sealed secret"):
        vault.secret_unseal(MASTER, purpose="totp", owner="7", sealed=sealed)


def test_an_altered_sealed_secret_is_refused():
    sealed = bytearray(_sealed())
    sealed[-1] ^= 1
    with pytest.raises(vault.TamperDetected):
        vault.secret_unseal(MASTER, purpose="totp", owner="7", sealed=bytes(sealed))
