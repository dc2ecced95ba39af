from django.urls import path, re_path

from . import views

# Mounted at the site root: stamps answer at their GS1 Digital Link path (/01/…/10/…/21/…)
# and at the platform's short path /tem/<serial>, the addresses printed in their QR codes.
app_name = "traceability"
urlpatterns = [
    re_path(
        r"^01/(?P<gtin>[0-9]{8,14})/10/(?P<lot>.+)/21/(?P<serial>[^/]+)/?$",
        views.stamp_gs1,
        name="stamp_gs1_lot",
    ),
    re_path(
        r"^01/(?P<gtin>[0-9]{8,14})/21/(?P<serial>[^/]+)/?$", views.stamp_gs1, name="stamp_gs1"
    ),
    path("tem/", views.stamp_lookup, name="lookup"),
    path("tem/noi-quet/", views.scan_locate, name="locate"),
    path("tem/<str:serial>/epcis.json", views.stamp_epcis, name="stamp_epcis"),
    re_path(r"^tem/(?P<serial>[^/]+)/?$", views.stamp_short, name="stamp_short"),
    path("truy-xuat/", views.home, name="home"),
    path("truy-xuat/canh-bao/", views.alerts, name="alerts"),
    path("truy-xuat/lo/moi/", views.batch_create, name="batch_create"),
    path("truy-xuat/lo/<int:pk>/", views.batch_detail, name="batch"),
    path("truy-xuat/lo/<int:pk>/sua/", views.batch_edit, name="batch_edit"),
    path("truy-xuat/lo/<int:pk>/dat-tem/", views.run_order, name="run_order"),
    path("truy-xuat/lo/<int:pk>/su-kien/", views.event_create, name="event_create"),
    path("truy-xuat/lo/<int:pk>/epcis.jsonld", views.batch_epcis, name="batch_epcis"),
    path("truy-xuat/dot-tem/<int:pk>/", views.run_detail, name="run"),
    path("truy-xuat/dot-tem/<int:pk>/tiep-tuc/", views.run_resume, name="run_resume"),
    path("truy-xuat/dot-tem/<int:pk>/huy-tem/", views.run_void, name="run_void"),
    path("truy-xuat/dot-tem/<int:pk>/tem.pdf", views.run_pdf, name="run_pdf"),
    path("truy-xuat/dot-tem/<int:pk>/tem.csv", views.run_csv, name="run_csv"),
]
