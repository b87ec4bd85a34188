"""
`sanely rulebook`: lint the shipped rulebooks, and write or check their Markdown docs.

    sanely rulebook lint
    sanely rulebook docs docs/rulebooks          # write docs/rulebooks/<id>.md
    sanely rulebook docs docs/rulebooks --check  # exit 1 when the files are not current (CI)
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sanely.procedure._docs import render
from sanely.procedure._lint import lint_all
from sanely.procedure._rulebook import load_rulebook, rulebook_ids


def _lint() -> int:
    problems = lint_all()
    for problem in problems:
        sys.stdout.write(f"{problem}\n")
    sys.stdout.write(f"{len(problems)} problem(s) in {len(rulebook_ids())} rulebook(s)\n")
    return 1 if problems else 0


def _docs(directory: Path, check_only: bool) -> int:
    stale: list[str] = []
    for rulebook_id in rulebook_ids():
        path = directory / f"{rulebook_id}.md"
        text = render(load_rulebook(rulebook_id))
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(str(path))
        if not check_only:
            directory.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if check_only and stale:
        sys.stderr.write(f"out of date (run `make rules-docs`): {', '.join(stale)}\n")
        return 1
    done = "checked" if check_only else "wrote"
    sys.stdout.write(f"{done} {len(rulebook_ids())} rulebook page(s) in {directory}\n")
    return 0


def main(argv: Sequence[str]) -> int:
    """Run `sanely rulebook lint|docs`; 0 when all is well, 1 for problems, 2 for bad usage."""
    parser = argparse.ArgumentParser(prog="sanely rulebook", description=__doc__.splitlines()[1])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("lint", help="check every shipped rulebook")
    docs = commands.add_parser("docs", help="write docs/rulebooks/<id>.md")
    docs.add_argument("directory", type=Path)
    docs.add_argument("--check", action="store_true", help="exit 1 if the files are not current")
    args = parser.parse_args(list(argv))
    if args.command == "lint":
        return _lint()
    return _docs(args.directory, args.check)
