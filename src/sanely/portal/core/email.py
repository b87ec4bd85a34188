"""
Email: every message goes out through a background task, after the transaction commits.

The backend is chosen in settings: the console by default, SMTP when configured, or
GOV.UK Notify through its Python client when an API key is set. A send that fails for a
transient reason is tried again later, the wait doubling each time (EMAIL_RETRY_SECONDS,
EMAIL_MAX_ATTEMPTS); a permanent refusal, or the last attempt, fails the task.
"""

import logging
import smtplib
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.tasks import task

from sanely.documents import Document, render_text

from .clock import now

logger = logging.getLogger(__name__)


class NotifyEmailBackend(BaseEmailBackend):
    """
    Send through GOV.UK Notify, using one template with `subject` and `body` placeholders.

    Notify sends each message to one address, so a message with several recipients
    becomes several sends.
    """

    def __init__(self, *args: Any, client: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client

    def _client(self) -> Any:
        if self.client is None:
            from notifications_python_client.notifications import NotificationsAPIClient

            self.client = NotificationsAPIClient(settings.NOTIFY_API_KEY)  # type: ignore[no-untyped-call]
        return self.client

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            for recipient in message.recipients():
                self._client().send_email_notification(
                    email_address=recipient,
                    template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                    personalisation={"subject": message.subject, "body": message.body},
                )
            sent += 1
        return sent


def email_failure_is_transient(error: Exception) -> bool:
    """Whether trying again later may succeed: the server was away, busy or cut us off."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500  # 4xx: "try again later"; 5xx: refused for good
    if isinstance(error, smtplib.SMTPException):
        return isinstance(error, smtplib.SMTPServerDisconnected)
    status = getattr(error, "status_code", None)  # GOV.UK Notify's client errors carry one
    if isinstance(status, int):
        return status == 429 or status >= 500
    return isinstance(error, OSError)  # refused or dropped connections, timeouts, DNS


@task()
def email_deliver(*, to: list[str], subject: str, body: str, attempt: int = 1) -> int:
    """
    Background task: hand one message to the configured email backend; after a transient
    failure, queue it again to run after a wait that doubles with each attempt.
    """
    try:
        return EmailMessage(subject=subject, body=body, to=to).send()
    except Exception as error:
        last = attempt >= settings.EMAIL_MAX_ATTEMPTS
        if last or not email_failure_is_transient(error) or not _can_wait():
            raise
        wait = timedelta(seconds=settings.EMAIL_RETRY_SECONDS * 2 ** (attempt - 1))
        logger.warning("Email attempt %s failed (%s); trying again in %s", attempt, error, wait)
        email_deliver.using(run_after=now() + wait).enqueue(
            to=to, subject=subject, body=body, attempt=attempt + 1
        )
        return 0


def _can_wait() -> bool:
    """Whether the task backend can run a task later (the immediate one of tests cannot)."""
    return bool(email_deliver.get_backend().supports_defer)


def email_send(*, to: list[str], subject: str, body: str) -> None:
    """Queue an email to go once the current transaction commits (never for a rolled-back write)."""
    transaction.on_commit(lambda: email_deliver.enqueue(to=to, subject=subject, body=body))


def email_document(*, to: list[str], document: Document) -> None:
    """Queue an email of a document built by `sanely.documents`: its subject and its text."""
    email_send(to=to, subject=document.subject, body=render_text(document))
