"""
The issue's "Done when" for the competition, in a real browser: one multi-partner innovation
partnership under PCR 2015 runs from the contract notice to concluded contracts through the
pages: 5 candidates, 4 invited, 3 tender rounds, 2 partners, every step in the audit trail.

Only the organisations, their people and the procurement with its design are set up without
the pages: the procurement is created and its design saved through the API
(`POST /api/v1/procurements`, `PATCH /api/v1/procurements/{id}` with a lead's token), since
the design wizard has its own browser tests. Everything after, from publishing the notice,
is done by clicking and filling the pages as each person would. The clock
(`tests/portal/journey.py`) really passes every deadline; each person signs in afresh after
it moves, as their 8-hour session would have ended.
"""

import json
from collections import Counter
from datetime import timedelta

import pytest
from browser.competition_steps import (
    Journey,
    act_on_procurement,
    error_summary,
    submit_file,
    success_banner,
    uk_minute,
)
from cast import AUTHORITY_ROLES, make_org
from competition import SUPPLIERS, suppliers
from portal.journey import JOURNEY_STARTS, journey_clock, lawful_design

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.audit.services import audit_verify
from sanely.portal.award import events as award_events
from sanely.portal.award.models import Contract
from sanely.portal.competition import events as competition_events
from sanely.portal.competition.models import Letter, Participant, Standing
from sanely.portal.evaluation import events as evaluation_events
from sanely.portal.negotiation import events as negotiation_events
from sanely.portal.procurements.models import Procurement
from sanely.portal.selection import events as selection_events
from sanely.portal.tenders import events as tenders_events
from sanely.portal.tenders.models import RoundKind, SubmissionRound

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JUSTIFICATION = "Reviewed by legal services against the published procedure; file note 7."
# Quality (service design, delivery plan) and social value per tenderer, in the final round.
SCORES = {
    "kestrel": ("9", "8", "7"),
    "osprey": ("8", "8", "6"),
    "heron": ("6", "7", "5"),
    "merlin": ("5", "5", "4"),
}
PRICES = {"kestrel": "400000", "osprey": "390000", "heron": "420000", "merlin": "300000"}
FAILS_SELECTION = "curlew"


class Competition:
    """The people and the procurement of the journey, and the clock they live by."""

    def __init__(self, journey, clock):
        self.journey, self.clock = journey, clock
        self.wessex = make_org(
            "Wessex County Council", "authority", AUTHORITY_ROLES, slug="wessex", nation="england"
        )
        self.suppliers = dict(zip((slug for _, slug in SUPPLIERS), suppliers(5), strict=True))
        self.procurement = self._procurement()

    def _procurement(self) -> Procurement:
        notice_on = JOURNEY_STARTS.date()
        lead = self.wessex.token_client(Role.PROCUREMENT_LEAD)
        created = lead.post(
            "/api/v1/procurements",
            json.dumps(
                {
                    "organisation_id": self.wessex.organisation.pk,
                    "title": "Rural transport",
                    "commenced_on": notice_on.isoformat(),
                }
            ),
            content_type="application/json",
        )
        assert 201 == created.status_code, created.content
        pid = created.json()["id"]
        saved = lead.patch(
            f"/api/v1/procurements/{pid}",
            json.dumps(lawful_design(notice_on)),
            content_type="application/json",
        )
        assert 200 == saved.status_code, saved.content
        return Procurement.objects.get(pk=pid)

    @property
    def pid(self) -> int:
        return self.procurement.pk

    def authority(self, role: str):
        return self.journey.as_person(self.wessex.user(role))

    def supplier(self, slug: str):
        return self.journey.as_person(self.suppliers[slug].user(Role.SUPPLIER_MEMBER))

    def org(self, slug: str):
        return self.suppliers[slug].organisation

    def tenderers(self) -> list[str]:
        return [s for s in self.suppliers if s != FAILS_SELECTION]


def open_procurement_page(page):
    page.get_by_role("link", name="Procurements", exact=True).click()
    page.get_by_role("link", name="Rural transport").click()


# The procurement page's links to each stage of the competition.
ROUNDS, SELECTION, NEGOTIATION = "Submission rounds:", "Selection:", "Negotiation:"
EVALUATION, AWARD, REPORT = "Evaluation:", "Award:", "The procurement report"


def open_stage(page, link: str) -> None:
    """From the navigation, the procurement's page, then its link to a stage's page."""
    open_procurement_page(page)
    page.get_by_role("link").filter(has_text=link).first.click()


def open_opportunity(page) -> None:
    page.get_by_role("link", name="Opportunities", exact=True).click()
    page.get_by_role("link", name="Rural transport").click()


# 1. The notice and the requests-to-participate round


def publish_the_notice(c: Competition) -> None:
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        open_procurement_page(page)
        act_on_procurement(page, "Submit the contract notice for publication", JUSTIFICATION)
        assert "requests to participate open" in page.locator("#next-heading + p").inner_text()


def open_a_round(page, c: Competition, *, kind: str, number: int, days: int, final=False) -> None:
    """On the rounds page: a deadline `days` ahead, at 11:00 UTC."""
    ask_to_open_a_round(page, c, kind=kind, number=number, days=days, final=final)
    assert not error_summary(page), error_summary(page)


def ask_to_open_a_round(
    page, c: Competition, *, kind: str, number: int, days: int, final=False
) -> None:
    open_stage(page, ROUNDS)
    page.get_by_label("What is submitted").select_option(kind)
    page.get_by_label("Round number").fill(str(number))
    deadline = (c.clock.moment + timedelta(days=days)).replace(hour=11, minute=0)
    page.get_by_label("Deadline, UK time").fill(uk_minute(deadline))
    if final:
        page.get_by_label("Final tenders (no negotiation after this round)").check()
    page.get_by_role("button", name="Open the round").click()


def open_requests_round(c: Competition) -> None:
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        open_a_round(page, c, kind=RoundKind.RTP, number=1, days=30)
        assert page.get_by_role("link", name="Requests to participate").is_visible()


def submit_to_round(c: Competition, slug: str, round_label: str, file_name: str) -> None:
    """The supplier finds the opportunity, follows its round's link and submits a file."""
    with c.supplier(slug) as page:
        open_opportunity(page)
        row = page.get_by_role("row").filter(has_text=round_label)
        row.get_by_role("link", name=f"as {c.org(slug).name}").click()
        submit_file(page, file_name, f"{c.org(slug).name}: {round_label}.\n")


# 3. Closing the requests and the four-eyes opening


def pass_the_deadline(c: Competition, days: int = 0) -> None:
    c.clock.advance(days=days, hours=4)


def close_requests(c: Competition) -> None:
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        open_procurement_page(page)
        act_on_procurement(page, "Close requests to participate", JUSTIFICATION)


def open_with_four_eyes(c: Competition, round_label: str) -> None:
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        open_stage(page, ROUNDS)
        page.get_by_role("link", name=round_label).click()
        page.get_by_role("button", name="Ask to open the round").click()
        assert page.get_by_text("Opening requested by").is_visible()
    with c.authority(Role.COMMISSIONER) as page:
        open_stage(page, ROUNDS)
        page.get_by_role("link", name=round_label).click()
        page.get_by_role("button", name="Confirm the opening").click()
        assert page.get_by_text("Opened at").is_visible()


# 4. Selection


def mark_every_candidate(c: Competition) -> None:
    with c.authority(Role.EVALUATOR) as page:
        open_stage(page, SELECTION)
        c.journey.check_accessible(page, "selection")
        for score, slug in enumerate(c.suppliers):
            page.get_by_role("link", name=c.org(slug).name).first.click()
            passes = slug != FAILS_SELECTION
            page.locator('[name="marks.0.passed"]').select_option("yes" if passes else "no")
            page.locator('[name="marks.0.reason"]').fill(
                "Insurance certificates and accounts provided."
                if passes
                else "No employer's liability insurance was evidenced."
            )
            page.locator('[name="marks.1.score"]').fill(str(5 - score % 3))
            page.locator('[name="marks.1.reason"]').fill("Three funded R&D projects.")
            page.locator('[name="marks.2.score"]').fill("3")
            page.locator('[name="marks.2.reason"]').fill("Two innovations in service.")
            page.get_by_role("button", name="Record the marks").click()
            assert "The marks are recorded." in success_banner(page), error_summary(page)


def decide_the_shortlist(c: Competition) -> None:
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        open_stage(page, SELECTION)
        page.get_by_role("link", name="Decide the shortlist").click()
        page.get_by_label("Justification, if the rules ask for one").fill(JUSTIFICATION)
        page.get_by_role("button", name="Decide and send the letters").click()
        assert "4 candidates invited to tender" in success_banner(page), error_summary(page)


def regret_letter_is_read(c: Competition) -> None:
    with c.supplier(FAILS_SELECTION) as page:
        open_opportunity(page)
        assert page.get_by_text("Not selected to tender", exact=True).is_visible()
        page.get_by_role("link", name="Not selected to tender: Rural transport").click()
        assert "employer's liability insurance" in page.locator(".sanely-letter").inner_text()


# 5, 6. Tender rounds and negotiation


def tender_round(c: Competition, number: int, *, final=False, while_open=None) -> str:
    """
    Open the round, every tenderer submits, `while_open` runs, the deadline passes, two people
    open it.
    """
    label = f"Final tenders (round {number})" if final else f"Tenders, round {number}"
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        # Each round opens once the one before has closed (reg. 31(13)) and gives 14 days, so
        # reg. 47(1) asks no reason for a short time limit: no justification is given.
        open_a_round(page, c, kind=RoundKind.TENDER, number=number, days=14, final=final)
    for slug in c.tenderers():
        submit_to_round(c, slug, label, f"{slug}-tender-{number}.txt")
    if while_open:
        while_open(c)
    pass_the_deadline(c, days=14)
    open_with_four_eyes(c, label)
    return label


def final_tenders_wait_for_the_round_still_open(c: Competition) -> None:
    """Round 2 runs: the final round is refused on the page with the rule that waits for it."""
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        ask_to_open_a_round(page, c, kind=RoundKind.TENDER, number=3, days=14, final=True)
        summary = error_summary(page)
        assert "Round 2 is still open: final tenders cannot be invited" in summary, summary
        assert "(PCR 2015 reg. 31(13); rule PCR15-31-13)" in summary, summary


def record_meeting(page, c: Competition, round_label: str, slug: str) -> None:
    open_stage(page, NEGOTIATION)
    page.get_by_role("link", name="Record a negotiation meeting").click()
    page.get_by_label("Tender round negotiated").select_option(label=round_label)
    page.get_by_label("Tenderer").select_option(label=c.org(slug).name)
    page.get_by_label("Held at, UK time").fill(uk_minute(c.clock.moment - timedelta(hours=1)))
    page.get_by_label("Attendees, one per line").fill(
        f"Procurement lead, Wessex County Council, lead\nDirector, {c.org(slug).name}, bidder"
    )
    page.get_by_label("Minutes").fill("We discussed the booking app's offline mode.")
    page.get_by_label("Information given, one fact per line").fill(
        "Village halls have no mobile coverage."
    )
    page.get_by_role("button", name="Record the meeting").click()


def negotiate_with_each(c: Competition, round_label: str) -> None:
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        for slug in c.tenderers():
            record_meeting(page, c, round_label, slug)
            assert not error_summary(page), error_summary(page)
        open_stage(page, NEGOTIATION)
        c.journey.check_accessible(page, "negotiation")


def clarification_asked_and_answered(c: Competition) -> None:
    question = "Can the pilot use existing community minibuses?"
    with c.supplier("osprey") as page:
        open_opportunity(page)
        page.get_by_role("link", name="Clarification questions, negotiation meetings").click()
        page.get_by_label("Ask a clarification question").fill(question)
        page.get_by_role("button", name="Ask the question").click()
        assert page.get_by_text(question).is_visible(), error_summary(page)
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        open_stage(page, NEGOTIATION)
        page.get_by_role("link", name="Answer this question").click()
        page.get_by_label("Send the answer to").select_option("all")
        page.get_by_label("The question as published (answers to all)").fill(
            "May community minibuses be used in the pilot?"
        )
        page.get_by_label("Answer", exact=True).fill("Yes, if they are wheelchair accessible.")
        page.get_by_role("button", name="Send the answer").click()
        assert not error_summary(page), error_summary(page)
    with c.supplier("heron") as page:
        open_opportunity(page)
        page.get_by_role("link", name="Clarification questions, negotiation meetings").click()
        assert page.get_by_text("Yes, if they are wheelchair accessible.").is_visible()
        assert not page.get_by_text(question).count()


def final_tenders_are_not_negotiated(c: Competition, round_label: str) -> None:
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        record_meeting(page, c, round_label, "kestrel")
        summary = error_summary(page)
        assert "final tenders are not negotiated" in summary, summary
        assert "(PCR 2015 reg. 31(13); rule PCR15-31-13)" in summary, summary
        assert_blocked_by(page, "Negotiate tenders", "PCR 2015 reg. 31(13)", "PCR15-31-13")


def assert_blocked_by(page, action: str, citation: str, rule: str) -> None:
    """The procurement page lists the action under what blocks progress, with its rule."""
    open_procurement_page(page)
    blockers = page.locator("#blockers").inner_text()
    assert any(
        line.startswith(action) and f"({citation}" in line and line.endswith(f"; rule {rule})")
        for line in blockers.splitlines()
    ), blockers


# 7. Evaluation


def close_tendering(c: Competition) -> None:
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        open_procurement_page(page)
        act_on_procurement(page, "Receive final tenders and start evaluation", JUSTIFICATION)


def declare(page, c: Competition, *, moderate_only: bool) -> None:
    open_stage(page, EVALUATION)
    page.get_by_role("link", name="Declare your interests").click()
    page.get_by_label("Your declaration").select_option("no")
    if moderate_only:
        page.get_by_label("I moderate, record prices or sign off").check()
    page.get_by_role("button", name="Declare").click()
    assert "Your declaration is recorded." in success_banner(page), error_summary(page)


def score_every_tenderer(c: Competition, role: str) -> None:
    with c.authority(role) as page:
        declare(page, c, moderate_only=False)
        for slug in c.tenderers():
            page.get_by_role("link", name=c.org(slug).name, exact=True).click()
            for i, score in enumerate(SCORES[slug]):
                page.locator(f'[name="score_{i}"]').fill(score)
                page.locator(f'[name="justification_{i}"]').fill(f"Scored {score}: see notes.")
            page.get_by_role("button", name="Save scores").click()
            assert "Your scores are saved." in success_banner(page), error_summary(page)
            if "scoring" not in c.journey.axe_checked:
                c.journey.check_accessible(page, "scoring")
            page.get_by_role("button", name="Submit my scores").click()
            assert "are submitted" in success_banner(page), error_summary(page)
            open_stage(page, EVALUATION)


def moderate_every_tenderer(c: Competition) -> None:
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        declare(page, c, moderate_only=True)
        for slug in c.tenderers():
            open_stage(page, EVALUATION)
            page.get_by_role("link", name=f"Moderate {c.org(slug).name}").click()
            for i, score in enumerate(SCORES[slug]):
                page.get_by_label("Criterion").select_option(str(i))
                page.get_by_label("Consensus score").fill(score)
                page.get_by_label("Reason", exact=True).fill("Both evaluators agreed.")
                page.get_by_role("button", name="Record the consensus").click()
                assert "recorded" in success_banner(page), error_summary(page)
            page.get_by_label("What the decision notices say of this tender").fill(
                f"{c.org(slug).name}: a clear phasing plan and strong local partnerships."
            )
            page.get_by_role("button", name="Save").click()
            assert "advantages recorded" in success_banner(page), error_summary(page)
            page.get_by_label("Price in pounds").fill(PRICES[slug])
            # The price is read from the final tender, the only version offered.
            offered = page.get_by_label("Read from").locator("option").all_inner_texts()
            assert 1 == len(offered)
            assert offered[0].endswith(f", version 1 ({slug}-tender-3.txt)"), offered
            page.get_by_role("button", name="Record the price").click()
            assert "Price recorded." in success_banner(page), error_summary(page)
            if "moderation" not in c.journey.axe_checked:
                c.journey.check_accessible(page, "moderation")
        decide_the_low_price(page, c)


def decide_the_low_price(page, c: Competition) -> None:
    """Merlin's price is more than 20% below the others' mean: the moderator decides."""
    open_stage(page, EVALUATION)
    page.get_by_role("link", name=f"Moderate {c.org('merlin').name}").click()
    assert page.get_by_role("heading", name="Abnormally low tender").is_visible()
    page.get_by_label("Decision", exact=True).select_option("accepted")
    page.get_by_label("The explanation received, or the reasons for rejecting").fill(
        "Merlin already runs the depot and the vehicles; its costs were evidenced."
    )
    page.get_by_role("button", name="Record the decision").click()
    assert "abnormally low tender recorded" in success_banner(page), error_summary(page)


def sign_off(c: Competition) -> None:
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        open_stage(page, EVALUATION)
        page.get_by_role("link", name="Ranking and sign-off").click()
        page.get_by_role("button", name="Sign off the evaluation").click()
        assert "The evaluation is signed off." in success_banner(page), error_summary(page)
        c.journey.check_accessible(page, "results")
        recommended = page.get_by_role("row").filter(has_text="Yes")
        assert 2 == recommended.count()


# 8. Award


def send_the_decision_notices(c: Competition) -> None:
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        open_stage(page, AWARD)
        c.journey.check_accessible(page, "award")
        page.get_by_label("Justification").fill(JUSTIFICATION)
        page.locator("form[action$='/notify'] button").click()
        assert "decision notices sent" in success_banner(page), error_summary(page)
        # during the standstill the contracts are not offered; the page says from when
        assert not page.locator("form[action$='/conclude']").count()
        contracts = page.locator("main").inner_text()
        assert "they can be concluded from the day after it ends" in contracts, contracts
        assert_blocked_by(page, "Conclude the partner contracts", "PCR 2015 reg. 87", "PCR15-87-1")


def conclude_the_contracts(c: Competition) -> None:
    c.clock.advance(days=13)
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        open_stage(page, AWARD)
        page.locator("form[action$='/conclude'] button").click()
        assert "2 partner contracts concluded." in success_banner(page), error_summary(page)


def a_partner_reads_its_contract(c: Competition) -> None:
    with c.supplier("kestrel") as page:
        open_opportunity(page)
        assert page.get_by_text("Partner", exact=True).is_visible()
        page.get_by_role("link", name="Your partner contract").click()
        assert page.get_by_role("heading", name="Partner contract: Kestrel").is_visible()


def the_report_names_the_partners(c: Competition) -> None:
    with c.authority(Role.PROCUREMENT_LEAD) as page:
        open_stage(page, REPORT)
        c.journey.check_accessible(page, "report")
        contracts = page.get_by_role("heading", name="Contracts", exact=True).locator(
            "xpath=following-sibling::table[1]//tbody/tr/td[1]"
        )
        assert [c.org("kestrel").name, c.org("osprey").name] == sorted(contracts.all_inner_texts())
        standings = page.get_by_role("heading", name="Candidates and tenderers").locator(
            "xpath=following-sibling::table[1]//tbody/tr"
        )
        assert 2 == standings.filter(has_text="Partner").count()


# 9. The record


# Each step of the journey and how many times it happened: 5 requests and 4 tenders in each
# of 3 rounds, 4 rounds opened by two people, a meeting with each tenderer in rounds 1 and 2,
# 2 evaluators scoring 4 tenderers, 3 consensus scores each, 2 contracts.
AUDITED = {
    "procurement.submit_notice": 1,
    "procurement.close_requests": 1,
    "procurement.invite_to_tender": 1,
    "procurement.negotiate": 8,
    "procurement.invite_final_tenders": 1,
    "procurement.close_tendering": 1,
    "procurement.notify_decision": 1,
    "procurement.conclude_contracts": 1,
    tenders_events.ROUND_OPENED_FOR_SUBMISSIONS: 4,
    tenders_events.ROUND_OPENING_REQUESTED: 4,
    tenders_events.ROUND_OPENED: 4,
    tenders_events.SUBMISSION_RECEIVED: 5 + 3 * 4,
    selection_events.MARK_RECORDED: 5 * 3,
    selection_events.SHORTLIST_DECIDED: 1,
    negotiation_events.MEETING_RECORDED: 8,
    negotiation_events.QUESTION_ASKED: 1,
    negotiation_events.CLARIFICATION_ANSWERED: 1,
    competition_events.CONFLICT_DECLARED: 3,
    evaluation_events.SCORES_SUBMITTED: 2 * 4,
    evaluation_events.CONSENSUS_RECORDED: 3 * 4,
    evaluation_events.PRICE_RECORDED: 4,
    evaluation_events.STRENGTHS_RECORDED: 4,
    evaluation_events.ABNORMALLY_LOW_DECIDED: 1,
    evaluation_events.SIGNED_OFF: 1,
    award_events.DECISION_NOTICES_SENT: 1,
    award_events.CONTRACT_CONCLUDED: 2,
}


def the_record_holds_every_step(c: Competition) -> None:
    procurement = Procurement.objects.get(pk=c.pid)
    assert "partnership" == procurement.state
    standings = Participant.objects.filter(procurement=procurement)
    assert 5 == standings.count()
    assert 2 == standings.filter(standing=Standing.PARTNER).count()
    assert 2 == standings.filter(standing=Standing.UNSUCCESSFUL).count()
    assert 4 == len(procurement.invited)
    tender_rounds = SubmissionRound.objects.filter(procurement=procurement, kind=RoundKind.TENDER)
    assert [(1, False), (2, False), (3, True)] == [(r.number, r.final) for r in tender_rounds]
    assert all(r.opened_at for r in tender_rounds)
    assert {c.org("kestrel"), c.org("osprey")} == {
        contract.partner for contract in Contract.objects.filter(procurement=procurement)
    }
    actions = Counter(
        AuditEvent.objects.filter(authority=procurement.organisation).values_list(
            "action", flat=True
        )
    )
    assert AUDITED == {action: actions[action] for action in AUDITED}, actions
    # Standings: invited or not selected at the shortlist, partner or not at the award.
    assert 5 + 4 == actions[competition_events.PARTICIPANT_STANDING_CHANGED]
    # Letters: the shortlist's 4 invitations and 1 regret, each tender round's invitation to the
    # 4 tenderers, the answer to all 4, and a decision notice to every one of the 5.
    kinds = Counter(Letter.objects.filter(procurement=procurement).values_list("kind", flat=True))
    assert (12, 4, 5) == (
        kinds["round_invitation"],
        kinds["clarification"],
        kinds["award_decision"],
    )
    assert 5 + 12 + 4 + 5 == actions[competition_events.LETTER_SENT] == kinds.total()
    report = audit_verify()
    assert report.intact, report


def test_a_multi_partner_competition_runs_through_the_pages(
    browser, live_server, monkeypatch, axe_violations
):
    clock = journey_clock(monkeypatch)
    journey = Journey(browser, live_server.url, axe_violations)
    c = Competition(journey, clock)

    publish_the_notice(c)
    open_requests_round(c)
    for slug in c.suppliers:
        submit_to_round(c, slug, "Requests to participate", f"{slug}-request.txt")
    pass_the_deadline(c, days=30)
    close_requests(c)
    open_with_four_eyes(c, "Requests to participate")

    mark_every_candidate(c)
    decide_the_shortlist(c)
    regret_letter_is_read(c)

    first = tender_round(c, 1)
    negotiate_with_each(c, first)
    clarification_asked_and_answered(c)
    second = tender_round(c, 2, while_open=final_tenders_wait_for_the_round_still_open)
    negotiate_with_each(c, second)
    final = tender_round(c, 3, final=True)
    final_tenders_are_not_negotiated(c, final)

    close_tendering(c)
    score_every_tenderer(c, Role.EVALUATOR)
    score_every_tenderer(c, Role.COMMISSIONER)
    moderate_every_tenderer(c)
    sign_off(c)

    send_the_decision_notices(c)
    conclude_the_contracts(c)
    a_partner_reads_its_contract(c)
    the_report_names_the_partners(c)

    the_record_holds_every_step(c)
    stages = ["selection", "negotiation", "scoring", "moderation", "results", "award", "report"]
    assert {stage: [] for stage in stages} == journey.axe_checked
    assert [] == journey.console_errors
