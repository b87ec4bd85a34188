"""Audit event names written by the selection app."""

MARK_RECORDED = "selection.mark_recorded"
SHORTLIST_DECIDED = "selection.shortlist_decided"
