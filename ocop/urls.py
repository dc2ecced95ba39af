from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from ocop.catalog.sitemaps import SITEMAPS

from . import metrics, views
from .api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("ocop.accounts.urls")),
    path("producers/", include("ocop.producers.urls")),
    path("geo/", include("ocop.geo.urls")),
    path("criteria/", include("ocop.criteria.urls")),
    path("documents/", include("ocop.documents.urls")),
    path("ideas/", include("ocop.ideas.urls")),
    path("plans/", include("ocop.plans.urls")),
    path("products/", include("ocop.products.urls")),
    path("dossiers/", include("ocop.dossiers.urls")),
    path("evaluation/", include("ocop.evaluation.urls")),
    path("bao-cao/", include("ocop.reports.urls")),
    path("chuong-trinh/", include("ocop.programme.urls")),
    path("tu-van/", include("ocop.consultants.urls")),
    path("nhap-du-lieu/", include("ocop.imports.urls")),
    path("nhat-ky/", include("ocop.audit.urls")),
    path("", include("ocop.certificates.urls")),
    path("", include("ocop.traceability.urls")),
    path("", include("ocop.catalog.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "ocop.views.error_403"
handler404 = "ocop.views.error_404"
handler500 = "ocop.views.error_500"
