"""
The Act's notices after award read whole on their public pages and on the authority's review:
the contract performance notice (UK9), the contract change notice (UK10) and the contract
termination notice (UK11), each from a partnership played through the services, published
through the review, with every item its regulation requires in words, and nothing of it that is
withheld, kept back or still waiting for review.
"""

import copy
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from portal.partnerships.world import PARTNERSHIP_DESIGN, partnership_world
from portal.publication.world import fact, review_all, run

from sanely.documents import to_json
from sanely.documents.letters import contract_termination_notice
from sanely.documents.letters.notice import Contract, Enquiries, Party
from sanely.documents.wording import uk_date as written
from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.partnerships.models import ContractEnd
from sanely.portal.partnerships.services import (
    PhaseChange,
    assessment_record,
    contract_change,
    contract_terminate,
    observation_record,
    termination_notify,
)
from sanely.portal.procurements.engine import uk_date
from sanely.portal.procurements.models import Procurement
from sanely.portal.publication.models import Fact, FactStatus, Release
from sanely.portal.publication.services import fact_review
from sanely.portal.publication.sources import months_after
from sanely.portal.publication.typed_notices import typed_notice

pytestmark = pytest.mark.django_db

# Each KPI of the contract with how it was rated and what was observed.
KPIS = {
    "On-time trips": ("requires_improvement", "71% of 1,180 trips on time"),
    "Passenger satisfaction": ("good", "4.6 of 5 from 312 passengers"),
    "Cost per passenger trip": ("approaching_target", "£9.40 a trip against £9.00"),
}
CHANGE_REASON = "Four more villages join the pilot, with two more months of running."


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def typed(page: str, name: str) -> str:
    """The notice's own section of a notice page: from its heading to the open data."""
    start = page.index(f" {name} ")
    return page[start : page.index("In the open data", start)]


def _design():
    design = copy.deepcopy(PARTNERSHIP_DESIGN)
    design["purchase"]["kpis"] = list(KPIS)
    return design


def _assessed(wessex):
    """Kestrel's KPIs observed and rated for the last two months, the facts found."""
    w = partnership_world(wessex, design=_design())
    lead, contract = wessex.actor(Role.PROCUREMENT_LEAD), w.contract(w.record.kestrel)
    today = uk_date(now())
    for kpi, (rating, observed) in KPIS.items():
        observation_record(
            actor=lead,
            contract_id=contract.pk,
            kind="kpi",
            measure=kpi,
            period_start=today - timedelta(days=40),
            period_end=today - timedelta(days=10),
            observed=observed,
            met=rating == "good",
            now=now(),
        )
    assessment_record(
        actor=lead,
        contract_id=contract.pk,
        period_start=today - timedelta(days=60),
        period_end=today,
        ratings={kpi: rating for kpi, (rating, _) in KPIS.items()},
        now=now(),
    )
    run(w.procurement_id)
    return w, contract


def _ocid(w) -> str:
    return Release.objects.filter(procurement_id=w.procurement_id).first().ocid


def test_the_contract_performance_notice_gives_every_item_reg_39_asks_for(wessex):
    w, contract = _assessed(wessex)
    review_all(wessex, w.procurement_id)
    today = uk_date(now())
    page = text(Client().get(f"/open/{_ocid(w)}/notices/assessment-{contract.rank}-1-kpi-2"))
    notice = typed(page, "Contract performance notice")
    for words in (
        f"Contracting authority {wessex.organisation.name}",
        f"Procurement {w.record.procurement.title}",
        f"Suppliers assessed {w.record.kestrel.organisation.name}",
        f"Period assessed {written(today - timedelta(days=60))} to {written(today)}",
        "On-time trips Requires improvement: performance is below the indicator."
        " Observed: 71% of 1,180 trips on time",
        "Passenger satisfaction Good: performance meets or exceeds the indicator."
        " Observed: 4.6 of 5 from 312 passengers",
        "Cost per passenger trip Approaching target: performance is close to meeting the"
        " indicator. Observed: £9.40 a trip against £9.00",
        "Published under Procurement Act 2023, section 71(2);"
        " the Procurement Regulations 2024, regulation 39",
    ):
        assert words in notice, words
    for internal in (w.record.procurement.reference, "contract-", "approaching_target", "s.71"):
        assert internal not in notice, internal


def test_a_rating_kept_back_or_not_yet_reviewed_is_not_on_a_published_kpis_page(wessex):
    w, contract = _assessed(wessex)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    key = f"assessment-{contract.rank}-1-kpi-"
    waiting = Fact.objects.filter(
        procurement_id=w.procurement_id, status=FactStatus.AWAITING_REVIEW
    ).exclude(key__in=(f"{key}2", f"{key}3"))
    for one in waiting:
        fact_review(actor=lead, fact_id=one.pk, publish=True, now=now())
    fact_review(
        actor=lead,
        fact_id=fact(w.procurement_id, f"{key}2").pk,
        publish=False,
        ground="pa-sensitive-commercial",
        explanation="The survey is still being checked.",
        now=now(),
    )
    run(w.procurement_id)
    page = text(Client().get(f"/open/{_ocid(w)}/notices/{key}1"))
    notice = typed(page, "Contract performance notice")
    assert "On-time trips Requires improvement" in notice
    # Kept back (KPI 2) and still waiting for review (KPI 3): neither rating nor observation.
    for words in ("Passenger satisfaction", "4.6 of 5", "Cost per passenger trip", "£9.40"):
        assert words not in page, words
    # The authority reviewing KPI 3 reads the whole notice.
    review = text(
        wessex.client(Role.PROCUREMENT_LEAD).get(
            f"/publication/facts/{fact(w.procurement_id, f'{key}3').pk}/review"
        )
    )
    assert "Passenger satisfaction Good" in review
    assert "Cost per passenger trip Approaching target" in review


def _changed(wessex):
    """Kestrel's pilot grows by £60,000 and two months on the additional-supplies ground."""
    w = partnership_world(wessex)
    contract = w.contract(w.record.kestrel)
    contract_change(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        contract_id=contract.pk,
        ground="additional",
        reason=CHANGE_REASON,
        changes=[PhaseChange("phase-pilot", max_value=Decimal("260000"), duration_months=8)],
        justification="The same vehicles and booking system serve the new villages.",
        change_notice_published_on=uk_date(now()),
        now=now(),
    )
    run(w.procurement_id)
    return w, contract


def test_the_contract_change_notice_gives_every_item_reg_40_asks_for(wessex):
    w, contract = _changed(wessex)
    review_all(wessex, w.procurement_id)
    key = f"change-{contract.rank}-1"
    assert "contract_change_notice" == fact(w.procurement_id, key).notice["kind"]
    page = text(Client().get(f"/open/{_ocid(w)}/notices/{key}"))
    notice = typed(page, "Contract change notice")
    today = written(uk_date(now()))

    def ends(months):
        return months_after(contract.concluded_at, months).date()

    for words in (
        f"{wessex.organisation.name} intends to modify its contract with"
        f" {w.record.kestrel.organisation.name}.",
        f"Suppliers party to the contract {w.record.kestrel.organisation.name}",
        f"The change {CHANGE_REASON}",
        "Ground Additional goods, services or works from the same supplier"
        " (Schedule 8 paragraph 8)",
        "The provision that permits it Procurement Act 2023, section 74(1)(a),"
        " Schedule 8 paragraph 8(1)(a), (d)",
        "A permitted modification under Schedule 8 Yes",
        # £60,000 and £200,000 for the phases and £450,000 for the purchase; the pilot +£60,000.
        "Estimated value of the contract £710,000 before the change, £770,000 after it",
        # Ten months from today; twelve with the pilot's two more.
        f"End of the contract’s term {written(ends(10))} before the change,"
        f" {written(ends(12))} after it",
        f"Expected to be modified on {today}",
        f"Expected to take effect on {today}",
        "Voluntary standstill period None",
        "Conflicts assessment Prepared, kept under review and revised as necessary",
        "Published under Procurement Act 2023, section 75(1);"
        " the Procurement Regulations 2024, regulation 40",
    ):
        assert words in notice, words
    # Its explanation is the change's own words, said once; the ground is named, never coded.
    assert "Why the change falls within it" not in notice
    assert "additional" not in notice


def test_a_withheld_contract_value_is_not_repeated_by_the_change_notice(wessex):
    w, contract = _changed(wessex)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    key = f"change-{contract.rank}-1"
    fact_review(
        actor=lead,
        fact_id=fact(w.procurement_id, key).pk,
        publish=True,
        withhold=["contracts.value", "contracts.amendments.value"],
        ground="pa-sensitive-commercial",
        explanation="The new price is still being negotiated with the other partners.",
        now=now(),
    )
    review_all(wessex, w.procurement_id)
    page = text(Client().get(f"/open/{_ocid(w)}/notices/{key}"))
    notice = typed(page, "Contract change notice")
    assert f"The change {CHANGE_REASON}" in notice
    assert "Estimated value" not in notice
    assert "£770,000" not in page


def _ended(wessex):
    """Heron's contract ended on an implied term after its representations were heard."""
    w = partnership_world(wessex)
    heron = w.contract(w.record.heron)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    termination_notify(
        actor=lead,
        contract_id=heron.pk,
        route="implied_term",
        ground="supplier_excluded",
        reasons="Heron was added to the debarment list on 1 December 2026.",
        representations_by=uk_date(now()) + timedelta(days=14),
        now=now(),
    )
    contract_terminate(actor=lead, contract_id=heron.pk, now=now() + timedelta(days=15))
    run(w.procurement_id)
    return w, heron


def test_the_contract_termination_notice_gives_every_item_reg_41_asks_for(wessex):
    w, heron = _ended(wessex)
    key = f"termination-{heron.rank}"
    review = text(
        wessex.client(Role.PROCUREMENT_LEAD).get(
            f"/publication/facts/{fact(w.procurement_id, key).pk}/review"
        )
    )
    review_all(wessex, w.procurement_id)
    ended = ContractEnd.objects.get(contract=heron)
    page = text(Client().get(f"/open/{_ocid(w)}/notices/{key}"))
    notice = typed(page, "Contract termination notice")
    for words in (
        f"{wessex.organisation.name} gives notice that its contract with"
        f" {w.record.heron.organisation.name} has ended.",
        f"Suppliers party to the contract {w.record.heron.organisation.name}",
        f"Date ended {written(ended.ended_on)}",
        "How it ended The authority ended it on grounds other than a gate option",
        f"Reasons {ended.reasons or ended.how}",
        "Estimated value of the contract £710,000",
        "Published under Procurement Act 2023, section 80(1);"
        " the Procurement Regulations 2024, regulation 41",
    ):
        assert words in notice, words
        # The authority read the same notice when it reviewed the termination.
        assert words in review, words


def test_a_contract_value_withheld_from_the_contract_is_not_given_by_its_termination_notice(
    wessex,
):
    w, heron = _ended(wessex)
    fact_review(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        fact_id=fact(w.procurement_id, f"contract-{heron.rank}").pk,
        publish=True,
        withhold=["contracts.value"],
        ground="pa-sensitive-commercial",
        explanation="It would show the partner's pricing to the other partners.",
        now=now(),
    )
    review_all(wessex, w.procurement_id)
    page = text(Client().get(f"/open/{_ocid(w)}/notices/termination-{heron.rank}"))
    notice = typed(page, "Contract termination notice")
    assert "Reasons Heron was added to the debarment list" in notice
    assert "Estimated value" not in notice


def test_a_breach_that_ended_a_contract_is_read_with_its_particulars():
    """sanely records no breach yet; a notice that carries one reads with each particular."""
    party = Party("Wessex County Council", "", "", "")
    ended = contract_termination_notice.Termination(
        contract=Contract(
            authority=party,
            enquiries=Enquiries(party.name, "", ""),
            procurement="Demand-responsive rural transport",
            procurement_id="IP-1",
            contract_id="contract-1",
            suppliers=(Party("Heron Transit", "", "", ""),),
            citation="Procurement Act 2023 s.80(1); SI 2024/692 reg 41",
        ),
        ending="other_grounds",
        reasons="Buses did not run.",
        ended_on=date(2026, 11, 30),
        value=Decimal("710000"),
        breach=contract_termination_notice.Breach(
            resulted_in="settlement",
            resulted_on=date(2026, 11, 20),
            failed_to_improve_on=None,
            obligation="To run the timetable",
            nature="Services missed",
            impact="Villages without buses",
            duration="Six weeks",
            mitigation="Taxis hired",
            warnings="Two warning notices",
            improvement="A new depot, too late",
            paid=contract_termination_notice.Paid(Decimal("12500.00"), "under a settlement", ""),
        ),
    )
    read = typed_notice(to_json(contract_termination_notice.build(ended)), {})
    assert read is not None
    rows = dict(read.rows)
    assert "A settlement agreement, on 20 November 2026" == rows["The breach resulted in"]
    assert "Services missed" == rows["Nature of the breach"]
    assert "£12,500, under a settlement" == rows["Damages or other money paid"]
    assert "Judged to have failed to improve on" not in rows


def test_a_change_notice_still_reads_when_its_rulebook_is_not_at_hand(wessex):
    w, contract = _changed(wessex)
    review_all(wessex, w.procurement_id)
    Procurement.objects.filter(pk=w.procurement_id).update(rulebook_hash="0" * 64)
    response = Client().get(f"/open/{_ocid(w)}/notices/change-{contract.rank}-1")
    assert 200 == response.status_code
    notice = typed(text(response), "Contract change notice")
    # The ground by its id, in words, without the rulebook's label.
    assert "Ground Additional The provision that permits it" in notice


@pytest.mark.parametrize(("ground", "noticed"), [("additional", True), ("not_substantial", False)])
def test_a_change_under_pcr_2015_carries_the_reg_72_modification_notice_where_due(
    wessex, ground, noticed
):
    w = partnership_world(wessex, reference="IP-PCR", commenced_on=date(2024, 6, 3))
    contract = w.contract(w.record.kestrel)
    contract_change(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        contract_id=contract.pk,
        ground=ground,
        reason=CHANGE_REASON,
        changes=[PhaseChange("phase-pilot", max_value=Decimal("205000"))],
        justification="The same vehicles and booking system serve the new villages.",
        change_notice_published_on=None,
        now=now(),
    )
    run(w.procurement_id)
    review_all(wessex, w.procurement_id)
    key = f"change-{contract.rank}-1"
    (amendment,) = fact(w.procurement_id, key).release["contracts"][0]["amendments"]
    assert amendment["rationale"].startswith("A change permitted by PCR 2015 reg. 72(1)")
    documents = fact(w.procurement_id, key).release["contracts"][0].get("documents", [])
    if not noticed:
        assert [] == documents
        return
    (notice,) = documents
    # The Regulations' notice, not one of the Act's: no UK notice type.
    assert ("contractNotice", "Contract modification notice") == (
        notice["documentType"],
        notice["title"],
    )
    assert "noticeType" not in notice
    page = text(Client().get(f"/open/{_ocid(w)}/notices/{key}"))
    assert CHANGE_REASON in page
