"""
The design of a procurement, section by section.

Each section is a typed schema (the API publishes them in OpenAPI) and is stored as the JSON of
that schema under its name in `Procurement.design`. A section is validated on its own: first its
types, then `contradictions`, which names every field whose values cannot all be true at once.
Whether the whole design is lawful is the engine's call (`validate_design`), made on the
check-your-answers page and before publication.
"""

import secrets
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from sanely.portal.core.errors import validation_failed_from
from sanely.portal.procurements.actions import Action
from sanely.portal.web.apis import InputSchema

Text = Annotated[str, Field(max_length=5000)]
Line = Annotated[str, Field(min_length=1, max_length=500)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Lines = Annotated[list[Line], Field(max_length=50)]
# A phase's, target's or instalment's identity within its procurement: given once at design time
# and kept through every edit, so an assessment still names the same target after the phase list
# changes. Never shown to people, who see names.
Key = Annotated[
    str,
    Field(
        max_length=40,
        pattern=r"^([a-z0-9][a-z0-9-]*)?$",
        description="Stable identifier, unique within the procurement: send it back unchanged;"
        " leave it out for a new item and one is assigned",
    ),
]


class NeedSection(InputSchema):
    need_statement: Text = ""
    market_unavailability: Text = Field("", description="Why the market cannot meet the need")
    outcomes: Lines = Field(default_factory=list, description="Outcomes sought")


class MinimumRequirementsSection(InputSchema):
    items: Lines = Field(default_factory=list, description="Every tender must meet each one")


class PartnersSection(InputSchema):
    partner_model: Literal["single", "multiple"] = "multiple"
    max_partners: int | None = Field(None, ge=1, le=50)
    min_candidates: int | None = Field(
        None, ge=1, le=50, description="Minimum number of candidates invited to tender"
    )
    max_candidates: int | None = Field(
        None, ge=1, le=50, description="Maximum number of candidates invited to tender"
    )


class Target(InputSchema):
    """
    An intermediate target in the evidence engine's vocabulary (docs/evidence.md), so that the
    phase's outcome data can be assessed against it as it stands.
    """

    metric: Line
    statistic: Literal["mean", "proportion", "total", "rate", "ratio", "median"] = "mean"
    design: Literal["threshold", "before_after", "two_group", "did", "its"] = Field(
        "before_after", description="How the pilot will be compared"
    )
    comparator: Literal[">=", ">", "<=", "<"]
    threshold: Decimal = Field(max_digits=14, decimal_places=4)
    units: Annotated[str, Field(max_length=40)] = ""
    confidence: Decimal = Field(Decimal("0.95"), ge=Decimal("0.5"), le=Decimal("0.999"))
    evidence_standard: Literal["estimate", "ci_bound"] = "ci_bound"
    expected_sd: float | None = Field(
        None, gt=0, description="Planning: the spread (standard deviation) expected in the data"
    )
    observations_per_month: float | None = Field(
        None, gt=0, description="Planning: rows expected per group per month"
    )
    expected_value: float | None = Field(
        None, description="Planning: what the metric is expected to be without the pilot"
    )
    key: Key = ""


class Instalment(InputSchema):
    description: Line
    amount: Money
    condition: Literal["deliverable", "data", "effect"] = Field(
        "deliverable",
        description=(
            "What earns it: a deliverable accepted, outcome data delivered for every target of"
            " the phase (paid even when the verdict is inconclusive), or every target met"
        ),
    )
    key: Key = ""


class PhaseIn(InputSchema):
    name: Line
    purpose: Text = ""
    duration_months: int = Field(ge=1, le=120)
    max_value: Money
    targets: Annotated[list[Target], Field(max_length=20)] = Field(default_factory=list)
    instalments: Annotated[list[Instalment], Field(max_length=20)] = Field(default_factory=list)
    key: Key = ""


class PhasesSection(InputSchema):
    items: Annotated[list[PhaseIn], Field(max_length=12)] = Field(default_factory=list)

    def described(self) -> Iterator[tuple[str, str, PhaseIn | Target | Instalment]]:
        """
        Every phase, target and instalment in design order, with the path of its field and
        how a person names it ("Phase 2, target “Waiting time”").
        """
        for i, phase in enumerate(self.items):
            where = f"Phase {i + 1}"
            yield f"phases.items[{i}]", where, phase
            for j, target in enumerate(phase.targets):
                words = f"{where}, target “{target.metric}”"
                yield f"phases.items[{i}].targets[{j}]", words, target
            for j, instalment in enumerate(phase.instalments):
                words = f"{where}, instalment “{instalment.description}”"
                yield f"phases.items[{i}].instalments[{j}]", words, instalment

    def keyed(self) -> Iterator[tuple[str, PhaseIn | Target | Instalment]]:
        """Every phase, target and instalment with the path of its field, in design order."""
        for path, _, item in self.described():
            yield path, item

    def with_keys(self) -> "PhasesSection":
        """The section with a fresh key for each item that has none (changed in place)."""
        taken = {item.key for _, item in self.keyed() if item.key}
        for _, item in self.keyed():
            if not item.key:
                item.key = _fresh_key(_KEY_PREFIXES[type(item)], taken)
                taken.add(item.key)
        return self


_KEY_PREFIXES: dict[type, str] = {PhaseIn: "phase", Target: "target", Instalment: "instalment"}


def _fresh_key(prefix: str, taken: set[str]) -> str:
    while (key := f"{prefix}-{secrets.token_hex(4)}") in taken:
        pass
    return key


class GatesSection(InputSchema):
    termination_announced: bool = False
    termination_conditions: Text = ""
    reduction_announced: bool = False
    reduction_conditions: Text = ""


class IprSection(InputSchema):
    model: Literal["", "authority_owns", "partner_owns_with_licence", "joint"] = ""
    terms: Text = ""


class ConfidentialitySection(InputSchema):
    terms: Text = ""


Score = Annotated[Decimal, Field(ge=0, le=100, max_digits=6, decimal_places=2)]


class SelectionCriterion(InputSchema):
    name: Line
    tag: Literal["rd_capacity", "innovation_implementation", "other"]
    description: Text = ""
    assessment: Literal["pass_fail", "scored"] = "pass_fail"
    weight: Score = Field(Decimal(1), description="Scored criteria: multiplies the score")
    minimum_score: Score = Field(Decimal(0), description="Scored criteria: the score to qualify")


class SelectionSection(InputSchema):
    criteria: Annotated[list[SelectionCriterion], Field(max_length=30)] = Field(
        default_factory=list
    )
    scale_max: int = Field(5, ge=1, le=100, description="Scored criteria are marked 0 to this")


Weight = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class AwardSubCriterion(InputSchema):
    name: Line
    weight: Weight = Field(description="Percent of its criterion; a criterion's add up to 100")


class AwardCriterion(InputSchema):
    name: Line
    kind: Literal["quality", "price", "social_value"]
    weight: Weight
    sub_criteria: Annotated[list[AwardSubCriterion], Field(max_length=20)] = Field(
        default_factory=list
    )


class AwardSection(InputSchema):
    model: Literal["price_quality", "fixed_price_quality", "lowest_price", "lowest_cost"] = (
        "price_quality"
    )
    criteria: Annotated[list[AwardCriterion], Field(max_length=30)] = Field(default_factory=list)
    social_value_minimum: Decimal = Field(Decimal(10), ge=0, le=100, max_digits=5, decimal_places=2)
    staged_reduction_announced: bool = False
    scale_max: int = Field(10, ge=1, le=100, description="Quality is scored 0 to this")
    price_formula: Literal["relative_to_lowest", "linear_to_max_cost"] = "relative_to_lowest"
    abnormally_low_percent: Weight = Field(
        Decimal(20), description="A price this far below the others' mean is investigated"
    )


class PurchaseSection(InputSchema):
    estimated_value: Money | None = Field(None, description="Estimated value of the purchase")
    max_cost: Money | None = None
    performance_levels: Lines = Field(default_factory=list)
    kpis: Lines = Field(default_factory=list)


class Declaration(InputSchema):
    person: Line
    interest: Text
    mitigation: Text = ""


class ConflictsSection(InputSchema):
    declarations: Annotated[list[Declaration], Field(max_length=50)] = Field(default_factory=list)
    assessment_complete: bool = False
    assessment_summary: Text = ""


# The circumstances of the Procurement Act 2023 s.54(3)-(4) tables (sanely.procedure.CIRCUMSTANCES).
Circumstance = Literal[
    "documents_not_all_at_once",
    "not_electronic",
    "preselected_only",
    "central_government",
    "utilities_contract",
    "urgent",
    "planned_procurement_notice",
    "dynamic_market",
    "light_touch",
    "negotiated_tendering_period",
]


class TimelineSection(InputSchema):
    call_for_competition: Literal["contract_notice", "prior_information_notice"] = "contract_notice"
    circumstances: Annotated[list[Circumstance], Field(max_length=10)] = Field(
        default_factory=list,
        description="Procurement Act 2023 only: the circumstances of s.54(3)-(4) that set the"
        " minimum participation and tendering periods",
    )
    notice_on: date | None = Field(None, description="Planned date of the notice")
    requests_deadline: date | None = Field(
        None, description="Requests to participate close at noon UK time on this day"
    )
    tender_deadline: date | None = None
    procedure_description: Text = ""
    pme_done: bool = Field(False, description="Preliminary market engagement took place")
    pme_notice_published: bool = False
    pme_reasons: Text = ""


SECTIONS: dict[str, tuple[str, type[InputSchema]]] = {
    "need": ("The need and outcomes", NeedSection),
    "minimum_requirements": ("Minimum requirements", MinimumRequirementsSection),
    "partners": ("Partners", PartnersSection),
    "phases": ("Phases, targets and instalments", PhasesSection),
    "gates": ("Gate options", GatesSection),
    "ipr": ("Intellectual property", IprSection),
    "confidentiality": ("Confidentiality", ConfidentialitySection),
    "selection": ("Selection criteria", SelectionSection),
    "award": ("Award criteria", AwardSection),
    "purchase": ("The purchase", PurchaseSection),
    "conflicts": ("Conflicts of interest", ConflictsSection),
    "timeline": ("Timeline", TimelineSection),
}
# What a section keeps for the authority's own planning, which the notice and documents do not
# state: it may still change once the rulebook's design locks fix the section at publication.
PLANNING_FIELDS: dict[str, frozenset[str]] = {
    "purchase": frozenset({"kpis"}),
    # the planning figures of each phase's targets
    "phases": frozenset({"expected_sd", "observations_per_month", "expected_value"}),
}


def as_published(name: str, stored: dict[str, Any]) -> dict[str, Any]:
    """A stored section as the notice and documents state it: without its planning fields."""
    planning = PLANNING_FIELDS.get(name, frozenset())
    if name == "phases":
        return {
            **stored,
            "items": [
                {**phase, "targets": [_without(t, planning) for t in phase["targets"]]}
                for phase in stored["items"]
            ],
        }
    return _without(stored, planning)


def _without(values: dict[str, Any], names: frozenset[str]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if name not in names}


class ActionIn(InputSchema):
    """A lifecycle action: a justification for the rules that ask for one, and its facts."""

    justification: Text = Field(
        "", description="Why you go ahead although the rules warn against it; kept with the record"
    )
    evidence: Text = Field("", description="What the rules ask you to record for this step")
    qualified: Lines = Field(
        default_factory=list, description="The candidates that passed selection"
    )
    invited: Lines = Field(default_factory=list, description="The candidates you invite to tender")
    proposed_changes: list[Literal["minimum_requirements", "award_criteria", "other"]] = Field(
        default_factory=list, description="What the change or the negotiation would touch"
    )
    summaries_sent_on: date | None = Field(
        None, description="The day the assessment summaries were sent to the tenderers"
    )
    not_yet_notified: Lines = Field(
        default_factory=list,
        description="Anyone who has not yet been sent their notice or summary",
    )
    partners: int | None = Field(
        None,
        ge=1,
        le=50,
        description="How many partners have contracts; when reducing partners, how many remain",
    )
    targets_assessment: Text = Field(
        "", description="At a gate: how the partners did against the phase's targets"
    )
    performance_levels_met: bool = Field(
        False, description="Whether the partner met the agreed performance levels"
    )
    purchase_price: Money | None = Field(
        None, description="The price agreed for buying the innovation, in pounds"
    )

    def to_action(self) -> Action:
        """The plain action the services take."""
        return Action(
            justification=self.justification,
            evidence=self.evidence,
            qualified=tuple(self.qualified),
            invited=tuple(self.invited),
            proposed_changes=tuple(self.proposed_changes),
            summaries_sent_on=self.summaries_sent_on,
            not_yet_notified=tuple(self.not_yet_notified),
            partners=self.partners,
            targets_assessment=self.targets_assessment,
            performance_levels_met=self.performance_levels_met,
            purchase_price=self.purchase_price,
        )


def _phases(s: PhasesSection) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    first_use: dict[str, str] = {}
    for path, words, item in s.described():
        if item.key in first_use:
            problems[f"{path}.key"] = [
                f"The key “{item.key}” of {words} is already used by {first_use[item.key]}: give"
                " each phase, target and instalment a key of its own."
            ]
        elif item.key:
            first_use[item.key] = words
    for i, phase in enumerate(s.items):
        if not phase.targets:
            problems[f"phases.items[{i}].targets"] = [
                f"Phase {i + 1} ({phase.name}) has no intermediate target: add at least one."
            ]
        paid = sum((instalment.amount for instalment in phase.instalments), Decimal(0))
        if paid > phase.max_value:
            problems[f"phases.items[{i}].instalments"] = [
                f"The instalments of phase {i + 1} add up to {paid}, more than its maximum value"
                f" {phase.max_value}: lower them or raise the maximum."
            ]
    return problems


def _partners(s: PartnersSection) -> dict[str, list[str]]:
    if s.min_candidates and s.max_candidates and s.max_candidates < s.min_candidates:
        return {
            "partners.max_candidates": [
                f"The maximum number of candidates ({s.max_candidates}) is below the minimum"
                f" ({s.min_candidates}): raise it."
            ]
        }
    if s.partner_model == "single" and (s.max_partners or 1) != 1:
        return {"partners.max_partners": ["A single-partner model has at most 1 partner."]}
    if s.partner_model == "multiple" and s.max_partners == 1:
        return {"partners.max_partners": ["Several partners means a maximum of 2 or more."]}
    return {}


def _gates(s: GatesSection) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    options = (("termination", "ending the partnership"), ("reduction", "reducing partners"))
    for option, what in options:
        if getattr(s, f"{option}_announced") and not getattr(s, f"{option}_conditions").strip():
            problems[f"gates.{option}_conditions"] = [
                f"Say on what conditions the option of {what} will be used."
            ]
    return problems


def _award(s: AwardSection) -> dict[str, list[str]]:
    if not s.criteria:
        return {}
    messages = []
    total = sum((c.weight for c in s.criteria), Decimal(0))
    if total != 100:
        messages.append(f"The weights add up to {total}: make them add up to 100.")
    social = sum((c.weight for c in s.criteria if c.kind == "social_value"), Decimal(0))
    if social < s.social_value_minimum:
        messages.append(f"Social value weighs {social}; give it at least {s.social_value_minimum}.")
    if sum(c.kind == "price" for c in s.criteria) > 1:
        messages.append("Price is one criterion: merge the price criteria into one.")
    problems = {"award.criteria": messages} if messages else {}
    for i, criterion in enumerate(s.criteria):
        within = sum((sub.weight for sub in criterion.sub_criteria), Decimal(0))
        if criterion.sub_criteria and within != 100:
            problems[f"award.criteria[{i}].sub_criteria"] = [
                f"The sub-criteria of {criterion.name} add up to {within}: make them add up to 100."
            ]
    return problems


def _selection(s: SelectionSection) -> dict[str, list[str]]:
    return {
        f"selection.criteria[{i}].minimum_score": [
            f"The minimum score of {c.name} is above the scale's top ({s.scale_max}): lower it."
        ]
        for i, c in enumerate(s.criteria)
        if c.assessment == "scored" and c.minimum_score > s.scale_max
    }


def _conflicts(s: ConflictsSection) -> dict[str, list[str]]:
    if s.assessment_complete and not s.assessment_summary.strip():
        return {
            "conflicts.assessment_summary": ["Summarise the conflicts assessment you completed."]
        }
    return {}


def _timeline(s: TimelineSection) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if s.notice_on and s.requests_deadline and s.requests_deadline <= s.notice_on:
        problems["timeline.requests_deadline"] = [
            f"The deadline for requests ({s.requests_deadline}) is not after the notice"
            f" ({s.notice_on}): move it later."
        ]
    if s.requests_deadline and s.tender_deadline and s.tender_deadline <= s.requests_deadline:
        problems["timeline.tender_deadline"] = [
            "The tender deadline must come after the deadline for requests to participate."
        ]
    if s.pme_done and not (s.pme_notice_published or s.pme_reasons.strip()):
        problems["timeline.pme_reasons"] = [
            "Market engagement took place: say a notice was published or give the reasons."
        ]
    return problems


CONTRADICTIONS: dict[str, Callable[[Any], dict[str, list[str]]]] = {
    "phases": _phases,
    "partners": _partners,
    "gates": _gates,
    "award": _award,
    "selection": _selection,
    "conflicts": _conflicts,
    "timeline": _timeline,
}


def _location(section: str, loc: tuple[int | str, ...]) -> str:
    path = section
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def parse_sections(raw: dict[str, Any]) -> dict[str, InputSchema]:
    """
    Every given section, typed; raises ValidationFailed naming every bad field of every
    section at once (types first, then contradictions).
    """
    problems: dict[str, list[str]] = {}
    parsed: dict[str, InputSchema] = {}
    for name, value in raw.items():
        if name not in SECTIONS:
            problems[name] = [f"There is no section {name!r}: use one of {', '.join(SECTIONS)}."]
            continue
        try:
            parsed[name] = SECTIONS[name][1].model_validate(value)
        except ValidationError as error:
            for item in error.errors():
                problems.setdefault(_location(name, item["loc"]), []).append(item["msg"])
            continue
        if name in CONTRADICTIONS:
            problems.update(CONTRADICTIONS[name](parsed[name]))
    if problems:
        raise validation_failed_from(problems)
    return parsed


def section(design: dict[str, Any], name: str) -> Any:
    """One stored section, typed (its defaults when it was never saved)."""
    return SECTIONS[name][1].model_validate(design.get(name, {}))
