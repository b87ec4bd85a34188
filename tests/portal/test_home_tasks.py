"""
The home page says what is waiting for each person of the demo, soonest first, each task
linking to the page where that person does it (and answering them there).
"""

import re
from datetime import datetime

import pytest
from django.test import Client

from sanely.portal.accounts.models import User
from sanely.portal.core.clock import now
from sanely.portal.demo.load import demo_load

pytestmark = pytest.mark.django_db

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
            "Contract termination notice (UK11) (Egdon Route Optimisation Ltd",
        ],
        ["Decide", "Pay ", "COPD"],  # claims are for finance officers and commissioners
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


def _home(email: str) -> tuple[Client, str]:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client, client.get("/").content.decode()


def _tasks(page: str) -> list[tuple[str, str, str]]:
    listed = page.split('<ul class="govuk-list govuk-list--spaced" id="tasks">', 1)
    return _TASK.findall(listed[1].split("</ul>", 1)[0]) if len(listed) == 2 else []


@pytest.fixture
def demo():
    demo_load(now=now())


@pytest.mark.parametrize(("email", "present", "absent"), EXPECTED)
def test_each_role_sees_its_tasks_each_linking_to_a_page_it_may_use(demo, email, present, absent):
    client, page = _home(email)
    tasks = _tasks(page)
    sentences = [sentence for _, sentence, _ in tasks]
    for words in present:
        assert any(words in s for s in sentences), f"{email} misses {words!r}: {sentences}"
    for words in absent:
        assert not any(words in s for s in sentences), f"{email} sees {words!r}: {sentences}"
    for url, sentence, _ in tasks:
        if url:
            assert 200 == client.get(url).status_code, f"{email}: {sentence} -> {url}"


@pytest.mark.parametrize("email", [email for email, _, _ in EXPECTED])
def test_tasks_come_soonest_first_with_uk_dates(demo, email):
    _, page = _home(email)
    dates = [datetime.strptime(due, "%d %B %Y") for _, _, due in _tasks(page) if due]
    assert dates == sorted(dates)


def test_an_auditor_is_told_nothing_is_waiting(demo):
    _, page = _home("auditor@wessex.example")
    assert [] == _tasks(page)
    assert "Nothing is waiting for you." in page
