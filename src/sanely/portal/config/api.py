"""The JSON API: one NinjaAPI, version 1, with each app's router mounted under /api/v1/."""

from ninja import NinjaAPI

from sanely.portal.accounts.actors import SignedInSession, TokenAuth
from sanely.portal.accounts.apis import router as accounts_router
from sanely.portal.audit.apis import router as audit_router
from sanely.portal.award.apis import router as award_router
from sanely.portal.evaluation.apis import router as evaluation_router
from sanely.portal.negotiation.apis import router as negotiation_router
from sanely.portal.pilots.apis import router as pilots_router
from sanely.portal.procurements.apis import router as procurements_router
from sanely.portal.selection.apis import router as selection_router
from sanely.portal.tenders.apis import router as tenders_router
from sanely.portal.web.apis import install_error_handlers

api = NinjaAPI(
    title="sanely API",
    version="1",
    description=(
        "Run Innovation Partnerships. Authenticate with a personal access token"
        " (`Authorization: Bearer sanely_pat_…`) or a signed-in session. Every 4xx answer"
        " has the shape `{code, message, detail, rule?, citation?}`; lists are paged with"
        " `cursor` and `limit` and return `next_cursor`."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[TokenAuth(), SignedInSession()],
)
install_error_handlers(api)
api.add_router("/v1/", accounts_router)
api.add_router("/v1/", audit_router)
api.add_router("/v1/", pilots_router)
api.add_router("/v1/", procurements_router)
api.add_router("/v1/", tenders_router)
api.add_router("/v1/", selection_router)
api.add_router("/v1/", negotiation_router)
api.add_router("/v1/", evaluation_router)
api.add_router("/v1/", award_router)
