from django.urls import path

from . import feeds, payment_views, views

app_name = "publication"

urlpatterns = [
    path("open/", views.search, name="search"),
    path("open/<str:ocid>/", views.procurement, name="procurement"),
    path("open/<str:ocid>/notices/<str:key>", views.notice, name="notice"),
    path("publication/procurements/<int:procurement_id>/", views.facts, name="facts"),
    path("publication/facts/<int:fact_id>/review", views.review, name="review"),
    path(
        "publication/authorities/<int:organisation_id>/payments",
        payment_views.payment_notices,
        name="payments",
    ),
    path(
        "publication/authorities/<int:organisation_id>/payments/approve",
        payment_views.payments_approve,
        name="payments_approve",
    ),
]

# The open data itself, under /ocds/ (namespace "ocds").
feed_patterns = (
    [
        path("releases", feeds.releases, name="releases"),
        path("releases.jsonl.gz", feeds.bulk, name="bulk"),
        path("records/<str:ocid>", feeds.record, name="record"),
    ],
    "ocds",
)
