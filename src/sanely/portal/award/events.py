"""Audit event names written by the award app."""

DECISION_NOTICES_SENT = "award.decision_notices_sent"
CONTRACT_CONCLUDED = "award.contract_concluded"
