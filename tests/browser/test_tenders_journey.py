"""A supplier finds an opportunity, submits a file to an open round and keeps the receipt."""

from datetime import date, timedelta

import pytest
from cast import AUTHORITY_ROLES, PASSWORD, SUPPLIER_ROLES, make_org
from portal.tenders.sealed_files import pdf

from sanely import vault
from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.keys import signing_key
from sanely.portal.tenders.services import submission_round_open
from sanely.procedure import rulebook_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_round(transactional_db):
    wessex = make_org("Wessex County Council", "authority", AUTHORITY_ROLES, slug="wessex")
    moment = now() - timedelta(days=3)
    # Pinned to the real rulebook: a submission asks it whether the procurement has ended.
    rulebook = rulebook_for("england", date(2024, 10, 1))
    procurement = Procurement.objects.create(
        organisation=wessex.organisation,
        reference="IP-2026-WEB",
        title="Rural transport",
        nation="england",
        commenced_on=date(2024, 10, 1),
        rulebook_id=rulebook.id,
        rulebook_effective_from=rulebook.effective_from,
        rulebook_hash=rulebook.content_hash,
        state="requests_open",
        design={"need": {"need_statement": "Villagers cannot reach the clinic."}},
        published_at=moment,
        created_by=wessex.user(Role.PROCUREMENT_LEAD),
        created_at=moment,
        updated_at=moment,
    )
    return submission_round_open(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=procurement.pk,
        kind="rtp",
        number=1,
        deadline=now() + timedelta(days=2),
        now=now(),
    )


def test_a_supplier_submits_and_downloads_a_receipt(
    page, live_server, open_round, console_errors, axe_violations, tmp_path
):
    kestrel = make_org("Kestrel Mobility Ltd", "supplier", SUPPLIER_ROLES, slug="kestrel")
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(kestrel.user(Role.SUPPLIER_MEMBER).email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Opportunities").click()
    assert [] == axe_violations(page)
    page.get_by_role("link", name="Rural transport").click()
    assert [] == axe_violations(page)
    page.get_by_role("link", name="as Kestrel Mobility Ltd").click()
    assert page.get_by_text("Not yet submitted").first.is_visible()
    assert [] == axe_violations(page)
    (tmp_path / "proposal.pdf").write_bytes(pdf())
    page.get_by_label("File").set_input_files(str(tmp_path / "proposal.pdf"))
    page.get_by_role("button", name="Submit").click()
    assert page.get_by_text("proposal.pdf received").is_visible()
    assert page.get_by_text("Complete", exact=True).is_visible()
    assert [] == axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download receipt").click()
    receipt = download.value.path().read_bytes()
    checked = vault.receipt_verify(receipt, signing_key().public_pem)
    assert (1, "proposal.pdf") == (checked.version, checked.files[0].name)
    assert [] == console_errors
