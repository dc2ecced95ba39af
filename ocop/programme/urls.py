from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.plans, name="plans"),
    path("moi/", views.plan_form, name="create"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/sua/", views.plan_form, name="edit"),
    path("<int:pk>/phe-duyet/", views.plan_approve, name="approve"),
]
