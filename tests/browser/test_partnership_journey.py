"""
The issue's "Done when" after award, in a real browser: a Wessex partnership under the
Procurement Act 2023 runs from three concluded partner contracts to the purchase through the
pages, each step taken by the person whose job it is (the story and its figures are those of
tests/portal/partnerships/story.py, which test_done_when_api.py tells through the API).

Only the starting world is made without the pages: the organisations, their people and the
procurement with its three contracts concluded today (`tests/portal/partnerships/world.py`,
the world the portal tests use). From there the partners' admins send their outcome data (CSV
files written here) and claim their instalments, the procurement lead records an acceptance,
opens and decides the gates and changes the contract, and the finance officer decides the
claims, all by following links and filling forms. Every page visited is checked by axe-core
(the test fails if one was not), and every page a partner visits is checked for the other
partners: everything partner-specific in this journey (names, files, reports, reasons,
invoices) carries the partner's name.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser.competition_steps import Journey, error_summary, success_banner
from cast import AUTHORITY_ROLES, Org, make_org
from portal.partnerships import story
from portal.partnerships.world import partnership_world

from sanely.portal.accounts.models import Role
from sanely.portal.procurements.models import Procurement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Demand-responsive rural transport"
DESIGN_PHASE, PILOT_PHASE = "Service design", "Pilot"
BOOKINGS, ON_TIME = "Booking requests answered within a day", "Trips on time"
LEVEL = "95% of trips on time"
GATE_REVIEW = re.compile("^Gate review opened")
PARTNERSHIP_LINK = "The partnership: gate reviews and claims"


@dataclass
class CheckedJourney(Journey):
    """The journey, also noting each page (its path) that each person's browser showed."""

    visited: set[tuple[str, str]] = field(default_factory=set)

    def _watch(self, page: Any, who: str) -> None:
        super()._watch(page, who)

        def on_navigated(frame: Any) -> None:
            path = urlsplit(frame.url).path
            # The sign-in page is the same for everyone; the test checks it once, signed out.
            if frame == page.main_frame and path != "/sign-in":
                self.visited.add((who, path))

        page.on("framenavigated", on_navigated)


class Partnership:
    """The people of the journey, the world they start from, and the checks of every page."""

    def __init__(self, journey: CheckedJourney, files: Path):
        self.journey, self.files = journey, files
        self.checked: set[tuple[str, str]] = set()
        self.who = ""  # the email of the person signed in now
        self.wessex = make_org(
            "Wessex County Council", "authority", AUTHORITY_ROLES, slug="wessex", nation="england"
        )
        self.world = partnership_world(self.wessex)
        record = self.world.record
        self.partners: dict[str, Org] = {
            "kestrel": record.kestrel,
            "osprey": record.osprey,
            "heron": record.heron,
        }

    @property
    def pid(self) -> int:
        return self.world.procurement_id

    def name(self, slug: str) -> str:
        return self.partners[slug].organisation.name

    def authority(self, role: str):
        return self._as(self.wessex.user(role))

    def partner(self, slug: str):
        return self._as(self.partners[slug].user(Role.SUPPLIER_ADMIN))

    @contextmanager
    def _as(self, user: Any) -> Iterator[Any]:
        with self.journey.as_person(user) as page:
            self.who = user.email
            yield page

    def seen(self, page: Any, stage: str = "", *, by: str = "") -> None:
        """
        The page is checked by axe: always when it is a named stage, otherwise when this
        person has not had it checked before. A page a partner (`by`) sees must not name
        another partner.
        """
        page.wait_for_load_state()
        seen = (self.who, urlsplit(page.url).path)
        if stage or seen not in self.checked:
            key = stage or " ".join(seen)
            assert key not in self.journey.axe_checked, f"{key} checked twice"
            self.journey.check_accessible(page, key)
            self.checked.add(seen)
        if by:
            html = page.content().lower()
            for other in self.partners:
                if other != by:
                    assert other not in html, f"{by} sees {other} on {page.url}"

    def click(self, page: Any, link: str | re.Pattern[str], *, by: str = "") -> None:
        """Follow a link, then check the page it leads to."""
        page.get_by_role("link", name=link).first.click()
        self.seen(page, by=by)

    def data_file(self, slug: str, what: str, successes: int, failures: int) -> Path:
        """An outcome file as a partner's system exports it: one row per booking or trip."""
        path = self.files / f"{slug}-{what}.csv"
        rows = ["1"] * successes + ["0"] * failures
        path.write_text("value\n" + "\n".join(rows) + "\n", encoding="utf-8")
        return path


# Finding the pages from the navigation, as each person would


def open_plan_as_partner(page: Any, p: Partnership, slug: str) -> None:
    """Opportunities, the procurement, the partner contract, then its plan."""
    p.seen(page, by=slug)
    p.click(page, "Opportunities", by=slug)
    p.click(page, TITLE, by=slug)
    p.click(page, "Your partner contract", by=slug)
    p.click(page, "The agreed plan, with its targets and how each is judged", by=slug)


def open_partnership_as_authority(page: Any, p: Partnership) -> None:
    """Procurements, the procurement, its award page, then the partnership."""
    p.seen(page)
    p.click(page, "Procurements")
    p.click(page, TITLE)
    p.click(page, "Award: decision notices, standstill and contracts")
    p.click(page, "The partnership: each partner's agreed plan")


def target_card(page: Any, metric: str) -> Any:
    return page.locator(".govuk-summary-card").filter(
        has=page.get_by_role("heading", name=re.compile(f"^{metric}:"))
    )


def verdict_of(page: Any, metric: str) -> str:
    tag = target_card(page, metric).locator(".govuk-summary-card__title-wrapper .govuk-tag")
    return tag.inner_text()


def instalments_of(page: Any, phase: str) -> str:
    listed = page.get_by_role("heading", name=phase).locator("xpath=following-sibling::ul[1]")
    return " ".join(listed.inner_text().split())


# 1. Outcome data and verdicts


def send_data(page: Any, target: str, path: Path) -> None:
    page.get_by_label("Target", exact=True).select_option(label=target)
    page.get_by_label("Data file").set_input_files(path)
    page.get_by_role("button", name="Send the data").click()
    assert "Data received." in success_banner(page), error_summary(page)


def partners_send_phase_one_data(p: Partnership) -> None:
    for slug, answered in story.BOOKINGS_ANSWERED.items():
        with p.partner(slug) as page:
            open_plan_as_partner(page, p, slug)
            send_data(
                page,
                f"{DESIGN_PHASE}: {BOOKINGS}",
                p.data_file(slug, "bookings", answered, 200 - answered),
            )
            p.seen(page, f"{slug}: its verdict", by=slug)
            expected = "Met" if answered >= 160 else "Not met"
            assert expected == verdict_of(page, BOOKINGS)
            card = target_card(page, BOOKINGS)
            assert card.get_by_role("heading", name=f"{BOOKINGS}: at least 0.8").is_visible()
            explained = card.inner_text()
            assert f"the target was at least 0.8: {expected.lower()}." in explained, explained
            card.get_by_text("How to reproduce this result").click()
            assert f"Data file {slug}-bookings.csv, SHA-256" in card.inner_text()
            assert "Awaiting data" == verdict_of(page, ON_TIME)


# 2. The acceptance and the first gate


def lead_accepts_the_service_design(p: Partnership) -> None:
    with p.authority(Role.PROCUREMENT_LEAD) as page:
        open_partnership_as_authority(page, p)
        p.click(page, f"The plan agreed with {p.name('kestrel')}")
        page.get_by_label("What it is for").select_option(
            label="Deliverable: Service design accepted"
        )
        page.get_by_label("What was accepted or tested").fill(
            "Kestrel's service design document, version 2, as presented to the panel."
        )
        page.get_by_label("It is accepted, or the test passed").check()
        page.get_by_role("button", name="Record the acceptance").click()
        assert "The acceptance is recorded." in success_banner(page), error_summary(page)
        p.seen(page, "lead: acceptance recorded")
        # The design accepted, the data delivered, the target met: each instalment is earned.
        earned = instalments_of(page, f"Phase 1: {DESIGN_PHASE}")
        assert 3 == earned.count("Condition met"), earned


def open_the_gate(page: Any, p: Partnership, phase: str) -> None:
    """From the partnership page: the phase has ended, its review opens."""
    open_partnership_as_authority(page, p)
    page.get_by_label("Phase that has ended").select_option(label=phase)
    page.get_by_role("button", name="End the phase and open the review").click()
    assert "its gate review is open" in success_banner(page), error_summary(page)
    p.seen(page, f"lead: gate after {phase} opened")


def lead_opens_the_first_gate(p: Partnership) -> None:
    with p.authority(Role.PROCUREMENT_LEAD) as page:
        open_the_gate(page, p, DESIGN_PHASE)
        for slug in p.partners:
            assert page.get_by_role("heading", name=f"{p.name(slug)}: {DESIGN_PHASE}").is_visible()


KESTREL_REPORT = (
    "Kestrel answered 95% of booking requests within a day; the phone line covered the"
    " villages without mobile coverage."
)


def kestrel_reports_on_the_phase(p: Partnership) -> None:
    with p.partner("kestrel") as page:
        open_plan_as_partner(page, p, "kestrel")
        p.click(page, PARTNERSHIP_LINK, by="kestrel")
        p.click(page, GATE_REVIEW, by="kestrel")
        assert not page.get_by_role("heading", name="Decide the gate").count()
        page.get_by_label("Your report on the phase, for the panel").fill(KESTREL_REPORT)
        page.get_by_role("button", name="Send the report").click()
        assert "Your report is with the panel." in success_banner(page), error_summary(page)
        p.seen(page, "kestrel: report sent", by="kestrel")
        assert page.get_by_text(KESTREL_REPORT).is_visible()


PANEL_REASONS = (
    "Kestrel met the booking target by the widest margin and its service design is accepted;"
    " the announced reduction keeps one partner for the pilot."
)
END = "End this partner's contract (the gate option announced)"
GATE_ONE = {
    "kestrel": ("Continue to the next phase", "Kestrel: continue to the pilot."),
    "osprey": (END, "Osprey: target met, with a narrower margin than the partner kept."),
    "heron": (END, "Heron: half the booking requests were answered within a day, not 80%."),
}


def decide_for(page: Any, p: Partnership, slug: str, outcome: str, reasons: str) -> None:
    group = page.get_by_role("group", name=p.name(slug))
    group.get_by_label("Decision").select_option(label=outcome)
    group.get_by_label(f"Reasons given to {p.name(slug)}").fill(reasons)


def the_panel_reduces_three_partners_to_one(p: Partnership) -> None:
    with p.authority(Role.PROCUREMENT_LEAD) as page:
        open_partnership_as_authority(page, p)
        p.click(page, GATE_REVIEW)
        assert page.get_by_text(KESTREL_REPORT).is_visible()
        for slug, (outcome, reasons) in GATE_ONE.items():
            decide_for(page, p, slug, outcome, reasons)
        # Without the panel's reasons nothing is decided, and the form keeps what was chosen.
        page.get_by_role("button", name="Record the decision").click()
        assert "Give the panel's reasons" in error_summary(page)
        p.seen(page, "lead: gate decision refused")
        page.get_by_label("The panel's reasons").fill(PANEL_REASONS)
        page.get_by_role("button", name="Record the decision").click()
        assert "The gate is decided." in success_banner(page), error_summary(page)
        p.seen(page, "lead: first gate decided")
        p.click(page, PARTNERSHIP_LINK)
        ended = page.get_by_role("listitem").filter(has_text="Contract ended")
        assert [
            f"The plan agreed with {p.name(s)} Contract ended" for s in ("osprey", "heron")
        ] == [" ".join(text.split()) for text in ended.all_inner_texts()]


def a_dropped_partner_reads_its_decision(p: Partnership) -> None:
    with p.partner("heron") as page:
        open_plan_as_partner(page, p, "heron")
        assert page.get_by_text("This contract has ended").is_visible()
        assert not page.get_by_role("button", name="Send the data").count()
        p.click(page, PARTNERSHIP_LINK, by="heron")
        p.click(page, GATE_REVIEW, by="heron")
        decision = page.locator(".govuk-inset-text").filter(has_text="End this partner")
        assert GATE_ONE["heron"][1] in decision.inner_text()
        assert PANEL_REASONS not in page.content()


# 3. Claims and payments


# The claims as the partner sees them: by the instalments' descriptions.
CLAIMS = {
    "Service design accepted": story.PAID_CLAIM,
    "Booking data delivered": story.REFUSED_CLAIM,
}


def kestrel_claims_its_instalments(p: Partnership) -> None:
    with p.partner("kestrel") as page:
        open_plan_as_partner(page, p, "kestrel")
        for instalment, (_, amount, invoice) in CLAIMS.items():
            page.get_by_label("Instalment").select_option(
                label=f"{instalment} (£{int(amount):,}.00)"
            )
            page.get_by_label("Amount (£)").fill(amount)
            page.get_by_label("Invoice reference").fill(invoice)
            page.get_by_label("Note for the finance team (optional)").fill(
                f"Kestrel's invoice {invoice} went to the council's payables inbox today."
            )
            page.get_by_role("button", name="Send the claim").click()
            sent = success_banner(page)
            assert "Your claim is with the authority's finance team." in sent, error_summary(page)
            p.seen(page, f"kestrel: claim {invoice} sent", by="kestrel")


def claim_card(page: Any, instalment: str) -> Any:
    return page.locator(".govuk-summary-card").filter(
        has=page.get_by_role("heading", name=re.compile(f": {instalment}, £"))
    )


def decide_claim(page: Any, instalment: str, decision: str, text: str) -> None:
    card = claim_card(page, instalment)
    card.get_by_label("Decision").select_option(label=decision)
    card.get_by_label("The query, the reasons for refusing, or the payment's reference").fill(text)
    card.get_by_role("button", name="Record the decision").click()
    assert "The claim is updated." in success_banner(page), error_summary(page)


def finance_pays_one_claim_and_refuses_another(p: Partnership) -> None:
    with p.authority(Role.FINANCE_OFFICER) as page:
        open_partnership_as_authority(page, p)
        p.click(page, "Claims and payments")
        decide_claim(page, "Service design accepted", "Approve", "")
        decide_claim(page, "Booking data delivered", "Refuse", story.REFUSAL_REASONS)
        p.seen(page, "finance: one approved, one refused")
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile("^Download the approved claims")).click()
        exported = p.files / "claims.csv"
        download.value.save_as(exported)
        rows = exported.read_text(encoding="utf-8").splitlines()
        assert 2 == len(rows), rows
        assert rows[1].startswith(
            f"{p.name('kestrel')},Service design accepted,30000.00,INV-KESTREL-001,"
        ), rows
        decide_claim(page, "Service design accepted", "Record the payment made today", "BACS-7731")
        p.seen(page, "finance: one paid")
        paid = claim_card(page, "Service design accepted").inner_text()
        assert "Paid" in paid, paid
        assert "BACS-7731" in paid, paid
        refused = claim_card(page, "Booking data delivered").inner_text()
        assert "Rejected" in refused, refused
        assert story.REFUSAL_REASONS in refused, refused
        # A refused claim is not paid: no payment date is shown for it.
        assert "Payment due" not in refused, refused


def kestrel_reads_its_claims(p: Partnership) -> None:
    with p.partner("kestrel") as page:
        open_plan_as_partner(page, p, "kestrel")
        claimed = instalments_of(page, f"Phase 1: {DESIGN_PHASE}")
        assert "Claim of £30,000.00: paid" in claimed, claimed
        assert f"Claim of £10,000.00: rejected — {story.REFUSAL_REASONS}" in claimed, claimed
        p.click(page, PARTNERSHIP_LINK, by="kestrel")
        p.click(page, "Claims and payments", by="kestrel")
        assert not page.get_by_role("button", name="Record the decision").count()
        assert 2 == page.locator(".govuk-summary-card").count()


# 4. Changes to the contract


BELOW_THRESHOLD = "a below-threshold modification (s.74(1)(c), (4))"
LAWFUL_CHANGE = "Kestrel's pilot extends to two more villages of the Vale."


def change_the_pilot(page: Any, max_value: str, reason: str, justification: str = "") -> None:
    page.get_by_label("Ground for the change").select_option(label=BELOW_THRESHOLD)
    page.get_by_label("Phase", exact=True).select_option(label=PILOT_PHASE)
    page.get_by_label("New maximum value (£, leave empty to keep it)").fill(max_value)
    page.get_by_label("Reason for the change").fill(reason)
    page.get_by_label("Justification, where a rule asks for one").fill(justification)
    page.get_by_role("button", name="Make the change").click()


def lead_changes_the_contract_once_and_is_refused_once(p: Partnership) -> None:
    with p.authority(Role.PROCUREMENT_LEAD) as page:
        open_partnership_as_authority(page, p)
        p.click(page, f"The plan agreed with {p.name('kestrel')}")
        change_the_pilot(page, story.LAWFUL_PILOT_MAX, LAWFUL_CHANGE)
        made = success_banner(page)
        assert "The change is made: the plan has a new version." in made, error_summary(page)
        p.seen(page, "lead: contract changed")
        assert page.get_by_text(f"Version 2: {LAWFUL_CHANGE}").is_visible()
        changes = page.get_by_role("heading", name="Changes to the contract").locator(
            "xpath=following-sibling::ul[1]"
        )
        assert "(Procurement Act 2023 s.74(1)(c), (4), (6))" in changes.inner_text()
        # A second change of 34,000 is more than 10% of the value it would change.
        change_the_pilot(
            page,
            story.REFUSED_PILOT_MAX,
            "Kestrel's pilot extends to the whole county.",
            "A separate council decision to extend the pilot.",
        )
        summary = error_summary(page)
        assert "(Procurement Act 2023 s.74(1)(c), (4), (6); rule PA23-74-4)" in summary, summary
        assert "more than 10%" in summary, summary
        p.seen(page, "lead: change refused")
        assert page.get_by_text(f"Version 2: {LAWFUL_CHANGE}").is_visible()


# 5. The pilot and the purchase


def kestrel_delivers_the_pilot(p: Partnership) -> None:
    with p.partner("kestrel") as page:
        open_plan_as_partner(page, p, "kestrel")
        assert page.get_by_text(f"Version 2: {LAWFUL_CHANGE}").is_visible()
        send_data(
            page,
            f"{PILOT_PHASE}: {ON_TIME}",
            p.data_file("kestrel", "trips", story.PILOT_ON_TIME, 200 - story.PILOT_ON_TIME),
        )
        p.seen(page, "kestrel: pilot verdict", by="kestrel")
        assert "Met" == verdict_of(page, ON_TIME)


PURCHASE_REASONS = "Kestrel's pilot ran 97.5% of trips on time, above the 95% agreed."


PRICE = "Purchase price, if proceeding to the purchase (£)"


def lead_proceeds_to_the_purchase(p: Partnership) -> None:
    with p.authority(Role.PROCUREMENT_LEAD) as page:
        open_the_gate(page, p, PILOT_PHASE)
        # One partner remains: one decision to make.
        assert 1 == page.get_by_label("Decision").count()
        decide_for(page, p, "kestrel", "Proceed to the purchase", PURCHASE_REASONS)
        page.get_by_label(PRICE).fill(story.PRICE_OVER_MAX_COST)
        page.get_by_label(f"Evidence that “{LEVEL}” is met").select_option(
            label=f"The verdict on {ON_TIME}"
        )
        page.get_by_label("The panel's reasons").fill(PURCHASE_REASONS)
        page.get_by_role("button", name="Record the decision").click()
        summary = error_summary(page)
        assert "20,000 above the maximum cost of 450,000" in summary, summary
        assert "; rule PA23-S8-1/purchase)" in summary, summary
        p.seen(page, "lead: purchase refused")
        assert "gate_review" == Procurement.objects.get(pk=p.pid).state
        # The form keeps the decision, the reasons and the evidence named: only the price moves.
        page.get_by_label(PRICE).fill(story.PURCHASE_PRICE)
        page.get_by_role("button", name="Record the decision").click()
        assert "The gate is decided." in success_banner(page), error_summary(page)
        p.seen(page, "lead: purchase decided")


def kestrel_reads_the_purchase_decision(p: Partnership) -> None:
    with p.partner("kestrel") as page:
        p.seen(page, by="kestrel")
        p.click(page, "Opportunities", by="kestrel")
        p.click(page, TITLE, by="kestrel")
        p.click(page, re.compile("^Decision to purchase"), by="kestrel")
        letter = page.locator(".sanely-letter").inner_text()
        assert LEVEL in letter, letter
        assert f"£{int(story.PURCHASE_PRICE):,}" in letter, letter


def test_a_partnership_runs_from_its_contracts_to_the_purchase_through_the_pages(
    browser, live_server, axe_violations, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    journey = CheckedJourney(browser, live_server.url, axe_violations)
    p = Partnership(journey, tmp_path)
    with journey.browser.new_context(base_url=live_server.url) as anonymous:
        page = anonymous.new_page()
        page.goto("/sign-in")
        p.seen(page, "the sign-in page")

    partners_send_phase_one_data(p)
    lead_accepts_the_service_design(p)
    lead_opens_the_first_gate(p)
    kestrel_reports_on_the_phase(p)
    the_panel_reduces_three_partners_to_one(p)
    a_dropped_partner_reads_its_decision(p)

    kestrel_claims_its_instalments(p)
    finance_pays_one_claim_and_refuses_another(p)
    kestrel_reads_its_claims(p)

    lead_changes_the_contract_once_and_is_refused_once(p)
    kestrel_delivers_the_pilot(p)
    lead_proceeds_to_the_purchase(p)
    kestrel_reads_the_purchase_decision(p)

    story.the_record_holds_every_step(p.world)
    assert set() == journey.visited - p.checked, "pages not checked by axe"
    assert {stage: [] for stage in journey.axe_checked} == journey.axe_checked
    assert [] == journey.console_errors
