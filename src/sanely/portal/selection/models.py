"""
Selection of candidates: each assessor's mark of each candidate against each published
selection criterion, with the reason, and the shortlist decision that invites some of them to
tender and tells the others why not.
"""

from django.conf import settings
from django.db import models


class SelectionMark(models.Model):
    """
    One candidate's mark against one published selection criterion: `passed` for a pass/fail
    criterion, `score` (0 to the published scale's top) for a scored one, always with the
    reason. It can change until the shortlist is decided; every change is in the audit trail.
    """

    procurement = models.ForeignKey(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="selection_marks"
    )
    candidate = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="selection_marks"
    )
    criterion = models.CharField(max_length=200)
    passed = models.BooleanField(null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.TextField()
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["procurement_id", "candidate__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "candidate", "criterion"], name="selection_mark_unique"
            ),
            # A mark is either a pass/fail verdict or a score, never both nor neither.
            models.CheckConstraint(
                condition=models.Q(passed__isnull=True) ^ models.Q(score__isnull=True),
                name="selection_mark_passed_or_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} on {self.criterion}"


class ShortlistDecision(models.Model):
    """
    The shortlist as decided: who is invited to tender, and every other candidate with the
    reason it was told. Once it exists the marks no longer change.
    """

    procurement = models.OneToOneField(
        "procurements.Procurement", on_delete=models.PROTECT, related_name="shortlist_decision"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    # Why the shortlist has the size it has (the minimum, the maximum, who qualified).
    reason = models.TextField()
    justification = models.TextField(blank=True)
    invited = models.JSONField(default=list)  # organisation ids, best ranked first
    not_invited = models.JSONField(default=dict)  # organisation id (str) -> reason

    def __str__(self) -> str:
        return f"Shortlist of {self.procurement}"
