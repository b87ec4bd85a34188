"""Tender rounds follow the procedure: numbered in order, invited tenderers only, none after the final."""

from datetime import datetime, timedelta

import pytest
from cast import SUPPLIER_ROLES, make_org
from competition import COMMENCED_ON, DESIGN, PCR_COMMENCED_ON, invite, procurement_at
from portal.tenders.sealed_files import upload

from sanely.documents import Document, Paragraph
from sanely.documents.letters.invitation_to_tender import KIND as INVITATION
from sanely.documents.letters.round_invitation import KIND as ROUND_INVITATION
from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.competition.models import Letter, Participant, Standing
from sanely.portal.competition.services import letter_send, participant_set
from sanely.portal.config.jinja2 import uk_time
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, PermissionDenied, RuleRefused, ValidationFailed
from sanely.portal.procurements.engine import UK
from sanely.portal.tenders import events as tenders_events
from sanely.portal.tenders.models import SubmissionVersion
from sanely.portal.tenders.services import submission_round_open, submission_submit

pytestmark = pytest.mark.django_db


# Each round runs twelve days and the next opens two days after it closes, so every earlier
# round is closed when a later one opens (the first opens 60 days ago).
ROUND_EVERY = timedelta(days=14)


def _open(wessex, procurement, number, final=False, justification="", at=None, days=12):
    at = at or now() - timedelta(days=60) + (number - 1) * ROUND_EVERY
    return submission_round_open(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=procurement.pk,
        kind="tender",
        number=number,
        final=final,
        deadline=at + timedelta(days=days),
        justification=justification,
        now=at,
    )


def test_rounds_are_numbered_in_order_and_none_follows_the_final_one(wessex, kestrel):
    procurement = procurement_at(wessex, "tendering", commenced_on=PCR_COMMENCED_ON)
    invite(procurement, kestrel)
    with pytest.raises(ValidationFailed) as skipped:
        _open(wessex, procurement, 2)
    assert ["The next tender round is number 1."] == skipped.value.detail["number"]
    _open(wessex, procurement, 1)
    _open(wessex, procurement, 2)
    _open(wessex, procurement, 3, final=True)
    procurement.refresh_from_db()
    assert [1, 2, 3] == [r["number"] for r in procurement.rounds]
    assert [False, False, True] == [r["final"] for r in procurement.rounds]
    with pytest.raises(RuleRefused) as after_final:
        _open(wessex, procurement, 4, at=now())
    assert ("PCR15-31-13", 4) == (after_final.value.rule, procurement.submission_rounds.count() + 1)


def test_a_round_records_the_day_it_was_invited_and_its_deadline(wessex, procurement):
    opened = _open(wessex, procurement, 1)
    procurement.refresh_from_db()
    assert [
        {
            "number": 1,
            "final": False,
            "invited_on": uk_time(opened.created_at, "%Y-%m-%d"),
            "deadline": opened.deadline.astimezone(UK).isoformat(),
        }
    ] == procurement.rounds


@pytest.mark.parametrize(
    ("commenced_on", "rule", "citation"),
    [
        (COMMENCED_ON, "PA23-20-1/rounds", "Procurement Act 2023 s.20(1), (4)(c)"),
        (PCR_COMMENCED_ON, "PCR15-31-13", "PCR 2015 reg. 31(13)"),
    ],
    ids=["pa-2023", "pcr-2015"],
)
@pytest.mark.parametrize("final", [True, False], ids=["final", "revised"])
def test_no_round_opens_while_an_earlier_round_is_still_open(
    wessex, kestrel, commenced_on, rule, citation, final
):
    procurement = procurement_at(wessex, "tendering", commenced_on=commenced_on)
    invite(procurement, kestrel)
    first = _open(wessex, procurement, 1, at=now())
    with pytest.raises(RuleRefused) as refused:
        _open(wessex, procurement, 2, final=final, at=now() + timedelta(days=2), days=20)
    assert (rule, citation) == (refused.value.rule, refused.value.citation)
    assert refused.value.message.startswith("Round 1 is still open:")
    assert [first] == list(procurement.submission_rounds.all())
    after = first.deadline + timedelta(minutes=1)
    assert _open(wessex, procurement, 2, final=final, at=after, days=12).final is final


def test_under_the_act_a_round_deadline_shorter_than_the_tendering_period_is_refused(
    wessex, procurement
):
    # Wessex (not central government), tenders only from pre-selected suppliers: 10 days from
    # the day after the invitation (s.54(4), (5)). Invited on 1 Mar 2027: 11 Mar is the earliest.
    invited = datetime(2027, 3, 1, 9, tzinfo=UK)
    with pytest.raises(RuleRefused) as short:
        _open(wessex, procurement, 1, at=invited, days=9)
    assert ("PA23-54-TP", "Procurement Act 2023 s.54(4), (5)") == (
        short.value.rule,
        short.value.citation,
    )
    assert "earlier than 2027-03-11" in short.value.message
    assert _open(wessex, procurement, 1, at=invited, days=10).number == 1


def test_under_the_regulations_a_short_round_asks_why_the_time_is_enough(wessex, kestrel):
    # PCR 2015 sets no minimum for a round; reg 47(1) asks time limits to allow for the
    # complexity of the contract, so a round under ten days needs the authority's reasons.
    procurement = procurement_at(wessex, "tendering", commenced_on=PCR_COMMENCED_ON)
    invite(procurement, kestrel)
    with pytest.raises(RuleRefused) as unjustified:
        _open(wessex, procurement, 1, days=7)
    assert ("PCR15-47-1", "PCR 2015 reg. 47(1)") == (
        unjustified.value.rule,
        unjustified.value.citation,
    )
    _open(wessex, procurement, 1, days=7, justification="A short price update only.")
    with pytest.raises(RuleRefused, match="Record a justification first"):
        _open(wessex, procurement, 2, days=7)  # asked again for every round


def test_under_the_act_a_round_after_the_final_one_needs_a_justification(wessex, procurement):
    """PA 2023 s.20(1): the Act leaves it to the documents, so a WARN asks for a justification."""
    _open(wessex, procurement, 1)
    _open(wessex, procurement, 2, final=True)
    with pytest.raises(RuleRefused) as unjustified:
        _open(wessex, procurement, 3)
    assert ("PA23-20-4", 2) == (unjustified.value.rule, procurement.submission_rounds.count())
    _open(wessex, procurement, 3, justification="The tender notice reserved a further round.")
    assert 3 == procurement.submission_rounds.count()


def test_no_tender_round_before_anyone_is_invited(wessex, procurement):
    Participant.objects.filter(procurement=procurement).delete()
    with pytest.raises(Conflict, match="decide the shortlist"):
        _open(wessex, procurement, 1)


def test_only_tenderers_still_in_the_competition_may_submit(wessex, kestrel, procurement):
    round_one = _open(wessex, procurement, 1)
    osprey = make_org("Osprey Robotics Ltd", "supplier", SUPPLIER_ROLES, slug="osprey")
    for outsider, organisation in ((osprey, osprey.organisation), (kestrel, None)):
        if organisation is None:  # Kestrel, once left out in a staged reduction
            organisation = kestrel.organisation
            participant_set(
                actor=wessex.actor(Role.PROCUREMENT_LEAD),
                procurement=procurement,
                organisation=organisation,
                standing=Standing.REDUCED,
                reason="Ranked last.",
                now=now(),
            )
        with pytest.raises(PermissionDenied, match="not one of the tenderers still in"):
            submission_submit(
                actor=outsider.actor(Role.SUPPLIER_ADMIN),
                round_id=round_one.pk,
                organisation_id=organisation.pk,
                part="Tender",
                upload=upload(),
                now=now(),
            )
    assert 0 == SubmissionVersion.objects.count()


def test_a_letter_is_kept_emailed_and_audited(wessex, kestrel, procurement, mailoutbox):
    from django.test import TestCase

    document = Document(
        "invitation",
        "Invitation to tender",
        (Paragraph("You are invited to tender."),),
        {"round": 1},
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        letter_send(
            actor=wessex.actor(Role.PROCUREMENT_LEAD),
            procurement=procurement,
            recipient=kestrel.organisation,
            document=document,
            now=now(),
        )
    letter = Letter.objects.get()
    assert ("invitation", "You are invited to tender.") == (letter.kind, letter.body)
    assert (document, {"round": 1}) == (letter.document, letter.facts)
    assert ["You are invited to tender."] == [m.body for m in mailoutbox]
    assert ["IP-2026-TEST1: Invitation to tender"] == [m.subject for m in mailoutbox]
    assert {"supplier_admin@kestrel.example", "supplier_member@kestrel.example"} == set(
        mailoutbox[0].to
    )


def test_a_supplier_reads_its_standing_and_letters_on_the_page_and_through_the_api(
    wessex, kestrel, procurement
):
    invited = (Paragraph("Dear Kestrel,"), Paragraph("You are invited."))
    letter = letter_send(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement=procurement,
        recipient=kestrel.organisation,
        document=Document(INVITATION, "Invitation to tender", invited),
        now=now(),
    )
    page = kestrel.client(Role.SUPPLIER_MEMBER).get(f"/opportunities/{procurement.pk}/")
    assert "Kestrel Mobility Ltd in this competition" in page.text
    assert "Tendering" in page.text
    assert f"/opportunities/letters/{letter.pk}" in page.text
    shown = kestrel.client(Role.SUPPLIER_MEMBER).get(f"/opportunities/letters/{letter.pk}")
    assert "Dear Kestrel,<br>" not in shown.text  # paragraphs, not one block
    assert '<p class="govuk-body">You are invited.</p>' in shown.text
    api = kestrel.token_client(Role.SUPPLIER_ADMIN)
    listed = api.get(
        f"/api/v1/opportunities/{procurement.pk}/letters?organisation_id={kestrel.organisation.pk}"
    )
    assert ["Invitation to tender"] == [item["subject"] for item in listed.json()]
    authority = wessex.token_client(Role.AUDITOR).get(f"/api/v1/letters/{letter.pk}")
    assert (200, INVITATION) == (authority.status_code, authority.json()["kind"])


def test_opening_a_tender_round_sends_each_tenderer_still_in_an_invitation(
    wessex, kestrel, procurement
):
    osprey = make_org("Osprey Robotics Ltd", "supplier", SUPPLIER_ROLES, slug="osprey")
    Participant.objects.create(
        procurement=procurement,
        organisation=osprey.organisation,
        standing=Standing.NOT_SELECTED,
        changed_at=now(),
    )
    submission_round = _open(wessex, procurement, 1)
    letter = Letter.objects.get()
    assert (kestrel.organisation, ROUND_INVITATION) == (letter.recipient, letter.kind)
    assert letter.subject.startswith("Tenders, round 1: open until ")
    assert "- Tender" in letter.body
    assert submission_round.ref == letter.facts["round"]


def test_opening_the_requests_tells_everyone_who_expressed_interest(wessex, kestrel):
    from sanely.portal.tenders.services import interest_express

    published = procurement_at(wessex, "participation", reference="IP-2026-RTP")
    interest_express(
        actor=kestrel.actor(Role.SUPPLIER_ADMIN),
        procurement_id=published.pk,
        organisation_id=kestrel.organisation.pk,
        now=now(),
    )
    submission_round_open(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=published.pk,
        kind="rtp",
        number=1,
        deadline=now() + timedelta(days=30),
        now=now(),
    )
    assert [("Kestrel Mobility Ltd", ROUND_INVITATION)] == [
        (letter.recipient.name, letter.kind) for letter in Letter.objects.all()
    ]


def test_the_opportunity_publishes_the_criteria_and_the_price_formula(wessex, kestrel):
    published = procurement_at(wessex, "participation", reference="IP-2026-CRIT")
    page = kestrel.client(Role.SUPPLIER_MEMBER).get(f"/opportunities/{published.pk}/")
    assert DESIGN["minimum_requirements"]["items"][0] in page.text
    assert "R&amp;D track record: scored 0 to 5, weight 2, at least 2 to qualify" in page.text
    assert "Service design: 50% of it" in page.text
    assert "Price points = price weight × lowest tendered price ÷ this tender&#39;s price." in (
        page.text
    )


def test_people_who_may_evaluate_read_a_tender_only_after_declaring_no_conflict(
    wessex, kestrel, procurement
):
    from sanely.portal.evaluation.services import declaration_record
    from sanely.portal.tenders.selectors import access_submission_content
    from sanely.portal.tenders.services import round_opening_confirm, round_opening_request

    start = now() - timedelta(days=13)
    tenders = _open(wessex, procurement, 1, at=start)
    version = submission_submit(
        actor=kestrel.actor(Role.SUPPLIER_ADMIN),
        round_id=tenders.pk,
        organisation_id=kestrel.organisation.pk,
        part="Tender",
        upload=upload(),
        now=start + timedelta(hours=1),
    )
    round_opening_request(actor=wessex.actor(Role.PROCUREMENT_LEAD), round_id=tenders.pk, now=now())
    round_opening_confirm(actor=wessex.actor(Role.COMMISSIONER), round_id=tenders.pk, now=now())

    def read(role):
        content = access_submission_content(
            actor=wessex.actor(role), version_id=version.pk, route="test", now=now()
        )
        content.file.close()

    with pytest.raises(PermissionDenied, match="Declare any conflict of interest"):
        read(Role.EVALUATOR)
    read(Role.AUDITOR)  # reviews the record, takes no part in the evaluation
    declaration_record(
        actor=wessex.actor(Role.EVALUATOR),
        procurement_id=procurement.pk,
        conflict=False,
        now=now(),
    )
    read(Role.EVALUATOR)
    declaration_record(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=procurement.pk,
        conflict=True,
        details="My brother is Kestrel's finance director.",
        now=now(),
    )
    # Told what applies to them: not to declare what they have declared.
    with pytest.raises(PermissionDenied) as conflicted:
        read(Role.PROCUREMENT_LEAD)
    assert conflicted.value.message.startswith(
        "You declared a conflict of interest in this procurement, so you cannot read its tenders."
    )
    assert "Declare" not in conflicted.value.message
    refused = AuditEvent.objects.filter(action=tenders_events.SEALED_ACCESS_REFUSED)
    assert 2 == refused.count()
