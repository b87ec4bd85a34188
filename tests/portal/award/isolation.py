"""
The award routes' cases for tests/portal/test_organisation_isolation.py: Mercia (another
authority), Plover (a supplier with no part in the competition) and, for contracts, Heron (an
unsuccessful tenderer) never reach Wessex's award, notices, report or a partner's contract, and
change nothing.
"""

from dataclasses import dataclass
from datetime import timedelta

from cast import SUPPLIER_ROLES, Org, make_org

from sanely.portal.accounts.models import Role
from sanely.portal.award.models import Contract
from sanely.portal.award.services import award_notify, contracts_conclude
from sanely.portal.competition.models import Letter
from sanely.portal.core.clock import now

from .record import Evaluated, evaluated

# Routes that hold no organisation's private data, and why.
AWARD_PUBLIC: dict[str, str] = {}

SECRET_STRENGTH = "The most detailed service design"


@dataclass
class World:
    record: Evaluated
    plover: Org

    @property
    def procurement_id(self) -> int:
        return self.record.procurement.pk


def world(wessex: Org, *, notified: bool = True, concluded: bool = True) -> World:
    """Wessex's evaluated procurement, notified 20 days ago and its contracts concluded."""
    record = evaluated(wessex, reference="IP-ISO-AWARD")
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    if notified:
        award_notify(actor=lead, procurement_id=record.procurement.pk, now=now() - timedelta(20))
    if concluded:
        contracts_conclude(actor=lead, procurement_id=record.procurement.pk, now=now())
    plover = make_org("Plover Ltd", "supplier", SUPPLIER_ROLES, slug="plover")
    return World(record, plover)


def outsiders(w: World, mercia: Org) -> list:
    """(browser, API client) of another authority, an outside supplier and a partner."""
    return [
        (mercia.client(Role.AUDITOR), mercia.token_client(Role.PROCUREMENT_LEAD)),
        (w.plover.client(Role.SUPPLIER_ADMIN), w.plover.token_client(Role.SUPPLIER_ADMIN)),
        (
            w.record.kestrel.client(Role.SUPPLIER_ADMIN),
            w.record.kestrel.token_client(Role.SUPPLIER_ADMIN),
        ),
    ]


def case_award(wessex, mercia):
    w = world(wessex)
    for browser, client in outsiders(w, mercia):
        page = browser.get(f"/award/procurements/{w.procurement_id}/")
        api = client.get(f"/api/v1/award/procurements/{w.procurement_id}")
        assert {404} == {page.status_code, api.status_code}
        assert SECRET_STRENGTH not in page.text + api.text


def case_notify(wessex, mercia):
    w = world(wessex, notified=False, concluded=False)
    for browser, client in outsiders(w, mercia):
        page = browser.post(f"/award/procurements/{w.procurement_id}/notify", {})
        api = client.post(
            f"/api/v1/award/procurements/{w.procurement_id}/notices",
            {},
            content_type="application/json",
        )
        assert {404} == {page.status_code, api.status_code}
    assert 0 == Letter.objects.count()


def case_conclude(wessex, mercia):
    w = world(wessex, concluded=False)
    for browser, client in outsiders(w, mercia):
        page = browser.post(f"/award/procurements/{w.procurement_id}/conclude")
        api = client.post(f"/api/v1/award/procurements/{w.procurement_id}/contracts")
        assert {404} == {page.status_code, api.status_code}
    assert 0 == Contract.objects.count()


def case_report(wessex, mercia):
    w = world(wessex)
    for browser, client in outsiders(w, mercia):
        page = browser.get(f"/award/procurements/{w.procurement_id}/report")
        download = browser.get(f"/award/procurements/{w.procurement_id}/report.md")
        api = client.get(f"/api/v1/award/procurements/{w.procurement_id}/report")
        assert {404} == {page.status_code, download.status_code, api.status_code}
        assert SECRET_STRENGTH not in page.text + download.text + api.text


def case_contract(wessex, mercia):
    w = world(wessex)
    ospreys = Contract.objects.get(partner=w.record.osprey.organisation)
    heron = w.record.heron
    for browser, client in [
        *outsiders(w, mercia),
        (heron.client(Role.SUPPLIER_ADMIN), heron.token_client(Role.SUPPLIER_ADMIN)),
    ]:
        page = browser.get(f"/award/contracts/{ospreys.pk}")
        api = client.get(f"/api/v1/award/contracts/{ospreys.pk}")
        assert {404} == {page.status_code, api.status_code}


def case_partner_contracts(wessex, mercia):
    w = world(wessex)
    kestrel_id = w.record.kestrel.organisation.pk
    for _, client in outsiders(w, mercia)[:2]:
        listed = client.get(f"/api/v1/award/contracts?organisation_id={kestrel_id}")
        assert 404 == listed.status_code
    osprey_id = w.record.osprey.organisation.pk
    kestrel = w.record.kestrel.token_client(Role.SUPPLIER_ADMIN)
    assert 404 == kestrel.get(f"/api/v1/award/contracts?organisation_id={osprey_id}").status_code


AWARD_CASES: dict[str, object] = {
    "award:procurement": case_award,
    "api:award_detail": case_award,
    "award:notify": case_notify,
    "api:award_notify": case_notify,
    "award:conclude": case_conclude,
    "api:award_contracts_conclude": case_conclude,
    "award:report": case_report,
    "award:report_download": case_report,
    "api:award_report": case_report,
    "award:contract": case_contract,
    "api:award_contract_detail": case_contract,
    "api:award_partner_contract_list": case_partner_contracts,
}
