"""
The authority's JSON routes for open data: every fact of a procurement with what became of it,
and the review of a fact before it is published. The open data itself is under /ocds/.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from sanely.portal.accounts.actors import actor_of
from sanely.portal.core.clock import now
from sanely.portal.web.apis import ERRORS, CursorPagination, InputSchema

from . import selectors, services
from .models import Fact

router = Router(tags=["publication"])


class WithholdingOut(Schema):
    path: str = Field(description="the field withheld; empty: the whole release")
    what: str
    ground: str
    citation: str
    explanation: str
    announced: bool


class FactOut(Schema):
    id: int
    kind: str
    what: str
    status: str
    status_label: str
    found_at: datetime
    problem: str = Field(description="why a held release cannot be published yet")
    release_id: str | None = Field(description="the published release, once published")
    withholdings: list[WithholdingOut]
    withholdable: list[str] = Field(description="fields that may be withheld, for a review")

    @staticmethod
    def resolve_what(fact: Fact) -> str:
        return selectors.source_label(fact)

    @staticmethod
    def resolve_status_label(fact: Fact) -> str:
        return fact.get_status_display()

    @staticmethod
    def resolve_release_id(fact: Fact) -> str | None:
        published = getattr(fact, "published", None)
        return published.release_id if published is not None else None

    @staticmethod
    def resolve_withholdings(fact: Fact) -> list[object]:
        return list(fact.withholdings.all())

    @staticmethod
    def resolve_withholdable(fact: Fact) -> list[str]:
        return [path for path, _ in selectors.withholdable(fact)]


class ReviewIn(InputSchema):
    publish: bool = Field(description="true: publish; false: keep the whole release back")
    withhold: list[str] = Field(default_factory=list, description="fields from `withholdable`")
    ground: str = Field("", description="a lawful ground of the procurement's regime")
    explanation: str = Field("", max_length=5000)
    announced: bool = Field(True, description="tell the public what is withheld and why")


@router.get(
    "/publication/procurements/{procurement_id}/facts", response={200: list[FactOut], **ERRORS}
)
@paginate(CursorPagination)
def publication_facts(request: HttpRequest, procurement_id: int):  # type: ignore[no-untyped-def]
    """Every fact of a procurement for open data, published or not (the authority only)."""
    procurement, _ = selectors.access_publication(
        actor=actor_of(request), procurement_id=procurement_id
    )
    return selectors.facts_of(procurement)


@router.post("/publication/facts/{fact_id}/review", response={200: FactOut, **ERRORS})
def publication_review(request: HttpRequest, fact_id: int, payload: ReviewIn) -> Fact:
    """Decide a fact that waits for review: publish (withholding fields) or keep it back."""
    return services.fact_review(
        actor=actor_of(request), fact_id=fact_id, **payload.model_dump(), now=now()
    )
