"""JSON API for pilot evidence assessments."""

import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sanely.portal.accounts.actors import actor_of
from sanely.portal.core.clock import now
from sanely.portal.core.errors import validation_failed_from
from sanely.portal.web.apis import ERRORS, CursorPagination

from . import selectors, services
from .models import OutcomeAssessment

router = Router(tags=["pilot evidence"])


class AssessmentOut(Schema):
    id: int
    organisation_id: int
    title: str
    procurement_id: int | None
    target_key: str
    status: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    data_name: str
    data_size: int
    data_sha256: str
    spec: dict[str, Any]
    engine_versions: dict[str, str]
    result: dict[str, Any] | None
    error_message: str
    error_issues: list[dict[str, Any]]


@router.get("/assessments", response={200: list[AssessmentOut], **ERRORS})
@paginate(CursorPagination)
def assessment_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.assessment_list_for(actor=actor_of(request)).order_by("pk")


@router.get("/assessments/{assessment_id}", response={200: AssessmentOut, **ERRORS})
def assessment_detail(request: HttpRequest, assessment_id: int) -> OutcomeAssessment:
    return selectors.access_assessment(actor=actor_of(request), assessment_id=assessment_id)


@router.post("/assessments", response={201: AssessmentOut, **ERRORS})
def assessment_create(
    request: HttpRequest,
    organisation_id: Form[int],
    title: Form[str],
    spec: Form[str],
    data: File[UploadedFile],
    procurement_id: Form[int | None] = None,
    target_key: Form[str] = "",
) -> Status:
    """
    Upload a data file with a spec (the tables of SPEC.toml as a JSON object, see
    docs/evidence.md); the assessment runs in the background: poll its `status`. Every table
    of SPEC.toml is taken, for example `{"design": {"kind": "its", "change_at": "2025-04",
    "treated": ["pilot"], "control": ["county"]}}` for a time series against a comparison
    series, `"columns": {"covariates": ["age"], "weight": "w"}` with `"inference":
    {"weights": "survey"}`, `"sequential": {"looks": 3, "look": 2}` for the second of three
    gates, or `"predictors": {"income": "before"}` for a synthetic control. A spec that cannot
    be used is refused naming its key (`detail.spec`). Name a procurement and the `key` of one
    of its targets (as in its `target_planning`) to judge the data against that target.
    """
    try:
        spec_mapping = json.loads(spec)
    except json.JSONDecodeError:
        raise validation_failed_from({"spec": ["Send the spec as a JSON object."]}) from None
    if not isinstance(spec_mapping, dict):
        raise validation_failed_from({"spec": ["Send the spec as a JSON object."]})
    assessment = services.assessment_request(
        actor=actor_of(request),
        organisation_id=organisation_id,
        title=title,
        data=data,
        spec=spec_mapping,
        now=now(),
        procurement_id=procurement_id,
        target_key=target_key,
    )
    return Status(201, assessment)
