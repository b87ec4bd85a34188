"""
What the competition journey's steps share: a signed-in browser page per person (a fresh
context each time, since moving the clock past a session's 8 hours signs everyone out),
forms filled as a person fills them, the console watched on every page, and axe-core run
on each stage's main page.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cast import PASSWORD

UK = ZoneInfo("Europe/London")


def uk_minute(moment: datetime) -> str:
    """A moment as the forms take it: UK time, to the minute."""
    return moment.astimezone(UK).strftime("%Y-%m-%d %H:%M")


@dataclass
class Journey:
    """The browser, the live server and what every page of the journey must not show."""

    browser: Any
    base: str
    axe: Callable[[Any], list[dict]]
    console_errors: list[str] = field(default_factory=list)
    axe_checked: dict[str, list[dict]] = field(default_factory=dict)

    @contextmanager
    def as_person(self, user: Any) -> Iterator[Any]:
        """A page signed in as `user` through /sign-in; closed afterwards."""
        context = self.browser.new_context(base_url=self.base)
        page = context.new_page()
        page.set_default_timeout(15000)
        self._watch(page, user.email)
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        try:
            yield page
        finally:
            context.close()

    def _watch(self, page: Any, who: str) -> None:
        """Script errors, CSP violations and failed assets, as conftest's `console_errors`."""

        def on_console(message: Any) -> None:
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                self.console_errors.append(f"{who} {page.url}: {message.text}")

        def on_response(response: Any) -> None:
            if response.status >= 400 and response.request.resource_type != "document":
                self.console_errors.append(f"{who}: {response.status} {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"{who}: {error}"))
        page.on("response", on_response)

    def check_accessible(self, page: Any, stage: str) -> None:
        """Run axe on a stage's main page; the test asserts none was found at the end."""
        self.axe_checked[stage] = self.axe(page)


def error_summary(page: Any) -> str:
    summary = page.locator(".govuk-error-summary")
    return summary.inner_text() if summary.count() else ""


def success_banner(page: Any) -> str:
    banner = page.locator(".govuk-notification-banner")
    return banner.inner_text() if banner.count() else ""


def submit_file(page: Any, name: str, text: str) -> None:
    """Choose a file for the round's only part and submit it."""
    page.get_by_label("File").set_input_files(
        {"name": name, "mimeType": "text/plain", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Submit").click()
    assert f"{name} received" in success_banner(page), error_summary(page)


def act_on_procurement(page: Any, label: str, justification: str) -> None:
    """A lifecycle button on the procurement page; a justification when the rules ask."""
    page.get_by_role("button", name=label).click()
    if page.locator('[name="justification"]').count():
        page.locator('[name="justification"]').fill(justification)
        page.get_by_role("button", name=label).click()
    assert f"Done: {label}." in success_banner(page), error_summary(page)
