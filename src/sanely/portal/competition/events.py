"""Audit event names written by the competition register (unchanged since they lived in tenders)."""

PARTICIPANT_STANDING_CHANGED = "participant.standing_changed"
LETTER_SENT = "letter.sent"
CONFLICT_DECLARED = "evaluation.conflict_declared"
