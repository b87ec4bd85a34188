"""
The home page says what is waiting for each person of the demo, soonest first, each task
linking to the page where that person does it (and answering them there).
"""

import re
from dataclasses import dataclass
from datetime import datetime

import pytest
from django.db import transaction
from django.test import Client

from sanely.portal.accounts.models import User
from sanely.portal.core.clock import now
from sanely.portal.demo.load import demo_load

# The mark makes pytest-django create the test database the module's demo is loaded in.
pytestmark = pytest.mark.django_db
AUDITOR = "auditor@wessex.example"
PUBLIC = ("/opportunities/", "/opportunities/?show=open", "/status")

_TASK = re.compile(
    r'<li>(?:<a class="govuk-link" href="([^"]+)">)?(.*?)(?:</a>)?'
    r'(?: <span class="govuk-body-s">– by ([^<]+)</span>)?</li>'
)

# (who, words each of their tasks that must be there, words no task of theirs may hold)
EXPECTED = [
    (
        "commissioner@wessex.example",
        [
            "Declare your interests in the tenderers of Predictive winter gritting routes",
            "Decide Kestrel Mobility Ltd&#39;s claim of £90,000.00",
            "Finish the design of Falls prevention sensors for home care",
            "Standstill ends for Hospital discharge to assess at home",
        ],
        ["COPD"],
    ),
    (
        "procurement@wessex.example",
        [
            "Round 2 of tenders for Predictive winter gritting routes closes",
            "Requests to participate close for Demand-responsive rural transport",
            "Contract termination notice for Egdon Route Optimisation Ltd under Smarter household",
        ],
        ["claim of", "COPD"],  # claims are for finance officers and commissioners
    ),
    (
        "evaluator@wessex.example",
        ["Declare your interests in the tenderers of Predictive winter gritting routes"],
        ["Requests to participate", "claim"],
    ),
    (
        "finance@wessex.example",
        [
            "Pay Kestrel Mobility Ltd&#39;s approved claim of £50,000.00",
            "Decide Kestrel Mobility Ltd&#39;s claim of £90,000.00",
        ],
        ["Declare", "Standstill"],
    ),
    (
        "procurement@lothian.example",
        ["Requests to participate close for Remote monitoring for COPD patients"],
        ["Wessex", "gritting"],
    ),
    (
        "admin@northgate.example",
        [
            "Send Northgate Digital Services plc&#39;s tender for Predictive winter gritting routes",
            "Predictive winter gritting routes: Northgate Digital Services plc is tendering",
            "Read the letter Wessex County Council sent Northgate Digital Services plc",
        ],
        ["Kestrel"],
    ),
    (
        "member@kestrel.example",
        ["Demand-responsive buses in three rural districts: Kestrel Mobility Ltd is partner"],
        ["Northgate", "Decide"],
    ),
]


@dataclass(frozen=True)
class Home:
    page: str
    tasks: list[tuple[str, str, str]]  # link, sentence, due
    answers: dict[str, int]  # each link, and its status for the person


def _tasks(page: str) -> list[tuple[str, str, str]]:
    listed = page.split('<ul class="govuk-list govuk-list--spaced" id="tasks">', 1)
    return _TASK.findall(listed[1].split("</ul>", 1)[0]) if len(listed) == 2 else []


def _home(email: str) -> Home:
    client = Client()
    client.force_login(User.objects.get(email=email))
    page = client.get("/").content.decode()
    tasks = _tasks(page)
    return Home(page, tasks, {url: client.get(url).status_code for url, _, _ in tasks if url})


@pytest.fixture(scope="module")
def homes(django_db_setup, django_db_blocker):
    """Every demo person's home page, and what each of its links answers them: the demo is
    loaded once for the module, in a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load(now=now())
        found = {email: _home(email) for email in [*(e for e, _, _ in EXPECTED), AUDITOR]}
        visitor = Client()
        for path in PUBLIC:
            found[path] = Home(visitor.get(path).content.decode(), [], {})
        transaction.set_rollback(True)
    return found


@pytest.mark.parametrize(("email", "present", "absent"), EXPECTED)
def test_each_role_sees_its_tasks_each_linking_to_a_page_it_may_use(homes, email, present, absent):
    home = homes[email]
    sentences = [sentence for _, sentence, _ in home.tasks]
    for words in present:
        assert any(words in s for s in sentences), f"{email} misses {words!r}: {sentences}"
    for words in absent:
        assert not any(words in s for s in sentences), f"{email} sees {words!r}: {sentences}"
    assert home.answers
    assert dict.fromkeys(home.answers, 200) == home.answers


@pytest.mark.parametrize("email", [email for email, _, _ in EXPECTED])
def test_tasks_come_soonest_first_with_uk_dates(homes, email):
    # A day has no time zone.
    dates = [datetime.strptime(d, "%d %B %Y").date() for _, _, d in homes[email].tasks if d]  # noqa: DTZ007
    assert dates == sorted(dates)


def test_an_auditor_is_told_nothing_is_waiting(homes):
    assert [] == homes[AUDITOR].tasks
    assert "Nothing is waiting for you." in homes[AUDITOR].page


def _header(page: str) -> str:
    return page.split("<header", 1)[1].split("</header>", 1)[0]


def test_the_header_names_the_signed_in_persons_authority(homes):
    lothian = _header(homes["procurement@lothian.example"].page)
    assert "NHS Lothian Health Board" in lothian
    assert "Wessex" not in lothian
    assert "Wessex County Council" in _header(homes["finance@wessex.example"].page)
    # A supplier works with many authorities: the service is named, not one of them.
    supplier = _header(homes["admin@northgate.example"].page)
    assert "Wessex" not in supplier
    assert "Northgate" not in supplier


def _cards(page: str) -> dict[str, str]:
    """Each opportunity's title and the rest of its card."""
    cards = page.split('<div class="govuk-summary-card">')[1:]
    return {re.search(r'summary-card__title"><a[^>]*>([^<]+)</a>', c).group(1): c for c in cards}


def test_opportunities_show_their_status_and_closing_date_and_filter_to_the_open(homes):
    every = _cards(homes["/opportunities/"].page)
    open_now = _cards(homes["/opportunities/?show=open"].page)
    gritting = every["Predictive winter gritting routes"]
    assert "Tenders and negotiation rounds with invited candidates" in gritting
    assert re.search(
        r"Open to submissions until \d{1,2} December 2026, \d{1,2}:\d\d[ap]m", gritting
    )
    assert "Predictive winter gritting routes" in open_now
    closed = [t for t, card in every.items() if "Not taking submissions now" in card]
    assert closed
    assert not set(closed) & set(open_now)
    assert set(open_now) < set(every)


def test_the_service_status_is_a_page_in_words(homes):
    page = homes["/status"].page
    assert "Service status" in page
    assert "The service is working" in page
    assert '"status"' not in page
