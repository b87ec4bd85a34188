"""
The allow-list of public fields: nothing reaches a release unless this table names it.

Builders never see a fact as recorded: `redact` first replaces every field that is not
listed here by its empty default, recursively, so a field added to a fact later stays
private until someone lists it here on purpose.
"""

import dataclasses
from typing import Any

from sanely.ocds import _facts as f

PUBLIC_FIELDS: dict[type, frozenset[str]] = {
    f.Money: frozenset({"amount", "currency"}),
    f.Period: frozenset({"start", "end"}),
    f.Organisation: frozenset({"id", "name"}),
    f.Document: frozenset({"id", "document_type", "title", "url", "published", "notice_type"}),
    f.Classification: frozenset({"scheme", "id", "description"}),
    f.Procurement: frozenset({"id", "buyer", "regime"}),
    f.Planning: frozenset(
        {"id", "date", "rationale", "budget", "budget_description", "documents"}
        | {"no_engagement_rationale", "title", "notice_text"}
    ),
    f.AwardCriterion: frozenset({"type", "name", "weight_percent"}),
    f.SelectionCriterion: frozenset({"type", "minimum"}),
    f.SubmissionTerms: frozenset(
        {"electronic_submission", "variants", "languages", "bid_validity"}
    ),
    f.Lot: frozenset(
        {"id", "title", "description", "value", "award_criteria", "selection_criteria"}
    ),
    f.Tender: frozenset(
        {"id", "date", "title", "description", "value", "procedure_details", "main_category"}
        | {"tender_period", "lots", "selection_criteria", "submission_terms"}
        | {"expression_of_interest_deadline"}
        | {"documents"}
    ),
    f.TenderAmendment: frozenset(
        {"id", "date", "rationale", "description", "tender_period", "documents"}
    ),
    f.TenderUpdate: frozenset({"id", "date", "documents"}),
    f.TenderCancellation: frozenset({"id", "date", "reason", "notice"}),
    f.BidStatistic: frozenset({"measure", "value", "lot_id"}),
    f.Award: frozenset(
        {"id", "date", "award_id", "partner", "title", "value", "contract_period", "lot_ids"}
        | {"standstill", "assessment_summaries_sent", "main_category", "bid_statistics"}
        | {"documents"}
    ),
    f.Kpi: frozenset({"id", "title", "description", "target", "unit"}),
    f.Contract: frozenset(
        {"id", "date", "contract_id", "award_id", "partner", "title", "value", "period"}
        | {"date_signed", "kpis", "no_kpis_rationale", "documents"}
    ),
    f.ScheduledMilestone: frozenset({"id", "kind", "title", "description", "due_date", "value"}),
    f.ImplementationSchedule: frozenset(
        {"id", "date", "contract_id", "award_id", "milestones", "documents"}
    ),
    f.TargetVerdict: frozenset(
        {"id", "date", "contract_id", "award_id", "milestone", "status", "report"}
    ),
    f.GateDecision: frozenset(
        {"id", "date", "contract_id", "award_id", "milestone", "outcome", "reasons"}
        | {"reasons_document"}
    ),
    f.InstalmentPaid: frozenset(
        {"id", "date", "contract_id", "award_id", "milestone", "transaction_id", "value"}
        | {"payer", "payee"}
    ),
    f.KpiAssessment: frozenset(
        {"id", "date", "contract_id", "award_id", "kpi", "observation_id", "period", "rating"}
        | {"measure", "notes", "documents"}
    ),
    f.PurchaseStarted: frozenset(
        {"id", "date", "contract_id", "award_id", "milestone", "contract_value", "documents"}
    ),
    f.ContractAmendment: frozenset(
        {"id", "date", "contract_id", "award_id", "rationale", "description", "classifications"}
        | {"value_after", "period_after", "documents"}
    ),
    f.ContractTermination: frozenset(
        {"id", "date", "contract_id", "award_id", "end_date", "final_value", "reasons"}
        | {"details", "documents"}
    ),
}


def redact[T](fact: T) -> T:
    """A copy of `fact` with every field the allow-list does not name set to its default."""
    public = PUBLIC_FIELDS[type(fact)]
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(fact):  # type: ignore[arg-type]
        value = getattr(fact, field.name)
        if field.name not in public:
            changes[field.name] = _empty(field)
        elif dataclasses.is_dataclass(value):
            changes[field.name] = redact(value)
        elif isinstance(value, tuple):
            changes[field.name] = tuple(_redact_item(item) for item in value)
    return dataclasses.replace(fact, **changes)  # type: ignore[type-var]


def _redact_item(item: object) -> object:
    return redact(item) if dataclasses.is_dataclass(item) else item


def _empty(field: dataclasses.Field[Any]) -> object:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    raise TypeError(f"private field {field.name!r} needs an empty default to be redacted")
