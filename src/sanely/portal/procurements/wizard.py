"""
Question pages from the section schemas: the same schema that types the API draws the form,
reads the posted answers back, and places each problem next to its field.

Repeating items (phases, targets, criteria…) are rows named `<field>-<index>-<name>`, with one
empty row after the filled ones; a row left empty is dropped, which is how a row is removed.
A row's `key` (its identity, see design.Key) travels in a hidden field, so it survives every
edit; the empty row has none, and the service assigns one. No JavaScript is needed.
"""

import types
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from django.http import QueryDict
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sanely.procedure import CIRCUMSTANCES

LABELS: dict[str, str] = {
    "need_statement": "What is the need?",
    "market_unavailability": "Why can solutions on the market not meet it?",
    "outcomes": "Outcomes sought (one per line)",
    "MinimumRequirementsSection.items": "Minimum requirements (one per line)",
    "partner_model": "One partner or several?",
    "max_partners": "Maximum number of partners",
    "min_candidates": "Minimum number of candidates invited to tender",
    "max_candidates": "Maximum number of candidates invited to tender",
    "PhasesSection.items": "Phases, in order",
    "name": "Name",
    "description": "Description",
    "purpose": "Purpose",
    "duration_months": "Duration in months",
    "max_value": "Maximum value (£)",
    "targets": "Intermediate targets",
    "metric": "Metric",
    "comparator": "Comparator",
    "threshold": "Threshold",
    "statistic": "How the values are summed up",
    "Target.design": "How the pilot will be compared",
    "units": "Units (for example minutes)",
    "confidence": "Confidence (0.95 means 95%)",
    "evidence_standard": "Evidence standard",
    "expected_sd": "Planning: how much the values are expected to vary (standard deviation)",
    "observations_per_month": "Planning: values expected each month in each group",
    "expected_value": "Planning: the value expected without the pilot",
    "instalments": "Instalments",
    "amount": "Amount (£)",
    "condition": "What earns it",
    "termination_announced": "Announce the option to end the partnership after a phase",
    "termination_conditions": "Conditions for ending the partnership",
    "reduction_announced": "Announce the option to reduce the number of partners",
    "reduction_conditions": "Conditions for reducing partners",
    "model": "Model",
    "terms": "Terms",
    "criteria": "Criteria",
    "tag": "What it tests",
    "kind": "Kind",
    "weight": "Weight (%)",
    "social_value_minimum": "Minimum weight of social value (%)",
    "staged_reduction_announced": "Announce that tenders may be reduced in successive stages",
    "sub_criteria": "Sub-criteria",
    "assessment": "How it is assessed",
    "minimum_score": "Minimum score to qualify",
    "scale_max": "Scores run from 0 to",
    "price_formula": "Price-scoring formula (published with the criteria)",
    "abnormally_low_percent": "Investigate prices this far below the others' mean (%)",
    "estimated_value": "Estimated value of the purchase (£)",
    "max_cost": "Maximum cost of the purchase (£)",
    "performance_levels": "Performance levels the purchase must meet (one per line)",
    "kpis": "Key performance indicators (one per line)",
    "declarations": "Conflict-of-interest declarations",
    "person": "Person",
    "interest": "Interest declared",
    "mitigation": "Mitigation",
    "assessment_complete": "The conflicts assessment is complete",
    "assessment_summary": "Summary of the conflicts assessment",
    "call_for_competition": "Call for competition",
    "circumstances": "Which of these apply? They set the minimum periods"
    " (Procurement Act 2023 s.54)",
    "notice_on": "Date of the notice",
    "requests_deadline": "Deadline for requests to participate",
    "tender_deadline": "Deadline for initial tenders",
    "procedure_description": "How the procedure runs (rounds, down-selection, phases, gates)",
    "pme_done": "Preliminary market engagement took place",
    "pme_notice_published": "A market engagement notice was published",
    "pme_reasons": "Reasons, if no notice was published",
    "justification": "Justification",
    "evidence": "Evidence for the record",
    "qualified": "Candidates that passed selection (one per line)",
    "invited": "Candidates invited to tender (one per line)",
    "proposed_changes": "What the change would affect",
    "summaries_sent_on": "Date the assessment summaries were sent",
    "not_yet_notified": "Who has not yet been sent a notice or summary (one per line)",
    "partners": "Number of partners",
    "targets_assessment": "Assessment of the phase's targets",
    "performance_levels_met": "Every agreed performance level is met",
    "purchase_price": "Purchase price (£)",
}
# What one row of a repeating field is called.
ROW_NOUNS: dict[str, str] = {
    "items": "Phase",
    "targets": "Target",
    "instalments": "Instalment",
    "criteria": "Criterion",
    "declarations": "Declaration",
}
CHOICE_LABELS: dict[str, str] = {
    "single": "One partner",
    "multiple": "Several partners",
    ">=": "at least",
    ">": "more than",
    "<=": "at most",
    "<": "less than",
    "estimate": "The estimate must clear the threshold",
    "ci_bound": "The whole confidence interval must clear the threshold",
    "authority_owns": "The authority owns the results",
    "partner_owns_with_licence": "The partner owns them and licenses the authority",
    "joint": "Joint ownership",
    "rd_capacity": "Research and development capacity",
    "innovation_implementation": "Capacity to develop and implement innovative solutions",
    "other": "Other",
    "quality": "Quality",
    "price": "Price",
    "social_value": "Social value",
    "price_quality": "Best price-quality ratio",
    "fixed_price_quality": "Quality at a fixed price",
    "lowest_price": "Lowest price",
    "lowest_cost": "Lowest cost",
    "contract_notice": "Contract or tender notice",
    "prior_information_notice": "Prior information notice",
    "minimum_requirements": "Minimum requirements",
    "award_criteria": "Award criteria",
    "deliverable": "A deliverable accepted by the authority",
    "data": "Outcome data delivered for every target of the phase (paid even if inconclusive)",
    "effect": "Every target of the phase met, shown by evidence",
    "": "Not chosen",
    "mean": "Mean (average)",
    "proportion": "Proportion (share of yes/no values)",
    "total": "Total",
    "rate": "Rate (per unit of exposure, such as per 1,000 trips)",
    "ratio": "Ratio of two totals",
    "median": "Median (middle value)",
    "threshold": "Against a fixed threshold",
    "before_after": "Before and after",
    "two_group": "Pilot against a comparison group",
    "did": "Difference in differences (the pilot's change against a comparison group's change)",
    "its": "Interrupted time series (the trend before and after)",
    "pass_fail": "Pass or fail",
    "scored": "Scored",
    "relative_to_lowest": "The lowest price scores full marks; others in proportion to it",
    "linear_to_max_cost": "The lowest price scores full marks, a price at the maximum cost"
    " none, and prices between in a straight line",
    **{name: claim[:1].upper() + claim[1:] for name, claim in CIRCUMSTANCES.items()},
}


def _unwrap(annotation: Any) -> Any:
    """The type under Annotated and Optional."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


KEY = "key"


def _kind(name: str, field: FieldInfo) -> tuple[str, Any]:
    if name == KEY:
        return "hidden", None
    annotation = _unwrap(field.annotation)
    if get_origin(annotation) is list:
        inner = _unwrap(get_args(annotation)[0])
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return "rows", inner
        if get_origin(inner) is Literal:
            return "checkboxes", get_args(inner)
        return "lines", None
    if get_origin(annotation) is Literal:
        return "select", get_args(annotation)
    if annotation is bool:
        return "checkbox", None
    if annotation is date:
        return "date", None
    if annotation in (int, Decimal):
        return "number", None
    long_text = any(getattr(m, "max_length", 0) > 500 for m in field.metadata)
    return ("textarea" if long_text else "text"), None


def label(schema: type[BaseModel], name: str) -> str:
    return LABELS.get(f"{schema.__name__}.{name}") or LABELS.get(name) or name.replace("_", " ")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def widgets(
    schema: type[BaseModel],
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    prefix: str = "",
    only: tuple[str, ...] | None = None,
    choices: dict[str, frozenset[str]] | None = None,
) -> list[dict[str, Any]]:
    """
    What the template draws for each field of `schema`, filled with `values`. `choices` keeps
    only the options that apply of a field (a field left with none is not drawn).
    """
    drawn = []
    for name, field in schema.model_fields.items():
        if only is not None and name not in only:
            continue
        key = prefix + name
        kind, inner = _kind(name, field)
        if choices is not None and name in choices:
            inner = tuple(option for option in inner if option in choices[name])
            if not inner:
                continue
        value = values.get(name)
        widget: dict[str, Any] = {
            "kind": kind,
            "name": key,
            "label": label(schema, name),
            "hint": field.description or "",
            "error": errors.get(key),
        }
        if kind == "rows":
            widget["noun"] = ROW_NOUNS.get(name, "Item")
            rows = [*(value or []), {}]
            widget["rows"] = [
                widgets(inner, row if isinstance(row, dict) else {}, errors, prefix=f"{key}-{i}-")
                for i, row in enumerate(rows)
            ]
        elif kind in ("select", "checkboxes"):
            chosen = value if isinstance(value, list) else [_text(value)]
            required = field.is_required()
            options = ("", *inner) if required and "" not in inner else inner
            widget["items"] = [
                {
                    "value": o,
                    "text": CHOICE_LABELS.get(o, o),
                    "selected": o in chosen,
                    "checked": o in chosen,
                }
                for o in options
            ]
        elif kind == "lines":
            widget["value"] = "\n".join(value) if isinstance(value, list) else _text(value)
        elif kind == "checkbox":
            widget["value"] = bool(value)
        else:
            widget["value"] = _text(value)
        drawn.append(widget)
    return drawn


def _filled(schema: type[BaseModel], row: dict[str, Any]) -> bool:
    """A row counts once something is typed in it (choices always carry a value)."""
    return any(
        row.get(name)
        for name, field in schema.model_fields.items()
        if _kind(name, field)[0] not in ("hidden", "select", "checkbox", "checkboxes")
    )


def parse(
    schema: type[BaseModel],
    data: QueryDict,
    *,
    prefix: str = "",
    only: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """The posted answers as the schema's JSON shape (still to be validated by it)."""
    parsed: dict[str, Any] = {}
    for name, field in schema.model_fields.items():
        if only is not None and name not in only:
            continue
        key = prefix + name
        kind, inner = _kind(name, field)
        if kind == "rows":
            rows = []
            index = 0
            while any(k.startswith(f"{key}-{index}-") for k in data):
                row = parse(inner, data, prefix=f"{key}-{index}-")
                if _filled(inner, row):
                    rows.append(row)
                index += 1
            parsed[name] = rows
        elif kind == "lines":
            parsed[name] = [line.strip() for line in data.get(key, "").splitlines() if line.strip()]
        elif kind == "checkbox":
            parsed[name] = key in data
        elif kind == "checkboxes":
            parsed[name] = data.getlist(key)
        else:
            value = data.get(key, "").strip()
            if value or field.is_required():
                parsed[name] = value
            elif field.default is None:
                parsed[name] = None
    return parsed


def field_id(path: str) -> str:
    """`items[0].targets` (a problem's path inside its section) as the id of its input."""
    return path.replace("[", "-").replace("]", "").replace(".", "-")


def summarise(value: Any) -> str:
    """A section's answer in one line, for check your answers."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        parts = [
            _text(next((v for v in item.values() if isinstance(v, str) and v), "…"))
            if isinstance(item, dict)
            else CHOICE_LABELS.get(item, _text(item))
            for item in value
        ]
        return "; ".join(parts)
    if isinstance(value, str) and value and value in CHOICE_LABELS:
        return CHOICE_LABELS[value]
    return _text(value)
