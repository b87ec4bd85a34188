"""
Journeys in a real browser: Debian's Chromium driven by Playwright against pytest-django's
live server. Playwright never downloads a browser here; `make test` installs chromium.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the database calls the
# tests make to set up data are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Browser tests need Debian's chromium: run `make system-deps`.")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The production queues (settings.TASKS), run at once.
    immediate = "django.tasks.backends.immediate.ImmediateBackend"
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": immediate}}


@pytest.fixture
def console_errors(page):
    """
    Script errors, Content-Security-Policy violations and failed assets (styles, scripts,
    fonts, images). A page itself may answer 400 to a form with errors; that is not one.
    """
    errors: list[str] = []

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", on_response)
    return errors


AXE_SOURCE = os.path.join(
    os.path.dirname(__file__), "..", "..", "node_modules", "axe-core", "axe.min.js"
)


@pytest.fixture(scope="session")
def axe_violations():
    """
    A function that runs axe-core (WCAG 2.1 A and AA) in a page and returns the violations.
    The script is evaluated, since the CSP rightly blocks injected script tags.
    """
    with open(AXE_SOURCE, encoding="utf-8") as handle:
        source = handle.read()

    def check(page) -> list[dict]:
        page.evaluate(source)
        result = page.evaluate(
            "async () => await axe.run(document,"
            " {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
        )
        return [
            {"id": v["id"], "help": v["help"], "nodes": len(v["nodes"])}
            for v in result["violations"]
        ]

    return check
