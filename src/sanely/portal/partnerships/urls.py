from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("procurements/<int:procurement_id>/", views.partnership, name="partnership"),
    path("contracts/<int:contract_id>/plan", views.plan, name="plan"),
]
