from django.urls import path

from . import views

app_name = "tenders"

urlpatterns = [
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("opportunities/<int:procurement_id>/", views.opportunity_detail, name="opportunity"),
    path("opportunities/<int:procurement_id>/interest", views.interest_express, name="interest"),
    path(
        "opportunities/rounds/<int:round_id>/as/<int:organisation_id>/",
        views.submission_page,
        name="submission",
    ),
    path("opportunities/receipts/<int:version_id>", views.receipt_download, name="receipt"),
    path("opportunities/letters/<int:letter_id>", views.letter_detail, name="letter"),
    path("tenders/procurements/<int:procurement_id>/rounds", views.round_list, name="rounds"),
    path("tenders/rounds/<int:round_id>/", views.round_detail, name="round"),
    path("tenders/rounds/<int:round_id>/extend", views.round_extend, name="extend"),
    path(
        "tenders/rounds/<int:round_id>/opening",
        views.round_opening,
        {"step": "request"},
        name="opening_request",
    ),
    path(
        "tenders/rounds/<int:round_id>/opening/confirm",
        views.round_opening,
        {"step": "confirm"},
        name="opening_confirm",
    ),
    path("tenders/submissions/<int:version_id>/content", views.content_download, name="content"),
]
