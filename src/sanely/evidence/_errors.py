"""The exceptions of `sanely.evidence`: every failure a user can fix is one of these."""

import re
from dataclasses import dataclass

# A key of SPEC.toml as messages name it: design.change_at, predictors.income.
_KEY = re.compile(
    r"\b(?:columns|design|metric|target|inference|data|sequential|predictors)\.[\w.]*\w"
)


class EvidenceError(Exception):
    """Base class: something about the spec or the data prevents an assessment."""


class SpecError(EvidenceError):
    """The spec is malformed or does not fit the data (names the key to change).

    `key` is that key ('design.change_at'): given where the message names another key
    first (as in 'design.kind = "did" needs columns.period'), else the first key the
    message names; '' when it names none. A form can show the message at its question.
    """

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        found = _KEY.search(message)
        self.key = key if key is not None else (found[0] if found else "")


@dataclass(frozen=True)
class Issue:
    """One problem found in the data, located by row (as numbered in the file) and column."""

    row: int
    column: str
    kind: str
    message: str


class DataError(EvidenceError):
    """The data file cannot be read, or values in it do not match the data dictionary."""

    def __init__(
        self, message: str, issues: tuple[Issue, ...] = (), counts: dict[str, int] | None = None
    ) -> None:
        self.issues = issues
        self.counts = dict(counts or {})
        super().__init__(message)

    def __str__(self) -> str:
        lines = [str(self.args[0])]
        if self.counts:
            total = sum(self.counts.values())
            kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(self.counts.items()))
            lines.append(f"{total} problem(s) ({kinds}); the first {len(self.issues)}:")
            lines += [f"  row {i.row}, column {i.column!r}: {i.message}" for i in self.issues]
        return "\n".join(lines)


class AnalysisError(EvidenceError):
    """The data are valid but cannot support the requested analysis (says what to change)."""


class ChartError(EvidenceError):
    """The series given for a chart do not fit together (lengths or labels differ)."""
