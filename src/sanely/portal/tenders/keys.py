"""The vault's keys, loaded from settings (the environment), once per value."""

from functools import cache

from django.conf import settings

from sanely import vault


@cache
def _master(text: str) -> vault.MasterKey:
    return vault.master_key_load(text)


@cache
def _signer(pem: str) -> vault.SigningKey:
    return vault.signing_key_load(pem.encode())


def master_key() -> vault.MasterKey:
    return _master(settings.VAULT_MASTER_KEY)


def signing_key() -> vault.SigningKey:
    return _signer(settings.RECEIPT_SIGNING_KEY)


def scanner() -> vault.VirusScanner:
    return vault.scanner_from_setting(settings.VAULT_SCANNER)
