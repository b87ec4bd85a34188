from django.urls import path

from . import views

app_name = "evaluation"

TENDERER = "procurements/<int:procurement_id>/tenderers/<int:tenderer_id>/"

urlpatterns = [
    path("procurements/<int:procurement_id>/", views.overview, name="overview"),
    path("procurements/<int:procurement_id>/declare", views.declare, name="declare"),
    path(TENDERER + "scores", views.score, name="score"),
    path(TENDERER + "moderation", views.moderate, name="moderate"),
    path("procurements/<int:procurement_id>/results", views.results, name="results"),
]
