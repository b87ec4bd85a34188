"""The issue's legal scenarios and the procurement API, end to end through HTTP."""

from datetime import date, timedelta

import pytest

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.procurements import events as procurements_events
from sanely.portal.procurements.models import Procurement
from sanely.procedure import rulebook_for

pytestmark = pytest.mark.django_db
JUSTIFY = {"justification": "Reviewed by legal services; see file note 12."}
IN_2024 = date(2024, 6, 3)


def act(api, client, pid, event, body=None):
    return api(client, "post", f"/api/v1/procurements/{pid}/actions/{event}", body or JUSTIFY)


def refused(response, rule, citation=None):
    assert 409 == response.status_code, response.content
    body = response.json()
    assert ("rule_refused", rule) == (body["code"], body["rule"])
    assert citation in (None, body["citation"])
    assert body["message"]
    return body


def put_in_state(pid, state, **facts):
    Procurement.objects.filter(pk=pid).update(
        state=state, published_at="2026-01-05T10:00Z", **facts
    )


def test_requests_deadline_29_days_after_the_notice_is_refused_under_pcr_and_30_allowed(
    make_procurement, lead, api
):
    early = make_procurement(commenced_on=IN_2024, deadline_days=29)
    body = refused(
        act(api, lead, early, "submit_notice"), "PCR15-31-5", "PCR 2015 reg. 31(5), 2(3)(b), 2(4)"
    )
    assert "29 days after" in body["message"]
    assert "drafting" == Procurement.objects.get(pk=early).state

    lawful = make_procurement(commenced_on=IN_2024)
    response = act(api, lead, lawful, "submit_notice")
    assert 200 == response.status_code, response.content
    assert "requests_open" == response.json()["state"]


def test_pa_2023_standstill_counts_working_days_across_christmas_and_bank_holidays(client):
    response = client.get(
        "/api/v1/deadlines/standstill?regime=pa-2023-cfp-ip&from=2026-12-17&nation=england"
    )
    assert 200 == response.status_code
    # 8 working days beginning with Thu 17 Dec: 17, 18, 21, 22, 23, 24, 29, 30 (25, 28 holidays)
    assert ("2026-12-30", "PA23-51", "working days") == (
        response.json()["date"],
        response.json()["rule"],
        response.json()["counted"],
    )


def test_contracts_are_refused_while_the_pa_2023_standstill_runs(
    make_procurement, lead, today, api
):
    pid = make_procurement()
    put_in_state(
        pid, "standstill", decision_notices_sent_on=today, contract_award_notice_published_on=today
    )
    refused(
        act(api, lead, pid, "enter_contracts", JUSTIFY | {"partners": 2}),
        "PA23-51",
        "Procurement Act 2023 s.51(1)-(2), s.123(1)",
    )


def test_a_price_only_award_model_is_refused_under_pcr(make_procurement, lead, api):
    pid = make_procurement(
        commenced_on=IN_2024,
        award={
            "model": "lowest_price",
            "criteria": [
                {"name": "Price", "kind": "price", "weight": "90"},
                {"name": "Social value", "kind": "social_value", "weight": "10"},
            ],
        },
    )
    refused(act(api, lead, pid, "submit_notice"), "PCR15-31-8", "PCR 2015 reg. 31(8)")


def test_negotiating_in_the_final_tender_round_is_refused(make_procurement, lead, api):
    pid = make_procurement(commenced_on=IN_2024)
    put_in_state(pid, "tendering", rounds=[{"number": 1, "final": False}])
    assert 200 == act(api, lead, pid, "negotiate").status_code
    assert 200 == act(api, lead, pid, "invite_final_tenders").status_code
    refused(act(api, lead, pid, "negotiate"), "PCR15-31-13", "PCR 2015 reg. 31(13)")


def test_reducing_partners_when_not_announced_is_refused(make_procurement, lead, api):
    pid = make_procurement(commenced_on=IN_2024)
    put_in_state(pid, "gate_review", active_partners=3)
    body = JUSTIFY | {"partners": 2, "targets_assessment": "Partner C missed its target."}
    refused(act(api, lead, pid, "reduce_partners", body), "PCR15-31-12")


def test_under_the_act_reducing_partners_unannounced_needs_the_contracts_right(
    make_procurement, lead, api
):
    # Ending partner contracts is termination under the contract, not a Sch 8 modification: the
    # Act does not refuse it, so the authority justifies the contractual right it relies on.
    pid = make_procurement()
    put_in_state(pid, "gate_review", active_partners=3)
    body = JUSTIFY | {"partners": 2, "targets_assessment": "Partner C missed its target."}
    response = act(api, lead, pid, "reduce_partners", body)
    assert 200 == response.status_code, response.content
    assert JUSTIFY["justification"] == response.json()["justifications"]["PA23-GATE-EXIT"]


def test_negotiating_a_minimum_requirement_is_refused(make_procurement, lead, api):
    pid = make_procurement(commenced_on=IN_2024)
    put_in_state(pid, "tendering", rounds=[{"number": 1, "final": False}])
    body = JUSTIFY | {"proposed_changes": ["minimum_requirements"]}
    refused(act(api, lead, pid, "negotiate", body), "PCR15-31-14", "PCR 2015 reg. 31(14)")


def test_a_design_with_contradictions_shows_every_problem_and_saves_nothing(
    make_procurement, lead, today, api, lawful_design
):
    pid = make_procurement()
    before = Procurement.objects.get(pk=pid).design
    design = lawful_design(today)
    design["award"]["criteria"][0]["weight"] = "50"
    design["phases"]["items"][0]["targets"] = []
    design["timeline"]["requests_deadline"] = (today - timedelta(days=1)).isoformat()
    design["need"] = {"need_statement": "Changed, but the rest is wrong"}
    response = api(lead, "patch", f"/api/v1/procurements/{pid}", design)
    assert 400 == response.status_code
    body = response.json()
    assert "validation_failed" == body["code"]
    assert {"award.criteria", "phases.items[0].targets", "timeline.requests_deadline"} == set(
        body["detail"]
    )
    assert before == Procurement.objects.get(pk=pid).design


def test_a_wrongly_typed_section_is_422_naming_the_field(make_procurement, lead, api):
    pid = make_procurement()
    response = api(lead, "patch", f"/api/v1/procurements/{pid}", {"award": {"model": "cheapest"}})
    assert 422 == response.status_code
    assert ["award.model"] == list(response.json()["detail"])


def test_minimum_requirements_and_award_criteria_lock_at_publication(
    make_procurement, lead, api, lawful_design
):
    pid = make_procurement(commenced_on=IN_2024)
    assert 200 == act(api, lead, pid, "submit_notice").status_code
    url = f"/api/v1/procurements/{pid}"
    changed = {"minimum_requirements": {"items": ["Something else"]}}
    refused(api(lead, "patch", url, changed), "PCR15-31-14", "PCR 2015 reg. 31(14)")
    gates = {"gates": {"reduction_announced": True, "reduction_conditions": "Late addition"}}
    refused(api(lead, "patch", url, gates), "PCR15-31-12", "PCR 2015 reg. 31(12)")
    same = lawful_design(IN_2024)["minimum_requirements"]
    assert 200 == api(lead, "patch", url, {"minimum_requirements": same}).status_code
    other = {"confidentiality": {"terms": "Updated terms."}}
    assert 200 == api(lead, "patch", url, other).status_code


def test_pa_2023_locks_award_criteria_under_its_change_rule(make_procurement, lead, api):
    pid = make_procurement()
    assert 200 == act(api, lead, pid, "publish_tender_notice").status_code
    changed = {"award": {"model": "price_quality", "criteria": []}}
    body = refused(
        api(lead, "patch", f"/api/v1/procurements/{pid}", changed),
        "PA23-31/design",
        "Procurement Act 2023 s.31(1)-(6)",
    )
    assert "modify the notice under s.31 and republish or notify every supplier" in body["message"]


def test_a_warning_needs_a_justification_which_is_then_recorded(make_procurement, lead, api):
    pid = make_procurement(commenced_on=IN_2024)
    missing = act(api, lead, pid, "submit_notice", {"justification": " "})
    assert 400 == missing.status_code, missing.content  # a field to fill in
    body = missing.json()
    assert ("justification_required", "PCR15-31-3", "PCR 2015 reg. 31(3)") == (
        body["code"],
        body["rule"],
        body["citation"],
    )
    assert "justification" in body["detail"]
    response = act(api, lead, pid, "submit_notice")
    assert 200 == response.status_code
    assert JUSTIFY["justification"] == response.json()["justifications"]["PCR15-31-3"]


def test_an_unknown_event_names_the_events_of_the_rulebook(make_procurement, lead, api):
    response = act(api, lead, make_procurement(), "submit_notice")
    assert 400 == response.status_code
    assert "publish_tender_notice" in response.json()["detail"]["event"][0]


def test_an_event_the_state_does_not_allow_is_refused_by_the_lifecycle(make_procurement, lead, api):
    refused(
        act(api, lead, make_procurement(), "enter_contracts", JUSTIFY | {"partners": 1}),
        "LIFECYCLE",
    )


def test_a_pinned_procurement_keeps_the_rulebook_it_commenced_under(make_procurement, lead, api):
    pid = make_procurement(commenced_on=IN_2024)
    pcr = rulebook_for("england", IN_2024)
    detail = api(lead, "get", f"/api/v1/procurements/{pid}").json()
    assert {"id": pcr.id, "effective_from": "2015-02-26", "content_hash": pcr.content_hash} == (
        detail["rulebook"]
    )
    # Today England is under the Procurement Act, but this procurement still follows PCR 2015.
    allowed = [
        a["event"] for a in api(lead, "get", f"/api/v1/procurements/{pid}/next").json()["allowed"]
    ]
    assert "submit_notice" in allowed
    assert "publish_tender_notice" not in allowed


def test_what_happens_next_gives_state_actions_deadline_and_blockers(
    make_procurement, lead, today, api
):
    pid = make_procurement(conflicts={"assessment_complete": False})
    ahead = api(lead, "get", f"/api/v1/procurements/{pid}/next").json()
    assert "drafting" == ahead["state"]
    assert "publish_tender_notice" not in [a["event"] for a in ahead["allowed"]]
    blocker = next(r for r in ahead["refusals"] if r["event"] == "publish_tender_notice")
    assert ("PA23-83", "Procurement Act 2023 s.83(1)") == (blocker["rule"], blocker["citation"])
    assert "PA23-83" in {p["rule"] for p in ahead["design_problems"]}
    assert "abandon" in [a["event"] for a in ahead["allowed"]]

    published = make_procurement()
    assert 200 == act(api, lead, published, "publish_tender_notice").status_code
    ahead = api(lead, "get", f"/api/v1/procurements/{published}/next").json()
    deadline = ahead["next_deadline"]
    assert ("Requests to participate close", "PA23-54-PP") == (deadline["what"], deadline["rule"])
    # The design's deadline is the earliest PCR allows (30 days, rolled off non-working days).
    assert 29 * 86400 < deadline["seconds_left"] < 35 * 86400
    # The participation period is verified (issue 10), so closing early is refused.
    assert ("close_requests", "PA23-54-PP") in {(r["event"], r["rule"]) for r in ahead["refusals"]}


def test_every_write_is_an_audit_event(make_procurement, lead, wessex, api):
    pid = make_procurement(commenced_on=IN_2024)
    act(api, lead, pid, "submit_notice")
    actions = list(
        AuditEvent.objects.filter(subject_type="procurements.procurement", subject_id=str(pid))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert [
        procurements_events.PROCUREMENT_CREATED,
        procurements_events.PROCUREMENT_DESIGN_CHANGED,
        "procurement.submit_notice",
    ] == actions
    event = AuditEvent.objects.get(subject_id=str(pid), action="procurement.submit_notice")
    assert "PCR15-31-5" in event.payload["rules"]
    assert ("drafting", "requests_open") == (event.payload["from"], event.payload["to"])


def test_roles_read_and_write(make_procurement, wessex, kestrel, api):
    pid = make_procurement()
    url = f"/api/v1/procurements/{pid}"
    for role in (Role.EVALUATOR, Role.FINANCE_OFFICER, Role.AUDITOR):
        client = wessex.token_client(role)
        assert 200 == client.get(url).status_code
        assert 403 == api(client, "patch", url, {"confidentiality": {"terms": "x"}}).status_code
        assert 403 == act(api, client, pid, "abandon").status_code
    assert 200 == act(api, wessex.token_client(Role.COMMISSIONER), pid, "abandon").status_code
    assert 404 == kestrel.token_client(Role.SUPPLIER_ADMIN).get(url).status_code
    create = {"organisation_id": wessex.organisation.pk, "title": "Mine"}
    assert (
        403
        == api(
            wessex.token_client(Role.AUDITOR), "post", "/api/v1/procurements", create
        ).status_code
    )


def test_creating_needs_a_title_and_a_nation(wessex, lead, api):
    wessex.organisation.nation = ""
    wessex.organisation.save()
    body = {"organisation_id": wessex.organisation.pk, "title": " "}
    response = api(lead, "post", "/api/v1/procurements", body)
    assert 400 == response.status_code
    assert {"title", "organisation_id"} == set(response.json()["detail"])


def test_a_scottish_authority_procures_under_pcsr(db, api):
    from cast import AUTHORITY_ROLES, make_org

    lothian = make_org(
        "NHS Lothian", "authority", AUTHORITY_ROLES, slug="lothian", nation="scotland"
    )
    body = {"organisation_id": lothian.organisation.pk, "title": "Remote monitoring"}
    response = api(
        lothian.token_client(Role.PROCUREMENT_LEAD), "post", "/api/v1/procurements", body
    )
    assert "pcsr-2015-reg32" == response.json()["rulebook"]["id"]


def test_the_deadline_endpoint_is_public_and_names_the_question_it_cannot_answer(client):
    ok = client.get(
        "/api/v1/deadlines/requests-to-participate?regime=pcr-2015-reg31&from=2024-03-01"
    )
    assert ("2024-04-02", "PCR 2015 reg. 31(5), 2(3)(b), 2(4)") == (
        ok.json()["date"],
        ok.json()["citation"],
    )
    for query, field in [
        ("tendering?regime=pcr-2015-reg31&from=2024-03-01", "kind"),
        ("nonsense?regime=pcr-2015-reg31&from=2024-03-01", "kind"),
        ("standstill?regime=nowhere&from=2024-03-01", "regime"),
        ("standstill?regime=pcr-2015-reg31&from=2024-03-01&nation=mars", "nation"),
        ("standstill?regime=pcr-2015-reg31&from=2040-03-01", "from"),
        (
            "requests-to-participate?regime=pcr-2015-reg31&from=2024-03-01&circumstance=urgent",
            "circumstances",
        ),
    ]:
        response = client.get(f"/api/v1/deadlines/{query}")
        assert 400 == response.status_code, query
        assert [field] == list(response.json()["detail"]), query


def test_the_deadline_endpoint_takes_the_s54_circumstances_and_names_the_row(client):
    # An invitation to tender on Mon 1 Mar 2027, tenders only from pre-selected suppliers, by an
    # authority other than central government: 10 days (s.54(4)), so Thu 11 Mar.
    answer = client.get(
        "/api/v1/deadlines/tendering?regime=pa-2023-cfp-ip&from=2027-03-01"
        "&circumstance=preselected_only"
    ).json()
    assert ("2027-03-11", ["preselected_only"]) == (answer["date"], answer["circumstances"])
    assert answer["row"].startswith("awarded by a contracting authority that is not a central")


def test_a_pinned_procurement_never_runs_under_changed_rules(make_procurement, lead, api):
    pid = make_procurement(commenced_on=IN_2024)
    Procurement.objects.filter(pk=pid).update(rulebook_hash="0" * 64)
    response = api(lead, "get", f"/api/v1/procurements/{pid}/next")
    assert 409 == response.status_code
    assert "pcr-2015-reg31" in response.json()["message"]
    assert 409 == act(api, lead, pid, "submit_notice").status_code


def test_a_pa_2023_standstill_across_christmas_holds_the_contracts_until_it_ends(
    make_procurement, lead, api, monkeypatch
):
    from datetime import UTC, datetime

    from sanely.portal.procurements import apis

    pid = make_procurement()
    put_in_state(pid, "assessment")
    monkeypatch.setattr(apis, "now", lambda: datetime(2026, 12, 17, 10, tzinfo=UTC))
    published = act(
        api, lead, pid, "publish_award_notice", JUSTIFY | {"summaries_sent_on": "2026-12-16"}
    )
    assert "standstill" == published.json()["state"]
    # Eight working days beginning with Thu 17 Dec, skipping Christmas Day and Boxing Day
    # (Mon 28 Dec as substitute): the standstill's last day is Wed 30 Dec.
    monkeypatch.setattr(apis, "now", lambda: datetime(2026, 12, 30, 15, tzinfo=UTC))
    body = refused(act(api, lead, pid, "enter_contracts", JUSTIFY | {"partners": 2}), "PA23-51")
    assert "2026-12-30" in body["message"]
    monkeypatch.setattr(apis, "now", lambda: datetime(2026, 12, 31, 9, tzinfo=UTC))
    entered = act(api, lead, pid, "enter_contracts", JUSTIFY | {"partners": 2})
    assert ("partnership", 2) == (entered.json()["state"], entered.json()["active_partners"])


def test_phases_targets_and_instalments_get_keys_that_edits_keep(make_procurement, lead, api):
    pid = make_procurement()
    url = f"/api/v1/procurements/{pid}"
    phases = api(lead, "get", url).json()["design"]["phases"]
    [phase] = phases["items"]
    keys = [phase["key"], phase["targets"][0]["key"], phase["instalments"][0]["key"]]
    assert all(keys)
    assert len(set(keys)) == 3
    target = {"metric": "Users", "comparator": ">=", "threshold": "100"}
    added = {"name": "Scale", "duration_months": 6, "max_value": "1000", "targets": [target]}
    saved = api(lead, "patch", url, {"phases": {"items": [added, phase]}})
    assert 200 == saved.status_code, saved.content
    first, second = saved.json()["design"]["phases"]["items"]
    assert phase == second
    assert first["key"] not in keys
    assert first["targets"][0]["key"] not in keys
    planned = [p["target_key"] for p in saved.json()["target_planning"]]
    assert [first["targets"][0]["key"], phase["targets"][0]["key"]] == planned


def test_a_key_used_twice_is_refused_naming_the_field(make_procurement, lead, api):
    pid = make_procurement()
    url = f"/api/v1/procurements/{pid}"
    [phase] = api(lead, "get", url).json()["design"]["phases"]["items"]
    twice = {**phase, "instalments": [{**phase["instalments"][0], "key": phase["key"]}]}
    response = api(lead, "patch", url, {"phases": {"items": [twice]}})
    assert 400 == response.status_code
    assert ["phases.items[0].instalments[0].key"] == list(response.json()["detail"])
    [message] = response.json()["detail"]["phases.items[0].instalments[0].key"]
    instalment = f"Phase 1, instalment “{phase['instalments'][0]['description']}”"
    assert f"of {instalment} is already used by Phase 1:" in message
    badly_formed = {**phase, "key": "Phase One"}
    response = api(lead, "patch", url, {"phases": {"items": [badly_formed]}})
    assert 422 == response.status_code
    assert ["phases.items.0.key"] == list(response.json()["detail"])  # the schema check's path
    assert [phase] == api(lead, "get", url).json()["design"]["phases"]["items"]
