from django.urls import path

from . import views

app_name = "award"

urlpatterns = [
    path("procurements/<int:procurement_id>/", views.procurement_award, name="procurement"),
    path("procurements/<int:procurement_id>/notify", views.notify, name="notify"),
    path("procurements/<int:procurement_id>/conclude", views.conclude, name="conclude"),
    path("procurements/<int:procurement_id>/report", views.report, name="report"),
    path(
        "procurements/<int:procurement_id>/report.md",
        views.report_download,
        name="report_download",
    ),
    path("contracts/<int:contract_id>", views.contract, name="contract"),
]
