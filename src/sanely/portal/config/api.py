"""The JSON API: one NinjaAPI, version 1, with each app's router mounted under /api/v1/."""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from sanely.portal.accounts.actors import SignedInSession, TokenAuth
from sanely.portal.accounts.apis import router as accounts_router
from sanely.portal.audit.apis import router as audit_router
from sanely.portal.award.apis import router as award_router
from sanely.portal.engagement.apis import router as engagement_router
from sanely.portal.evaluation.apis import router as evaluation_router
from sanely.portal.negotiation.apis import router as negotiation_router
from sanely.portal.partnerships.apis import router as partnerships_router
from sanely.portal.pilots.apis import router as pilots_router
from sanely.portal.procurements.apis import router as procurements_router
from sanely.portal.publication.apis import router as publication_router
from sanely.portal.publication.notice_apis import router as notices_router
from sanely.portal.selection.apis import router as selection_router
from sanely.portal.tenders.apis import router as tenders_router
from sanely.portal.web.apis import install_error_handlers


class SanelyAPI(NinjaAPI):
    """The API, whose OpenAPI schema is built once per root path: the routes never change while
    the process runs, and building it takes about a second."""

    _schemas: dict[str, OpenAPISchema]

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schemas = self.__dict__.setdefault("_schemas", {})
        if path_prefix not in schemas:
            schemas[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return schemas[path_prefix]


api = SanelyAPI(
    title="sanely API",
    version="1",
    description=(
        "Run Innovation Partnerships. Authenticate with a personal access token"
        " (`Authorization: Bearer sanely_pat_…`) or a signed-in session. Every 4xx answer"
        " has the shape `{code, message, detail, rule?, citation?}`; lists are paged with"
        " `cursor` and `limit`, and each page gives the cursor of the next."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,  # the portal draws the documentation itself: config/api_docs.py
    auth=[TokenAuth(), SignedInSession()],
)
install_error_handlers(api)
api.add_router("/v1/", accounts_router)
api.add_router("/v1/", audit_router)
api.add_router("/v1/", pilots_router)
api.add_router("/v1/", procurements_router)
api.add_router("/v1/", engagement_router)
api.add_router("/v1/", tenders_router)
api.add_router("/v1/", selection_router)
api.add_router("/v1/", negotiation_router)
api.add_router("/v1/", evaluation_router)
api.add_router("/v1/", award_router)
api.add_router("/v1/", partnerships_router)
api.add_router("/v1/", publication_router)
api.add_router("/v1/", notices_router)
