"""Running the service: health, the worker and its heartbeat, the commands, email backends, settings."""

import subprocess
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest
from cast import NOW
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from sanely.portal.accounts.models import Membership, Organisation, User
from sanely.portal.audit.services import audit_verify
from sanely.portal.core.email import NotifyEmailBackend, email_deliver
from sanely.portal.core.heartbeat import heartbeat_beat
from sanely.portal.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_and_a_worker_never_seen(db):
    body = Client().get("/healthz").json()
    assert {
        "status": "ok",
        "database": "ok",
        "worker": {"status": "never seen", "heartbeat_age_seconds": None},
    } == body


def test_healthz_reports_the_heartbeat_age_and_staleness(db):
    heartbeat_beat("worker-a")
    body = Client().get("/healthz").json()
    assert "ok" == body["worker"]["status"]
    assert body["worker"]["heartbeat_age_seconds"] < 60
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=10))
    assert "stale" == Client().get("/healthz").json()["worker"]["status"]


def test_healthz_is_503_when_the_database_is_down(db, monkeypatch):
    from sanely.portal.web import views

    monkeypatch.setattr(views, "_database_ok", lambda: False)
    response = Client().get("/healthz")
    assert 503 == response.status_code
    assert "unreachable" == response.json()["database"]


def test_demo_loads_once_and_a_second_run_adds_nothing(capsys):
    call_command("sanely_demo", "--no-serve")
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("sanely_demo", "--no-serve")
    assert counts == (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    assert counts[0] >= 6
    out = capsys.readouterr().out
    for role in (
        "Commissioner",
        "Procurement lead",
        "Evaluator",
        "Finance officer",
        "Auditor",
        "Supplier admin",
        "Supplier member",
    ):
        assert role in out
    assert audit_verify().intact


def test_every_printed_demo_login_signs_in(settings):
    from sanely.portal.demo.load import DEMO_PASSWORD, demo_load

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    logins = demo_load(now=timezone.now())
    assert len({role for _, _, role in logins}) == 7
    for email, _, _ in logins:
        response = Client().post("/sign-in", {"email": email, "password": DEMO_PASSWORD})
        assert 302 == response.status_code, email
    assert User.objects.first().password.startswith("argon2")


def test_createuser_makes_a_person_with_a_role(capsys):
    call_command(
        "sanely_createuser",
        "--email",
        "lead@shire.example",
        "--name",
        "Sam Lead",
        "--organisation",
        "Shire Council",
        "--role",
        "procurement_lead",
        "--password",
        "a-long-enough-secret-1",
    )
    membership = Membership.objects.get(user__email="lead@shire.example")
    assert ("Shire Council", "procurement_lead") == (membership.organisation.name, membership.role)


def test_createuser_explains_a_bad_password():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="password") as error:
        call_command(
            "sanely_createuser",
            "--email",
            "x@shire.example",
            "--name",
            "X",
            "--organisation",
            "Shire",
            "--role",
            "auditor",
            "--password",
            "short",
        )
    assert 2 == error.value.returncode
    assert not User.objects.filter(email="x@shire.example").exists()


def test_the_worker_runs_queued_email_and_beats(settings, mailoutbox, monkeypatch):
    # The worker drops connections between tasks; inside a test's transaction that would end it.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    email_deliver.enqueue(to=["a@example.org"], subject="Hello", body="From the worker")
    call_command("sanely_worker", "--batch", "--interval", "0")
    assert ["Hello"] == [m.subject for m in mailoutbox]
    assert WorkerHeartbeat.objects.exists()


def test_notify_backend_sends_each_recipient_through_the_client(settings):
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "template-1"
    calls = []
    client = SimpleNamespace(send_email_notification=lambda **kwargs: calls.append(kwargs))
    backend = NotifyEmailBackend(client=client)
    message = mail.EmailMessage(
        subject="Standstill ends", body="Friday", to=["a@x.example", "b@x.example"]
    )
    assert 1 == backend.send_messages([message])
    assert ["a@x.example", "b@x.example"] == [c["email_address"] for c in calls]
    assert {"subject": "Standstill ends", "body": "Friday"} == calls[0]["personalisation"]


def run_settings(
    env, shown="from django.conf import settings; print(settings.SESSION_COOKIE_SECURE)"
):
    """Start Django in a fresh interpreter with only `env` set, and print what `shown` prints."""
    code = f"import os; os.environ['DJANGO_SETTINGS_MODULE']='sanely.portal.config.settings'; import django; django.setup(); {shown}"
    return subprocess.run(  # noqa: S603 - our own interpreter and fixed code
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_settings({"SANELY_ENV": "production", "SANELY_DATA_DIR": str(tmp_path)})
    assert 0 != result.returncode
    assert "SANELY_SECRET_KEY must be set" in result.stderr


def _production(tmp_path, **extra):
    """The environment of a production start with its keys, and `extra`."""
    from sanely import vault

    return {
        "SANELY_ENV": "production",
        "SANELY_SECRET_KEY": "x" * 50,
        "SANELY_VAULT_MASTER_KEY": vault.master_key_generate(),
        "SANELY_RECEIPT_SIGNING_KEY": vault.signing_key_generate().private_pem.decode(),
        "SANELY_DATA_DIR": str(tmp_path),
        **extra,
    }


def test_production_refuses_to_start_without_an_ocid_prefix_and_public_address(tmp_path):
    result = run_settings(_production(tmp_path))
    assert 0 != result.returncode
    assert "SANELY_OCDS_OCID_PREFIX" in result.stderr


def test_production_uses_secure_cookies(tmp_path):
    result = run_settings(
        _production(
            tmp_path,
            SANELY_OCDS_OCID_PREFIX="ocds-abc123",
            SANELY_PUBLIC_URL="https://partnerships.example.gov.uk",
        )
    )
    assert "True" == result.stdout.strip(), result.stderr


def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_heartbeat_thread_beats_until_stopped(monkeypatch):
    import threading

    from sanely.portal.core import heartbeat

    beats = []
    monkeypatch.setattr(heartbeat, "heartbeat_beat", beats.append)
    stop = threading.Event()
    stop.set()  # beat once, then stop at the first wait
    thread = heartbeat.heartbeat_start("worker-b", stop)
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert ["worker-b"] == beats


def test_the_heartbeat_thread_survives_a_database_error_and_beats_again(monkeypatch):
    import threading

    from django.db import OperationalError

    from sanely.portal.core import heartbeat

    beats, beat_again = [], threading.Event()

    def beat(worker_id):
        beats.append(worker_id)
        if len(beats) == 1:
            raise OperationalError("database is locked")
        beat_again.set()

    monkeypatch.setattr(heartbeat, "heartbeat_beat", beat)
    monkeypatch.setattr(heartbeat, "HEARTBEAT_SECONDS", 0.01)
    stop = threading.Event()
    thread = heartbeat.heartbeat_start("worker-c", stop)
    try:
        assert beat_again.wait(timeout=30), "the heartbeat thread died on the database error"
        assert thread.is_alive()
    finally:
        stop.set()
        thread.join(timeout=10)


def test_housekeeping_runs_every_job_even_when_one_fails(caplog):
    from sanely.portal.core.heartbeat import housekeeping_due, housekeeping_run

    ran = []

    def broken(sender, now, **kwargs):
        raise RuntimeError("no disk")

    def working(sender, now, **kwargs):
        ran.append(now)

    housekeeping_due.connect(broken, dispatch_uid="test-broken")
    housekeeping_due.connect(working, dispatch_uid="test-working")
    try:
        failed = housekeeping_run(NOW)
    finally:
        housekeeping_due.disconnect(dispatch_uid="test-broken")
        housekeeping_due.disconnect(dispatch_uid="test-working")
    assert [NOW] == ran
    assert ["test_housekeeping_runs_every_job_even_when_one_fails.<locals>.broken"] == failed
    assert "no disk" in caplog.text


def test_uploads_go_to_object_storage_when_a_bucket_is_set(tmp_path):
    env = {"SANELY_DATA_DIR": str(tmp_path), "SANELY_S3_BUCKET": "evidence"}
    shown = "from django.core.files.storage import storages; s = storages['default']; print(type(s).__name__, s.bucket_name)"
    result = run_settings(env, shown)
    assert "S3Storage evidence" == result.stdout.strip(), result.stderr
