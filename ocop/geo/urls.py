from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [path("communes/", views.commune_options, name="commune_options")]
