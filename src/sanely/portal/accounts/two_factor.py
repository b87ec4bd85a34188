"""
Writes for the optional second factor of authority users: an authenticator app (TOTP) whose
secret is sealed under the master key, and one-use recovery codes kept only as SHA-256.
"""

import hashlib
import secrets
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db import transaction

from sanely import vault
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import Conflict, PermissionDenied, validation_failed_from

from . import events, totp
from .models import OrganisationKind, RecoveryCode, SecondFactor, User

RECOVERY_CODES = 10
_PURPOSE = "totp"


@cache
def _master(text: str) -> vault.MasterKey:
    return vault.master_key_load(text)


def _seal(user: User, secret: bytes) -> bytes:
    master = _master(settings.VAULT_MASTER_KEY)
    return vault.secret_seal(master, purpose=_PURPOSE, owner=str(user.pk), secret=secret)


def _unseal(factor: SecondFactor) -> bytes:
    master = _master(settings.VAULT_MASTER_KEY)
    sealed = bytes(factor.sealed_secret)
    return vault.secret_unseal(master, purpose=_PURPOSE, owner=str(factor.user_id), sealed=sealed)


def _hash(code: str) -> str:
    return hashlib.sha256("".join(code.split()).lower().encode()).hexdigest()


def second_factor_offered(user: User) -> bool:
    """Whether the person may set up an app: people of a contracting authority may."""
    return user.memberships.filter(organisation__kind=OrganisationKind.AUTHORITY).exists()


def second_factor_required(user: User) -> bool:
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()


@transaction.atomic
def second_factor_begin(*, user: User, now: datetime) -> str:
    """
    Start setting up an authenticator app: a new secret, sealed, and its text key to type into
    the app, shown once. Only people of a contracting authority may; one app per person.
    """
    if not second_factor_offered(user):
        raise PermissionDenied("A second factor is for people of a contracting authority.")
    if second_factor_required(user):
        raise Conflict("Your account already has an authenticator app.")
    secret = totp.new_secret()
    SecondFactor.objects.update_or_create(
        user=user, defaults={"sealed_secret": _seal(user, secret), "created_at": now}
    )
    audit_record(action=events.SECOND_FACTOR_BEGUN, subject=user, now=now, actor=user)
    return totp.text_key(secret)


@transaction.atomic
def second_factor_confirm(*, user: User, code: str, now: datetime) -> list[str]:
    """Turn the app on with a code it shows; the recovery codes, shown once."""
    factor = SecondFactor.objects.select_for_update().filter(user=user).first()
    if factor is None or factor.confirmed_at is not None:
        raise Conflict("Start again: set up the app, then enter the code it shows.")
    step = totp.matching_step(_unseal(factor), code, now)
    if step is None:
        raise validation_failed_from({"code": ["Enter the 6-digit code your app shows now."]})
    factor.confirmed_at, factor.last_step = now, step
    factor.save(update_fields=["confirmed_at", "last_step"])
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash(c)) for c in codes)
    audit_record(action=events.SECOND_FACTOR_CONFIRMED, subject=user, now=now, actor=user)
    return codes


@transaction.atomic
def second_factor_check(*, user: User, code: str, now: datetime) -> None:
    """
    Accept a code from the app (each time step once only) or an unused recovery code;
    otherwise refuse naming the code field.
    """
    factor = SecondFactor.objects.select_for_update().get(user=user, confirmed_at__isnull=False)
    step = totp.matching_step(_unseal(factor), code, now)
    if step is not None and step > factor.last_step:
        factor.last_step = step
        factor.save(update_fields=["last_step"])
        return
    spare = RecoveryCode.objects.filter(user=user, code_hash=_hash(code), used_at__isnull=True)
    if spare.update(used_at=now):
        audit_record(action=events.RECOVERY_CODE_USED, subject=user, now=now, actor=user)
        return
    raise validation_failed_from(
        {"code": ["Enter the code your app shows now (each code works once), or a recovery code."]}
    )
