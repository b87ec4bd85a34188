"""Audit event names written by the pilots app."""

ASSESSMENT_REQUESTED = "assessment.requested"
ASSESSMENT_COMPLETED = "assessment.completed"
ASSESSMENT_FAILED = "assessment.failed"
ASSESSMENT_REQUEUED = "assessment.requeued"
