"""Every submission, upload and chunk refused after the deadline is in the audit trail."""

import pytest
from portal.tenders.sealed_files import pdf, upload
from portal.tenders.test_uploads import begin, put

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.tenders import events

pytestmark = pytest.mark.django_db


def test_every_refusal_after_the_deadline_is_recorded_with_who_and_the_round(
    kestrel, open_round, monkeypatch
):
    api = kestrel.token_client(Role.SUPPLIER_ADMIN)
    content = pdf()
    upload_id = begin(api, open_round, kestrel.organisation, content).json()["id"]
    monkeypatch.setattr("sanely.portal.tenders.apis.now", lambda: open_round.deadline)
    refused = [
        put(api, upload_id, 0, content),
        begin(api, open_round, kestrel.organisation, content),
        api.post(f"/api/v1/uploads/{upload_id}/finish"),
        api.post(
            f"/api/v1/rounds/{open_round.pk}/submissions",
            {
                "organisation_id": kestrel.organisation.pk,
                "part": "Technical proposal",
                "file": upload(),
            },
        ),
    ]
    assert [409] * 4 == [r.status_code for r in refused]
    recorded = AuditEvent.objects.filter(action=events.SUBMISSION_REFUSED_LATE).order_by("pk")
    assert 3 == len(recorded)  # the finish of an upload with no chunks is refused as incomplete
    for event in recorded:
        assert kestrel.organisation.pk == event.organisation_id
        assert open_round.ref == event.payload["round"]
        assert "not before the deadline" in event.payload["refusal"]
