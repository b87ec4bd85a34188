"""
The `sanely` command.

The first word picks a command. Commands of the pure packages (`evidence`, `deadline`,
`rulebook`, `vault`, `ocds`) run without Django; the others start Django and hand over to a
management command of the portal. Each command module is imported only when it is used,
so `sanely deadline` does not pay for loading Django or numpy.
"""

import importlib
import os
import sys
from collections.abc import Sequence

# command -> (module with a `main(argv) -> int`, one line of help)
PURE_COMMANDS: dict[str, tuple[str, str]] = {
    "evidence": ("sanely.evidence.cli", "assess pilot outcome data against a target"),
    "deadline": ("sanely.procedure.cli", "compute a statutory deadline"),
    "rulebook": ("sanely.procedure.rulebook_cli", "lint rulebooks and write their docs"),
    "vault": ("sanely.vault.cli", "verify a submission receipt offline"),
    "ocds": (
        "sanely.ocds.cli",
        "compile or validate open contracting data (OCDS); `export DIR` writes what is published",
    ),
}

# command -> (Django management command, one line of help)
PORTAL_COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("sanely_demo", "migrate, load the demo data and serve with a worker"),
    "serve": ("sanely_serve", "serve the web application"),
    "worker": ("sanely_worker", "run the background worker"),
    "migrate": ("migrate", "bring the database schema up to date"),
    "createuser": ("sanely_createuser", "create a user with a membership and role"),
    "audit": ("sanely_audit", "verify the hash-chained audit trail"),
    "backup": ("sanely_backup", "back up the database and stored files to a folder, with hashes"),
    "restore": ("sanely_restore", "restore a backup into a fresh instance"),
    "check": ("check", "check the configuration (add --deploy for production)"),
}


# (command, first argument) -> Django management command: the subcommands of a pure command
# that read the portal's database.
PORTAL_SUBCOMMANDS: dict[tuple[str, str], str] = {
    ("ocds", "export"): "sanely_ocds_export",
}


def usage() -> str:
    """The text printed by `sanely --help`."""
    lines = ["usage: sanely COMMAND [ARGS...]", "", "commands:"]
    for name, (_, text) in {**PURE_COMMANDS, **PORTAL_COMMANDS}.items():
        lines.append(f"  {name:<12}{text}")
    lines += ["", "Run 'sanely COMMAND --help' for a command's own options."]
    return "\n".join(lines)


def run_portal_command(command: str, argv: Sequence[str]) -> int:
    """Start Django and run one of the portal's management commands."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanely.portal.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sanely", command, *argv])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `sanely` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name, rest = args[0], args[1:]
    if rest and (name, rest[0]) in PORTAL_SUBCOMMANDS:
        return run_portal_command(PORTAL_SUBCOMMANDS[name, rest[0]], rest[1:])
    if name in PURE_COMMANDS:
        module = importlib.import_module(PURE_COMMANDS[name][0])
        status: int = module.main(rest)
        return status
    if name in PORTAL_COMMANDS:
        return run_portal_command(PORTAL_COMMANDS[name][0], rest)
    print(f"sanely: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
