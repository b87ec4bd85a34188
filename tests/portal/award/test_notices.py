"""Decision notices: who is sent one, what each says, the standings after, and every refusal."""

from datetime import date, datetime

import pytest
from competition import procurement_at
from portal.award.record import NOT_SELECTED_REASON, REDUCED_REASON, SENT_AT, STRENGTHS

from sanely.documents.letters.award_decision import KIND as AWARD_DECISION
from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.award import events as award_events
from sanely.portal.award.selectors import standstill
from sanely.portal.award.services import award_notify
from sanely.portal.competition.models import Letter, Participant, Standing
from sanely.portal.core.errors import Conflict, NotFound, PermissionDenied, RuleRefused
from sanely.portal.evaluation.models import EvaluationOutcome
from sanely.portal.procurements.engine import UK

pytestmark = pytest.mark.django_db


def notify(wessex, evaluated, role=Role.PROCUREMENT_LEAD, at=SENT_AT):
    return award_notify(actor=wessex.actor(role), procurement_id=evaluated.procurement.pk, now=at)


def letter_to(evaluated, org) -> Letter:
    return Letter.objects.get(procurement=evaluated.procurement, recipient=org.organisation)


def test_every_tenderer_and_every_other_candidate_is_sent_one_notice(wessex, pcr):
    letters = notify(wessex, pcr)
    assert sorted(o.organisation.name for o in pcr.suppliers) == sorted(
        letter.recipient.name for letter in letters
    )
    assert {AWARD_DECISION} == {letter.kind for letter in letters}


def test_the_winner_is_told_it_won_its_points_and_the_standstill(wessex, pcr):
    notify(wessex, pcr)
    content = letter_to(pcr, pcr.kestrel).facts
    assert "successful" == content["result"]
    assert [("Quality", "60"), ("Price", "30"), ("Social value", "10")] == [
        (c["name"], c["weight"]) for c in content["criteria"]
    ]
    assert ["54.00", "27.00", "7.00"] == [p["points"] for p in content["your_points"]]
    assert ("88.00", 1) == (content["your_total"], content["your_rank"])
    assert "" == content["reasons"]
    assert "2027-03-30" == content["standstill"]["last_day"]
    assert "procurement_lead@wessex.example" == content["contact"]["email"]


def test_a_losing_tenderer_is_told_its_points_the_winners_their_advantages_and_why(wessex, pcr):
    notify(wessex, pcr)
    letter = letter_to(pcr, pcr.heron)
    content = letter.facts
    assert "unsuccessful" == content["result"]
    assert ["36.00", "27.75", "6.50"] == [p["points"] for p in content["your_points"]]
    assert [("Kestrel Mobility Ltd", "88.00"), ("Osprey Robotics Ltd", "81.50")] == [
        (s["name"], s["total"]) for s in content["successful"]
    ]
    assert list(STRENGTHS) == [c["strengths"] for c in content["characteristics"]]
    assert content["reasons"].startswith("Your tender ranked 3 of 3 with 70.25 points.")
    for fact in (
        "Quality 54.00",
        "Total: 70.25 points, ranked 3 of 3",
        STRENGTHS[1],
        "30 March 2027",
    ):
        assert fact in letter.body


def test_a_candidate_not_selected_is_told_the_winners_and_its_own_reason(wessex, pcr):
    notify(wessex, pcr)
    letter = letter_to(pcr, pcr.curlew)
    assert ("not_selected", NOT_SELECTED_REASON) == (
        letter.facts["result"],
        letter.facts["reasons"],
    )
    assert [] == letter.facts["your_points"]
    assert NOT_SELECTED_REASON in letter.body
    assert "Kestrel Mobility Ltd: 88.00 points" in letter.body
    assert REDUCED_REASON == letter_to(pcr, pcr.merlin).facts["reasons"]


def test_notices_are_emailed_to_each_suppliers_people_after_commit(
    wessex, pcr, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(wessex, pcr)
    to_heron = [m for m in mailoutbox if "supplier_admin@heron.example" in m.to]
    assert ["IP-2024-AWARD: Award decision notice: Demand-responsive rural transport"] == [
        m.subject for m in to_heron
    ]


def test_the_recommended_become_partners_and_the_other_tenderers_unsuccessful(wessex, pcr):
    notify(wessex, pcr)
    standings = {
        p.organisation.name: (p.standing, p.reason)
        for p in Participant.objects.filter(procurement=pcr.procurement)
    }
    assert {
        "Kestrel Mobility Ltd": (
            Standing.PARTNER,
            "Ranked 1 with 88.00 points; awarded a partnership.",
        ),
        "Osprey Robotics Ltd": (
            Standing.PARTNER,
            "Ranked 2 with 81.50 points; awarded a partnership.",
        ),
        "Heron Transit CIC": (Standing.UNSUCCESSFUL, "Ranked 3 of 3 with 70.25 points."),
        "Merlin Buses Ltd": (Standing.REDUCED, REDUCED_REASON),
        "Curlew Analytics Ltd": (Standing.NOT_SELECTED, NOT_SELECTED_REASON),
    } == standings


def test_pcr_standstill_is_ten_calendar_days_moved_past_easter_monday(wessex, pcr):
    notify(wessex, pcr)
    pcr.procurement.refresh_from_db()
    period = standstill(pcr.procurement)
    assert ("standstill", date(2027, 3, 19)) == (
        pcr.procurement.state,
        pcr.procurement.decision_notices_sent_on,
    )
    # 29 March 2027, the tenth day, is Easter Monday: the standstill runs to the 30th's end.
    assert (date(2027, 3, 30), datetime(2027, 3, 31, tzinfo=UK), "PCR15-87-1") == (
        period.last_day,
        period.ends_at,
        period.rule,
    )


def test_pa_summaries_publish_the_award_notice_and_standstill_is_eight_working_days(wessex, pa):
    letters = notify(wessex, pa)
    pa.procurement.refresh_from_db()
    period = standstill(pa.procurement)
    assert ("standstill", date(2027, 3, 19), date(2027, 3, 19)) == (
        pa.procurement.state,
        pa.procurement.decision_notices_sent_on,
        pa.procurement.contract_award_notice_published_on,
    )
    # 19, 22 to 25 March, then Good Friday and Easter Monday are skipped: 30, 31 March, 1 April.
    assert (date(2027, 4, 1), "PA23-51") == (period.last_day, period.rule)
    assert {"Assessment summary"} == {letter.facts["notice"] for letter in letters}
    assert "Procurement Act 2023 s.51" in letters[0].body


def test_the_notices_are_audited_with_the_authority(wessex, pcr):
    notify(wessex, pcr)
    event = AuditEvent.objects.get(action=award_events.DECISION_NOTICES_SENT)
    assert (wessex.organisation.pk, 5) == (event.authority_id, len(event.payload["recipients"]))
    assert AuditEvent.objects.filter(action="procurement.notify_decision").exists()


def nothing_changed(evaluated):
    assert 0 == Letter.objects.filter(procurement=evaluated.procurement).count()
    evaluated.procurement.refresh_from_db()
    assert evaluated.procurement.decision_notices_sent_on is None
    assert not Participant.objects.filter(
        procurement=evaluated.procurement, standing=Standing.PARTNER
    ).exists()


def test_without_a_signed_off_evaluation_nothing_is_sent(wessex, pcr):
    EvaluationOutcome.objects.filter(procurement=pcr.procurement).delete()
    with pytest.raises(Conflict, match="no signed-off evaluation"):
        notify(wessex, pcr)
    nothing_changed(pcr)


def test_an_evaluation_recommending_nobody_is_refused(wessex, pcr):
    EvaluationOutcome.objects.filter(procurement=pcr.procurement).update(recommended=False)
    with pytest.raises(Conflict, match="recommends no tenderer"):
        notify(wessex, pcr)
    nothing_changed(pcr)


def test_notices_while_still_tendering_are_refused_by_the_rulebook(wessex, pcr):
    pcr.procurement.state = "tendering"
    pcr.procurement.save()
    with pytest.raises(RuleRefused) as refused:
        notify(wessex, pcr)
    assert "tendering" in refused.value.message
    nothing_changed(pcr)


def test_notices_cannot_be_sent_twice(wessex, pcr):
    notify(wessex, pcr)
    with pytest.raises(RuleRefused):
        notify(wessex, pcr)
    assert 5 == Letter.objects.filter(procurement=pcr.procurement).count()


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.AUDITOR, Role.FINANCE_OFFICER])
def test_only_commissioners_and_leads_send_notices(wessex, pcr, role):
    with pytest.raises(PermissionDenied):
        notify(wessex, pcr, role=role)
    nothing_changed(pcr)


def test_another_authority_and_a_supplier_are_told_it_does_not_exist(wessex, mercia, pcr):
    for actor in (mercia.actor(Role.PROCUREMENT_LEAD), pcr.kestrel.actor(Role.SUPPLIER_ADMIN)):
        with pytest.raises(NotFound):
            award_notify(actor=actor, procurement_id=pcr.procurement.pk, now=SENT_AT)
    nothing_changed(pcr)


def test_a_procurement_of_another_state_name_is_refused_with_the_rule(wessex):
    drafted = procurement_at(wessex, "drafting", reference="IP-2026-DRAFT")
    EvaluationOutcome.objects.create(
        procurement=drafted,
        tenderer=wessex.organisation,
        total=1,
        rank=1,
        recommended=True,
        signed_off_by=wessex.user(Role.PROCUREMENT_LEAD),
        signed_off_at=SENT_AT,
    )
    with pytest.raises(RuleRefused):
        award_notify(
            actor=wessex.actor(Role.PROCUREMENT_LEAD), procurement_id=drafted.pk, now=SENT_AT
        )
    assert 0 == Letter.objects.count()
