from django.urls import path

from . import views

app_name = "pilots"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new", views.assessment_new, name="new"),
    path("<int:assessment_id>/", views.assessment_detail, name="detail"),
]
