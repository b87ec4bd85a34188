"""Audit event names written by the negotiation app."""

MEETING_RECORDED = "negotiation.meeting_recorded"
QUESTION_ASKED = "negotiation.question_asked"
CLARIFICATION_ANSWERED = "negotiation.clarification_answered"
DOCUMENTS_REVISED = "negotiation.documents_revised"
CONSENT_GIVEN = "negotiation.consent_given"
CONSENT_WITHDRAWN = "negotiation.consent_withdrawn"
TENDERS_REDUCED = "negotiation.tenders_reduced"
