"""
Sealed submissions: the rounds suppliers submit to, every version they submit, the interest
they express, and the record of each deadline extension.

Nothing here holds plaintext: a round keeps its vault key record (the private half wrapped by
the master key, which lives in the environment) and a version keeps its vault envelope and the
name of its sealed blob in file storage.
"""

from django.conf import settings
from django.db import models

from sanely import vault


class RoundKind(models.TextChoices):
    RTP = "rtp", "Requests to participate"
    TENDER = "tender", "Tenders"


class SubmissionRound(models.Model):
    """
    One box that submissions go into until its deadline: the requests to participate, or one
    round of tenders. The vault's `RoundKey` is stored field by field, the deadline exactly.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="submission_rounds"
    )
    kind = models.CharField(max_length=10, choices=RoundKind.choices)
    number = models.PositiveSmallIntegerField()
    final = models.BooleanField(default=False)
    # What each supplier submits, each part on its own (a questionnaire, a technical proposal…).
    parts = models.JSONField(default=list)
    # The vault's RoundKey: `ref` is its round_id, `deadline` is bound to it.
    ref = models.CharField(max_length=80, unique=True)
    deadline = models.DateTimeField()
    deadline_set_by = models.CharField(max_length=40)
    public_key = models.BinaryField()
    wrapped_private_key = models.BinaryField()
    master_key_id = models.CharField(max_length=80)
    record_tag = models.BinaryField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    # The opening ceremony: one person asks, a second, different one confirms.
    opening_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    opening_requested_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["procurement_id", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "kind", "number"], name="submission_round_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=RoundKind.values), name="submission_round_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.ref

    @property
    def label(self) -> str:
        if self.kind == RoundKind.RTP:
            return "Requests to participate"
        return (
            f"Final tenders (round {self.number})"
            if self.final
            else f"Tenders, round {self.number}"
        )

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def round_key(self) -> vault.RoundKey:
        return vault.RoundKey(
            round_id=self.ref,
            deadline=self.deadline,
            deadline_set_by=self.deadline_set_by,
            public_key=bytes(self.public_key),
            wrapped_private_key=bytes(self.wrapped_private_key),
            master_key_id=self.master_key_id,
            record_tag=bytes(self.record_tag),
        )

    def store_round_key(self, key: vault.RoundKey) -> None:
        self.ref, self.deadline, self.deadline_set_by = (
            key.round_id,
            key.deadline,
            key.deadline_set_by,
        )
        self.public_key, self.wrapped_private_key = key.public_key, key.wrapped_private_key
        self.master_key_id, self.record_tag = key.master_key_id, key.record_tag


class DeadlineExtension(models.Model):
    """The incident log: every extension of a round's deadline, with its reason."""

    round = models.ForeignKey(SubmissionRound, on_delete=models.PROTECT, related_name="extensions")
    previous_deadline = models.DateTimeField()
    new_deadline = models.DateTimeField()
    reason = models.TextField()
    platform_incident = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"{self.round} extended to {self.new_deadline:%Y-%m-%d %H:%M}"


class Interest(models.Model):
    """A supplier's expression of interest in a published procurement."""

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="interests"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="interests"
    )
    expressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expressed_at = models.DateTimeField()

    class Meta:
        ordering = ["expressed_at"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "organisation"], name="interest_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.procurement}"


class ScanOutcome(models.TextChoices):
    CLEAN = "clean", "Scanned: clean"
    NOT_SCANNED = "not scanned", "Not scanned (no scanner configured)"


class SubmissionVersion(models.Model):
    """
    One file a supplier submitted for one part of a round. Versions are never changed or
    deleted: the latest of a part counts. `version` counts the supplier's submissions in the
    round from 1, as its receipt says.
    """

    round = models.ForeignKey(SubmissionRound, on_delete=models.PROTECT, related_name="versions")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="submission_versions"
    )
    part = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()
    file_name = models.CharField(max_length=255)
    file_kind = models.CharField(max_length=10)
    scan = models.CharField(max_length=20, choices=ScanOutcome.choices)
    scanner = models.CharField(max_length=200)
    sealed_blob = models.FileField(max_length=300)
    # The vault's Envelope.
    submission_id = models.CharField(max_length=80, unique=True)
    round_key_id = models.CharField(max_length=80)
    wrapped_data_key = models.BinaryField()
    plaintext_size = models.PositiveBigIntegerField()
    plaintext_sha256 = models.CharField(max_length=64)
    sealed_size = models.PositiveBigIntegerField()
    receipt = models.TextField()

    class Meta:
        ordering = ["round_id", "organisation_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "version"], name="submission_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} ({self.part}, version {self.version})"

    def envelope(self) -> vault.Envelope:
        return vault.Envelope(
            submission_id=self.submission_id,
            round_id=self.round.ref,
            round_key_id=self.round_key_id,
            wrapped_data_key=bytes(self.wrapped_data_key),
            plaintext_size=self.plaintext_size,
            plaintext_sha256=self.plaintext_sha256,
            sealed_size=self.sealed_size,
        )


class ChunkedUpload(models.Model):
    """
    A resumable upload in progress, for one part of a round: the vault's `Upload` state. Each
    chunk waits as a sealed piece in the file storage (`pieces`: offset, length and stored
    name) until the upload is finished, refused or expires; nothing of them is in the database
    and nothing rests in plaintext.
    """

    round = models.ForeignKey(SubmissionRound, on_delete=models.CASCADE, related_name="uploads")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    part = models.CharField(max_length=100)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField()
    token = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    total_size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    received = models.JSONField(default=list)  # [[start, end), …]
    pieces = models.JSONField(default=list)  # [[offset, length, stored name], …]
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} ({self.total_size} bytes)"

    def state(self) -> vault.Upload:
        return vault.Upload(
            self.name, self.total_size, self.sha256, tuple((s, e) for s, e in self.received)
        )
