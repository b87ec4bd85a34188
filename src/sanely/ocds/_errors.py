"""The exceptions of `sanely.ocds`: one tree, so a caller can catch `OcdsError`."""


class OcdsError(Exception):
    """Something `sanely.ocds` refused to do."""


class FactRefused(OcdsError):
    """A fact would make an invalid release; the message names the field and what to change."""

    def __init__(self, fact: str, field: str, problem: str) -> None:
        super().__init__(f"{fact}.{field}: {problem}")
        self.fact = fact
        self.field = field


class PackageRefused(OcdsError):
    """Releases cannot be put in one package as asked (duplicate ids, mixed ocids…)."""


class SchemaUnavailable(OcdsError):
    """A schema or a declared extension is not in the configured schema directory."""


class ReleaseInvalid(OcdsError):
    """A release package failed schema validation; `problems` lists every error found."""

    def __init__(self, problems: list[str]) -> None:
        shown = "\n".join(problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} schema error(s):\n{shown}{more}")
        self.problems = problems


class CompileRefused(OcdsError):
    """Input to `compile` is not JSON, not OCDS, or too large; the message names where."""


class WithholdingRefused(OcdsError):
    """A field to withhold names nothing in the release: a mistyped path never passes."""
