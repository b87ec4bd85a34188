from django.urls import path

from . import views

app_name = "procurements"

urlpatterns = [
    path("", views.procurement_list, name="list"),
    path("new", views.procurement_new, name="new"),
    path("<int:procurement_id>/", views.procurement_detail, name="detail"),
    path("<int:procurement_id>/design/<slug:section_name>", views.design_section, name="section"),
    path("<int:procurement_id>/check", views.design_check, name="check"),
    path("<int:procurement_id>/actions/<slug:event>", views.procurement_action, name="action"),
]
