"""
Outcome data delivered against a target of a partner's plan. It is judged by the target's
analysis plan as fixed when the contract was concluded (checked against its fingerprint first),
never by a method chosen after the data arrived; the worker runs the assessment.
"""

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import Conflict, NotFound, validation_failed_from
from sanely.portal.pilots.services import assessment_store, data_file_problems

from .. import events
from ..models import ContractEnd, Evidence, Validation
from ..selectors import May, access_contract, plan_of, target_in
from .begin import spec_fingerprint


@transaction.atomic
def evidence_submit(
    *,
    actor: Actor,
    contract_id: int,
    target_key: str,
    data: UploadedFile | None,
    now: datetime,
    part: str = "",
) -> Evidence:
    """Store the data against the target (or one part of it) and queue its assessment."""
    contract = access_contract(actor=actor, contract_id=contract_id, may=May.REPORT)
    if ContractEnd.objects.filter(contract=contract).exists():
        raise Conflict("This contract has ended: no more data can be delivered under it.")
    plan = plan_of(contract)
    target = target_in(plan, target_key)
    errors: dict[str, list[str]] = {}
    if target is None:
        errors["target_key"] = [
            f"The plan agreed with {contract.partner.name} has no such target: choose one of"
            " its targets."
        ]
    if problems := data_file_problems(data):
        errors["data_file"] = problems
    if len(part) > 200:
        errors["part"] = ["Name the part (a site, say) in at most 200 characters."]
    if errors or target is None or data is None:
        raise validation_failed_from(errors)
    if spec_fingerprint(target.spec) != target.spec_sha256:
        # The stored plan no longer matches what was agreed: judging by it would be unfair.
        raise Conflict(
            "The target's analysis plan no longer matches the one fixed at conclusion; nothing"
            " was assessed. Tell the authority's procurement lead."
        )
    assessment = assessment_store(
        organisation=contract.procurement.organisation,
        user=actor.user,
        title=f"{contract.partner.name}: {target.metric}" + (f" ({part})" if part else ""),
        data=data,
        spec=target.spec,
        now=now,
        procurement=contract.procurement,
        target_key=target.key,
    )
    delivered = Evidence.objects.create(
        contract=contract,
        target_key=target.key,
        part=part.strip(),
        assessment=assessment,
        submitted_by=actor.user,
        submitted_at=now,
    )
    audit_record(
        action=events.EVIDENCE_SUBMITTED,
        subject=delivered,
        now=now,
        actor=actor.user,
        organisation=contract.procurement.organisation,
        payload={
            "contract": contract.pk,
            "target": target.key,
            "part": delivered.part,
            "data_sha256": assessment.data_sha256,
            "analysis_plan_sha256": target.spec_sha256,
        },
    )
    return delivered


@transaction.atomic
def evidence_validate(
    *, actor: Actor, evidence_id: int, validation: str, now: datetime
) -> Evidence:
    """Record how a delivery's verdict was checked, and by whom."""
    delivered = Evidence.objects.select_for_update().filter(pk=evidence_id).first()
    if delivered is None:
        raise NotFound("No such evidence.")
    contract = access_contract(actor=actor, contract_id=delivered.contract_id, may=May.MANAGE)
    if validation not in (Validation.AUTHORITY, Validation.INDEPENDENT):
        raise validation_failed_from(
            {"validation": ["Say whether the authority or an independent evaluator checked it."]}
        )
    delivered.validation, delivered.validated_by, delivered.validated_at = (
        validation,
        actor.user,
        now,
    )
    delivered.save(update_fields=["validation", "validated_by", "validated_at"])
    audit_record(
        action=events.EVIDENCE_VALIDATED,
        subject=delivered,
        now=now,
        actor=actor.user,
        organisation=contract.procurement.organisation,
        payload={"contract": contract.pk, "target": delivered.target_key, "by": validation},
    )
    return delivered
