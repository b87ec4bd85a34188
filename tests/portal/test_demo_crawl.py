"""
Every page of the demo as every person in it: from their home page and from the page of every
demo procurement and partnership, each link and form they are offered leads somewhere they may
go. A link or form that answers 403, 404 or 409 is an offer the access rules then refuse; a
500 is a fault. The demo is loaded once for the module, in a transaction rolled back at the end.
"""

import pytest
from portal.crawl import PUBLIC, Crawl, Crawler, client_of, demo_loaded, demo_seeds
from portal.internal_ids import internal_ids

from sanely.portal.demo.load import PEOPLE

pytestmark = pytest.mark.django_db

PEOPLE_AND_PUBLIC = [email for email, *_ in PEOPLE] + [PUBLIC]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_loaded(django_db_blocker, tmp_path_factory.mktemp("media")):
        yield {}


@pytest.fixture(autouse=True)
def _fast_settings():
    """The module's settings hold for every test: the demo's files are in its media folder."""


def _id(person: str) -> str:
    return person.replace("@", " at ").removesuffix(".example")


def crawl_as(demo, person: str) -> Crawl:
    """The person's crawl, made once and kept for the module's other checks."""
    if person not in demo:
        demo[person] = Crawler(client_of(person)).run(demo_seeds())
    return demo[person]


@pytest.mark.parametrize("person", PEOPLE_AND_PUBLIC, ids=_id)
def test_every_link_and_form_offered_leads_somewhere_allowed(demo, person):
    crawl = crawl_as(demo, person)
    assert crawl.pages, f"{person} reached no page"
    assert [] == [str(f) for f in crawl.refusals()]


@pytest.mark.parametrize("person", PEOPLE_AND_PUBLIC, ids=_id)
def test_no_internal_id_is_shown_outside_a_details_disclosure(demo, person):
    crawl = crawl_as(demo, person)
    shown = sorted(
        {
            f"{kind}: {text} (on {url})"
            for url, page in crawl.pages.items()
            for kind, text in internal_ids(page.html)
        }
    )
    assert not shown, f"{len(shown)} internal ids on screen:\n" + "\n".join(shown)
