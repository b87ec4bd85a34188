"""JSON API for opportunities, rounds, sealed submissions, receipts and the opening."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sanely.portal.accounts.actors import actor_of
from sanely.portal.competition import selectors as competition_selectors
from sanely.portal.competition.models import Letter
from sanely.portal.core.clock import now
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import access_procurement
from sanely.portal.web.apis import ERRORS, CursorPagination, InputSchema

from . import selectors, services
from .models import ChunkedUpload, Interest, SubmissionRound
from .views import content_response, receipt_response

router = Router(tags=["tenders"])


class RoundOut(Schema):
    id: int
    procurement_id: int
    kind: str
    number: int
    final: bool
    label: str
    parts: list[str]
    ref: str
    deadline: datetime
    opening_requested_at: datetime | None
    opened_at: datetime | None


class OpportunityOut(Schema):
    id: int
    reference: str
    title: str
    authority: str = Field(alias="organisation.name")
    need_summary: str
    published_at: datetime
    rounds: list[RoundOut]

    @staticmethod
    def resolve_need_summary(obj: Procurement) -> str:
        return selectors.need_summary(obj)

    @staticmethod
    def resolve_rounds(obj: Procurement) -> list[SubmissionRound]:
        return list(obj.submission_rounds.all())  # in order; prefetched by opportunity_list


@router.get("/opportunities", response={200: list[OpportunityOut], **ERRORS}, auth=None)
@paginate(CursorPagination)
def opportunity_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Published opportunities; no sign-in needed."""
    return selectors.opportunity_list().order_by("pk")


@router.get("/opportunities/{procurement_id}", response={200: OpportunityOut, **ERRORS}, auth=None)
def opportunity_detail(request: HttpRequest, procurement_id: int) -> Procurement:
    return selectors.access_opportunity(procurement_id=procurement_id)


class LetterOut(Schema):
    id: int
    procurement_id: int
    recipient_id: int
    kind: str
    subject: str
    body: str
    content: dict[str, Any]  # the facts the letter states
    sent_at: datetime

    @staticmethod
    def resolve_content(letter: Letter) -> Mapping[str, Any]:
        return letter.facts


@router.get(
    "/opportunities/{procurement_id}/letters",
    response={200: list[LetterOut], **ERRORS},
    url_name="letter_list",
)
def letter_list(request: HttpRequest, procurement_id: int, organisation_id: int) -> list[Any]:
    """The letters the authority sent one of your suppliers about this procurement."""
    organisation = selectors.access_supplier(
        actor=actor_of(request), organisation_id=organisation_id
    )
    procurement = selectors.access_opportunity(procurement_id=procurement_id)
    return list(
        competition_selectors.letter_list(procurement=procurement, organisation=organisation)
    )


@router.get("/letters/{letter_id}", response={200: LetterOut, **ERRORS}, url_name="letter_detail")
def letter_detail(request: HttpRequest, letter_id: int) -> Any:
    """One letter, for its recipient's people and the authority's."""
    return competition_selectors.access_letter(actor=actor_of(request), letter_id=letter_id)


class InterestIn(InputSchema):
    organisation_id: int


class InterestOut(Schema):
    id: int
    procurement_id: int
    organisation_id: int
    expressed_at: datetime


@router.post("/opportunities/{procurement_id}/interest", response={201: InterestOut, **ERRORS})
def interest_express(request: HttpRequest, procurement_id: int, payload: InterestIn) -> Status:
    """Your supplier registers interest (again is harmless)."""
    interest: Interest = services.interest_express(
        actor=actor_of(request),
        procurement_id=procurement_id,
        organisation_id=payload.organisation_id,
        now=now(),
    )
    return Status(201, interest)


class RoundIn(InputSchema):
    kind: str = Field(description="rtp (requests to participate) or tender")
    number: int = 1
    deadline: datetime = Field(description="with its time zone")
    final: bool = False
    parts: list[str] = Field(
        default_factory=list, description="what each supplier submits; one default part if empty"
    )
    justification: str = Field(
        "", max_length=5000, description="for the WARN rules of the step a tender round is"
    )


@router.get("/procurements/{procurement_id}/rounds", response={200: list[RoundOut], **ERRORS})
def round_list(request: HttpRequest, procurement_id: int) -> list[SubmissionRound]:
    procurement, _ = access_procurement(actor=actor_of(request), procurement_id=procurement_id)
    return list(selectors.round_list(procurement=procurement))


@router.post("/procurements/{procurement_id}/rounds", response={201: RoundOut, **ERRORS})
def round_open(request: HttpRequest, procurement_id: int, payload: RoundIn) -> Status:
    """A commissioner or procurement lead opens a round for submissions."""
    submission_round = services.submission_round_open(
        actor=actor_of(request),
        procurement_id=procurement_id,
        kind=payload.kind,
        number=payload.number,
        deadline=payload.deadline,
        final=payload.final,
        parts=payload.parts,
        justification=payload.justification,
        now=now(),
    )
    return Status(201, submission_round)


class ExtensionIn(InputSchema):
    new_deadline: datetime
    reason: str = Field(max_length=5000)
    platform_incident: bool = False


class ExtensionOut(Schema):
    id: int
    round_id: int
    previous_deadline: datetime
    new_deadline: datetime
    reason: str
    platform_incident: bool
    recorded_at: datetime


@router.post("/rounds/{round_id}/extensions", response={201: ExtensionOut, **ERRORS})
def round_extend(request: HttpRequest, round_id: int, payload: ExtensionIn) -> Status:
    """Extend the deadline before it passes, with the reason for the incident log."""
    extension = services.submission_round_extend(
        actor=actor_of(request),
        round_id=round_id,
        new_deadline=payload.new_deadline,
        reason=payload.reason,
        platform_incident=payload.platform_incident,
        now=now(),
    )
    return Status(201, extension)


@router.post("/rounds/{round_id}/opening", response={200: RoundOut, **ERRORS})
def round_opening_request(request: HttpRequest, round_id: int) -> SubmissionRound:
    """First of two people: ask to open the round (only after its deadline)."""
    return services.round_opening_request(actor=actor_of(request), round_id=round_id, now=now())


@router.post("/rounds/{round_id}/opening/confirm", response={200: RoundOut, **ERRORS})
def round_opening_confirm(request: HttpRequest, round_id: int) -> SubmissionRound:
    """Second, different person: confirm; the round's submissions can then be read."""
    return services.round_opening_confirm(actor=actor_of(request), round_id=round_id, now=now())


class VersionOut(Schema):
    id: int
    round_id: int
    organisation_id: int
    part: str
    version: int
    received_at: datetime
    file_name: str
    file_kind: str
    size: int = Field(alias="plaintext_size")
    sha256: str = Field(alias="plaintext_sha256")
    scan: str
    receipt: str


class PartOut(Schema):
    part: str
    status: str
    latest: VersionOut | None


class SubmissionStatusOut(Schema):
    round: RoundOut
    organisation_id: int
    complete: bool
    missing: list[str]
    parts: list[PartOut]
    versions: list[VersionOut]


@router.get("/rounds/{round_id}/submissions/mine", response={200: SubmissionStatusOut, **ERRORS})
def submission_status(request: HttpRequest, round_id: int, organisation_id: int) -> dict[str, Any]:
    """Your supplier's submissions to a round, part by part: the completeness check."""
    submission_round, organisation = selectors.access_supplier_round(
        actor=actor_of(request), round_id=round_id, organisation_id=organisation_id
    )
    status = selectors.completeness(round=submission_round, organisation=organisation)
    return {
        "round": submission_round,
        "organisation_id": organisation.pk,
        "complete": status.complete,
        "missing": status.missing,
        "parts": [
            {
                "part": p.part,
                "status": "submitted" if p.submitted else "not yet submitted",
                "latest": p.latest,
            }
            for p in status.parts
        ],
        "versions": status.versions,
    }


@router.post("/rounds/{round_id}/submissions", response={201: VersionOut, **ERRORS})
def submission_create(
    request: HttpRequest,
    round_id: int,
    organisation_id: Form[int],
    part: Form[str],
    file: File[UploadedFile],
) -> Status:
    """
    Submit one file for one part (multipart). Sealed on receipt; the answer carries the signed
    receipt. Submitting the same part again replaces it (every version is kept).
    """
    version = services.submission_submit(
        actor=actor_of(request),
        round_id=round_id,
        organisation_id=organisation_id,
        part=part,
        upload=file,
        now=now(),
    )
    return Status(201, version)


class UploadIn(InputSchema):
    organisation_id: int
    part: str = Field(max_length=100)
    name: str = Field(max_length=255, description="the file's name")
    total_size: int = Field(ge=0, description="bytes")
    sha256: str = Field(description="the whole file's SHA-256, 64 lower-case hex digits")


class UploadOut(Schema):
    id: int
    round_id: int
    organisation_id: int
    part: str
    name: str
    total_size: int
    sha256: str
    missing: list[tuple[int, int]] = Field(description="byte ranges [start, end) to send")
    complete: bool
    expires_at: datetime = Field(description="unfinished then, the upload and its chunks go")

    @staticmethod
    def resolve_missing(obj: ChunkedUpload) -> list[tuple[int, int]]:
        return list(obj.state().missing)

    @staticmethod
    def resolve_complete(obj: ChunkedUpload) -> bool:
        return obj.state().complete


@router.post("/rounds/{round_id}/uploads", response={201: UploadOut, **ERRORS})
def upload_begin(request: HttpRequest, round_id: int, payload: UploadIn) -> Status:
    """
    Start a resumable upload for one part: declare the file, then PUT its chunks in any order
    and finish. For large files or unreliable connections.
    """
    upload = services.upload_begin(
        actor=actor_of(request), round_id=round_id, now=now(), **payload.dict()
    )
    return Status(201, upload)


@router.get("/uploads/{upload_id}", response={200: UploadOut, **ERRORS})
def upload_detail(request: HttpRequest, upload_id: int) -> ChunkedUpload:
    """What has arrived and what is missing, to resume after an interruption."""
    return selectors.access_upload(actor=actor_of(request), upload_id=upload_id)


@router.put(
    "/uploads/{upload_id}/chunks",
    response={200: UploadOut, **ERRORS},
    openapi_extra={
        "requestBody": {
            "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            "required": True,
        }
    },
)
def upload_chunk(request: HttpRequest, upload_id: int, offset: int) -> ChunkedUpload:
    """One chunk: the raw bytes as the body, starting at byte `offset` of the file."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return services.upload_put(
        actor=actor_of(request),
        upload_id=upload_id,
        offset=offset,
        length=length,
        data=request,
        now=now(),
    )


@router.post("/uploads/{upload_id}/finish", response={201: VersionOut, **ERRORS})
def upload_finish(request: HttpRequest, upload_id: int) -> Status:
    """Check the whole file against its SHA-256 and submit it: sealed, with a receipt."""
    version = services.upload_finish(actor=actor_of(request), upload_id=upload_id, now=now())
    return Status(201, version)


class SubmissionOut(Schema):
    id: int
    organisation_id: int
    organisation: str = Field(alias="organisation.name")
    part: str
    version: int
    received_at: datetime
    file_name: str
    size: int = Field(alias="plaintext_size")
    sha256: str = Field(alias="plaintext_sha256")


@router.get("/rounds/{round_id}/submissions", response={200: list[SubmissionOut], **ERRORS})
@paginate(CursorPagination)
def round_submission_list(request: HttpRequest, round_id: int):  # type: ignore[no-untyped-def]
    """Every version submitted to the round: for the authority, once the round is opened."""
    _, versions = selectors.round_submission_list(
        actor=actor_of(request), round_id=round_id, now=now()
    )
    return versions


@router.get(
    "/submissions/{version_id}/receipt",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {200: {"content": {"application/json": {}}, "description": "the receipt"}}
    },
)
def receipt_download(request: HttpRequest, version_id: int) -> HttpResponse:
    """Your signed receipt, byte for byte as issued: check it with `sanely vault verify-receipt`."""
    version = selectors.access_receipt(actor=actor_of(request), version_id=version_id)
    return receipt_response(version.receipt, version.submission_id)


@router.get(
    "/submissions/{version_id}/content",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "content": {"application/octet-stream": {}},
                "description": "the submitted file",
            }
        }
    },
)
def content_download(request: HttpRequest, version_id: int) -> FileResponse:
    """The submitted file, for the authority's people after the four-eyes opening only."""
    content = selectors.access_submission_content(
        actor=actor_of(request), version_id=version_id, route="api", now=now()
    )
    return content_response(content)
