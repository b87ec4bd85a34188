"""The procurement report: every part read from the record, gaps shown as not recorded."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from competition import DESIGN
from markdown_it import MarkdownIt
from portal.award.record import NOT_SELECTED_REASON, SENT_AT, STRENGTHS

from sanely.documents.wording import uk_date as written_date
from sanely.portal.accounts.models import Role
from sanely.portal.award.report import (
    NOT_RECORDED,
    WITHDRAWN,
    duty_of,
    procurement_report,
    report_markdown,
    three_years_after,
)
from sanely.portal.award.services import award_notify, contracts_conclude
from sanely.portal.competition.models import ConflictDeclaration, Standing
from sanely.portal.competition.services import participant_set
from sanely.portal.procurements.engine import UK
from sanely.portal.tenders.services import (
    round_opening_confirm,
    round_opening_request,
    submission_round_extend,
    submission_round_open,
)

pytestmark = pytest.mark.django_db

OPENED = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def awarded(wessex, record):
    """Notices sent on 19 March 2027 and contracts concluded after the standstill."""
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    award_notify(actor=lead, procurement_id=record.procurement.pk, now=SENT_AT)
    contracts_conclude(
        actor=lead, procurement_id=record.procurement.pk, now=SENT_AT + timedelta(days=14)
    )
    record.procurement.refresh_from_db()
    return record


def with_round(wessex, record):
    """A tender round, extended once with a reason, then opened by two people."""
    lead, commissioner = wessex.actor(Role.PROCUREMENT_LEAD), wessex.actor(Role.COMMISSIONER)
    opened = submission_round_open(
        actor=lead,
        procurement_id=record.procurement.pk,
        kind="rtp",
        number=1,
        deadline=OPENED + timedelta(days=14),
        now=OPENED,
    )
    submission_round_extend(
        actor=lead,
        round_id=opened.pk,
        new_deadline=OPENED + timedelta(days=16),
        reason="The portal was down for an afternoon.",
        platform_incident=True,
        now=OPENED + timedelta(days=3),
    )
    at = OPENED + timedelta(days=17)
    round_opening_request(actor=lead, round_id=opened.pk, now=at)
    round_opening_confirm(actor=commissioner, round_id=opened.pk, now=at)
    return record


def test_the_report_names_the_authority_the_rulebook_and_the_subject(wessex, pcr):
    report = procurement_report(awarded(wessex, pcr).procurement)
    assert ("Wessex County Council", "IP-2024-AWARD", "pcr-2015-reg31") == (
        report.authority,
        report.reference,
        report.rulebook,
    )
    assert report.regime.startswith("Public Contracts Regulations 2015")
    assert (Decimal("120000"), Decimal("400000"), Decimal("450000")) == (
        report.development_value,
        report.purchase_value,
        report.max_cost,
    )
    assert DESIGN["need"]["need_statement"] == report.subject


def test_the_report_holds_the_standings_outcomes_notices_standstill_and_contracts(wessex, pcr):
    report = procurement_report(awarded(wessex, pcr).procurement)
    standings = {s.supplier: (s.standing, s.reason) for s in report.standings}
    assert ("Not selected to tender", NOT_SELECTED_REASON) == standings["Curlew Analytics Ltd"]
    assert [
        (1, "Kestrel Mobility Ltd", True),
        (2, "Osprey Robotics Ltd", True),
        (3, "Heron Transit CIC", False),
    ] == [(o.rank, o.tenderer, o.recommended) for o in report.outcomes]
    assert list(STRENGTHS) == [o.strengths for o in report.successful]
    assert 5 == len(report.notices)
    assert (date(2027, 3, 19), date(2027, 3, 30), "PCR 2015 reg. 87(1), (2), (4), 2(4)") == (
        report.decision_notices_sent_on,
        report.standstill_last_day,
        report.standstill_rule,
    )
    assert [
        ("Kestrel Mobility Ltd", Decimal("400000.00")),
        ("Osprey Robotics Ltd", Decimal("360000.00")),
    ] == [(c.partner, c.tendered_price) for c in report.contracts]


def test_the_report_lists_lifecycle_actions_from_the_audit_trail(wessex, pcr):
    report = procurement_report(awarded(wessex, pcr).procurement)
    assert [
        ("procurement.notify_decision", "Procurement_Lead of Wessex County Council", SENT_AT),
        (
            "procurement.conclude_contracts",
            "Procurement_Lead of Wessex County Council",
            SENT_AT + timedelta(days=14),
        ),
    ] == [(a.action, a.by, a.at) for a in report.actions]
    assert "Send the award decision notices" == report.actions[0].label


def test_the_report_holds_rounds_extensions_and_the_opening(wessex, pcr):
    report = procurement_report(with_round(wessex, pcr).procurement)
    (found,) = report.rounds
    assert (OPENED + timedelta(days=16), "The portal was down for an afternoon.", True) == (
        found.deadline,
        found.extensions[0].reason,
        found.extensions[0].platform_incident,
    )
    assert (
        "Procurement_Lead of Wessex County Council",
        "Commissioner of Wessex County Council",
        OPENED + timedelta(days=17),
    ) == (found.opening_requested_by, found.opened_by, found.opened_at)


def test_the_report_shows_conflicts_and_justifications_recorded(wessex, pcr):
    pcr.procurement.justifications = {"PCR15-31-10": "Two phases suit a pilot of this size."}
    pcr.procurement.save()
    report = procurement_report(pcr.procurement)
    assert [("Evaluator of Wessex County Council", "Did not score Heron's tender", "design")] == [
        (c.person, c.mitigation, c.source) for c in report.conflicts
    ]
    assert [("PCR15-31-10", "PCR 2015 reg. 31(10)", "Two phases suit a pilot of this size.")] == [
        (j.rule, j.citation, j.justification) for j in report.justifications
    ]


def checklist(report):
    return {c.item: c for c in report.checklist}


def test_the_checklist_marks_what_the_record_does_not_hold_as_not_recorded(wessex, pcr):
    items = checklist(procurement_report(pcr.procurement))
    # No address for Wessex, no tender submitted through the portal, nothing awarded yet.
    assert "address not recorded" in items["(a)"].value
    for item in ("(g)", "(h)"):
        assert (False, NOT_RECORDED) == (items[item].recorded, items[item].value)
    assert items["(b)(ii)"].value.startswith("Curlew Analytics Ltd: " + NOT_SELECTED_REASON)
    assert "share to be subcontracted: not recorded" in items["(d)"].value


def test_the_checklist_after_the_award_cites_its_sources(wessex, pcr):
    items = checklist(procurement_report(with_round(wessex, awarded(wessex, pcr)).procurement))
    assert "Not applicable: contracts were concluded." == items["(g)"].value
    assert items["(e)"].value.startswith("Not applicable: Public Contracts Regulations 2015")
    assert "Evaluator of Wessex County Council: Former employee" in items["(i)"].value
    assert all(item.source for item in items.values())


def test_the_pa_report_counts_its_own_standstill(wessex, pa):
    report = procurement_report(awarded(wessex, pa).procurement)
    assert (date(2027, 4, 1), "Procurement Act 2023 s.51(1)-(2), s.123(1)") == (
        report.standstill_last_day,
        report.standstill_rule,
    )
    assert ["procurement.publish_award_notice", "procurement.enter_contracts"] == [
        a.action for a in report.actions
    ]


def test_the_markdown_download_carries_every_section(wessex, pcr):
    text = report_markdown(procurement_report(awarded(wessex, pcr).procurement))
    for line in (
        "# Procurement report: IP-2024-AWARD Demand-responsive rural transport",
        "## PCR 2015 reg. 84(1)",
        f"| Curlew Analytics Ltd | Not selected to tender | {NOT_SELECTED_REASON} |",
        "| 1 | Kestrel Mobility Ltd | 88.00 | £400,000.00 | yes |",
        "## Contracts",
    ):
        assert line in text


def test_selection_reasons_come_from_the_standing_history(wessex, pcr):
    participant_set(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement=pcr.procurement,
        organisation=pcr.heron.organisation,
        standing=Standing.INVITED,
        reason="Scored 12 of 15: above every minimum.",
        now=SENT_AT - timedelta(days=60),
    )
    report = procurement_report(awarded(wessex, pcr).procurement)
    assert "Heron Transit CIC: Scored 12 of 15: above every minimum." == (
        checklist(report)["(b)(i)"].value
    )
    assert [
        ("Tendering", "Scored 12 of 15: above every minimum."),
        ("Unsuccessful", "Ranked 3 of 3 with 70.25 points."),
    ] == [
        (c.standing, c.reason) for c in report.standing_changes if c.supplier == "Heron Transit CIC"
    ]


def test_without_a_recorded_selection_reason_the_selection_is_not_recorded(wessex, pcr):
    item = checklist(procurement_report(awarded(wessex, pcr).procurement))["(b)(i)"]
    assert (False, NOT_RECORDED) == (item.recorded, item.value)


def test_the_evaluators_declarations_are_reported_and_a_conflict_is_item_i(wessex, pcr):
    for role, conflict, details in (
        (Role.EVALUATOR, True, "My brother works for Osprey Robotics Ltd."),
        (Role.COMMISSIONER, False, ""),
    ):
        ConflictDeclaration.objects.create(
            procurement=pcr.procurement,
            evaluator=wessex.user(role),
            conflict=conflict,
            details=details,
            scores=not conflict,
            declared_at=OPENED,
            tenderers=[{"id": pcr.osprey.organisation.pk, "name": "Osprey Robotics Ltd"}],
        )
    report = procurement_report(pcr.procurement)
    assert [
        (
            "Evaluator of Wessex County Council",
            "My brother works for Osprey Robotics Ltd.",
            WITHDRAWN,
            OPENED,
        ),
        (
            "Commissioner of Wessex County Council",
            "No conflict with Osprey Robotics Ltd",
            "none needed",
            OPENED,
        ),
    ] == [(c.person, c.interest, c.mitigation, c.declared_at) for c in report.conflicts[1:]]
    item = checklist(report)["(i)"].value
    assert "My brother works for Osprey Robotics Ltd." in item
    assert "Commissioner" not in item


def test_the_markdown_download_shows_recorded_html_and_links_as_text(wessex, pcr):
    participant_set(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement=pcr.procurement,
        organisation=pcr.heron.organisation,
        standing=Standing.INVITED,
        reason='<img src=x onerror="alert(1)"> see [terms](javascript:alert(2)) *now*',
        now=SENT_AT - timedelta(days=60),
    )
    pcr.procurement.title = "Transport <script>alert(3)</script>"
    pcr.procurement.save(update_fields=["title"])
    text = report_markdown(procurement_report(awarded(wessex, pcr).procurement))
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<img" not in html
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<em>" not in html
    assert "Transport &lt;script&gt;alert(3)&lt;/script&gt;" in html
    assert (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; see [terms](javascript:alert(2)) *now*"
        in html
    )


def test_the_act_report_keeps_the_records_section_98_asks_for(wessex, pa):
    report = procurement_report(awarded(wessex, pa).procurement)
    assert "Procurement Act 2023 s.98" == report.duty
    items = checklist_rows(report)
    assert ["s.98(1)-(2)"] * 4 + ["s.98(3)", "s.98(4)"] == [item for item, _ in items]
    concluded = (SENT_AT + timedelta(days=14)).astimezone(UK).date()
    kept = dict(items)["s.98(4)"]
    assert kept.startswith(f"Until {written_date(three_years_after(concluded))}: three years")
    markdown = report_markdown(report)
    assert "## Procurement Act 2023 s.98" in markdown
    assert "reg. 84" not in markdown


def checklist_rows(report):
    return [(c.item, c.value) for c in report.checklist]


@pytest.mark.parametrize(
    ("rulebook", "duty"),
    [
        ("pcr-2015-reg31", "PCR 2015 reg. 84(1)"),
        ("pcsr-2015-reg32", "PCSR 2015 reg. 83(1)"),
        ("eu-2014-24-art31", "Directive 2014/24/EU Art. 84(1)"),
        ("pa-2023-cfp-ip", "Procurement Act 2023 s.98"),
    ],
)
def test_each_regime_names_its_own_record_keeping_duty(rulebook, duty):
    assert duty == duty_of(rulebook)


@pytest.mark.parametrize(
    ("entered", "last_day"),
    [(date(2027, 4, 2), date(2030, 4, 1)), (date(2028, 2, 29), date(2031, 2, 28))],
)
def test_records_are_kept_for_three_years_beginning_with_the_contract(entered, last_day):
    assert last_day == three_years_after(entered)
