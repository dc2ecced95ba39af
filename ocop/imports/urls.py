from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.jobs, name="jobs"),
    path("mau/<str:kind>.xlsx", views.template, name="template"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/tien-do/", views.job_progress, name="progress"),
    path("<int:pk>/cot/", views.job_map, name="map"),
    path("<int:pk>/kiem-tra/", views.job_check, name="check"),
    path("<int:pk>/ap-dung/", views.job_apply, name="apply"),
    path("<int:pk>/hoan-tac/", views.job_revert, name="revert"),
    path("<int:pk>/tep/", views.job_file, name="file"),
]
