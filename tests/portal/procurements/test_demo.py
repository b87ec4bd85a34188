"""The demo procurements: several states under three regimes, loaded once."""

import pytest

from sanely.portal.accounts.models import Organisation, User
from sanely.portal.core.clock import now
from sanely.portal.demo.load import demo_load
from sanely.portal.demo.procurements import demo_design
from sanely.portal.procurements.design import PhasesSection, section
from sanely.portal.procurements.engine import uk_date
from sanely.portal.procurements.models import Procurement
from sanely.portal.publication.models import PaymentsApproval

pytestmark = pytest.mark.django_db


def test_the_demo_has_procurements_in_several_states_under_three_regimes():
    demo_load(now=now())
    demo_load(now=now())
    assert {
        ("WCC-IP-2026-001", "pa-2023-cfp-ip", "participation"),
        ("WCC-IP-2026-002", "pa-2023-cfp-ip", "drafting"),
        ("WCC-IP-2024-003", "pcr-2015-reg31", "tendering"),
        ("WCC-IP-2024-004", "pcr-2015-reg31", "evaluation"),
        ("WCC-IP-2025-005", "pa-2023-cfp-ip", "standstill"),
        ("WCC-IP-2025-006", "pa-2023-cfp-ip", "gate_review"),
        ("WCC-IP-2025-007", "pa-2023-cfp-ip", "purchase"),
        ("WCC-IP-2025-008", "pa-2023-cfp-ip", "abandoned"),
        ("NHSL-IP-2026-001", "pcsr-2015-reg32", "requests_open"),
    } == set(Procurement.objects.values_list("reference", "rulebook_id", "state"))


def _keys(design):
    phases: PhasesSection = section(design, "phases")
    return [item.key for _, item in phases.keyed()]


def test_each_demo_procurement_keeps_the_keys_of_its_design_file():
    demo_load(now=now())
    for procurement in Procurement.objects.all():
        assert _keys(demo_design(procurement.reference)) == _keys(procurement.design)


def test_the_councils_payments_notice_is_complete_and_approved_for_its_last_ended_period(client):
    demo_load(now=now())
    demo_load(now=now())
    council = Organisation.objects.get(name="Wessex County Council")
    (approval,) = PaymentsApproval.objects.filter(organisation=council)
    assert approval.period_last < uk_date(now())
    client.force_login(User.objects.get(email="finance@wessex.example"))
    page = client.get(
        f"/publication/authorities/{council.pk}/payments", {"on": str(approval.period_first)}
    ).text
    assert "Margaret Hale, Director of Finance (section 151 officer)" in page
    assert "The notice cannot be published until it has" not in page
