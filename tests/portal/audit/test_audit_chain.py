import json
from contextlib import contextmanager
from datetime import timedelta

import pytest
from cast import NOW
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from sanely.portal.audit.chain import event_hash
from sanely.portal.audit.models import AuditEvent, AuditTrailIsAppendOnly
from sanely.portal.audit.services import PublishedHead, audit_record, audit_verify

pytestmark = pytest.mark.django_db


def record_three():
    return [
        audit_record(
            action=f"thing.step_{i}",
            subject=("thing", i),
            now=NOW + timedelta(minutes=i),
            payload={"n": i},
        )
        for i in range(1, 4)
    ]


@contextmanager
def behind_the_applications_back():
    """Raw SQL as someone with database access would run it, triggers switched off on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


def test_events_form_a_chain_that_verifies():
    first, second, third = record_three()
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    report = audit_verify()
    assert report.intact
    assert 3 == report.checked


def test_altering_a_row_is_detected_and_names_the_event():
    _, second, _ = record_three()
    with behind_the_applications_back() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET payload = %s WHERE id = %s", ['{"n": 99}', second.pk]
        )
    report = audit_verify()
    assert second.pk == report.broken_event_id
    assert "altered" in report.problem


def test_deleting_a_row_is_detected_at_the_next_event():
    _, second, third = record_three()
    with behind_the_applications_back() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    report = audit_verify()
    assert third.pk == report.broken_event_id


def test_deleting_the_newest_row_is_detected_against_the_head():
    *_, third = record_three()
    with behind_the_applications_back() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [third.pk])
    report = audit_verify()
    assert not report.intact
    assert "head records #3" in report.problem


def test_inserting_a_row_is_detected():
    first, _, _ = record_three()
    with behind_the_applications_back() as cursor:
        # A forged event between the first and second, with a plausible hash: the next one no longer links to it.
        cursor.execute("UPDATE audit_auditevent SET sequence = sequence + 10 WHERE sequence >= 2")
        cursor.execute(
            "INSERT INTO audit_auditevent (sequence, at, action, subject_type, subject_id, payload, previous_hash, hash)"
            " VALUES (2, %s, 'forged', 'thing', '9', '{}', %s, %s)",
            [NOW, first.hash, "f" * 64],
        )
    report = audit_verify()
    assert not report.intact
    assert report.broken_event_id is not None
    assert report.broken_event_id not in {first.pk}


def test_the_model_refuses_update_and_delete():
    event, *_ = record_three()
    event.action = "changed"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert audit_verify().intact


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'x'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent CASCADE",
    ],
)
def test_postgresql_refuses_changes_to_audit_rows(statement):
    record_three()
    with transaction.atomic(), connection.cursor() as cursor:
        # Run the deferred foreign-key checks first, or PostgreSQL refuses TRUNCATE for that reason instead.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(statement)
    assert 3 == AuditEvent.objects.count()


def test_verify_command_exits_1_naming_the_broken_event(capsys):
    _, second, _ = record_three()
    call_command("sanely_audit", "verify")
    assert "intact: 3 events" in capsys.readouterr().out
    with behind_the_applications_back() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'hidden' WHERE id = %s", [second.pk])
    # `sanely audit verify` exits with the CommandError's return code.
    with pytest.raises(CommandError, match=f"event id {second.pk}") as error:
        call_command("sanely_audit", "verify")
    assert 1 == error.value.returncode


def test_an_event_rolls_back_with_the_write_it_records():
    record_three()

    def write_that_fails():
        with transaction.atomic():
            audit_record(action="doomed", subject=("thing", 4), now=NOW)
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError):
        write_that_fails()
    assert 3 == AuditEvent.objects.count()
    assert audit_verify().intact


def _package_with_head(tmp_path, event):
    """A kept copy of an open-data package, carrying the head as it was published."""
    path = tmp_path / "package.json"
    head = {"sequence": event.sequence, "hash": event.hash, "hashAlgorithm": "sha-256"}
    path.write_text(json.dumps({"uri": "https://x.example", "auditChainHead": head}))
    return path


def _rewrite_from(sequence, payload):
    """Change one event and recompute every hash after it and the head, as someone with full
    database access could: the chain verifies on its own, only a published head tells."""
    previous = AuditEvent.objects.get(sequence=sequence - 1).hash
    with behind_the_applications_back() as cursor:
        for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
            fields = {
                "sequence": event.sequence,
                "at": event.at,
                "actor_id": event.actor_id,
                "organisation_id": event.organisation_id,
                "authority_id": event.authority_id,
                "action": event.action,
                "subject_type": event.subject_type,
                "subject_id": event.subject_id,
                "payload": payload if event.sequence == sequence else event.payload,
                "previous_hash": previous,
            }
            previous = event_hash(**fields)
            cursor.execute(
                "UPDATE audit_auditevent SET payload = %s, previous_hash = %s, hash = %s"
                " WHERE id = %s",
                [json.dumps(fields["payload"]), fields["previous_hash"], previous, event.pk],
            )
        cursor.execute("UPDATE audit_chainhead SET hash = %s", [previous])


def test_verify_against_a_published_head_proves_nothing_before_it_changed(tmp_path, capsys):
    *_, third = record_three()
    package = _package_with_head(tmp_path, third)
    audit_record(action="thing.later", subject=("thing", 4), now=NOW + timedelta(hours=1))
    call_command("sanely_audit", "verify", "--against", str(package))
    out = capsys.readouterr().out
    assert "intact: 4 events" in out
    assert "#3 still has the hash published" in out


def test_a_rewritten_and_rehashed_trail_fails_only_against_its_published_head(tmp_path):
    *_, third = record_three()
    package = _package_with_head(tmp_path, third)
    _rewrite_from(2, {"n": 99})
    assert audit_verify().intact  # consistent on its own
    with pytest.raises(CommandError, match=r"\(#3\): its hash is not the one published") as error:
        call_command("sanely_audit", "verify", "--against", str(package))
    assert 1 == error.value.returncode


def test_events_removed_after_the_published_head_are_found(tmp_path):
    _first, second, third = record_three()
    _package_with_head(tmp_path, third)
    with behind_the_applications_back() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [third.pk])
        cursor.execute("UPDATE audit_chainhead SET sequence = 2, hash = %s", [second.hash])
    assert audit_verify().intact
    report = audit_verify(PublishedHead(third.sequence, third.hash))
    assert "ends at event #2, before the published head #3" in report.problem


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json", "cannot read it as JSON"), ('{"releases": []}', "no audit-chain head")],
)
def test_a_file_without_a_head_is_refused_by_name(tmp_path, content, message):
    record_three()
    path = tmp_path / "kept.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message) as error:
        call_command("sanely_audit", "verify", "--against", str(path))
    assert 2 == error.value.returncode
