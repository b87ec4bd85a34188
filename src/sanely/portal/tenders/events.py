"""Audit event names written by the tenders app."""

INTEREST_EXPRESSED = "interest.expressed"
ROUND_OPENED_FOR_SUBMISSIONS = "round.created"
ROUND_DEADLINE_EXTENDED = "round.deadline_extended"
ROUND_OPENING_REQUESTED = "round.opening_requested"
ROUND_OPENED = "round.opened"
SUBMISSION_RECEIVED = "submission.received"
SUBMISSION_REFUSED_LATE = (
    "submission.refused_late"  # a submission, upload or chunk after the deadline
)
UPLOAD_STARTED = "submission.upload_started"
UPLOAD_DISCARDED = "submission.upload_discarded"  # expired, refused at finish, or damaged
SUBMISSION_CONTENT_READ = "submission.content_read"
# Every refused attempt to reach sealed content (Directive 2014/24/EU Annex IV (g)).
SEALED_ACCESS_REFUSED = "security.sealed_access_refused"
# A stored submission whose sealed file is gone from storage when someone asks to read it.
SEALED_FILE_MISSING = "security.sealed_file_missing"

# Events that tell who took part in a round: sealed from the authority's readers of the audit
# trail until the round is opened (`selectors.sealed_submission_events`). Their payloads carry
# a random id, so an event's hash cannot be searched for the supplier it names.
NAMING_SUPPLIERS = (SUBMISSION_RECEIVED, UPLOAD_STARTED, UPLOAD_DISCARDED, SUBMISSION_REFUSED_LATE)
