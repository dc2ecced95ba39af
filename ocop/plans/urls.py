from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/<int:idea_pk>/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/attach/", views.plan_attach, name="attach"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/done/", views.milestone_done, name="milestone_done"
    ),
    path("<int:pk>/support/", views.support_add, name="support_add"),
    path("<int:pk>/<slug:name>/", views.plan_transition, name="transition"),
]
