"""Organisations, the people in them, their roles, and their API tokens."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models

from sanely.portal.core.text import validate_single_line


class OrganisationKind(models.TextChoices):
    AUTHORITY = "authority", "Contracting authority"
    SUPPLIER = "supplier", "Supplier"


class Nation(models.TextChoices):
    """Where an authority sits decides which procurement rules apply to it."""

    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"
    EU = "eu", "EU member state"


class Role(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioner"
    PROCUREMENT_LEAD = "procurement_lead", "Procurement lead"
    EVALUATOR = "evaluator", "Evaluator"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    AUDITOR = "auditor", "Auditor"
    SUPPLIER_ADMIN = "supplier_admin", "Supplier admin"
    SUPPLIER_MEMBER = "supplier_member", "Supplier member"


ROLES_BY_KIND: dict[str, frozenset[str]] = {
    OrganisationKind.AUTHORITY: frozenset(
        {
            Role.COMMISSIONER,
            Role.PROCUREMENT_LEAD,
            Role.EVALUATOR,
            Role.FINANCE_OFFICER,
            Role.AUDITOR,
        }
    ),
    OrganisationKind.SUPPLIER: frozenset({Role.SUPPLIER_ADMIN, Role.SUPPLIER_MEMBER}),
}
# Who may manage an organisation's details and its people.
ADMIN_ROLES = frozenset({Role.PROCUREMENT_LEAD, Role.SUPPLIER_ADMIN})
# Auditors read everything of their own authority and write nothing.
READ_ONLY_ROLES = frozenset({Role.AUDITOR})


class Organisation(models.Model):
    name = models.CharField(max_length=200, validators=[validate_single_line])
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    nation = models.CharField(max_length=20, choices=Nation.choices, blank=True)
    # An identifier from an org-id.guide scheme (e.g. GB-COH for Companies House), for open data.
    identifier_scheme = models.CharField(max_length=20, blank=True)
    identifier = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    is_sme = models.BooleanField("small or medium-sized enterprise", default=False)
    is_vcse = models.BooleanField("voluntary, community or social enterprise", default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_scheme", "identifier"],
                condition=~models.Q(identifier=""),
                name="organisation_identifier_unique",
                violation_error_message=(
                    "An organisation with this registration number is already registered."
                    " Ask its admin to add you."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        return self.create_user(email, password, is_staff=True, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, who signs in with an email address and a password."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    def __str__(self) -> str:
        return self.email


class Membership(models.Model):
    """A person's role in one organisation; a person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()} of {self.organisation}"

    @property
    def can_write(self) -> bool:
        return self.role not in READ_ONLY_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES


class ApiToken(models.Model):
    """
    A personal access token: acts as its user in one membership. Only a SHA-256 of the
    secret is kept; the secret is shown once, when the token is made.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()  # every token expires (SANELY_TOKEN_MAX_DAYS)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Attempt(models.Model):
    """Something an address asks for, kept for a while to limit how often it may."""

    email = models.EmailField(db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.email} at {self.at:%Y-%m-%d %H:%M}"


class LoginAttempt(Attempt):
    """A failed sign-in, kept to slow down password guessing."""


class PasswordResetRequest(Attempt):
    """A request for a password reset link, kept to limit how often one can be asked for."""


class SecondFactor(models.Model):
    """
    A person's authenticator app (TOTP). The secret is sealed under the master key
    (`vault.secret_seal`), never stored in plaintext; it counts once confirmed with a code.
    `last_step` is the time step of the last code used, so no code is accepted twice.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor")
    sealed_secret = models.BinaryField()
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"second factor of {self.user}"


class RecoveryCode(models.Model):
    """A one-use code for when the app is lost; only its SHA-256 is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code of {self.user}"
