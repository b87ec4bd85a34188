"""
The partnership begins when the partner contracts are concluded: each partner's plan is copied
from the design with its keys, each target's analysis plan is fixed by hash, later design edits
never rewrite it, and a partner reads only its own plan.
"""

import pytest
from portal.award.isolation import world

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.audit.services import audit_verify
from sanely.portal.award.models import Contract
from sanely.portal.award.services import award_notify, contracts_conclude
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, NotFound
from sanely.portal.partnerships import events
from sanely.portal.partnerships.models import Instalment, Partnership, Phase, PlanVersion, Target
from sanely.portal.partnerships.selectors import access_partnership, access_plan
from sanely.portal.partnerships.services import spec_fingerprint
from sanely.portal.procurements.design import section
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.planning import target_spec

pytestmark = pytest.mark.django_db


def test_concluding_the_contracts_begins_the_partnership_with_each_partners_plan(wessex) -> None:
    w = world(wessex)
    contracts = list(Contract.objects.filter(procurement=w.record.procurement))
    assert 2 == len(contracts)
    assert 1 == Partnership.objects.filter(procurement=w.record.procurement).count()
    for contract in contracts:
        plan = access_plan(actor=wessex.actor(Role.AUDITOR), contract_id=contract.pk)
        assert [1] == [v.number for v in plan.versions]
        assert ["phase-prototype"] == [p.key for p in plan.phases]
        phase = plan.phases[0]
        assert ["target-on-time"] == [t.key for t in phase.targets.all()]
        assert ["instalment-accepted", "instalment-report"] == [
            i.key for i in phase.instalments.all()
        ]
    began = AuditEvent.objects.get(action=events.PARTNERSHIP_BEGAN)
    assert {str(c.pk) for c in contracts} == set(began.payload["plans"])
    assert audit_verify().intact


def test_each_targets_analysis_plan_is_fixed_by_its_hash(wessex) -> None:
    w = world(wessex)
    target = Target.objects.get(phase__version__contract__partner=w.record.kestrel.organisation)
    designed = section(w.record.procurement.design, "phases").items[0].targets[0]
    assert target_spec(designed) == target.spec
    assert spec_fingerprint(target.spec) == target.spec_sha256
    changed = {**target.spec, "target": {**target.spec["target"], "threshold": 0.5}}
    assert spec_fingerprint(changed) != target.spec_sha256


def test_editing_the_design_after_conclusion_never_rewrites_the_agreed_plan(wessex) -> None:
    w = world(wessex)
    procurement = w.record.procurement
    Procurement.objects.filter(pk=procurement.pk).update(
        design={**procurement.design, "phases": {"items": []}}
    )
    contract = Contract.objects.filter(procurement=procurement).first()
    plan = access_plan(actor=wessex.actor(Role.PROCUREMENT_LEAD), contract_id=contract.pk)
    assert ["Prototype"] == [p.name for p in plan.phases]


def test_a_plan_without_keys_concludes_nothing(wessex) -> None:
    w = world(wessex, concluded=False)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    procurement = w.record.procurement
    phases = procurement.design["phases"]["items"]
    keyless = {"items": [{k: v for k, v in p.items() if k != "key"} for p in phases]}
    Procurement.objects.filter(pk=procurement.pk).update(
        design={**procurement.design, "phases": keyless}
    )
    with pytest.raises(Conflict, match="without a key"):
        contracts_conclude(actor=lead, procurement_id=procurement.pk, now=now())
    assert 0 == Contract.objects.count() == Partnership.objects.count()
    assert 0 == PlanVersion.objects.count()


def test_a_partner_sees_its_own_plan_and_never_anothers(wessex) -> None:
    w = world(wessex)
    kestrel, osprey = (
        Contract.objects.get(partner=org.organisation)
        for org in (w.record.kestrel, w.record.osprey)
    )
    kestrel_actor = w.record.kestrel.actor(Role.SUPPLIER_ADMIN)
    assert kestrel == access_plan(actor=kestrel_actor, contract_id=kestrel.pk).contract
    with pytest.raises(NotFound):
        access_plan(actor=kestrel_actor, contract_id=osprey.pk)
    _, seen = access_partnership(actor=kestrel_actor, procurement_id=w.procurement_id)
    assert [kestrel] == seen
    _, all_seen = access_partnership(
        actor=wessex.actor(Role.FINANCE_OFFICER), procurement_id=w.procurement_id
    )
    assert {kestrel, osprey} == set(all_seen)


def test_the_api_shows_a_partner_its_plan_with_the_fixed_analysis(wessex) -> None:
    w = world(wessex)
    kestrel = Contract.objects.get(partner=w.record.kestrel.organisation)
    client = w.record.kestrel.token_client(Role.SUPPLIER_ADMIN)
    body = client.get(f"/api/v1/contracts/{kestrel.pk}/plan").json()
    target = body["phases"][0]["targets"][0]
    assert ("target-on-time", 64) == (target["key"], len(target["analysis_plan_sha256"]))
    assert [1] == [v["number"] for v in body["versions"]]
    listed = client.get(f"/api/v1/partnerships/{w.procurement_id}").json()
    assert [kestrel.pk] == [c["id"] for c in listed["contracts"]]


def test_no_partnership_before_the_contracts_are_concluded(wessex) -> None:
    w = world(wessex, notified=False, concluded=False)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    award_notify(actor=lead, procurement_id=w.procurement_id, now=now())
    with pytest.raises(NotFound):
        access_partnership(actor=lead, procurement_id=w.procurement_id)


def test_the_pages_show_the_authority_every_plan_and_a_partner_its_own(wessex) -> None:
    w = world(wessex)
    kestrel, osprey = (
        Contract.objects.get(partner=org.organisation)
        for org in (w.record.kestrel, w.record.osprey)
    )
    overview = wessex.client(Role.COMMISSIONER).get(
        f"/partnerships/procurements/{w.procurement_id}/"
    )
    assert 200 == overview.status_code
    assert f"/partnerships/contracts/{kestrel.pk}/plan" in overview.text
    assert f"/partnerships/contracts/{osprey.pk}/plan" in overview.text
    page = w.record.kestrel.client(Role.SUPPLIER_ADMIN).get(
        f"/partnerships/contracts/{kestrel.pk}/plan"
    )
    assert 200 == page.status_code
    assert "Prototype" in page.text
    assert "on_time_share" in page.text
    assert "phase-prototype" not in page.text  # keys are never shown to people


def test_the_award_pages_link_to_the_partnership_only_once_it_has_begun(wessex) -> None:
    w = world(wessex)
    contract = Contract.objects.get(partner=w.record.kestrel.organisation)
    lead = wessex.client(Role.PROCUREMENT_LEAD)
    plan_link = f"/partnerships/contracts/{contract.pk}/plan"
    assert (
        f"/partnerships/procurements/{w.procurement_id}/"
        in lead.get(f"/award/procurements/{w.procurement_id}/").text
    )
    assert plan_link in lead.get(f"/award/contracts/{contract.pk}").text
    # Contracts concluded before partnerships existed have none: no link that would lead nowhere.
    for model in (Target, Instalment, Phase, PlanVersion, Partnership):
        model.objects.all().delete()
    assert (
        f"/partnerships/procurements/{w.procurement_id}/"
        not in lead.get(f"/award/procurements/{w.procurement_id}/").text
    )
    assert plan_link not in lead.get(f"/award/contracts/{contract.pk}").text
