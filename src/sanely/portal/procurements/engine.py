"""
The bridge to `sanely.procedure`: the pinned rulebook of a procurement and its `Facts`.

Dates in `Facts` are calendar dates in the UK, and the request deadline is noon UK time on its
day, so the engine compares what a buyer sees in the notice.
"""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sanely.portal.core.errors import Conflict
from sanely.procedure import Criterion, Facts, Phase, Round, Rulebook, RulebookError, load_pinned

from .design import section
from .models import Procurement

UK = ZoneInfo("Europe/London")
REQUESTS_CLOSE_AT = time(12, 0)


def uk_date(moment: datetime) -> date:
    return moment.astimezone(UK).date()


def requests_close(day: date | None) -> datetime | None:
    return datetime.combine(day, REQUESTS_CLOSE_AT, tzinfo=UK) if day else None


def rulebook_of(procurement: Procurement) -> Rulebook:
    """The rulebook the procurement commenced under, exactly (the hash is checked)."""
    try:
        return load_pinned(
            procurement.rulebook_id, procurement.rulebook_effective_from, procurement.rulebook_hash
        )
    except RulebookError as error:
        # Never fall back to other rules: a changed file must not change an in-flight procedure.
        raise Conflict(
            f"The rules this procurement is pinned to ({procurement.rulebook_id} of"
            f" {procurement.rulebook_effective_from}) are not available unchanged: {error}."
            " Ask your administrator to restore that rulebook version.",
        ) from None


def rules_title(procurement: Procurement) -> str:
    """The rules by their name, as a council officer calls them; the id where they are missing."""
    try:
        return rulebook_of(procurement).title
    except Conflict:
        return procurement.rulebook_id


def state_label(procurement: Procurement, state_id: str | None = None) -> str:
    """Where the procurement stands (or a state of its rules, `state_id`), in its rules' words."""
    state_id = state_id or procurement.state
    try:
        state = rulebook_of(procurement).state(state_id)
    except Conflict:
        state = None
    return state.label if state is not None else state_id.replace("_", " ")


def estimated_value(design: dict[str, Any]) -> tuple[Decimal, Decimal | None]:
    """The development investment (all phases) and, when estimated, the purchase's value."""
    development = sum((p.max_value for p in section(design, "phases").items), Decimal(0))
    return development, section(design, "purchase").estimated_value


def design_facts(design: dict[str, Any]) -> dict[str, Any]:
    """The `Facts` fields the design sets (planned notice date and deadline included)."""
    need = section(design, "need")
    partners = section(design, "partners")
    gates = section(design, "gates")
    ipr = section(design, "ipr")
    award = section(design, "award")
    purchase = section(design, "purchase")
    conflicts = section(design, "conflicts")
    timeline = section(design, "timeline")
    development, purchase_value = estimated_value(design)
    has_value = development > 0 or purchase_value is not None
    return {
        "call_for_competition": timeline.call_for_competition,
        "need_statement": need.need_statement,
        "market_unavailability": need.market_unavailability,
        "minimum_requirements": tuple(section(design, "minimum_requirements").items),
        "partner_model": partners.partner_model,
        "max_partners": partners.max_partners,
        "min_candidates": partners.min_candidates,
        "phases": tuple(
            Phase(p.name, tuple(t.metric for t in p.targets), len(p.instalments))
            for p in section(design, "phases").items
        ),
        "award_model": award.model,
        "award_criteria": tuple(Criterion(c.name, c.weight) for c in award.criteria),
        "termination_option_announced": gates.termination_announced,
        "reduction_option_announced": gates.reduction_announced,
        "staged_reduction_announced": award.staged_reduction_announced,
        "ipr_arrangements": f"{ipr.model}: {ipr.terms}" if ipr.terms.strip() else "",
        "selection_criteria_tags": frozenset(c.tag for c in section(design, "selection").criteria),
        "estimated_value": development + (purchase_value or 0) if has_value else None,
        "procedure_description": timeline.procedure_description,
        "conflicts_assessment_complete": conflicts.assessment_complete,
        "pme_done": timeline.pme_done,
        "pme_notice_published": timeline.pme_notice_published,
        "pme_reasons": timeline.pme_reasons,
        "kpis": tuple(purchase.kpis),
        "performance_levels": tuple(purchase.performance_levels),
        "max_cost": purchase.max_cost,
        "circumstances": frozenset(timeline.circumstances),
        "notice_on": timeline.notice_on,
        "rtp_deadline": requests_close(timeline.requests_deadline),
    }


def stored_round(stored: dict[str, Any]) -> Round:
    """A round as the procurement row keeps it (rows from before its dates were kept have none)."""
    invited_on, deadline = stored.get("invited_on"), stored.get("deadline")
    return Round(
        stored["number"],
        stored["final"],
        invited_on=date.fromisoformat(invited_on) if invited_on else None,
        deadline=datetime.fromisoformat(deadline) if deadline else None,
    )


def facts_of(procurement: Procurement, **changes: Any) -> Facts:
    """
    The procurement's facts as stored, with `changes` applied (the facts an action would
    create, so its guards see them).
    """
    fields = design_facts(procurement.design)
    if procurement.notice_on is not None:
        fields["notice_on"] = procurement.notice_on
    fields.update(
        state=procurement.state,
        nation=procurement.nation if procurement.nation != "eu" else None,
        qualified=frozenset(procurement.qualified),
        invited=frozenset(procurement.invited),
        rounds=tuple(stored_round(r) for r in procurement.rounds),
        decision_notices_sent_on=procurement.decision_notices_sent_on,
        not_yet_notified=frozenset(procurement.not_yet_notified),
        contract_award_notice_published_on=procurement.contract_award_notice_published_on,
        contract_concluded_on=procurement.contract_concluded_on,
        current_phase=procurement.current_phase,
        gate_targets_assessed=procurement.gate_targets_assessed,
        active_partners=procurement.active_partners,
        performance_levels_met=procurement.performance_levels_met,
        purchase_price=procurement.purchase_price,
        justifications=dict(procurement.justifications),
    )
    fields.update(changes)
    return Facts(**fields)
