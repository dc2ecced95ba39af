"""The JSON API (django-ninja); its OpenAPI schema is served at /api/openapi.json."""

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as RuleBroken
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.security import django_auth

from ocop.accounts.api import router as accounts_router
from ocop.geo.api import router as geo_router
from ocop.ideas.api import router as ideas_router
from ocop.plans.api import router as plans_router
from ocop.producers.api import router as producers_router
from ocop.products.api import router as products_router


class Error(Schema):
    """A refusal: a sentence, or the messages per field ("__all__" for the record)."""

    detail: dict[str, list[str]] | str


class InputError(Schema):
    """One problem with the request's parameters or body, as django-ninja reports it."""

    type: str
    loc: list[str | int]
    msg: str
    ctx: dict[str, Any] | None = None


class Invalid(Schema):
    """422: the service's messages per field, or the input errors of the request itself."""

    detail: dict[str, list[str]] | list[InputError]


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Invalid}


class OcopAPI(NinjaAPI):
    """Declares, on every operation, the errors any operation can answer with: 401 and 403
    (not signed in, a CSRF check failed, a service refused) where a session is needed, 404,
    422 (invalid parameters or body, a rule broken), and 400 (a body that is not JSON)."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        components = schema["components"].setdefault("schemas", {})
        for model in set(ERRORS.values()):
            definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(definition.pop("$defs", {}))
            components[model.__name__] = definition
        for operation in (op for ops in schema["paths"].values() for op in ops.values()):
            codes = {404} | ({401, 403} if operation.get("security") else set())
            if operation.get("parameters") or operation.get("requestBody"):
                codes.add(422)
            if operation.get("requestBody"):
                codes.add(400)
            responses = operation["responses"]
            for code in sorted(codes | ({422} & set(responses))):
                model = ERRORS[code]
                responses[code] = {
                    "description": HTTPStatus(code).phrase,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{model.__name__}"}
                        }
                    },
                }
        return schema


api = OcopAPI(
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
