"""
Builders: one OCDS 1.1.5 release per fact, with the release tag that fact calls for.

`build_release` redacts the fact through the allow-list first, so builders only ever see
public fields. Each builder notes the extensions whose fields it used; the package declares
exactly those. Release ids are `<ocid>-<fact id>`: stable (the same fact always gives the
same id) and unique (fact ids are unique within a procurement, ocids across them).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from sanely.ocds import _facts as f
from sanely.ocds._allowlist import redact

Json = dict[str, Any]

# Milestone kinds of a partnership, as OCDS milestone types (milestoneType codelist).
MILESTONE_TYPES = {
    "phase": "delivery",
    "target": "assessment",
    "gate": "approval",
    "instalment": "payment",
    "purchase": "delivery",
}

# Procurement Regulations 2024 reg 39(5) ratings, as the UK extension's observation codes.
KPI_RATINGS = {
    "met": "Good",
    "slightlyBelow": "Approaching target",
    "below": "Requires improvement",
    "significantlyBelow": "Inadequate",
    "other": "Other",
}

# Document types the Cabinet Office UK extension adds to the open documentType codelist.
UK_DOCUMENT_TYPES = frozenset(
    {"marketEngagementNotice", "tenderCancellationNotice", "contractTerminationNotice"}
    | {"implementationNotice"}
)

UK_BID_STATISTICS = frozenset({"finalStageBids", "smeFinalStageBids", "vcseFinalStageBids"})


@dataclass(frozen=True)
class Built:
    """A release and the names of the extensions (see `_extensions`) whose fields it uses."""

    release: Json
    extensions: frozenset[str]


class _Builder:
    """Builds one release, collecting the extensions it touches."""

    def __init__(self, ocid: str, procurement: f.Procurement, fact: f.Fact) -> None:
        self.ocid = ocid
        self.procurement = procurement
        self.fact = fact
        self.uses: set[str] = set()
        self.parties: dict[str, Json] = {}
        self.party(procurement.buyer, "buyer")

    def release(self, tags: list[str], body: Json) -> Built:
        release: Json = {
            "ocid": self.ocid,
            "id": f"{self.ocid}-{self.fact.id}",
            "date": date(self.fact.date),
            "tag": tags,
            "initiationType": "tender",
            "parties": list(self.parties.values()),
            "buyer": reference(self.procurement.buyer),
            **body,
        }
        return Built(release, frozenset(self.uses))

    def party(self, organisation: f.Organisation, role: str) -> Json:
        # Each builder gives an organisation a role once; one organisation may have several.
        entry = self.parties.setdefault(organisation.id, {**reference(organisation), "roles": []})
        entry["roles"].append(role)
        return reference(organisation)

    def documents(self, documents: tuple[f.Document, ...], description: str = "") -> list[Json]:
        return [self.document(document, description) for document in documents]

    def document(self, document: f.Document, description: str = "") -> Json:
        out: Json = {
            "id": document.id,
            "documentType": document.document_type,
            "title": document.title,
            "url": document.url,
            "datePublished": date(document.published),
        }
        if description:
            out["description"] = description
        if document.notice_type is not None:
            out["noticeType"] = document.notice_type
            self.uses.add("uk")
        if document.document_type in UK_DOCUMENT_TYPES:
            self.uses.add("uk")
        return out

    def milestone(self, milestone: f.ScheduledMilestone, status: str, **extra: Any) -> Json:
        description = milestone.description
        if milestone.value is not None:
            # OCDS 1.1.5 milestones have no value field (1.2 adds one): state it in words.
            description += f" Value: {_amount(milestone.value.amount)} {milestone.value.currency}."
        out: Json = {
            "id": milestone.id,
            "title": milestone.title,
            "type": MILESTONE_TYPES[milestone.kind],
            "code": milestone.kind,
            "description": description,
            "dueDate": date(milestone.due_date),
            "status": status,
            "dateModified": date(self.fact.date),
            **extra,
        }
        if "documents" in extra:
            self.uses.add("milestone_documents")
        return out


def date(moment: datetime) -> str:
    """An OCDS date-time, in UTC so that dates sort as text (as merging does)."""
    return moment.astimezone(UTC).isoformat()


def reference(organisation: f.Organisation) -> Json:
    """An OrganizationReference."""
    return {"id": organisation.id, "name": organisation.name}


def _amount(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def value(money: f.Money) -> Json:
    """An OCDS Value."""
    return {"amount": _amount(money.amount), "currency": money.currency}


def period(span: f.Period) -> Json:
    """An OCDS Period."""
    out = {"startDate": date(span.start)}
    if span.end is not None:
        out["endDate"] = date(span.end)
    return out


def ocid(prefix: str, procurement: f.Procurement) -> str:
    """The one ocid of a procurement, for its whole life."""
    return f"{prefix}-{procurement.id}"


def build_release(prefix: str, procurement: f.Procurement, fact: f.Fact) -> Built:
    """The release for one fact, built from its public fields only."""
    public_procurement = redact(procurement)
    builder = _Builder(ocid(prefix, public_procurement), public_procurement, redact(fact))
    built: Built = _BUILDERS[type(fact)](builder, builder.fact)
    return built


# Planning and tender


def _planning(b: _Builder, fact: f.Planning) -> Built:
    planning: Json = {"rationale": fact.rationale}
    if fact.budget is not None:
        planning["budget"] = {"description": fact.budget_description, "amount": value(fact.budget)}
    if fact.documents:
        planning["documents"] = b.documents(fact.documents, fact.notice_text)
    if fact.no_engagement_rationale:
        planning["noEngagementNoticeRationale"] = fact.no_engagement_rationale
        b.uses.add("uk")
    tender = {"id": b.procurement.id, "status": "planning"}
    if fact.title:
        tender["title"] = fact.title
    return b.release(["planning"], {"planning": planning, "tender": tender})


def _lot(b: _Builder, lot: f.Lot) -> Json:
    out: Json = {
        "id": lot.id,
        "title": lot.title,
        "description": lot.description,
        "status": "active",
        "value": value(lot.value),
    }
    b.uses.add("lots")
    if lot.award_criteria:
        b.uses.add("awardCriteria")
        out["awardCriteria"] = {
            "criteria": [
                {
                    "type": criterion.type,
                    "name": criterion.name,
                    "numbers": [
                        {"number": _amount(criterion.weight_percent), "weight": "percentageExact"}
                    ],
                }
                for criterion in lot.award_criteria
            ]
        }
    if lot.selection_criteria:
        out["selectionCriteria"] = _selection(b, lot.selection_criteria)
    return out


def _selection(b: _Builder, criteria: tuple[f.SelectionCriterion, ...]) -> Json:
    b.uses.add("selectionCriteria")
    return {"criteria": [{"type": c.type, "minimum": c.minimum} for c in criteria]}


def _tender(b: _Builder, fact: f.Tender) -> Built:
    tender: Json = {
        "id": b.procurement.id,
        "title": fact.title,
        "description": fact.description,
        "status": "active",
        "value": value(fact.value),
        "procurementMethod": "selective",
        "procurementMethodDetails": fact.procedure_details,
        "tenderPeriod": period(fact.tender_period),
        "lots": [_lot(b, lot) for lot in fact.lots],
    }
    if fact.main_category is not None:
        tender["mainProcurementCategory"] = fact.main_category
    if fact.expression_of_interest_deadline is not None:
        tender["expressionOfInterestDeadline"] = date(fact.expression_of_interest_deadline)
        b.uses.add("uk")
    if fact.selection_criteria:
        tender["selectionCriteria"] = _selection(b, fact.selection_criteria)
    if fact.submission_terms is not None:
        tender["submissionTerms"] = _submission_terms(b, fact.submission_terms)
    if fact.documents:
        tender["documents"] = b.documents(fact.documents)
    return b.release(["tender"], {"tender": tender})


def _submission_terms(b: _Builder, terms: f.SubmissionTerms) -> Json:
    b.uses.add("submissionTerms")
    out: Json = {
        "electronicSubmissionPolicy": terms.electronic_submission,
        "variantPolicy": terms.variants,
        "languages": list(terms.languages),
    }
    if terms.bid_validity is not None:
        out["bidValidityPeriod"] = period(terms.bid_validity)
    return out


def _tender_amendment(b: _Builder, fact: f.TenderAmendment) -> Built:
    amendment = {
        "id": fact.id,
        "date": date(fact.date),
        "rationale": fact.rationale,
        "description": fact.description,
    }
    tender: Json = {"id": b.procurement.id, "amendments": [amendment]}
    if fact.tender_period is not None:
        tender["tenderPeriod"] = period(fact.tender_period)
    if fact.documents:
        tender["documents"] = b.documents(fact.documents)
    return b.release(["tenderAmendment"], {"tender": tender})


def _tender_update(b: _Builder, fact: f.TenderUpdate) -> Built:
    tender = {"id": b.procurement.id, "documents": b.documents(fact.documents)}
    return b.release(["tenderUpdate"], {"tender": tender})


def _tender_cancellation(b: _Builder, fact: f.TenderCancellation) -> Built:
    tender = {
        "id": b.procurement.id,
        "status": "cancelled",
        "documents": [b.document(fact.notice, fact.reason)],
    }
    return b.release(["tenderCancellation"], {"tender": tender})


# Award and contract


def _award(b: _Builder, fact: f.Award) -> Built:
    award: Json = {
        "id": fact.award_id,
        "title": fact.title,
        "status": "active",
        "date": date(fact.date),
        "value": value(fact.value),
        "suppliers": [b.party(fact.partner, "supplier")],
        "contractPeriod": period(fact.contract_period),
    }
    if fact.lot_ids:
        award["relatedLots"] = list(fact.lot_ids)
        b.uses.add("lots")
    award.update(_award_uk_fields(b, fact))
    if fact.documents:
        award["documents"] = b.documents(fact.documents)
    body: Json = {"awards": [award]}
    if fact.bid_statistics:
        body["bids"] = {"statistics": [_statistic(b, s) for s in fact.bid_statistics]}
    return b.release(["award"], body)


def _award_uk_fields(b: _Builder, fact: f.Award) -> Json:
    """What the Cabinet Office UK extension adds to a contract award notice (UK6)."""
    found: Json = {}
    if fact.standstill is not None:
        found["standstillPeriod"] = period(fact.standstill)
    if fact.assessment_summaries_sent is not None:
        found["assessmentSummariesDateSent"] = date(fact.assessment_summaries_sent)
    if fact.main_category is not None:
        found["mainProcurementCategory"] = fact.main_category
    if found:
        b.uses.add("uk")
    return found


def _statistic(b: _Builder, statistic: f.BidStatistic) -> Json:
    b.uses.add("bids")
    if statistic.measure in UK_BID_STATISTICS:
        b.uses.add("uk")
    out: Json = {
        "id": f"{statistic.measure}-{statistic.lot_id or 'all'}",
        "measure": statistic.measure,
        "value": statistic.value,
    }
    if statistic.lot_id is not None:
        out["relatedLot"] = statistic.lot_id
    return out


def _contract(b: _Builder, fact: f.Contract) -> Built:
    b.party(fact.partner, "supplier")
    contract: Json = {
        **_contract_of(fact),
        "title": fact.title,
        "status": "active",
        "period": period(fact.period),
        "value": value(fact.value),
        "dateSigned": date(fact.date_signed),
    }
    if fact.kpis:
        b.uses.add("metrics")
        contract["agreedMetrics"] = [_agreed_metric(kpi) for kpi in fact.kpis]
    if fact.no_kpis_rationale:
        contract["noAgreedMetricsRationale"] = fact.no_kpis_rationale
        b.uses.add("uk")
    if fact.documents:
        contract["documents"] = b.documents(fact.documents)
    return b.release(["contract"], {"contracts": [contract]})


def _agreed_metric(kpi: f.Kpi) -> Json:
    metric: Json = {"id": kpi.id, "title": kpi.title}
    if kpi.description:
        metric["description"] = kpi.description
    if kpi.target:
        target: Json = {"id": f"{kpi.id}-target", "measure": kpi.target}
        if kpi.unit:
            target["unit"] = {"name": kpi.unit}
        metric["observations"] = [target]
    return metric


class _OfContract(Protocol):
    @property
    def contract_id(self) -> str: ...
    @property
    def award_id(self) -> str: ...


def _contract_of(fact: _OfContract) -> Json:
    """The part of a release's contract that says which contract a change is to."""
    return {"id": fact.contract_id, "awardID": fact.award_id}


def _schedule(b: _Builder, fact: f.ImplementationSchedule) -> Built:
    implementation: Json = {
        "milestones": [b.milestone(milestone, "scheduled") for milestone in fact.milestones]
    }
    if fact.documents:
        implementation["documents"] = b.documents(fact.documents)
    contract = {**_contract_of(fact), "implementation": implementation}
    return b.release(["implementation"], {"contracts": [contract]})


def _verdict(b: _Builder, fact: f.TargetVerdict) -> Built:
    met = {"dateMet": date(fact.date)} if fact.status == "met" else {}
    milestone = b.milestone(fact.milestone, fact.status, documents=[b.document(fact.report)], **met)
    contract = {**_contract_of(fact), "implementation": {"milestones": [milestone]}}
    return b.release(["implementationUpdate"], {"contracts": [contract]})


def _gate(b: _Builder, fact: f.GateDecision) -> Built:
    milestone = b.milestone(
        fact.milestone,
        "met",
        dateMet=date(fact.date),
        description=f"Decision: {fact.outcome}. {fact.reasons}",
        documents=[b.document(fact.reasons_document)],
    )
    contract = {**_contract_of(fact), "implementation": {"milestones": [milestone]}}
    return b.release(["implementationUpdate"], {"contracts": [contract]})


def _payment(b: _Builder, fact: f.InstalmentPaid) -> Built:
    b.uses.update({"metrics", "transaction_milestones"})
    transaction = {
        "id": fact.transaction_id,
        "date": date(fact.date),
        "value": value(fact.value),
        "payer": b.party(fact.payer, "payer"),
        "payee": b.party(fact.payee, "payee"),
        "relatedImplementationMilestone": {"id": fact.milestone.id},
    }
    milestone = b.milestone(fact.milestone, "met", dateMet=date(fact.date))
    implementation = {"milestones": [milestone], "transactions": [transaction]}
    contract = {**_contract_of(fact), "implementation": implementation}
    return b.release(["implementationUpdate"], {"contracts": [contract]})


def _assessment(b: _Builder, fact: f.KpiAssessment) -> Built:
    b.uses.update({"metrics", "uk"})
    observation: Json = {
        "id": fact.observation_id,
        "period": period(fact.period),
        "measure": fact.measure,
        "measureClassification": {"id": fact.rating, "description": KPI_RATINGS[fact.rating]},
    }
    if fact.notes:
        observation["notes"] = fact.notes
    metric = {"id": fact.kpi.id, "title": fact.kpi.title, "observations": [observation]}
    implementation: Json = {"metrics": [metric]}
    if fact.documents:
        implementation["documents"] = b.documents(fact.documents)
    contract = {**_contract_of(fact), "implementation": implementation}
    return b.release(["implementationUpdate"], {"contracts": [contract]})


def _purchase(b: _Builder, fact: f.PurchaseStarted) -> Built:
    milestone = b.milestone(fact.milestone, "met", dateMet=date(fact.date))
    implementation: Json = {"milestones": [milestone]}
    if fact.documents:
        implementation["documents"] = b.documents(fact.documents)
    contract = {
        **_contract_of(fact),
        "value": value(fact.contract_value),
        "implementation": implementation,
    }
    return b.release(["contractUpdate", "implementationUpdate"], {"contracts": [contract]})


def _amendment(b: _Builder, fact: f.ContractAmendment) -> Built:
    amendment: Json = {
        "id": fact.id,
        "date": date(fact.date),
        "rationale": fact.rationale,
        "description": fact.description,
        "value": value(fact.value_after),
    }
    if fact.classifications:
        amendment["rationaleClassifications"] = [_classification(c) for c in fact.classifications]
    contract: Json = {
        **_contract_of(fact),
        "value": value(fact.value_after),
        "amendments": [amendment],
    }
    if fact.period_after is not None:
        contract["period"] = period(fact.period_after)
    if fact.documents:
        contract["documents"] = b.documents(fact.documents)
    b.uses.add("uk")
    return b.release(["contractAmendment"], {"contracts": [contract]})


def _classification(classification: f.Classification) -> Json:
    out = {"scheme": classification.scheme, "id": classification.id}
    if classification.description:
        out["description"] = classification.description
    return out


def _termination(b: _Builder, fact: f.ContractTermination) -> Built:
    b.uses.update({"uk", "contract_completion"})
    contract: Json = {
        **_contract_of(fact),
        "status": "terminated",
        "terminationRationaleClassifications": [_classification(c) for c in fact.reasons],
        "implementation": {
            "endDate": date(fact.end_date),
            "endDateDetails": fact.details,
            "finalValue": value(fact.final_value),
        },
    }
    if fact.documents:
        contract["documents"] = b.documents(fact.documents)
    return b.release(["contractTermination"], {"contracts": [contract]})


_BUILDERS: dict[type, Any] = {
    f.Planning: _planning,
    f.Tender: _tender,
    f.TenderAmendment: _tender_amendment,
    f.TenderUpdate: _tender_update,
    f.TenderCancellation: _tender_cancellation,
    f.Award: _award,
    f.Contract: _contract,
    f.ImplementationSchedule: _schedule,
    f.TargetVerdict: _verdict,
    f.GateDecision: _gate,
    f.InstalmentPaid: _payment,
    f.KpiAssessment: _assessment,
    f.PurchaseStarted: _purchase,
    f.ContractAmendment: _amendment,
    f.ContractTermination: _termination,
}
