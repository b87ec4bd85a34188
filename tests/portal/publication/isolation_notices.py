"""
The cases of the notices and payments routes for tests/portal/test_organisation_isolation.py:
Wessex's notices waiting for Find a Tender and its payment figures are not found by Mercia, and
Mercia cannot send Wessex's notices nor record the approval of its payments compliance notice.
"""

from portal.engagement.world import uk2_published

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.publication import events

NOTICES_PUBLIC: dict[str, str] = {}


def case_notice_list(wessex, mercia):
    procurement = uk2_published(wessex)
    answer = mercia.token_client(Role.AUDITOR).get(
        f"/api/v1/publication/procurements/{procurement.pk}/notices"
    )
    assert 404 == answer.status_code
    assert "UK2" not in answer.text


def case_notice_send(wessex, mercia):
    procurement = uk2_published(wessex)
    answer = mercia.token_client(Role.PROCUREMENT_LEAD).post(
        f"/api/v1/publication/procurements/{procurement.pk}/notices/send"
    )
    assert 404 == answer.status_code
    assert not AuditEvent.objects.filter(
        action__in=(events.NOTICE_SENT, events.NOTICE_SEND_FAILED)
    ).exists()


def case_payments(wessex, mercia):
    page = mercia.client(Role.FINANCE_OFFICER).get(
        f"/publication/authorities/{wessex.organisation.pk}/payments"
    )
    assert 404 == page.status_code
    assert "Wessex" not in page.text


def case_payments_approve(wessex, mercia):
    url = f"/publication/authorities/{wessex.organisation.pk}/payments/approve?period=2026-04-01"
    client = mercia.client(Role.FINANCE_OFFICER)
    page = client.get(url)
    assert 404 == page.status_code
    assert "Wessex" not in page.text
    answer = client.post(
        url,
        {
            "approver_name": "Priya Shah",
            "approver_job_title": "Director of Finance",
            "enquiry_contact": "Procurement team",
            "confirmed": "on",
        },
    )
    assert 404 == answer.status_code
    assert not AuditEvent.objects.filter(action=events.PAYMENTS_APPROVED).exists()


NOTICES_CASES: dict[str, object] = {
    "api:publication_notice_list": case_notice_list,
    "api:publication_notice_send": case_notice_send,
    "publication:payments": case_payments,
    "publication:payments_approve": case_payments_approve,
}
