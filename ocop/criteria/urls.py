from django.urls import path

from . import views

app_name = "criteria"
urlpatterns = [
    path("", views.criteria_set_index, name="list"),
    path("<slug:code>/", views.criteria_set_page, name="detail"),
]
