"""
A crawler for the portal as one person sees it, through Django's test client: it follows
every same-origin link (GET only) and tries every form as the page offers it, each POST
inside a savepoint that is rolled back, so that trying a form changes nothing for the pages
that follow. What it records is what a person would meet: refusals, errors, page texts.
"""

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from sanely.portal.accounts.models import User
from sanely.portal.core.clock import now
from sanely.portal.demo.load import demo_load
from sanely.portal.procurements.models import Procurement

REFUSALS = {403, 404, 409}
PUBLIC = "the public"


@contextmanager
def demo_loaded(django_db_blocker, media: Path) -> Iterator[None]:
    """The demo loaded once for a test module, quickly (cheap hashes, tasks run at once), in a
    transaction rolled back at the end."""
    fast = override_settings(
        MEDIA_ROOT=media,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    )
    with fast, django_db_blocker.unblock(), transaction.atomic():
        demo_load(now=now())
        yield
        transaction.set_rollback(True)


def demo_seeds() -> list[str]:
    """Where each crawl starts: the home page and every procurement's and partnership's page."""
    pages = ["/"]
    for procurement_id in Procurement.objects.order_by("pk").values_list("pk", flat=True):
        pages.append(reverse("procurements:detail", args=[procurement_id]))
        pages.append(reverse("partnerships:partnership", args=[procurement_id]))
    return pages


def client_of(person: str) -> Client:
    """A client signed in as the person with that email, or nobody's for the public."""
    client = Client(raise_request_exception=False)
    if person != PUBLIC:
        client.force_login(User.objects.get(email=person))
    return client


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str]]
    pressed: bool = False  # a named submit button's value is in `fields`

    def data(self) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for name, value in self.fields:
            values.setdefault(name, []).append(value)
        return values


@dataclass
class Page:
    url: str
    status: int
    html: str = ""
    links: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    """A link or form on `page` whose target answered `status`."""

    page: str
    kind: str
    target: str
    status: int

    def __str__(self) -> str:
        return f"{self.status} {self.kind} {self.target} (on {self.page})"


@dataclass
class Crawl:
    pages: dict[str, Page] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def refusals(self) -> list[Finding]:
        return [f for f in self.findings if f.status in REFUSALS or f.status >= 500]


class _Links(HTMLParser):
    """Links and forms, with each form's fields as the browser would submit them untouched."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in a and "download" not in a:
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action", ""), [])
        elif self._form is not None:
            self._field(tag, a)

    def _field(self, tag, a):
        name = a.get("name")
        kind = a.get("type", "submit" if tag == "button" else "text").lower()
        submits = (tag == "button" and kind == "submit") or (tag == "input" and kind == "submit")
        if submits:
            if name and not self._form.pressed:  # the browser sends the button pressed: the first
                self._form.fields.append((name, a.get("value", "")))
                self._form.pressed = True
        elif tag == "input" and name and (kind not in {"checkbox", "radio"} or "checked" in a):
            if kind not in {"file", "image", "button"}:
                self._form.fields.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.fields.append((name, ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if "selected" in a and not self._select_chosen:
                self._form.fields.append((self._select, value))
                self._select_chosen = True
            elif self._select_first is None:
                self._select_first = value

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            name, typed = self._form.fields[-1]
            self._form.fields[-1] = (name, typed + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def _same_origin(base: str, href: str) -> str | None:
    """The path and query of `href` resolved against `base`, or None when it leaves the site."""
    target = urldefrag(urljoin(base, href.strip())).url
    parts = urlsplit(target)
    if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def route_of(url: str) -> str:
    """The named route a URL resolves to, so that pages can be grouped by their template."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return url
    return match.view_name


def _is_html(response) -> bool:
    return response.get("content-type", "").startswith("text/html")


class Crawler:
    def __init__(self, client: Client, *, per_route: int = 25) -> None:
        self.client = client
        self.per_route = per_route
        self.crawl = Crawl()
        self._queue: deque[tuple[str, str]] = deque()
        self._seen: set[str] = set()
        self._routes: dict[str, int] = {}

    def run(self, seeds: list[str]) -> Crawl:
        for seed in seeds:
            self._enqueue("", seed)
        while self._queue:
            source, url = self._queue.popleft()
            self._visit(source, url)
        return self.crawl

    def _enqueue(self, source: str, url: str) -> None:
        """Queue a URL once; a link beyond `per_route` pages of its route is left (seeds never)."""
        if url in self._seen:
            return
        if source:
            route = route_of(url)
            if self._routes.get(route, 0) >= self.per_route:
                return
            self._routes[route] = self._routes.get(route, 0) + 1
        self._seen.add(url)
        self._queue.append((source, url))

    def _visit(self, source: str, url: str) -> None:
        response = self.client.get(url)
        if source:
            self._record(source, "link", url, response.status_code)
        elif response.status_code != 200:
            return  # a starting page this person may not open is no link they were offered
        if response.status_code in {301, 302, 303, 307, 308}:
            target = _same_origin(url, response["location"])
            if target is not None:
                self._enqueue(source or url, target)
            return
        if response.status_code != 200 or not _is_html(response):
            return
        page = Page(url, 200, response.content.decode())
        parser = _Links()
        parser.feed(page.html)
        self.crawl.pages[url] = page
        for href in parser.links:
            target = _same_origin(url, href)
            if target is not None:
                self._enqueue(url, target)
        for form in parser.forms:
            self._try_form(url, form)

    def _try_form(self, url: str, form: Form) -> None:
        action = _same_origin(url, form.action or url)
        if action is None:
            return
        if form.method == "get":
            query = urlencode(form.fields)
            self._enqueue(url, f"{urlsplit(action).path}?{query}" if query else action)
            return
        cookies = self.client.cookies
        self.client.cookies = type(cookies)(cookies)  # signing out must not end the crawl
        with transaction.atomic():
            response = self.client.post(action, form.data())
            transaction.set_rollback(True)
        self.client.cookies = cookies
        self._record(url, "form", action, response.status_code)

    def _record(self, page: str, kind: str, target: str, status: int) -> None:
        self.crawl.findings.append(Finding(page, kind, target, status))
