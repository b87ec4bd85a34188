from django.urls import path

from . import views

app_name = "negotiation"

urlpatterns = [
    path(
        "procurements/<int:procurement_id>/",
        views.procurement_negotiation,
        name="procurement",
    ),
    path("procurements/<int:procurement_id>/meetings/new", views.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path(
        "clarifications/<int:clarification_id>/answer",
        views.clarification_answer,
        name="answer",
    ),
    path(
        "procurements/<int:procurement_id>/revisions/new", views.revision_new, name="revision_new"
    ),
    path(
        "procurements/<int:procurement_id>/equal-treatment",
        views.equal_treatment,
        name="equal_treatment",
    ),
    path("procurements/<int:procurement_id>/reduction", views.reduction_new, name="reduction_new"),
    path(
        "procurements/<int:procurement_id>/as/<int:organisation_id>/",
        views.tenderer_negotiation,
        name="tenderer",
    ),
    path(
        "procurements/<int:procurement_id>/as/<int:organisation_id>/questions",
        views.question_ask,
        name="ask",
    ),
    path(
        "procurements/<int:procurement_id>/as/<int:organisation_id>/consents",
        views.consent_give,
        name="consent",
    ),
    path("consents/<int:consent_id>/withdraw", views.consent_withdraw, name="withdraw"),
    path(
        "clarifications/<int:clarification_id>/receipt",
        views.question_receipt,
        name="question_receipt",
    ),
]
