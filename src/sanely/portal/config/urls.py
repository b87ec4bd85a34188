from django.urls import include, path

from sanely.portal.procurements import views as procurements_views
from sanely.portal.publication.urls import feed_patterns
from sanely.portal.tenders import views as tenders_views
from sanely.portal.web import views as web_views

from . import views
from .api import api
from .api_docs import api_docs

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("status", web_views.service_status, name="status"),
    path("api/docs", api_docs, name="api_docs"),
    path("api/", api.urls),
    path("", include("sanely.portal.accounts.urls")),
    path("audit/", include("sanely.portal.audit.urls")),
    path("evidence/", include("sanely.portal.pilots.urls")),
    path("procurements/", include("sanely.portal.procurements.urls")),
    path("engagement/", include("sanely.portal.engagement.urls")),
    path("deadlines", procurements_views.deadline_calculator, name="deadlines"),
    path(
        ".well-known/sanely-receipt-key.pem", tenders_views.receipt_public_key, name="receipt_key"
    ),
    path("", include("sanely.portal.tenders.urls")),
    path("selection/", include("sanely.portal.selection.urls")),
    path("negotiation/", include("sanely.portal.negotiation.urls")),
    path("evaluation/", include("sanely.portal.evaluation.urls")),
    path("award/", include("sanely.portal.award.urls")),
    path("partnerships/", include("sanely.portal.partnerships.urls")),
    path("", include("sanely.portal.publication.urls")),
    path("ocds/", include(feed_patterns)),
]

handler400 = "sanely.portal.web.views.bad_request"
handler403 = "sanely.portal.web.views.forbidden"
handler404 = "sanely.portal.web.views.not_found"
handler500 = "sanely.portal.web.views.server_error"
