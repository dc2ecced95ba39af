from django.urls import path, re_path

from . import views

# Mounted at the site root, with Vietnamese paths: /san-pham-ocop/…, /chu-the-ocop/…, /tinh/…
app_name = "catalog"
urlpatterns = [
    path("san-pham-ocop/", views.home, name="home"),
    path("san-pham-ocop/tim-kiem/", views.search, name="search"),
    re_path(r"^san-pham-ocop/(?P<slug>[-a-z0-9]*)-(?P<pk>[0-9]+)/$", views.product, name="product"),
    path("san-pham-ocop/<int:pk>/hoi-mua/", views.inquiry, name="inquiry"),
    re_path(
        r"^chu-the-ocop/(?P<slug>[-a-z0-9]*)-(?P<pk>[0-9]+)/$", views.producer, name="producer"
    ),
    path("tinh/<slug:slug>/", views.province, name="province"),
    path("ban-do-ocop.svg", views.map_svg, name="map"),
    path("du-lieu-mo/", views.open_data, name="open_data"),
    path("du-lieu-mo/san-pham-ocop.csv", views.open_data_csv, name="open_data_csv"),
    path("du-lieu-mo/san-pham-ocop.json", views.open_data_json, name="open_data_json"),
    path("xuc-tien-thuong-mai/", views.events, name="events"),
    path("xuc-tien-thuong-mai/moi/", views.event_form, name="event_create"),
    path("xuc-tien-thuong-mai/<int:pk>/", views.event, name="event"),
    path("xuc-tien-thuong-mai/<int:pk>/sua/", views.event_form, name="event_edit"),
    path("xuc-tien-thuong-mai/<int:pk>/dang-ky/", views.event_apply, name="event_apply"),
    path(
        "xuc-tien-thuong-mai/<int:pk>/dang-ky/<int:application_pk>/",
        views.application_decide,
        name="application_decide",
    ),
    path("hop-thu/", views.inbox, name="inbox"),
]
