"""
The partnership routes' cases for tests/portal/test_organisation_isolation.py: Mercia (another
authority), Plover (a supplier with no part in it), Heron (an unsuccessful tenderer) and the
other partner never reach a partner's plan.
"""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from portal.award.isolation import outsiders, world

from sanely.portal.accounts.models import Role
from sanely.portal.award.models import Contract
from sanely.portal.core.clock import now
from sanely.portal.partnerships.models import (
    Acceptance,
    Claim,
    ContractChange,
    Evidence,
    GateDecision,
    GateReview,
    Observation,
    PerformanceAssessment,
    TerminationNotice,
)
from sanely.portal.partnerships.services import (
    acceptance_record,
    claim_submit,
    evidence_submit,
    gate_open,
)

PARTNERSHIPS_PUBLIC: dict[str, str] = {}


def case_partnership(wessex, mercia):
    w = world(wessex)
    heron = w.record.heron
    for browser, client in [
        *outsiders(w, mercia)[:2],
        (heron.client(Role.SUPPLIER_ADMIN), heron.token_client(Role.SUPPLIER_ADMIN)),
    ]:
        page = browser.get(f"/partnerships/procurements/{w.procurement_id}/")
        api = client.get(f"/api/v1/partnerships/{w.procurement_id}")
        assert {404} == {page.status_code, api.status_code}


def case_plan(wessex, mercia):
    w = world(wessex)
    osprey = Contract.objects.get(partner=w.record.osprey.organisation)
    heron = w.record.heron
    # Kestrel, the other partner, is the last of the outsiders.
    for browser, client in [
        *outsiders(w, mercia),
        (heron.client(Role.SUPPLIER_ADMIN), heron.token_client(Role.SUPPLIER_ADMIN)),
    ]:
        page = browser.get(f"/partnerships/contracts/{osprey.pk}/plan")
        api = client.get(f"/api/v1/contracts/{osprey.pk}/plan")
        assert {404} == {page.status_code, api.status_code}
        assert "Prototype" not in page.text + api.text


def _strangers(w, mercia):
    """Everyone who may not touch Osprey's contract: the outsiders (Kestrel last) and Heron."""
    heron = w.record.heron
    return [
        *outsiders(w, mercia),
        (heron.client(Role.SUPPLIER_ADMIN), heron.token_client(Role.SUPPLIER_ADMIN)),
    ]


def _osprey(w) -> Contract:
    return Contract.objects.get(partner=w.record.osprey.organisation)


def _data() -> SimpleUploadedFile:
    return SimpleUploadedFile("data.csv", b"value\n1\n0\n", "text/csv")


def case_progress(wessex, mercia):
    w = world(wessex)
    for _, client in _strangers(w, mercia):
        api = client.get(f"/api/v1/contracts/{_osprey(w).pk}/progress")
        assert 404 == api.status_code
        assert "Prototype" not in api.text


def case_evidence(wessex, mercia):
    w = world(wessex)
    contract = _osprey(w)
    for browser, client in _strangers(w, mercia):
        form = {"target_key": "target-on-time"}
        page = browser.post(
            f"/partnerships/contracts/{contract.pk}/evidence", {**form, "data_file": _data()}
        )
        api = client.post(f"/api/v1/contracts/{contract.pk}/evidence", {**form, "data": _data()})
        assert {404} == {page.status_code, api.status_code}
    assert 0 == Evidence.objects.count()


def case_validation(wessex, mercia):
    w = world(wessex)
    osprey = w.record.osprey
    delivered = evidence_submit(
        actor=osprey.actor(Role.SUPPLIER_ADMIN),
        contract_id=_osprey(w).pk,
        target_key="target-on-time",
        data=_data(),
        now=now(),
    )
    for browser, client in _strangers(w, mercia):
        page = browser.post(
            f"/partnerships/evidence/{delivered.pk}/validation", {"validation": "authority"}
        )
        api = client.post(
            f"/api/v1/evidence/{delivered.pk}/validation",
            {"validation": "authority"},
            content_type="application/json",
        )
        assert {404} == {page.status_code, api.status_code}
    delivered.refresh_from_db()
    assert "self_reported" == delivered.validation


def case_acceptance(wessex, mercia):
    w = world(wessex)
    contract = _osprey(w)
    body = {"name": "Prototype", "passed": True, "instalment_key": "instalment-accepted"}
    for browser, client in _strangers(w, mercia):
        page = browser.post(
            f"/partnerships/contracts/{contract.pk}/acceptances",
            {"name": "Prototype", "passed": "on", "subject": "instalment:instalment-accepted"},
        )
        api = client.post(
            f"/api/v1/contracts/{contract.pk}/acceptances", body, content_type="application/json"
        )
        assert {404} == {page.status_code, api.status_code}
    assert 0 == Acceptance.objects.count()


def case_gate_open(wessex, mercia):
    w = world(wessex)
    for browser, client in _strangers(w, mercia)[:2]:
        page = browser.post(
            f"/partnerships/procurements/{w.procurement_id}/gates", {"phase_key": "phase-prototype"}
        )
        api = client.post(
            f"/api/v1/partnerships/{w.procurement_id}/gates",
            {"phase_key": "phase-prototype"},
            content_type="application/json",
        )
        assert {404} == {page.status_code, api.status_code}
    assert 0 == GateReview.objects.count()


def _review(w, wessex) -> GateReview:
    return gate_open(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=w.procurement_id,
        phase_key="phase-prototype",
        now=now(),
    )


def case_gate(wessex, mercia):
    w = world(wessex)
    review = _review(w, wessex)
    for browser, client in [*_strangers(w, mercia)[:2], _strangers(w, mercia)[-1]]:
        page = browser.get(f"/partnerships/gates/{review.pk}")
        api = client.get(f"/api/v1/gates/{review.pk}")
        assert {404} == {page.status_code, api.status_code}
    # Kestrel, a partner reviewed at the gate, sees its own standing and never Osprey's.
    browser, client = outsiders(w, mercia)[-1]
    seen = (
        browser.get(f"/partnerships/gates/{review.pk}").text
        + client.get(f"/api/v1/gates/{review.pk}").text
    )
    assert "Kestrel" in seen
    assert "Osprey" not in seen


def case_gate_report(wessex, mercia):
    w = world(wessex)
    review = _review(w, wessex)
    body = {"contract_id": _osprey(w).pk, "report": "Not mine to write."}
    for browser, client in _strangers(w, mercia):
        page = browser.post(f"/partnerships/gates/{review.pk}/report", body)
        api = client.post(
            f"/api/v1/gates/{review.pk}/reports", body, content_type="application/json"
        )
        assert {404} == {page.status_code, api.status_code}
    review.refresh_from_db()
    assert {} == review.record["reports"]


def case_gate_decide(wessex, mercia):
    w = world(wessex)
    review = _review(w, wessex)
    contracts = Contract.objects.filter(procurement_id=w.procurement_id)
    body = {
        "reasons": "Ours to decide?",
        "decisions": [
            {"contract_id": c.pk, "outcome": "continue", "reasons": "No."} for c in contracts
        ],
    }
    for browser, client in _strangers(w, mercia):
        page = browser.post(f"/partnerships/gates/{review.pk}/decision", {"reasons": "No."})
        api = client.post(
            f"/api/v1/gates/{review.pk}/decision", body, content_type="application/json"
        )
        assert {page.status_code, api.status_code} <= {403, 404}
    assert 0 == GateDecision.objects.count()


def _osprey_claim(w, wessex) -> Claim:
    """A claim by Osprey for its accepted prototype."""
    acceptance_record(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        contract_id=_osprey(w).pk,
        name="Prototype v1",
        passed=True,
        instalment_key="instalment-accepted",
        now=now(),
    )
    return claim_submit(
        actor=w.record.osprey.actor(Role.SUPPLIER_ADMIN),
        contract_id=_osprey(w).pk,
        instalment_key="instalment-accepted",
        amount=Decimal(80000),
        invoice_reference="OSP-1",
        now=now(),
    )


def case_claims(wessex, mercia):
    w = world(wessex)
    claim = _osprey_claim(w, wessex)
    for browser, client in _strangers(w, mercia):
        listed = client.get(f"/api/v1/contracts/{_osprey(w).pk}/claims")
        assert 404 == listed.status_code
        page = browser.get(f"/partnerships/procurements/{w.procurement_id}/claims")
        assert "OSP-1" not in page.text
        csv = browser.get(f"/partnerships/procurements/{w.procurement_id}/claims.csv")
        assert csv.status_code in {403, 404}
    assert "submitted" == Claim.objects.get(pk=claim.pk).status


def case_claim_create(wessex, mercia):
    w = world(wessex)
    body = {"instalment_key": "instalment-accepted", "amount": "1", "invoice_reference": "X"}
    for browser, client in _strangers(w, mercia):
        page = browser.post(f"/partnerships/contracts/{_osprey(w).pk}/claims", body)
        api = client.post(
            f"/api/v1/contracts/{_osprey(w).pk}/claims", body, content_type="application/json"
        )
        assert {404} == {page.status_code, api.status_code}
    assert 0 == Claim.objects.count()


def case_claim_decisions(wessex, mercia):
    w = world(wessex)
    claim = _osprey_claim(w, wessex)
    for browser, client in _strangers(w, mercia):
        page = browser.post(f"/partnerships/claims/{claim.pk}/decision", {"decision": "approve"})
        answer = browser.post(f"/partnerships/claims/{claim.pk}/answer", {"answer": "Mine."})
        assert {404} == {page.status_code, answer.status_code}
        for route, body in (
            ("approval", None),
            ("query", {"query": "Why?"}),
            ("answer", {"answer": "Mine."}),
            ("rejection", {"reasons": "No."}),
            ("payment", {"paid_on": "2026-12-01", "payment_reference": "X"}),
        ):
            api = client.post(
                f"/api/v1/claims/{claim.pk}/{route}", body, content_type="application/json"
            )
            assert 404 == api.status_code, route
    assert "submitted" == Claim.objects.get(pk=claim.pk).status


def case_changes(wessex, mercia):
    w = world(wessex)
    body = {
        "ground": "not_substantial",
        "reason": "Mine to make?",
        "changes": [{"phase_key": "phase-prototype", "duration_months": 7}],
    }
    for browser, client in _strangers(w, mercia):
        page = browser.post(
            f"/partnerships/contracts/{_osprey(w).pk}/changes",
            {"ground": "not_substantial", "phase_key": "phase-prototype", "reason": "Mine?"},
        )
        api = client.post(
            f"/api/v1/contracts/{_osprey(w).pk}/changes", body, content_type="application/json"
        )
        listed = client.get(f"/api/v1/contracts/{_osprey(w).pk}/changes")
        dues = client.get(f"/api/v1/contracts/{_osprey(w).pk}/dues")
        assert {404} == {page.status_code, api.status_code, listed.status_code, dues.status_code}
    assert 0 == ContractChange.objects.count()


def case_dashboard(wessex, mercia):
    w = world(wessex)
    title = w.record.procurement.title
    for browser, _ in _strangers(w, mercia):
        page = browser.get("/partnerships/")
        assert 200 == page.status_code
        assert title not in page.text


def case_performance(wessex, mercia):
    w = world(wessex)
    url = f"/api/v1/contracts/{_osprey(w).pk}"
    period = {"period_start": "2026-10-01", "period_end": "2026-10-31"}
    observation = {
        **period,
        "kind": "kpi",
        "measure": "On-time trips",
        "observed": "90%",
        "met": True,
    }
    for browser, client in _strangers(w, mercia):
        pages = [
            browser.post(f"/partnerships/contracts/{_osprey(w).pk}/observations", period),
            browser.post(f"/partnerships/contracts/{_osprey(w).pk}/assessments", period),
        ]
        apis = [
            client.post(f"{url}/observations", observation, content_type="application/json"),
            client.post(
                f"{url}/assessments",
                {**period, "ratings": {"On-time trips": "good"}},
                content_type="application/json",
            ),
            client.get(f"{url}/observations"),
            client.get(f"{url}/assessments"),
        ]
        assert {404} == {r.status_code for r in pages + apis}
    assert 0 == Observation.objects.count() == PerformanceAssessment.objects.count()


def case_termination(wessex, mercia):
    w = world(wessex)
    url = f"/partnerships/contracts/{_osprey(w).pk}"
    notice = {"route": "implied_term", "ground": "supplier_excluded", "reasons": "Mine?"}
    notice["representations_by"] = "2099-01-01"
    for browser, client in _strangers(w, mercia):
        statuses = {
            browser.post(f"{url}/termination-notices", notice).status_code,
            browser.post(f"{url}/termination", {}).status_code,
            client.post(
                f"/api/v1/contracts/{_osprey(w).pk}/termination-notices",
                notice,
                content_type="application/json",
            ).status_code,
            client.post(
                f"/api/v1/contracts/{_osprey(w).pk}/termination",
                {},
                content_type="application/json",
            ).status_code,
        }
        assert {404} == statuses
    assert 0 == TerminationNotice.objects.count()


PARTNERSHIPS_CASES: dict[str, object] = {
    "partnerships:dashboard": case_dashboard,
    "partnerships:partnership": case_partnership,
    "api:partnership_detail": case_partnership,
    "partnerships:plan": case_plan,
    "api:plan_detail": case_plan,
    "api:progress_detail": case_progress,
    "partnerships:evidence": case_evidence,
    "api:evidence_create": case_evidence,
    "partnerships:validate": case_validation,
    "api:evidence_validation": case_validation,
    "partnerships:acceptance": case_acceptance,
    "api:acceptance_create": case_acceptance,
    "partnerships:gate_open": case_gate_open,
    "api:gate_create": case_gate_open,
    "partnerships:gate": case_gate,
    "api:gate_detail": case_gate,
    "partnerships:gate_report": case_gate_report,
    "api:gate_report": case_gate_report,
    "partnerships:gate_decide": case_gate_decide,
    "api:gate_decision": case_gate_decide,
    "partnerships:claims": case_claims,
    "partnerships:claims_csv": case_claims,
    "api:claim_list": case_claims,
    "partnerships:claim": case_claim_create,
    "api:claim_create": case_claim_create,
    "partnerships:claim_decide": case_claim_decisions,
    "partnerships:claim_answer": case_claim_decisions,
    "api:claim_query": case_claim_decisions,
    "api:claim_answer": case_claim_decisions,
    "api:claim_approval": case_claim_decisions,
    "api:claim_rejection": case_claim_decisions,
    "api:claim_payment": case_claim_decisions,
    "partnerships:change": case_changes,
    "api:change_create": case_changes,
    "api:change_list": case_changes,
    "api:due_list": case_changes,
    "partnerships:observation": case_performance,
    "partnerships:assessment": case_performance,
    "api:observation_create": case_performance,
    "api:observation_list": case_performance,
    "api:performance_assessment_create": case_performance,
    "api:performance_assessment_list": case_performance,
    "partnerships:termination_notice": case_termination,
    "partnerships:termination": case_termination,
    "api:termination_notice_create": case_termination,
    "api:contract_termination": case_termination,
}
