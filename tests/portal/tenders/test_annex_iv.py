"""
Directive 2014/24/EU, Annex IV: what the portal enforces of each requirement (the vault's
share is in tests/vault/test_annex_iv.py), and the Done-when items of issue #4 for the vault.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from cast import PASSWORD
from django.conf import settings
from django.db import connection
from django.test import Client
from portal.tenders.sealed_files import SECRET, pdf, upload

from sanely.portal.accounts.models import Membership, Role, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.models import AuditEvent
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from sanely.portal.tenders import events as tenders_events
from sanely.portal.tenders.models import SubmissionRound, SubmissionVersion
from sanely.portal.tenders.selectors import access_submission_content
from sanely.portal.tenders.services import (
    round_opening_confirm,
    round_opening_request,
    submission_round_extend,
    submission_round_open,
    submission_submit,
)
from sanely.vault.cli import main as vault_cli

pytestmark = pytest.mark.django_db
REFUSED = tenders_events.SEALED_ACCESS_REFUSED
AUTHORITY_ROLES = [
    Role.COMMISSIONER,
    Role.PROCUREMENT_LEAD,
    Role.EVALUATOR,
    Role.FINANCE_OFFICER,
    Role.AUDITOR,
]


@pytest.fixture
def superuser(wessex):
    """A superuser who is also Wessex's procurement lead: no role gives a way round the seal."""
    user = User.objects.create_superuser("root@wessex.example", PASSWORD, full_name="Root")
    Membership.objects.create(
        user=user, organisation=wessex.organisation, role=Role.PROCUREMENT_LEAD, created_at=now()
    )
    return user


def everyone(wessex, mercia, kestrel, superuser):
    """(who, Actor, browser client, API client) for every role that might try."""
    for org, roles in ((wessex, AUTHORITY_ROLES), (mercia, [Role.PROCUREMENT_LEAD])):
        for role in roles:
            yield (
                f"{org.organisation.name} {role}",
                org.actor(role),
                org.client(role),
                (org.token_client(role)),
            )
    for role in (Role.SUPPLIER_ADMIN, Role.SUPPLIER_MEMBER):
        yield (
            f"Kestrel {role}",
            kestrel.actor(role),
            kestrel.client(role),
            kestrel.token_client(role),
        )
    browser = Client()
    browser.force_login(superuser)
    yield "superuser", Actor.for_session(superuser), browser, browser


def read_by_selector(actor, version):
    try:
        with access_submission_content(
            actor=actor, version_id=version.pk, route="test", now=now()
        ).file as plain:
            return plain.read()
    except ApplicationError as error:
        return error


def test_annex_iv_a_exact_time_and_date_of_receipt_is_determined(kestrel, past_round, opened_at):
    received = opened_at + timedelta(hours=3, microseconds=654321)
    version = submission_submit(
        actor=kestrel.actor(Role.SUPPLIER_ADMIN),
        round_id=past_round.pk,
        organisation_id=kestrel.organisation.pk,
        part="Request to participate",
        upload=upload(),
        now=received,
    )
    version.refresh_from_db()
    event = AuditEvent.objects.get(action=tenders_events.SUBMISSION_RECEIVED)
    stamp = received.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert (received, received) == (version.received_at, event.at)
    assert f'"received_at":"{stamp}"' in version.receipt


def test_annex_iv_b_no_one_can_read_tenders_before_the_time_limit(
    wessex, mercia, kestrel, sealed, open_round, superuser
):
    """Every role, the superuser included, through the selector, the pages and the API."""
    attempts = 0
    for who, actor, browser, api in everyone(wessex, mercia, kestrel, superuser):
        assert isinstance(read_by_selector(actor, sealed), Conflict | NotFound), who
        page = browser.get(f"/tenders/submissions/{sealed.pk}/content")
        answer = api.get(f"/api/v1/submissions/{sealed.pk}/content")
        assert {page.status_code, answer.status_code} <= {404, 409}, who
        assert SECRET not in page.content + answer.content, who
        attempts += 3
    refusals = AuditEvent.objects.filter(action=REFUSED)
    assert attempts == refusals.count()
    assert {wessex.organisation.pk} == set(refusals.values_list("authority_id", flat=True))
    # Nor can a round be opened early, which would be the way to read them.
    lead = wessex.token_client(Role.PROCUREMENT_LEAD)
    assert 409 == lead.post(f"/api/v1/rounds/{open_round.pk}/opening").status_code
    assert attempts + 1 == refusals.count()


def test_annex_iv_c_only_authorised_persons_set_or_change_the_dates_for_opening(
    wessex, mercia, kestrel, open_round
):
    later = open_round.deadline + timedelta(days=2)
    body = {"new_deadline": later.isoformat(), "reason": "Portal outage on Tuesday"}
    refused = [
        (Role.EVALUATOR, wessex, 403),
        (Role.AUDITOR, wessex, 403),
        (Role.FINANCE_OFFICER, wessex, 403),
        (Role.PROCUREMENT_LEAD, mercia, 404),
        (Role.SUPPLIER_ADMIN, kestrel, 404),
    ]
    for role, org, status in refused:
        client = org.token_client(role)
        url = f"/api/v1/rounds/{open_round.pk}/extensions"
        assert status == client.post(url, body, content_type="application/json").status_code
    open_round.refresh_from_db()
    assert 0 == open_round.extensions.count()
    submission_round_extend(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        round_id=open_round.pk,
        new_deadline=later,
        reason="Portal outage on Tuesday",
        platform_incident=True,
        now=now(),
    )
    open_round.refresh_from_db()
    extension = open_round.extensions.get()
    assert (later, str(wessex.user(Role.PROCUREMENT_LEAD).pk)) == (
        open_round.deadline,
        open_round.deadline_set_by,
    )
    assert ("Portal outage on Tuesday", True) == (extension.reason, extension.platform_incident)
    # Brought forward, or without a reason: refused, nothing recorded.
    with pytest.raises(ApplicationError) as earlier:
        submission_round_extend(
            actor=wessex.actor(Role.COMMISSIONER),
            round_id=open_round.pk,
            new_deadline=later - timedelta(hours=1),
            reason="Sooner",
            now=now(),
        )
    assert earlier.value.message.startswith("A deadline can only be extended")
    with pytest.raises(ApplicationError) as unexplained:
        submission_round_extend(
            actor=wessex.actor(Role.COMMISSIONER),
            round_id=open_round.pk,
            new_deadline=later + timedelta(days=1),
            reason=" ",
            now=now(),
        )
    assert ["reason"] == list(unexplained.value.detail)
    assert 1 == open_round.extensions.count()


def test_annex_iv_d_during_the_stages_only_authorised_persons_reach_the_data(
    wessex, mercia, kestrel, sealed
):
    """Before opening the authority learns only how many submitted; a supplier sees only its own."""
    page = wessex.client(Role.PROCUREMENT_LEAD).get(f"/tenders/rounds/{sealed.round_id}/")
    assert 200 == page.status_code
    assert "1 supplier submitted" in page.text
    assert kestrel.organisation.name not in page.text
    assert sealed.file_name not in page.text
    listing = wessex.token_client(Role.PROCUREMENT_LEAD).get(
        f"/api/v1/rounds/{sealed.round_id}/submissions"
    )
    assert 409 == listing.status_code
    own = kestrel.token_client(Role.SUPPLIER_MEMBER).get(
        f"/api/v1/rounds/{sealed.round_id}/submissions/mine?organisation_id={kestrel.organisation.pk}"
    )
    assert [sealed.pk] == [v["id"] for v in own.json()["versions"]]
    receipt = kestrel.token_client(Role.SUPPLIER_MEMBER).get(
        f"/api/v1/submissions/{sealed.pk}/receipt"
    )
    assert sealed.receipt.encode() == receipt.content
    for org in (wessex, mercia):
        answer = org.token_client(Role.PROCUREMENT_LEAD).get(
            f"/api/v1/submissions/{sealed.pk}/receipt"
        )
        assert 404 == answer.status_code


def test_annex_iv_e_only_authorised_persons_give_access_and_only_after_the_date(
    wessex, kestrel, open_round, sealed
):
    lead, commissioner = wessex.actor(Role.PROCUREMENT_LEAD), wessex.actor(Role.COMMISSIONER)
    with pytest.raises(Conflict, match="before its deadline"):
        round_opening_request(actor=lead, round_id=open_round.pk, now=now())
    for role in (Role.EVALUATOR, Role.AUDITOR, Role.FINANCE_OFFICER):
        with pytest.raises(PermissionDenied):
            round_opening_request(actor=wessex.actor(role), round_id=sealed.round_id, now=now())
    with pytest.raises(NotFound):
        round_opening_request(
            actor=kestrel.actor(Role.SUPPLIER_ADMIN), round_id=sealed.round_id, now=now()
        )
    round_opening_request(actor=lead, round_id=sealed.round_id, now=now())
    # Opening by one person is refused, and recorded.
    with pytest.raises(Conflict, match="second authorised person"):
        round_opening_confirm(actor=lead, round_id=sealed.round_id, now=now())
    assert isinstance(read_by_selector(lead, sealed), Conflict)
    with pytest.raises(PermissionDenied):
        round_opening_confirm(
            actor=wessex.actor(Role.EVALUATOR), round_id=sealed.round_id, now=now()
        )
    opened = round_opening_confirm(actor=commissioner, round_id=sealed.round_id, now=now())
    assert (lead.user, commissioner.user) == (opened.opening_requested_by, opened.opened_by)
    assert [tenders_events.ROUND_OPENING_REQUESTED, tenders_events.ROUND_OPENED] == list(
        AuditEvent.objects.filter(action__startswith="round.open").values_list("action", flat=True)
    )
    assert 3 == AuditEvent.objects.filter(action=REFUSED).count()


def test_annex_iv_f_opened_data_stays_accessible_only_to_authorised_persons(
    wessex, mercia, kestrel, opened
):
    for role in AUTHORITY_ROLES:
        assert pdf() == read_by_selector(wessex.actor(role), opened), role
    download = wessex.client(Role.EVALUATOR).get(f"/tenders/submissions/{opened.pk}/content")
    assert (200, "application/pdf", "nosniff") == (
        download.status_code,
        download["Content-Type"],
        download["X-Content-Type-Options"],
    )
    assert download["Content-Disposition"].startswith("attachment")
    assert pdf() == b"".join(download.streaming_content)
    assert isinstance(read_by_selector(mercia.actor(Role.PROCUREMENT_LEAD), opened), NotFound)
    assert isinstance(
        read_by_selector(kestrel.actor(Role.SUPPLIER_ADMIN), opened), PermissionDenied
    )
    api = mercia.token_client(Role.PROCUREMENT_LEAD)
    assert 404 == api.get(f"/api/v1/submissions/{opened.pk}/content").status_code
    assert (
        len(AUTHORITY_ROLES) + 1
        == AuditEvent.objects.filter(action=tenders_events.SUBMISSION_CONTENT_READ).count()
    )


def test_a_sealed_file_gone_from_storage_is_named_and_recorded_not_a_server_error(wessex, opened):
    opened.sealed_blob.storage.delete(opened.sealed_blob.name)
    page = wessex.client(Role.EVALUATOR).get(f"/tenders/submissions/{opened.pk}/content")
    api = wessex.token_client(Role.EVALUATOR).get(f"/api/v1/submissions/{opened.pk}/content")
    assert (409, 409) == (page.status_code, api.status_code)
    missing = f"“{opened.file_name}” is missing from storage"
    assert missing in page.text
    assert missing in api.json()["message"]
    recorded = AuditEvent.objects.filter(action=tenders_events.SEALED_FILE_MISSING)
    assert ["page", "api"] == [event.payload["route"] for event in recorded.order_by("pk")]


def test_annex_iv_g_infringements_and_attempts_are_clearly_detectable(
    wessex, mercia, kestrel, sealed
):
    kestrel.client(Role.SUPPLIER_ADMIN).get(f"/tenders/submissions/{sealed.pk}/content")
    mercia.token_client(Role.AUDITOR).get(f"/api/v1/submissions/{sealed.pk}/content")
    seen = wessex.token_client(Role.AUDITOR).get(f"/api/v1/audit/events?action={REFUSED}")
    events = seen.json()["items"]
    assert [kestrel.user(Role.SUPPLIER_ADMIN).email, mercia.user(Role.AUDITOR).email] == [
        e["actor_email"] for e in events
    ]
    assert ["page", "api"] == [e["payload"]["route"] for e in events]
    others = mercia.token_client(Role.AUDITOR).get(f"/api/v1/audit/events?action={REFUSED}")
    assert [] == others.json()["items"]
    # After opening, an altered blob is detected, refused and recorded too.
    at = now()
    round_opening_request(actor=wessex.actor(Role.COMMISSIONER), round_id=sealed.round_id, now=at)
    round_opening_confirm(
        actor=wessex.actor(Role.PROCUREMENT_LEAD), round_id=sealed.round_id, now=at
    )
    path = Path(sealed.sealed_blob.path)
    tampered = bytearray(path.read_bytes())
    tampered[-20] ^= 1
    path.write_bytes(bytes(tampered))
    refused = read_by_selector(wessex.actor(Role.EVALUATOR), sealed)
    assert isinstance(refused, Conflict)
    assert "could not be read" in refused.message
    assert 3 == AuditEvent.objects.filter(action=REFUSED).count()


def test_the_database_and_the_storage_hold_no_plaintext_of_a_sealed_tender(kestrel, sealed):
    rows = []
    for model in (SubmissionVersion, SubmissionRound, AuditEvent):
        for values in model.objects.values_list():
            rows.append(repr(values).encode())
    assert not any(SECRET in row or SECRET.decode() in row.decode() for row in rows)
    blobs = [p.read_bytes() for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert 1 == len(blobs)
    assert SECRET not in blobs[0]
    assert SECRET[:24] not in blobs[0]
    if connection.vendor == "sqlite":
        # The whole database as SQL (binary columns as hex): the test database lives in memory.
        dump = "\n".join(connection.connection.iterdump())
        assert sealed.plaintext_sha256 in dump  # the submission is in it...
        assert SECRET.decode()[:24] not in dump  # ...but not its content, as text
        assert SECRET[:24].hex().upper() not in dump.upper()  # nor as bytes


def test_a_late_tender_is_refused(kestrel, past_round):
    with pytest.raises(Conflict, match="not before the deadline"):
        submission_submit(
            actor=kestrel.actor(Role.SUPPLIER_ADMIN),
            round_id=past_round.pk,
            organisation_id=kestrel.organisation.pk,
            part="Request to participate",
            upload=upload(),
            now=past_round.deadline,
        )


def test_a_receipt_verifies_offline_against_the_published_key(kestrel, sealed, tmp_path, capsys):
    key = Client().get("/.well-known/sanely-receipt-key.pem")
    assert 200 == key.status_code
    receipt = kestrel.client(Role.SUPPLIER_MEMBER).get(f"/opportunities/receipts/{sealed.pk}")
    assert receipt["Content-Disposition"].startswith("attachment")
    (tmp_path / "key.pem").write_bytes(key.content)
    (tmp_path / "receipt.json").write_bytes(receipt.content)
    (tmp_path / "proposal.pdf").write_bytes(pdf())
    args = ["verify-receipt", str(tmp_path / "receipt.json"), "--public-key"]
    ok = vault_cli([*args, str(tmp_path / "key.pem"), "--file", str(tmp_path / "proposal.pdf")])
    assert 0 == ok, capsys.readouterr().err
    assert "valid" in capsys.readouterr().out
    (tmp_path / "receipt.json").write_bytes(receipt.content.replace(b'"version":1', b'"version":2'))
    assert 1 == vault_cli([*args, str(tmp_path / "key.pem")])


def test_opening_by_one_person_is_refused(wessex, sealed):
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    round_opening_request(actor=lead, round_id=sealed.round_id, now=now())
    with pytest.raises(Conflict, match="not the one who asked"):
        round_opening_confirm(actor=lead, round_id=sealed.round_id, now=now())
    sealed.round.refresh_from_db()
    assert sealed.round.opened_at is None


def test_a_round_needs_a_published_procurement_and_an_authorised_opener(wessex, procurement):
    procurement.published_at = None
    procurement.save()
    for role, refusal in ((Role.COMMISSIONER, Conflict), (Role.EVALUATOR, PermissionDenied)):
        with pytest.raises(refusal):
            submission_round_open(
                actor=wessex.actor(role),
                procurement_id=procurement.pk,
                kind="rtp",
                number=1,
                deadline=now() + timedelta(days=3),
                now=now(),
            )
    assert 0 == SubmissionRound.objects.count()
