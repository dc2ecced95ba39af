"""The JSON API (django-ninja); its OpenAPI schema is served at /api/openapi.json."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as RuleBroken
from django.utils.translation import gettext
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


# A service refusing an action or an input answers the same way on every endpoint: 403 with a
# sentence, or 422 with the messages per field ("__all__" for the record as a whole).
@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    detail = str(exc) or gettext("You may not do this.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(RuleBroken)
def rule_broken(request, exc: RuleBroken):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


api.add_router("/geo", geo_router)
api.add_router("/accounts", accounts_router, auth=django_auth)
api.add_router("/producers", producers_router, auth=django_auth)
api.add_router("/products", products_router, auth=django_auth)
api.add_router("/ideas", ideas_router, auth=django_auth)
api.add_router("/plans", plans_router, auth=django_auth)
api.add_router("/dossiers", "ocop.dossiers.api.router", auth=django_auth)
api.add_router("/evaluation", "ocop.evaluation.api.router", auth=django_auth)
api.add_router("/certificates", "ocop.certificates.api.router")
api.add_router("/traceability", "ocop.traceability.api.router", auth=django_auth)
api.add_router("/catalog", "ocop.catalog.api.router")
api.add_router("/reports", "ocop.reports.api.router", auth=django_auth)
