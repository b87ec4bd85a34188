"""Writes for organisations, people, memberships, sign-in and API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sanely.documents.letters import membership_added, password_reset
from sanely.portal.audit.services import audit_record
from sanely.portal.core.email import email_document
from sanely.portal.core.errors import (
    Conflict,
    TooManyAttempts,
    ValidationFailed,
    validation_failed_from,
)

from . import events
from .models import (
    ROLES_BY_KIND,
    ApiToken,
    LoginAttempt,
    Membership,
    Organisation,
    OrganisationKind,
    PasswordResetRequest,
    Role,
    User,
)
from .selectors import Actor, access_organisation

TOKEN_PREFIX = "sanely_pat_"  # noqa: S105 - a label, not a secret
ORGANISATION_FIELDS = (
    "name",
    "nation",
    "identifier_scheme",
    "identifier",
    "address",
    "postcode",
    "contact_email",
    "website",
    "is_sme",
    "is_vcse",
)


def _full_clean(instance: Any, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise validation_failed_from(
            {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
        ) from error


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, now: datetime, actor: User | None = None, **details: Any
) -> Organisation:
    """Register an organisation (an authority or a supplier)."""
    organisation = Organisation(name=name.strip(), kind=kind, created_at=now, **details)
    _full_clean(organisation)
    organisation.save()
    audit_record(
        action=events.ORGANISATION_CREATED,
        subject=organisation,
        now=now,
        actor=actor,
        organisation=organisation,
        payload={"name": organisation.name, "kind": kind},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation_id: int, changes: dict[str, Any], now: datetime
) -> Organisation:
    """Change an organisation's details; only its procurement lead or supplier admin may."""
    organisation, _ = access_organisation(actor=actor, organisation_id=organisation_id, admin=True)
    unknown = sorted(set(changes) - set(ORGANISATION_FIELDS))
    if unknown:
        raise validation_failed_from({f: ["This field cannot be changed."] for f in unknown})
    before = {f: getattr(organisation, f) for f in changes}
    for field, value in changes.items():
        setattr(organisation, field, value)
    _full_clean(organisation)
    organisation.save()
    audit_record(
        action=events.ORGANISATION_UPDATED,
        subject=organisation,
        now=now,
        actor=actor.user,
        organisation=organisation,
        payload={
            "changed": {f: [before[f], changes[f]] for f in changes if before[f] != changes[f]}
        },
    )
    return organisation


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    now: datetime,
    password: str | None = None,
    actor: User | None = None,
) -> User:
    """Create a person; without a password they set one through the emailed link."""
    email = email.strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["Enter an email address in the correct format, like name@example.org."]
    if not full_name.strip():
        errors["full_name"] = ["Enter the person's full name."]
    if "email" not in errors and User.objects.filter(email=email).exists():
        errors["email"] = ["A person with this email address already exists."]
    if password is not None and not errors:
        try:
            validate_password(password, User(email=email, full_name=full_name))
        except ValidationError as error:
            errors["password"] = list(error.messages)
    if errors:
        raise validation_failed_from(errors)
    user = User.objects.create_user(email, password, full_name=full_name.strip(), date_joined=now)
    audit_record(action=events.USER_CREATED, subject=user, now=now, actor=actor or user)
    return user


@transaction.atomic
def membership_add(
    *, organisation: Organisation, user: User, role: str, now: datetime, actor: User | None = None
) -> Membership:
    """Give a person a role in an organisation; the role must suit the organisation's kind."""
    if role not in ROLES_BY_KIND[organisation.kind]:
        allowed = ", ".join(sorted(ROLES_BY_KIND[organisation.kind]))
        raise ValidationFailed(
            f"A {organisation.get_kind_display().lower()} cannot have the role {role!r}.",
            detail={"role": [f"Choose one of: {allowed}."]},
        )
    if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        raise Conflict(f"{user.email} already has this role in {organisation.name}.")
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, created_at=now
    )
    audit_record(
        action=events.MEMBERSHIP_ADDED,
        subject=membership,
        now=now,
        actor=actor or user,
        organisation=organisation,
        payload={"user": user.email, "role": role},
    )
    return membership


@transaction.atomic
def member_invite(
    *,
    actor: Actor,
    organisation_id: int,
    email: str,
    full_name: str,
    role: str,
    now: datetime,
    reset_link: Any,
) -> Membership:
    """
    Add a person to the actor's organisation. Someone new gets an account without a
    password and an email with a link (built by `reset_link(user)`) to set one.
    """
    organisation, _ = access_organisation(actor=actor, organisation_id=organisation_id, admin=True)
    user = User.objects.filter(email=email.strip().lower()).first()
    is_new = user is None
    if user is None:
        user = user_create(email=email, full_name=full_name, now=now, actor=actor.user)
    membership = membership_add(
        organisation=organisation, user=user, role=role, now=now, actor=actor.user
    )
    added = membership_added.Added(
        service=settings.SERVICE_NAME,
        organisation=organisation.name,
        added_by=actor.user.full_name,
        role=membership.get_role_display(),
        password_link=reset_link(user) if is_new else "",
    )
    email_document(to=[user.email], document=membership_added.build(added))
    return membership


@transaction.atomic
def supplier_register(
    *, organisation: dict[str, Any], full_name: str, email: str, password: str, now: datetime
) -> Membership:
    """
    A supplier signs itself up: its organisation, and the person registering as its admin.
    Every problem with either is reported at once; nothing is kept unless both are right.
    """
    errors: dict[str, list[str]] = {}
    try:
        with transaction.atomic():
            created = organisation_create(kind=OrganisationKind.SUPPLIER, now=now, **organisation)
    except ValidationFailed as error:
        errors.update(error.detail or {})
    try:
        with transaction.atomic():
            user = user_create(email=email, full_name=full_name, password=password, now=now)
    except ValidationFailed as error:
        errors.update(error.detail or {})
    if errors:
        raise validation_failed_from(errors)
    membership = membership_add(organisation=created, user=user, role=Role.SUPPLIER_ADMIN, now=now)
    audit_record(
        action=events.SUPPLIER_REGISTERED,
        subject=created,
        now=now,
        actor=user,
        organisation=created,
        payload={"admin": user.email},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Actor, membership: Membership, now: datetime) -> None:
    """Remove a role; an organisation always keeps at least one admin."""
    access_organisation(actor=actor, organisation_id=membership.organisation_id, admin=True)
    if membership.is_admin:
        admins = Membership.objects.filter(
            organisation_id=membership.organisation_id,
            role__in=[Role.PROCUREMENT_LEAD, Role.SUPPLIER_ADMIN],
        )
        if admins.count() <= 1:
            raise Conflict("This is the organisation's only admin. Add another admin first.")
    audit_record(
        action=events.MEMBERSHIP_REMOVED,
        subject=membership,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={"user": membership.user.email, "role": membership.role},
    )
    membership.tokens.all().delete()
    membership.delete()


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _token_expiry(actor: Actor, days: int | None, now: datetime) -> datetime:
    """
    When a new token expires: every token does, within SANELY_TOKEN_MAX_DAYS, and a token made
    by a token expires no later than it (a stolen token cannot give itself a longer life).
    """
    longest = settings.TOKEN_MAX_DAYS
    if days is None or not 1 <= days <= longest:
        raise validation_failed_from(
            {"days": [f"Choose between 1 and {longest} days: every token expires."]}
        )
    expires_at = now + timedelta(days=days)
    return min(expires_at, actor.token.expires_at) if actor.token else expires_at


@transaction.atomic
def token_create(
    *, actor: Actor, organisation_id: int, name: str, now: datetime, days: int | None = 90
) -> tuple[ApiToken, str]:
    """
    Make a token that acts as the actor in one of their memberships. Returns the token
    and its secret, which is shown once and never stored.
    """
    _, membership = access_organisation(actor=actor, organisation_id=organisation_id)
    if not name.strip():
        raise validation_failed_from({"name": ["Give the token a name, like 'finance export'."]})
    expires_at = _token_expiry(actor, days, now)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        membership=membership,
        name=name.strip(),
        prefix=secret[: len(TOKEN_PREFIX) + 4],
        secret_hash=_secret_hash(secret),
        created_at=now,
        expires_at=expires_at,
    )
    audit_record(
        action=events.TOKEN_CREATED,
        subject=token,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={"name": token.name, "role": membership.role},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken, now: datetime) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(
            action=events.TOKEN_REVOKED,
            subject=token,
            now=now,
            actor=actor.user,
            organisation=token.membership.organisation,
        )
    return token


def token_authenticate(*, secret: str, now: datetime) -> ApiToken | None:
    """
    The live token with this secret, or None. Its last-used time is bookkeeping, not a
    change anyone made, so it is not written to the audit trail.
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("membership__user", "membership__organisation")
        .filter(secret_hash=_secret_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.expires_at <= now:
        return None
    if not token.membership.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def _over_limit(
    attempts: QuerySet[Any], *, email: str, ip_address: str | None, since: datetime, limit: int
) -> bool:
    """
    Whether an email address has made `limit` attempts since `since`, or a network address
    four times as many: it may serve a whole office behind one gateway.
    """
    recent = attempts.filter(at__gte=since)
    by_email = recent.filter(email=email).count()
    by_ip = recent.filter(ip_address=ip_address).count() if ip_address else 0
    return by_email >= limit or by_ip >= 4 * limit


def sign_in_allowed(*, email: str, ip_address: str | None, now: datetime) -> None:
    """Refuse a sign-in after too many recent failures for this email address or this address."""
    if _over_limit(
        LoginAttempt.objects.all(),
        email=email.strip().lower(),
        ip_address=ip_address,
        since=now - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES),
        limit=settings.LOGIN_FAILURE_LIMIT,
    ):
        raise TooManyAttempts(
            f"Too many failed sign-ins. Wait {settings.LOGIN_FAILURE_WINDOW_MINUTES} minutes and"
            " try again, or reset your password."
        )


@transaction.atomic
def sign_in_failed(*, email: str, ip_address: str | None, now: datetime) -> None:
    attempt = LoginAttempt.objects.create(
        email=email.strip().lower(), ip_address=ip_address, at=now
    )
    audit_record(
        action=events.USER_SIGN_IN_FAILED,
        subject=attempt,
        now=now,
        payload={"email": attempt.email, "ip_address": ip_address},
    )


@transaction.atomic
def sign_in_succeeded(*, user: User, ip_address: str | None, now: datetime) -> None:
    LoginAttempt.objects.filter(email=user.email).delete()
    user.last_login = now
    user.save(update_fields=["last_login"])
    audit_record(
        action=events.USER_SIGNED_IN,
        subject=user,
        now=now,
        actor=user,
        payload={"ip_address": ip_address},
    )


@transaction.atomic
def signed_out(*, user: User, now: datetime) -> None:
    audit_record(action=events.USER_SIGNED_OUT, subject=user, now=now, actor=user)


def password_set_url(site: str, user: User) -> str:
    """The one-use link at `site` (the service's address) where `user` chooses a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site.rstrip("/") + reverse("accounts:password_set", args=[uid, token])


@transaction.atomic
def password_reset_request(*, email: str, ip_address: str | None, site: str, now: datetime) -> None:
    """
    Queue a reset link for the address. The request does the same work whoever the address
    belongs to, or if nobody: it counts and records the request and queues a task, and the
    worker decides whether anyone is emailed. So neither the answer nor its timing tells who
    has an account. Too many requests for one address, or from one network address, in the
    window are refused alike.
    """
    email = email.strip().lower()
    if _over_limit(
        PasswordResetRequest.objects.all(),
        email=email,
        ip_address=ip_address,
        since=now - timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES),
        limit=settings.PASSWORD_RESET_LIMIT,
    ):
        raise TooManyAttempts(
            "Too many password reset requests. Wait"
            f" {settings.PASSWORD_RESET_WINDOW_MINUTES} minutes and try again."
        )
    PasswordResetRequest.objects.create(email=email, ip_address=ip_address, at=now)
    transaction.on_commit(
        lambda: password_reset_deliver.enqueue(email=email, site=site, at=now.isoformat())
    )


@task()
def password_reset_deliver(*, email: str, site: str, at: str) -> bool:
    """Background task: email a reset link if the address is an active person's; whether sent."""
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return False
    with transaction.atomic():
        reset = password_reset.Reset(
            service=settings.SERVICE_NAME, link=password_set_url(site, user)
        )
        email_document(to=[user.email], document=password_reset.build(reset))
        audit_record(
            action=events.PASSWORD_RESET_REQUESTED,
            subject=user,
            now=datetime.fromisoformat(at),
            actor=user,
        )
    return True


@transaction.atomic
def password_set(*, user: User, password: str, now: datetime) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise validation_failed_from({"password": list(error.messages)}) from error
    user.set_password(password)
    user.save(update_fields=["password"])
    LoginAttempt.objects.filter(email=user.email).delete()
    # A new password ends every way in the old one gave: sessions (Django's session hash) and
    # tokens, which could have been made by whoever knew the old password.
    revoked = ApiToken.objects.filter(membership__user=user, revoked_at__isnull=True).update(
        revoked_at=now
    )
    audit_record(
        action=events.PASSWORD_SET,
        subject=user,
        now=now,
        actor=user,
        payload={"tokens_revoked": revoked},
    )
