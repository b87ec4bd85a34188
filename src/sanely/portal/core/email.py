"""
Email: every message goes out through a background task, after the transaction commits.

The backend is chosen in settings: the console by default, SMTP when configured, or
GOV.UK Notify through its Python client when an API key is set.
"""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.tasks import task

from sanely.documents import Document, render_text


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


@task()
def email_deliver(*, to: list[str], subject: str, body: str) -> int:
    """Background task: hand one message to the configured email backend."""
    return EmailMessage(subject=subject, body=body, to=to).send()


def email_send(*, to: list[str], subject: str, body: str) -> None:
    """Queue an email to go once the current transaction commits (never for a rolled-back write)."""
    transaction.on_commit(lambda: email_deliver.enqueue(to=to, subject=subject, body=body))


def email_document(*, to: list[str], document: Document) -> None:
    """Queue an email of a document built by `sanely.documents`: its subject and its text."""
    email_send(to=to, subject=document.subject, body=render_text(document))
