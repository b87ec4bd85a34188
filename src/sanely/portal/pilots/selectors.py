"""Reads for pilot evidence, and who may see or request assessments."""

from typing import Any

from django.db.models import QuerySet

from sanely import evidence
from sanely.portal.accounts.models import Membership, Organisation, OrganisationKind
from sanely.portal.accounts.selectors import Actor, access_organisation
from sanely.portal.core.errors import NotFound
from sanely.portal.procurements.planning import assessment_answers, target_at, target_name
from sanely.portal.procurements.selectors import access_procurement

from .models import OutcomeAssessment


def authorities_of(actor: Actor, *, write: bool) -> list[tuple[int, str]]:
    """The authorities in which the actor may read (or, with `write`, request) assessments."""
    return sorted(
        {
            (m.organisation_id, m.organisation.name)
            for m in actor.memberships
            if m.organisation.kind == OrganisationKind.AUTHORITY and (m.can_write or not write)
        }
    )


def access_assessment_organisation(
    *, actor: Actor, organisation_id: int, write: bool = False
) -> tuple[Organisation, Membership]:
    """An authority of the actor's, in which they may read or request assessments."""
    organisation, membership = access_organisation(
        actor=actor, organisation_id=organisation_id, write=write
    )
    if organisation.kind != OrganisationKind.AUTHORITY:
        raise NotFound("No such organisation.")
    return organisation, membership


def access_assessment(*, actor: Actor, assessment_id: int) -> OutcomeAssessment:
    """An assessment of one of the actor's authorities; others' are reported as missing."""
    readable = [organisation_id for organisation_id, _ in authorities_of(actor, write=False)]
    assessment = (
        OutcomeAssessment.objects.select_related("organisation", "requested_by", "procurement")
        .filter(pk=assessment_id, organisation_id__in=readable)
        .first()
    )
    if assessment is None:
        raise NotFound("No such assessment.")
    return assessment


def assessment_list_for(*, actor: Actor) -> QuerySet[OutcomeAssessment]:
    readable = [organisation_id for organisation_id, _ in authorities_of(actor, write=False)]
    return (
        OutcomeAssessment.objects.filter(organisation_id__in=readable)
        .select_related("organisation", "requested_by")
        .order_by("-pk")
    )


def assessment_chart(assessment: OutcomeAssessment) -> evidence.Chart | None:
    """The chart of a finished assessment: its design's own chart (synthetic control,
    staggered adoption), else the estimate and its interval against the target."""
    result = assessment.result
    if not result or result.get("ci_low") is None or result.get("ci_high") is None:
        return None
    # A synthetic control's gap series, or a staggered design's event-time plot.
    spec = evidence.parse_spec(assessment.spec)
    design = evidence.design_chart(result.get("series", {}), result.get("details", {}), spec)
    if design is not None:
        return design
    metric = assessment.spec.get("metric", {})
    target = assessment.spec.get("target", {})
    return evidence.comparison_chart(
        [metric.get("label") or "Estimate"],
        [result["estimate"]],
        [result["ci_low"]],
        [result["ci_high"]],
        f"{assessment.title}: estimate with its {result['confidence']:.0%} interval",
        units=metric.get("units", ""),
        threshold=target.get("threshold"),
    )


def assessment_rows(assessment: OutcomeAssessment) -> tuple[tuple[str, str], ...]:
    """The rows a finished assessment used, per group in words (a long series in one line)."""
    result = assessment.result
    return evidence.describe_rows(result.get("n", {})) if result else ()


def answers_for_target(*, actor: Actor, procurement_id: str, target_key: str) -> dict[str, Any]:
    """
    The evidence form's starting answers when it is opened from a procurement's target
    (`?procurement=ID&target=KEY`), with the target's name; nothing when the link names no target.
    """
    if not procurement_id.isdigit() or not target_key:
        return {}
    procurement, _ = access_procurement(actor=actor, procurement_id=int(procurement_id))
    found = target_at(procurement.design, target_key)
    if found is None:
        raise NotFound("No such target.")
    target = found[1]
    return {
        "target_name": target_name(procurement.design, target_key),
        **assessment_answers(target),
        "title": f"{procurement.reference}: {target.metric}",
        "organisation_id": procurement.organisation_id,
        "procurement_id": procurement.pk,
        "target_key": target_key,
    }


def assessment_target_name(assessment: OutcomeAssessment) -> str | None:
    """The name of the procurement target the assessment is judged against, while it exists."""
    if assessment.procurement is None:
        return None
    return target_name(assessment.procurement.design, assessment.target_key)
