"""The JSON API (django-ninja); its OpenAPI schema is served at /api/openapi.json."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.security import django_auth

from ocop.accounts.api import router as accounts_router
from ocop.geo.api import router as geo_router
from ocop.ideas.api import router as ideas_router
from ocop.plans.api import router as plans_router
from ocop.producers.api import router as producers_router
from ocop.products.api import router as products_router

api = NinjaAPI(
    title="OCOP platform API",
    version="1",
    description=str(_("Read and write the OCOP programme's records within your permissions.")),
    urls_namespace="api",
)
api.add_router("/geo", geo_router)
api.add_router("/accounts", accounts_router, auth=django_auth)
api.add_router("/producers", producers_router, auth=django_auth)
api.add_router("/products", products_router, auth=django_auth)
api.add_router("/ideas", ideas_router, auth=django_auth)
api.add_router("/plans", plans_router, auth=django_auth)
api.add_router("/dossiers", "ocop.dossiers.api.router", auth=django_auth)
api.add_router("/evaluation", "ocop.evaluation.api.router", auth=django_auth)
