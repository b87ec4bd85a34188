"""Audit event names written by the engagement app."""

EVENT_RECORDED = "engagement.event_recorded"
SHARED_RECORDED = "engagement.shared_recorded"
DESIGN_CHANGE_RECORDED = "engagement.design_change_recorded"
NOTICE_PUBLISHED = "engagement.notice_published"
