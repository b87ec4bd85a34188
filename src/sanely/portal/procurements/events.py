"""Audit event names written by the procurements app."""

PROCUREMENT_CREATED = "procurement.created"
PROCUREMENT_DESIGN_CHANGED = "procurement.design_changed"
# Lifecycle actions are recorded as "procurement.<event>", e.g. "procurement.submit_notice".
PROCUREMENT_ACTION_PREFIX = "procurement."
