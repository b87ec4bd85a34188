"""
Open data: each lifecycle fact of a procurement as the publisher found it, what the authority
decided about it, and the releases published from it, which are never changed or removed.

A `Fact` holds its release as built through `sanely.ocds`' allow-list; it is public only once a
`Release` row is made from it. A `Withholding` keeps part of a fact's release back (or, with no
path, the whole release) on a lawful ground. `Record` is the public summary of one contracting
process, compiled from its published releases only, which the public pages and search read.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class FactStatus(models.TextChoices):
    AWAITING_REVIEW = "awaiting_review", "Waiting for the authority’s review"
    QUEUED = "queued", "To be published by the worker"
    HELD = "held", "Held: it cannot be checked against the OCDS schema yet"
    PUBLISHED = "published", "Published"
    SUPPRESSED = "suppressed", "Not published"


class Fact(models.Model):
    """One lifecycle fact of one procurement, found once; `key` is its id within it."""

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=40)
    # The release as built through the allow-list, before anything is withheld.
    release = models.JSONField()
    extensions = models.JSONField(default=list)
    # The typed content of the Act's notice the release carries (UK9-UK11), as
    # `sanely.documents.to_json` writes it; empty for the others. For the record, not the public.
    notice = models.JSONField(default=dict)
    # The figures behind a target's verdict, one entry per part assessed (its estimate, interval,
    # confidence level and the target's threshold, comparator and units), for the chart on the
    # public page; empty for the other facts and below the count threshold. Public only with the
    # fact's release, and not while the verdict's figures are withheld from it.
    figures = models.JSONField(default=list)
    found_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=FactStatus.choices)
    # Why a held release cannot be published yet, in words.
    problem = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["procurement_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "key"], name="fact_key_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=FactStatus.values), name="fact_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.procurement_id}"


class Withholding(models.Model):
    """
    Information kept back from a fact's release on a lawful ground (`path` names the field;
    empty, the whole release). `announced` is whether the public is told that it is withheld
    and on which ground, as the law asks unless a ground lets the authority stay silent.
    """

    fact = models.ForeignKey(Fact, on_delete=models.PROTECT, related_name="withholdings")
    path = models.CharField(max_length=120, blank=True)
    what = models.CharField(max_length=200)
    ground = models.CharField(max_length=40)
    citation = models.CharField(max_length=200)
    explanation = models.TextField()
    announced = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["fact_id", "pk"]

    def __str__(self) -> str:
        return f"{self.what} withheld ({self.citation})"


class ReleasesAreFinal(Exception):
    """A published release cannot be changed or removed."""


class ReleaseQuerySet(models.QuerySet["Release"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ReleasesAreFinal("published releases cannot be updated")

    def delete(self) -> NoReturn:
        raise ReleasesAreFinal("published releases cannot be deleted")


class Release(models.Model):
    """
    A published release: the fact's release with what was withheld removed, checked against the
    schema. Appended in publication order (the feed pages by it); never updated or deleted (the
    model and queryset refuse, and on PostgreSQL a trigger).
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="+"
    )
    fact = models.OneToOneField(Fact, on_delete=models.PROTECT, related_name="published")
    ocid = models.CharField(max_length=120, db_index=True)
    release_id = models.CharField(max_length=250, unique=True)
    date = models.DateTimeField()
    tags = models.JSONField()
    body = models.JSONField()
    extensions = models.JSONField(default=list)
    # What the release could not carry for want of an extension's schema, by path: shown on the
    # notice page, never in the open data.
    omitted = models.JSONField(default=dict)
    published_at = models.DateTimeField(db_index=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.release_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ReleasesAreFinal("published releases cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ReleasesAreFinal("published releases cannot be deleted")


class Record(models.Model):
    """
    The public face of one contracting process, rebuilt from its published releases whenever one
    is added: the compiled release the public pages show and the words search looks through.
    """

    procurement = models.OneToOneField(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="+"
    )
    ocid = models.CharField(max_length=120, unique=True)
    compiled = models.JSONField()
    title = models.CharField(max_length=500)
    buyer = models.CharField(max_length=200)
    stage = models.CharField(max_length=40)
    search_text = models.TextField()
    # How the partnership turned out so far (presentation.OUTCOMES; "" before any contract),
    # and the verdicts reached on its targets, each between bars ("|met|not-met|"), for search.
    outcome = models.CharField(max_length=20, blank=True, default="")
    verdicts = models.CharField(max_length=100, blank=True, default="")
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-updated_at", "pk"]

    def __str__(self) -> str:
        return self.ocid


class PaymentsApproval(models.Model):
    """
    The approval a payments compliance notice must carry (Procurement Regulations 2024 reg
    38(2)(e)): the statement of the director or similar officer responsible for the authority's
    finances that they approve the notice, with their name and job title, and the figures they
    approved. Also the enquiry contact the notice names (reg 13(f)). sanely cannot know these;
    the authority records them. The latest approval of a period is the one that counts.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    period_first = models.DateField()
    period_last = models.DateField()
    approver_name = models.CharField(max_length=200)
    approver_job_title = models.CharField(max_length=200)
    enquiry_contact = models.CharField(max_length=200)
    # The figures as approved, so that a later change is seen: names to values as text.
    figures = models.JSONField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["organisation_id", "period_first", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_first__lte=models.F("period_last")),
                name="payments_approval_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.approver_name} for {self.period_first}"
