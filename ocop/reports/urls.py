from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bao-cao.xlsx", views.report_xlsx, name="xlsx"),
    path("tom-tat.pdf", views.summary_pdf, name="pdf"),
    path("<slug:key>.csv", views.figure_csv, name="csv"),
]
