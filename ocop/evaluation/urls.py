from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.evaluation_home, name="home"),
    path("councils/new/", views.council_create, name="council_create"),
    path("councils/<int:pk>/", views.council_detail, name="council"),
    path("councils/<int:pk>/analytics/", views.council_analytics, name="analytics"),
    path("councils/<int:pk>/seats/<int:seat_pk>/remove/", views.seat_remove, name="seat_remove"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="attendance"),
    path("sessions/<int:pk>/agenda/", views.session_add_dossier, name="add_dossier"),
    path("sessions/<int:pk>/close/", views.session_close, name="session_close"),
    path("sessions/<int:pk>/minutes.pdf", views.session_minutes, name="minutes"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/sheet/", views.sheet_save, name="sheet_save"),
    path("assignments/<int:pk>/conflict/", views.conflict_declare, name="conflict"),
    path("assignments/<int:pk>/rescore/", views.rescore_request, name="rescore"),
    path("assignments/<int:pk>/discussion/", views.discussion_record, name="discussion"),
    path("assignments/<int:pk>/close/", views.assignment_close, name="close"),
    path("dossiers/<int:dossier_pk>/commune/", views.commune_assessment, name="commune"),
]
