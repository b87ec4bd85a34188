from django.urls import path

from . import views

app_name = "selection"

urlpatterns = [
    path("procurements/<int:procurement_id>/", views.selection_page, name="selection"),
    path("procurements/<int:procurement_id>/decide", views.decide_page, name="decide"),
]
