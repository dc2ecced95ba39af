from django.urls import path

from . import views

app_name = "producers"
urlpatterns = [
    path("", views.producer_list, name="list"),
    path("new/", views.producer_create, name="create"),
    path("register/", views.producer_register, name="register"),
    path("<int:pk>/", views.producer_detail, name="detail"),
    path("<int:pk>/edit/", views.producer_edit, name="edit"),
    path("<int:pk>/decide/", views.producer_decide, name="decide"),
    path("<int:pk>/history/", views.producer_history, name="history"),
]
