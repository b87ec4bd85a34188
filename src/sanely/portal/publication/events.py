"""Audit event names written by the publication app."""

FACT_FOUND = "publication.fact_found"
RELEASE_PUBLISHED = "publication.release_published"
RELEASE_HELD = "publication.release_held"
FACT_REVIEWED = "publication.fact_reviewed"
FACT_SUPPRESSED = "publication.fact_suppressed"
NOTICE_SENT = "publication.notice_sent"
NOTICE_SEND_FAILED = "publication.notice_send_failed"
