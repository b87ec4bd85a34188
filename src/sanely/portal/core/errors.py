"""
Errors that services raise and views translate.

Every error carries a stable `code`, a message a person can act on, and optional detail
(field errors, or the rule and citation behind a refusal). The API turns them into the
one error shape `{code, message, detail, rule?, citation?}`; pages show them in the
error summary.
"""

from typing import Any


class ApplicationError(Exception):
    """A request the service refuses, with a message that says what to change."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "detail": self.detail}


class ValidationFailed(ApplicationError):
    """Input that breaks one or more field rules; `detail` maps each field to its problems."""

    code = "validation_failed"


class NotFound(ApplicationError):
    """No such object for this user: also used where the object exists but is not theirs."""

    status = 404
    code = "not_found"


class PermissionDenied(ApplicationError):
    """The user may see the object but their role does not allow this action."""

    status = 403
    code = "forbidden"


class Conflict(ApplicationError):
    """The request clashes with the current state of the data."""

    status = 409
    code = "conflict"


class RuleRefused(Conflict):
    """A rule of the procurement's rulebook refuses the action."""

    code = "rule_refused"

    def __init__(self, message: str, *, rule: str, citation: str, detail: Any = None) -> None:
        super().__init__(message, detail=detail)
        self.rule = rule
        self.citation = citation

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "rule": self.rule, "citation": self.citation}

    @property
    def with_rule(self) -> str:
        """The message as a page shows it: with the citation and the rule's id."""
        return f"{self.message} ({self.citation}; rule {self.rule})"


class JustificationRequired(RuleRefused):
    """A rule lets the action through only with a recorded justification, and none was given."""

    status = 400
    code = "justification_required"


class TooManyAttempts(ApplicationError):
    """Too many failed attempts in a short time; try again later."""

    status = 429
    code = "too_many_attempts"


def validation_failed_from(errors: dict[str, list[str]]) -> ValidationFailed:
    """One ValidationFailed naming every field at once."""
    fields = ", ".join(sorted(errors))
    return ValidationFailed(f"Check these fields: {fields}.", detail=errors)
