"""
Sealed content has one door: `tenders.selectors.access_submission_content`, which refuses and
records every early or unauthorised attempt. This reads the portal's code and fails when any
other function decrypts a submission or opens its sealed file.
"""

import ast
from pathlib import Path

import sanely.portal

PORTAL = Path(sanely.portal.__file__).parent
DOOR = ("tenders/selectors.py", "access_submission_content")
# Names whose call reads sealed bytes: decrypting an envelope, or opening the sealed blob.
READS_SEALED = {"unseal", "sealed_blob"}


def _places_reading_sealed_content() -> set[tuple[str, str]]:
    places: set[tuple[str, str]] = set()
    for path in PORTAL.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
                if name in READS_SEALED and _is_read(node, name):
                    places.add((str(path.relative_to(PORTAL)), function.name))
    return places


def _is_read(node: ast.AST, name: str) -> bool:
    """`unseal` named at all, or the `sealed_blob` field read (storing it passes a keyword)."""
    return name == "unseal" or isinstance(getattr(node, "ctx", None), ast.Load)


def test_only_the_access_function_decrypts_a_submission_or_opens_its_sealed_file() -> None:
    assert {DOOR} == _places_reading_sealed_content()
