from django.urls import path

from . import views

app_name = "engagement"

urlpatterns = [
    path("procurements/<int:procurement_id>/", views.record, name="record"),
    path("procurements/<int:procurement_id>/events/new", views.event_new, name="event_new"),
    path("procurements/<int:procurement_id>/shared/new", views.shared_new, name="shared_new"),
    path("procurements/<int:procurement_id>/changes/new", views.change_new, name="change_new"),
    path("procurements/<int:procurement_id>/notice/new", views.notice_new, name="notice_new"),
]
